package probes

import (
	"bytes"
	"errors"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/ringbuf"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/packettest"
)

// requireBPF skips, visibly, where the real programs cannot be loaded.
func requireBPF(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipped: BPF_PROG_TEST_RUN needs root")
	}
	if _, err := os.Stat("/sys/kernel/btf/vmlinux"); err != nil {
		t.Skip("skipped: the kernel has no BTF (/sys/kernel/btf/vmlinux)")
	}
}

// dnsUnderTest is the DNS programs loaded alone (their own ring buffer), run on crafted frames.
type dnsUnderTest struct {
	objects dnsObjects
	ring    *ringbuf.Reader
}

func loadDNSUnderTest(t *testing.T) *dnsUnderTest {
	t.Helper()
	requireBPF(t)
	spec, err := loadDns()
	if err != nil {
		t.Fatal(err)
	}
	spec.Maps["events"].MaxEntries = 1 << 16
	d := &dnsUnderTest{}
	if err := spec.LoadAndAssign(&d.objects, nil); err != nil {
		t.Fatalf("loading the DNS programs: %v", verifierDetail(err))
	}
	if d.ring, err = ringbuf.NewReader(d.objects.Events); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.ring.Close(); d.objects.Close() })
	return d
}

// run feeds one frame to the egress or ingress program and returns the DNS event it wrote, or nil.
func (d *dnsUnderTest) run(t *testing.T, ingress bool, frame []byte) *DNSEvent {
	t.Helper()
	raw := d.runRaw(t, ingress, frame)
	if raw == nil {
		return nil
	}
	if kind, _ := RecordKind(raw); kind != KindDNS {
		t.Fatalf("a record of kind %d, not DNS", kind)
	}
	event, err := View[DNSEvent](raw)
	if err != nil {
		t.Fatalf("record of %d bytes: %v", len(raw), err)
	}
	copied := *event
	return &copied
}

// runRaw feeds one frame to the egress or ingress program and returns the record it wrote, or nil. The program must
// let every packet through: it observes, it never drops.
func (d *dnsUnderTest) runRaw(t *testing.T, ingress bool, frame []byte) []byte {
	t.Helper()
	program := d.objects.DnsEgress
	if ingress {
		program = d.objects.DnsIngress
	}
	verdict, err := program.Run(&ebpf.RunOptions{Data: frame})
	if err != nil {
		t.Fatalf("BPF_PROG_TEST_RUN: %v", err)
	}
	if verdict != 1 {
		t.Fatalf("the DNS program returned %d for a frame of %d bytes: it must pass every packet", verdict, len(frame))
	}
	d.ring.SetDeadline(time.Now().Add(20 * time.Millisecond))
	record, err := d.ring.Read()
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), record.RawSample...)
}

func payloadOf(e *DNSEvent) []byte { return e.Payload[:e.PayloadLen] }

var (
	client4   = netip.MustParseAddr("10.244.1.7")
	resolver4 = netip.MustParseAddr("10.96.0.10")
	client6   = netip.MustParseAddr("fd00::7")
	resolver6 = netip.MustParseAddr("fd00::a")
)

func TestDNSProgramsReportQueriesAndAnswersOverUDPAndTCP(t *testing.T) {
	d := loadDNSUnderTest(t)
	query := packettest.DNSQuery(0x1234, "api.openai.com", 1)
	answer := packettest.DNSAnswerA(query, netip.MustParseAddr("203.0.113.10"))

	cases := []struct {
		name     string
		ingress  bool
		packet   packettest.Packet
		family   uint16
		protocol uint8
	}{
		{"UDP query over IPv4", false, packettest.Packet{Src: client4, Dst: resolver4, SrcPort: 40000, DstPort: 53, Protocol: packettest.UDP, Payload: query}, afInet, ProtocolUDP},
		{"UDP answer over IPv4", true, packettest.Packet{Src: resolver4, Dst: client4, SrcPort: 53, DstPort: 40000, Protocol: packettest.UDP, Payload: answer}, afInet, ProtocolUDP},
		{"UDP query over IPv6", false, packettest.Packet{Src: client6, Dst: resolver6, SrcPort: 40000, DstPort: 53, Protocol: packettest.UDP, Payload: query}, afInet6, ProtocolUDP},
		{"TCP query over IPv4", false, packettest.Packet{Src: client4, Dst: resolver4, SrcPort: 40001, DstPort: 53, Protocol: packettest.TCP, TCPFlags: packettest.FlagACK | 0x08, Payload: packettest.TCPFramed(query)}, afInet, ProtocolTCP},
		{"TCP answer over IPv6", true, packettest.Packet{Src: resolver6, Dst: client6, SrcPort: 53, DstPort: 40001, Protocol: packettest.TCP, TCPFlags: packettest.FlagACK | 0x08, Payload: packettest.TCPFramed(answer)}, afInet6, ProtocolTCP},
	}
	for _, c := range cases {
		e := d.run(t, c.ingress, c.packet.Build())
		if e == nil {
			t.Fatalf("%s: no event", c.name)
		}
		if e.Family != c.family || e.Protocol != c.protocol || e.Sport != c.packet.SrcPort || e.Dport != c.packet.DstPort || (e.Ingress == 1) != c.ingress {
			t.Fatalf("%s: event family %d protocol %d ports %d→%d ingress %d", c.name, e.Family, e.Protocol, e.Sport, e.Dport, e.Ingress)
		}
		if !bytes.Equal(payloadOf(e), c.packet.Payload) {
			t.Fatalf("%s: payload %x, sent %x", c.name, payloadOf(e), c.packet.Payload)
		}
		src, dst := c.packet.Src.As16(), c.packet.Dst.As16()
		if c.family == afInet {
			a, b := c.packet.Src.As4(), c.packet.Dst.As4()
			copy(src[:], a[:])
			copy(dst[:], b[:])
			clear(src[4:])
			clear(dst[4:])
		}
		if e.Saddr != src || e.Daddr != dst {
			t.Fatalf("%s: addresses %x → %x", c.name, e.Saddr, e.Daddr)
		}
		if c.ingress && (e.H.Pid != 0 || e.H.Comm[0] != 0) {
			t.Fatalf("%s: an ingress packet carries process %d %q, but softirq has no meaningful current task", c.name, e.H.Pid, CString(e.H.Comm[:]))
		}
	}
}

func TestDNSProgramsIgnoreEverythingElse(t *testing.T) {
	d := loadDNSUnderTest(t)
	query := packettest.DNSQuery(1, "example.com", 1)
	ignored := []struct {
		name    string
		ingress bool
		packet  packettest.Packet
	}{
		{"HTTPS over TCP", false, packettest.Packet{Src: client4, Dst: resolver4, SrcPort: 40000, DstPort: 443, Protocol: packettest.TCP, TCPFlags: packettest.FlagACK, Payload: []byte("GET / HTTP/1.1\r\n\r\n")}},
		{"mDNS port 5353", false, packettest.Packet{Src: client4, Dst: resolver4, SrcPort: 5353, DstPort: 5353, Protocol: packettest.UDP, Payload: query}},
		{"a local resolver answering (egress from :53)", false, packettest.Packet{Src: resolver4, Dst: client4, SrcPort: 53, DstPort: 40000, Protocol: packettest.UDP, Payload: query}},
		{"a local resolver receiving (ingress to :53)", true, packettest.Packet{Src: client4, Dst: resolver4, SrcPort: 40000, DstPort: 53, Protocol: packettest.UDP, Payload: query}},
		{"TCP SYN to :53 (no message)", false, packettest.Packet{Src: client4, Dst: resolver4, SrcPort: 40000, DstPort: 53, Protocol: packettest.TCP, TCPFlags: packettest.FlagSYN}},
		{"TCP ACK from :53 (no message)", true, packettest.Packet{Src: resolver6, Dst: client6, SrcPort: 53, DstPort: 40000, Protocol: packettest.TCP, TCPFlags: packettest.FlagACK}},
		{"empty UDP datagram to :53", false, packettest.Packet{Src: client4, Dst: resolver4, SrcPort: 40000, DstPort: 53, Protocol: packettest.UDP}},
	}
	for _, c := range ignored {
		if e := d.run(t, c.ingress, c.packet.Build()); e != nil {
			t.Fatalf("%s: reported as DNS (ports %d→%d, %d bytes)", c.name, e.Sport, e.Dport, e.PayloadLen)
		}
	}
	// ICMP: neither UDP nor TCP.
	icmp := packettest.Packet{Src: client4, Dst: resolver4, Protocol: 1, Payload: make([]byte, 16)}.Build()
	if e := d.run(t, false, icmp); e != nil {
		t.Fatal("ICMP reported as DNS")
	}
}

// Hostile and malformed frames: the programs must pass them, never read outside them and never report garbage.
func TestDNSProgramsSurviveMalformedPackets(t *testing.T) {
	d := loadDNSUnderTest(t)
	query := packettest.DNSQuery(7, "example.com", 1)
	udp := packettest.Packet{Src: client4, Dst: resolver4, SrcPort: 40000, DstPort: 53, Protocol: packettest.UDP, Payload: query}.Build()
	tcp := packettest.Packet{Src: client4, Dst: resolver4, SrcPort: 40000, DstPort: 53, Protocol: packettest.TCP, TCPFlags: packettest.FlagACK, Payload: packettest.TCPFramed(query)}.Build()
	const eth = 14
	mutate := func(frame []byte, change func([]byte)) []byte {
		out := append([]byte{}, frame...)
		change(out)
		return out
	}
	// BPF_PROG_TEST_RUN refuses an IPv4/IPv6 frame shorter than the IP header, so cut headers are sent under an
	// experimental EtherType: the programs never look at it, and see the same cut bytes.
	cut := func(frame []byte, length int) []byte {
		return mutate(frame[:length], func(f []byte) { f[12], f[13] = 0x88, 0xB5 })
	}
	hostile := map[string][]byte{
		"one byte of IP":                        cut(udp, eth+1),
		"IPv4 header cut short":                 cut(udp, eth+12),
		"UDP header cut after the source port":  udp[:eth+20+2],
		"UDP header with no payload":            udp[:eth+20+8],
		"IP version 7":                          mutate(udp, func(f []byte) { f[eth] = 0x75 }),
		"IPv4 header length 2 words (below 5)":  mutate(udp, func(f []byte) { f[eth] = 0x42 }),
		"IPv4 header length 15 words, no room":  mutate(udp[:eth+20+8], func(f []byte) { f[eth] = 0x4F }),
		"IPv6 header cut short":                 cut(packettest.Packet{Src: client6, Dst: resolver6, SrcPort: 1, DstPort: 53, Protocol: packettest.UDP, Payload: query}.Build(), eth+30),
		"TCP data offset 0 (below 5)":           mutate(tcp, func(f []byte) { f[eth+20+12] = 0 }),
		"TCP data offset 15 beyond the segment": mutate(tcp[:eth+20+20+4], func(f []byte) { f[eth+20+12] = 15 << 4 }),
	}
	for name, frame := range hostile {
		if e := d.run(t, false, frame); e != nil {
			t.Fatalf("%s: reported (%d payload bytes)", name, e.PayloadLen)
		}
	}

	// An oversized datagram is cut to the capture size, not dropped and not overrun.
	big := append(append([]byte{}, query...), bytes.Repeat([]byte{0xAB}, 1400)...)
	e := d.run(t, false, packettest.Packet{Src: client4, Dst: resolver4, SrcPort: 40000, DstPort: 53, Protocol: packettest.UDP, Payload: big}.Build())
	if e == nil || int(e.PayloadLen) != len(e.Payload)-1 || !bytes.Equal(payloadOf(e), big[:e.PayloadLen]) {
		t.Fatalf("a 1.4 kB datagram gave %+v", e)
	}
}

// Address families as dns_event.family carries them.
const (
	afInet  = 2
	afInet6 = 10
)
