package collectortest

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func containerOf(e Event) string {
	if e.ContainerID == nil {
		return ""
	}
	return *e.ContainerID
}

// Exec, sensitive open and syscall set in two pods, one per cgroup driver, one of them running before the
// collector started; each event must name its pod.
func TestProbesAttributeEventsToPodsForBothDrivers(t *testing.T) {
	requireRoot(t)
	api := newPodAPI(t)
	systemd := newTestCgroup(t, "systemd")
	cgroupfs := newTestCgroup(t, "cgroupfs")
	api.addPod("agents", "systemd-pod", systemd)
	api.addPod("payments", "cgroupfs-pod", cgroupfs)
	secrets := "/tmp/vigil-secrets-" + randomHex(4) // short: a prefix holds at most 64 bytes
	os.MkdirAll(secrets, 0o755)
	defer os.RemoveAll(secrets)
	os.WriteFile(filepath.Join(secrets, "token"), []byte("s3cr3t"), 0o600)

	// Started before the collector: it waits for a line on stdin, then opens the secret.
	early := cgroupfs.Command("/bin/sh", "-c", "read line; cat "+secrets+"/token > /dev/null")
	stdin, _ := early.StdinPipe()
	if err := early.Start(); err != nil {
		t.Fatal(err)
	}
	defer early.Process.Kill()

	c := startCollector(t, collectorOptions{kubeconfig: api.kubeconfig(t), extra: []string{"--sensitive-path", "sa-token=" + secrets + "/"}})
	marker := "vigil-marker-" + randomHex(4)
	systemd.Run(t, "/bin/echo", marker)
	exec := c.WaitFor("process.exec of echo", 10*time.Second, func(e Event) bool {
		return e.Kind == "process.exec" && e.Process != nil && len(e.Process.Args) == 2 && e.Process.Args[1] == marker
	})
	if exec.Pod == nil || exec.Pod.Namespace != "agents" || exec.Pod.Name != "systemd-pod" || exec.Pod.UID != systemd.PodUID {
		t.Fatalf("exec in the systemd-driver pod was attributed to %+v", exec.Pod)
	}
	if exec.Pod.Labels["app"] != "systemd-pod" || exec.Pod.Labels["vigil.dev/test"] != "yes" {
		t.Fatalf("the event does not carry the pod's labels: %v", exec.Pod.Labels)
	}
	if containerOf(exec) != systemd.ContainerID || exec.Process.Exe != "/usr/bin/echo" && exec.Process.Exe != "/bin/echo" {
		t.Fatalf("exec event: container %q exe %q", containerOf(exec), exec.Process.Exe)
	}

	stdin.Write([]byte("go\n"))
	early.Wait()
	open := c.WaitFor("file.open of the secret", 10*time.Second, func(e Event) bool {
		return e.Kind == "file.open" && e.Details["path"] == secrets+"/token"
	})
	if open.Pod == nil || open.Pod.Name != "cgroupfs-pod" || containerOf(open) != cgroupfs.ContainerID {
		t.Fatalf("open by a process that predates the collector was attributed to %+v / %q", open.Pod, containerOf(open))
	}
	if open.Details["category"] != "sa-token" || open.Details["errno"] != float64(0) {
		t.Fatalf("file.open details: %v", open.Details)
	}

	// The syscall set of the systemd pod: echo's process must at least have exec'd, mapped memory and exited.
	syscalls := map[string]bool{}
	for _, e := range c.All() {
		if e.Kind == "syscall.first" && containerOf(e) == systemd.ContainerID {
			syscalls[e.Details["syscall"].(string)] = true
		}
	}
	for _, want := range []string{"execve", "mmap", "write", "exit_group"} {
		if !syscalls[want] {
			t.Errorf("syscall set of the pod lacks %s (has %d syscalls)", want, len(syscalls))
		}
	}
	status, profile := c.send(t, "GET", "/v1/profiles/agents/systemd-pod", "")
	if status != 200 {
		t.Fatalf("profile: %d %s", status, profile)
	}
	validateWire(t, "profile", []byte(profile))
	for _, want := range []string{`"execve"`, `bin/echo"`, `"state":"learning"`} {
		if !strings.Contains(profile, want) {
			t.Errorf("the pod's profile lacks %s: %s", want, profile)
		}
	}

	// The profile survives a restart: same entries, same learning start.
	var before, after struct {
		Since       string   `json:"since"`
		Syscalls    []string `json:"syscalls"`
		Executables []struct {
			Path string `json:"path"`
		} `json:"executables"`
	}
	json.Unmarshal([]byte(profile), &before)
	c.Restart()
	status, restored := c.send(t, "GET", "/v1/profiles/agents/systemd-pod", "")
	if status != 200 {
		t.Fatalf("profile after a restart: %d %s", status, restored)
	}
	json.Unmarshal([]byte(restored), &after)
	if after.Since != before.Since || len(after.Syscalls) < len(before.Syscalls) || len(after.Executables) < len(before.Executables) {
		t.Fatalf("the profile did not survive a restart:\nbefore %s\nafter  %s", profile, restored)
	}
}

func TestTCPConnectAcceptAndCloseWithBytes(t *testing.T) {
	requireRoot(t)
	c := startCollector(t, collectorOptions{})
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	port := listener.Addr().(*net.TCPAddr).Port
	go func() {
		conn, err := listener.Accept()
		if err != nil {
			return
		}
		buf := make([]byte, 1000)
		n, _ := conn.Read(buf)
		conn.Write([]byte(strings.Repeat("y", 2*n)))
		conn.Close()
	}()
	conn, err := net.Dial("tcp", listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	conn.Write([]byte(strings.Repeat("x", 300)))
	reply := make([]byte, 1000)
	total := 0
	for total < 600 {
		n, err := conn.Read(reply)
		total += n
		if err != nil {
			break
		}
	}
	conn.Close()
	connect := c.WaitFor("net.connect", 10*time.Second, func(e Event) bool {
		return e.Kind == "net.connect" && e.Details["dstPort"] == float64(port)
	})
	if connect.Process == nil || connect.Process.Pid != uint32(os.Getpid()) || connect.Details["dstIp"] != "127.0.0.1" {
		t.Fatalf("connect event: %s", connect.Raw)
	}
	c.WaitFor("net.accept", 10*time.Second, func(e Event) bool {
		return e.Kind == "net.accept" && e.Details["srcPort"] == float64(port)
	})
	closed := c.WaitFor("net.close of the client side", 10*time.Second, func(e Event) bool {
		return e.Kind == "net.close" && e.Details["dstPort"] == float64(port)
	})
	if closed.Details["bytesSent"] != float64(300) || closed.Details["bytesReceived"] != float64(600) {
		t.Fatalf("client close counted sent %v received %v, want 300 and 600", closed.Details["bytesSent"], closed.Details["bytesReceived"])
	}
}

// dnsResponder answers every A query with 127.0.0.154 on a loopback address's port 53.
func dnsResponder(t *testing.T, address string) {
	conn, err := net.ListenPacket("udp", address)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	go func() {
		buf := make([]byte, 512)
		for {
			n, from, err := conn.ReadFrom(buf)
			if err != nil {
				return
			}
			end := 12
			for end < n && buf[end] != 0 {
				end += int(buf[end]) + 1
			}
			end += 5 // root label, type, class
			if end > n {
				continue
			}
			answer := append([]byte{}, buf[:end]...)
			answer[2], answer[3] = 0x81, 0x80
			answer[6], answer[7] = 0, 1
			answer[10], answer[11] = 0, 0 // no additional records (the query's EDNS OPT is dropped)
			answer = append(answer, 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 154)
			conn.WriteTo(answer, from)
		}
	}()
}

// tcpDNSResponder answers every A query over TCP with 127.0.0.156, writing the length prefix and the message in two
// writes (two segments), as some servers do.
func tcpDNSResponder(t *testing.T, address string) {
	listener, err := net.Listen("tcp", address)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { listener.Close() })
	go func() {
		for {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				var length [2]byte
				if _, err := io.ReadFull(conn, length[:]); err != nil {
					return
				}
				query := make([]byte, int(length[0])<<8|int(length[1]))
				if _, err := io.ReadFull(conn, query); err != nil || len(query) < 12 {
					return
				}
				end := 12
				for end < len(query) && query[end] != 0 {
					end += int(query[end]) + 1
				}
				end += 5
				if end > len(query) {
					return
				}
				answer := append([]byte{}, query[:end]...)
				answer[2], answer[3] = 0x81, 0x80
				answer[6], answer[7] = 0, 1
				answer[10], answer[11] = 0, 0
				answer = append(answer, 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 156)
				conn.Write([]byte{byte(len(answer) >> 8), byte(len(answer))})
				time.Sleep(10 * time.Millisecond)
				conn.Write(answer)
			}()
		}
	}()
}

func TestDNSOverTCP(t *testing.T) {
	requireRoot(t)
	c := startCollector(t, collectorOptions{})
	tcpDNSResponder(t, "127.0.0.155:53")
	name := "tcp-" + randomHex(3) + ".example.test"
	resolver := &net.Resolver{PreferGo: true, Dial: func(ctx contextLike, network, address string) (net.Conn, error) {
		return net.Dial("tcp", "127.0.0.155:53")
	}}
	addrs, err := lookupA(resolver, name)
	if err != nil || len(addrs) == 0 || addrs[0] != "127.0.0.156" {
		t.Fatalf("resolving over TCP through the test responder: %v %v", addrs, err)
	}
	query := c.WaitFor("dns.query over TCP", 10*time.Second, func(e Event) bool { return e.Kind == "dns.query" && e.Details["queryName"] == name })
	if query.Details["server"] != "127.0.0.155" || query.Details["queryType"] != "A" {
		t.Fatalf("dns.query details: %v", query.Details)
	}
	answer := c.WaitFor("dns.answer over TCP", 10*time.Second, func(e Event) bool { return e.Kind == "dns.answer" && e.Details["queryName"] == name })
	answers, _ := answer.Details["answers"].([]any)
	if answer.Details["rcode"] != "NOERROR" || len(answers) != 1 || answers[0] != "127.0.0.156" {
		t.Fatalf("dns.answer details: %v", answer.Details)
	}
	if failures := c.Metric(`vigil_collector_lost_events_total{reason="parse_failure",kind="dns"}`); failures != 0 {
		t.Fatalf("%v DNS parse failures: segments without a message (SYN, ACK, the lone length prefix) must be skipped", failures)
	}
}

// A profile file that cannot be read back is set aside with a clear log line; the collector starts and serves.
func TestCorruptProfileFileIsSetAside(t *testing.T) {
	requireRoot(t)
	state := t.TempDir()
	os.WriteFile(filepath.Join(state, "profiles.json"), []byte(`{"version": 1, "pods": {"a/b": `), 0o600)
	c := startCollector(t, collectorOptions{stateDir: state})
	for i := 0; i < 20 && !strings.Contains(c.log.String(), "not valid profile JSON"); i++ {
		time.Sleep(100 * time.Millisecond) // the log is copied from the collector's stderr by a goroutine
	}
	if !strings.Contains(c.log.String(), "not valid profile JSON") {
		t.Fatalf("the collector log does not say what was wrong with the profile file:\n%s", c.log.String())
	}
	aside, _ := filepath.Glob(filepath.Join(state, "profiles.json.corrupt-*"))
	if len(aside) != 1 {
		t.Fatalf("the corrupt file was not moved aside: %v", aside)
	}
	if status, body := c.send(t, "GET", "/v1/profiles", ""); status != 200 {
		t.Fatalf("profiles after a corrupt file: %d %s", status, body)
	}
	c.Stop()
	if _, err := os.Stat(filepath.Join(state, "profiles.json")); err != nil {
		t.Fatalf("no fresh profile file written at shutdown: %v", err)
	}
}

func TestDNSQueryAndAnswer(t *testing.T) {
	requireRoot(t)
	c := startCollector(t, collectorOptions{})
	dnsResponder(t, "127.0.0.153:53")
	name := "svc-" + randomHex(3) + ".example.test"
	resolver := &net.Resolver{PreferGo: true, Dial: func(ctx contextLike, network, address string) (net.Conn, error) {
		return net.Dial("udp", "127.0.0.153:53")
	}}
	addrs, err := lookupA(resolver, name)
	if err != nil || len(addrs) == 0 || addrs[0] != "127.0.0.154" {
		t.Fatalf("resolving through the test responder: %v %v", addrs, err)
	}
	query := c.WaitFor("dns.query", 10*time.Second, func(e Event) bool { return e.Kind == "dns.query" && e.Details["queryName"] == name })
	if query.Details["server"] != "127.0.0.153" || query.Details["queryType"] != "A" {
		t.Fatalf("dns.query details: %v", query.Details)
	}
	answer := c.WaitFor("dns.answer", 10*time.Second, func(e Event) bool { return e.Kind == "dns.answer" && e.Details["queryName"] == name })
	answers, _ := answer.Details["answers"].([]any)
	if answer.Details["rcode"] != "NOERROR" || len(answers) != 1 || answers[0] != "127.0.0.154" {
		t.Fatalf("dns.answer details: %v", answer.Details)
	}
	// A connect to the resolved address carries the name the process looked up.
	port := acceptForever(t, "127.0.0.154:0")
	conn, err := net.Dial("tcp", net.JoinHostPort(addrs[0], fmt.Sprint(port)))
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	connect := c.WaitFor("net.connect to the resolved address", 10*time.Second, func(e Event) bool {
		return e.Kind == "net.connect" && e.Details["dstIp"] == "127.0.0.154" && e.Details["dstPort"] == float64(port)
	})
	if connect.Details["dnsName"] != name {
		t.Fatalf("the connect does not carry the resolved name: %s", connect.Raw)
	}
}
