package enforce

import (
	"bufio"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/cilium/ebpf"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/packettest"
)

// The enforcement program run with BPF_PROG_TEST_RUN on crafted frames, its policy written by the Manager as the API
// writes it. A test-run packet belongs to a socket in this test's own cgroup, so the policy is keyed by that id.

func requireBPF(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipped: BPF_PROG_TEST_RUN needs root")
	}
	if _, err := os.Stat("/sys/kernel/btf/vmlinux"); err != nil {
		t.Skip("skipped: the kernel has no BTF (/sys/kernel/btf/vmlinux)")
	}
}

// ownCgroupID is the cgroup v2 id (the directory's inode) of this process, which bpf_skb_cgroup_id reports for a
// test-run packet.
func ownCgroupID(t *testing.T) uint64 {
	t.Helper()
	file, err := os.Open("/proc/self/cgroup")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	relative := ""
	for scanner := bufio.NewScanner(file); scanner.Scan(); {
		if rest, ok := strings.CutPrefix(scanner.Text(), "0::"); ok {
			relative = rest
		}
	}
	for _, mount := range []string{"/sys/fs/cgroup/unified", "/sys/fs/cgroup"} {
		var fs syscall.Statfs_t
		if syscall.Statfs(mount, &fs) != nil || fs.Type != 0x63677270 { // CGROUP2_SUPER_MAGIC
			continue
		}
		info, err := os.Stat(filepath.Join(mount, relative))
		if err == nil {
			return info.Sys().(*syscall.Stat_t).Ino
		}
	}
	t.Skip("skipped: no cgroup v2 hierarchy holds this process")
	return 0
}

func openManager(t *testing.T) *Manager {
	t.Helper()
	requireBPF(t)
	pinDir, err := os.MkdirTemp("/sys/fs/bpf", "vigil-enforce-test-")
	if err != nil {
		t.Skipf("skipped: no bpffs at /sys/fs/bpf to pin the test maps in (%v)", err)
	}
	t.Cleanup(func() { os.RemoveAll(pinDir) })
	m, err := Open("/sys/fs/cgroup/unified", pinDir, t.TempDir(), nil, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

const (
	pass = 1
	drop = 0
)

type verdictCase struct {
	name   string
	packet packettest.Packet
	want   uint32
}

var (
	podIP      = netip.MustParseAddr("10.244.1.7")
	clusterDNS = netip.MustParseAddr("10.96.0.10")
	apiServer  = netip.MustParseAddr("10.96.0.1")
	attacker   = netip.MustParseAddr("198.51.100.66")
	attacker6  = netip.MustParseAddr("2001:db8::66")
	pod6       = netip.MustParseAddr("fd00::7")
)

func syn(dst netip.Addr, port uint16) packettest.Packet {
	src := podIP
	if dst.Is6() {
		src = pod6
	}
	return packettest.Packet{Src: src, Dst: dst, SrcPort: 40000, DstPort: port, Protocol: packettest.TCP, TCPFlags: packettest.FlagSYN}
}

func udp(dst netip.Addr, port uint16) packettest.Packet {
	return packettest.Packet{Src: podIP, Dst: dst, SrcPort: 40000, DstPort: port, Protocol: packettest.UDP, Payload: packettest.DNSQuery(1, "example.com", 1)}
}

func runCases(t *testing.T, m *Manager, cases []verdictCase) {
	t.Helper()
	for _, c := range cases {
		verdict, err := m.objects.EnforceEgress.Run(&ebpf.RunOptions{Data: c.packet.Build()})
		if err != nil {
			t.Fatalf("%s: BPF_PROG_TEST_RUN: %v", c.name, err)
		}
		if verdict != c.want {
			t.Errorf("%s: verdict %d, want %d (1 passes, 0 drops)", c.name, verdict, c.want)
		}
	}
}

// counted returns the verdict counter for one destination of this cgroup, 0 when there is none.
func counted(m *Manager, cgroupID uint64, action, protocol, ip string, port uint16) uint64 {
	for _, v := range m.Verdicts() {
		if v.CgroupID == cgroupID && v.Action == action && v.Protocol == protocol && v.DstIP == ip && v.DstPort == port {
			return v.Count
		}
	}
	return 0
}

func TestAllowlistVerdictsOnCraftedPackets(t *testing.T) {
	m := openManager(t)
	cgroup := ownCgroupID(t)
	runCases(t, m, []verdictCase{{"a SYN with no policy for the cgroup", syn(attacker, 443), pass}})

	request := Request{Mode: "enforce", Policy: "allowlist", DNSServer: clusterDNS.String(),
		Allow: []Destination{{CIDR: "10.96.0.0/24", Ports: []uint16{443, 6443}}, {CIDR: "2001:db8:1::/48"}}}
	if err := m.writePolicy(cgroup, request); err != nil {
		t.Fatal(err)
	}
	runCases(t, m, []verdictCase{
		{"SYN to an allowed address and port", syn(apiServer, 443), pass},
		{"SYN to an allowed address, second port", syn(apiServer, 6443), pass},
		{"SYN to an allowed address, other port", syn(apiServer, 80), drop},
		{"SYN outside the allowlist", syn(attacker, 443), drop},
		{"SYN to an allowed IPv6 prefix, any port", syn(netip.MustParseAddr("2001:db8:1::5"), 22), pass},
		{"SYN to IPv6 outside the allowlist", syn(attacker6, 443), drop},
		{"ACK of a connection that came in (a server replying)", packettest.Packet{Src: podIP, Dst: attacker, SrcPort: 8080, DstPort: 51000, Protocol: packettest.TCP, TCPFlags: packettest.FlagACK}, pass},
		{"SYN-ACK answering an inbound connection", packettest.Packet{Src: podIP, Dst: attacker, SrcPort: 8080, DstPort: 51000, Protocol: packettest.TCP, TCPFlags: packettest.FlagSYN | packettest.FlagACK}, pass},
		{"DNS to the cluster resolver", udp(clusterDNS, 53), pass},
		{"DNS to another resolver", udp(attacker, 53), drop},
		{"UDP outside the allowlist", udp(attacker, 443), drop},
		{"loopback", syn(netip.MustParseAddr("127.0.0.1"), 9999), pass},
		{"IPv6 loopback", syn(netip.IPv6Loopback(), 9999), pass},
		{"ICMP outside the allowlist", packettest.Packet{Src: podIP, Dst: attacker, Protocol: 1, Payload: make([]byte, 8)}, drop},
	})
	if n := counted(m, cgroup, "dropped", "tcp", attacker.String(), 443); n != 1 {
		t.Fatalf("dropped SYNs to %s:443 counted %d, want 1; verdicts %+v", attacker, n, m.Verdicts())
	}
	if n := counted(m, cgroup, "dropped", "udp", attacker.String(), 53); n != 1 {
		t.Fatalf("dropped DNS to %s counted %d, want 1", attacker, n)
	}
	if n := counted(m, cgroup, "dropped", "tcp", apiServer.String(), 443); n != 0 {
		t.Fatalf("an allowed destination was counted as dropped %d times", n)
	}

	// Audit: the same packet passes and is counted as what would have been dropped.
	request.Mode = "audit"
	if err := m.writePolicy(cgroup, request); err != nil {
		t.Fatal(err)
	}
	runCases(t, m, []verdictCase{{"SYN outside the allowlist in audit mode", syn(attacker, 443), pass}, {"again", syn(attacker, 443), pass}})
	if n := counted(m, cgroup, "would-drop", "tcp", attacker.String(), 443); n != 2 {
		t.Fatalf("audit counted %d would-drop SYNs to %s:443, want 2", n, attacker)
	}

	// Off: the program stays attached but lets everything through, uncounted.
	request.Mode = "off"
	if err := m.writePolicy(cgroup, request); err != nil {
		t.Fatal(err)
	}
	runCases(t, m, []verdictCase{{"SYN outside the allowlist with mode off", syn(attacker, 22), pass}})
	if n := counted(m, cgroup, "would-drop", "tcp", attacker.String(), 22) + counted(m, cgroup, "dropped", "tcp", attacker.String(), 22); n != 0 {
		t.Fatalf("mode off counted %d verdicts", n)
	}
	m.clearMaps([]uint64{cgroup})
	m.clearVerdicts([]uint64{cgroup})
	runCases(t, m, []verdictCase{{"after release", syn(attacker, 443), pass}})
}

func TestHardQuarantineVerdictsOnCraftedPackets(t *testing.T) {
	m := openManager(t)
	cgroup := ownCgroupID(t)
	if err := m.writePolicy(cgroup, Request{Mode: "enforce", Policy: "deny-all-but-dns", DNSServer: clusterDNS.String()}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.clearMaps([]uint64{cgroup}); m.clearVerdicts([]uint64{cgroup}) })
	runCases(t, m, []verdictCase{
		{"DNS over UDP to the cluster resolver", udp(clusterDNS, 53), pass},
		{"DNS over TCP to the cluster resolver", syn(clusterDNS, 53), pass},
		{"DNS to another resolver", udp(attacker, 53), drop},
		{"a SYN anywhere else", syn(apiServer, 443), drop},
		// The hard quarantine judges every packet, not only SYNs: an established connection is cut too.
		{"an ACK of an established connection", packettest.Packet{Src: podIP, Dst: attacker, SrcPort: 40000, DstPort: 443, Protocol: packettest.TCP, TCPFlags: packettest.FlagACK}, drop},
		{"loopback", syn(netip.MustParseAddr("127.0.0.1"), 8080), pass},
	})
}

// Malformed frames under a policy: the program never reads outside the packet, and a frame it cannot read is
// passed (the stack would not send it; a crafted one from a raw socket is not a connection).
func TestEnforcementSurvivesMalformedPackets(t *testing.T) {
	m := openManager(t)
	cgroup := ownCgroupID(t)
	if err := m.writePolicy(cgroup, Request{Mode: "enforce", Policy: "allowlist", Allow: []Destination{{CIDR: "10.96.0.0/24"}}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.clearMaps([]uint64{cgroup}); m.clearVerdicts([]uint64{cgroup}) })
	full := syn(attacker, 443).Build()
	const eth = 14
	experimental := func(frame []byte) []byte {
		out := append([]byte{}, frame...)
		out[12], out[13] = 0x88, 0xB5 // the test runner refuses IP frames shorter than the IP header
		return out
	}
	for name, frame := range map[string][]byte{
		"IP header cut short":             experimental(full[:eth+10]),
		"TCP header cut before the flags": full[:eth+20+12],
		"TCP header cut before the port":  full[:eth+20+1],
		"IP version 9":                    append(append([]byte{}, full[:eth]...), append([]byte{0x95}, full[eth+1:]...)...),
		"IPv4 header length 15, no room":  append(append([]byte{}, full[:eth]...), append([]byte{0x4F}, full[eth+1:]...)...),
	} {
		if _, err := m.objects.EnforceEgress.Run(&ebpf.RunOptions{Data: frame}); err != nil {
			t.Fatalf("%s: BPF_PROG_TEST_RUN: %v", name, err)
		}
	}
	// A well-formed SYN outside the allowlist is still dropped after all of that.
	runCases(t, m, []verdictCase{{"SYN outside the allowlist", syn(attacker, 443), drop}})
}
