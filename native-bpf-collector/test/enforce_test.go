package collectortest

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// localAddress adds a /32 to the loopback device so a test has a non-127/8 destination that never leaves the host.
func localAddress(t *testing.T, ip string) {
	if out, err := exec.Command("ip", "addr", "add", ip+"/32", "dev", "lo").CombinedOutput(); err != nil {
		t.Fatalf("ip addr add %s: %v %s", ip, err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "addr", "del", ip+"/32", "dev", "lo").Run() })
}

func acceptForever(t *testing.T, address string) int {
	l, err := net.Listen("tcp", address)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			conn.Close()
		}
	}()
	return l.Addr().(*net.TCPAddr).Port
}

const connectScript = `
import socket, sys
s = socket.socket()
s.settimeout(3)
try:
    s.connect((sys.argv[1], int(sys.argv[2])))
    print("connected")
except OSError as e:
    print("failed", e.errno)
`

func (g testCgroup) connect(t *testing.T, ip string, port int) string {
	return strings.TrimSpace(g.Run(t, "python3", "-c", connectScript, ip, fmt.Sprint(port)))
}

func (c *Collector) send(t *testing.T, method, path, body string) (int, string) {
	resp, err := c.request(method, path, strings.NewReader(body), c.Token)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(text)
}

func TestEnforcementDeniesAuditsSurvivesRestartAndReleases(t *testing.T) {
	requireRoot(t)
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("skipped: python3 is not installed")
	}
	third := fmt.Sprintf("198.18.%d.", 100+time.Now().Nanosecond()%100)
	denied, allowed := third+"1", third+"2"
	localAddress(t, denied)
	localAddress(t, allowed)
	deniedPort := acceptForever(t, denied+":0")
	allowedPort := acceptForever(t, allowed+":0")
	pod := newTestCgroup(t, "systemd")
	c := startCollector(t, collectorOptions{})
	path := "/v1/enforcement/" + pod.ContainerID
	defer c.send(t, http.MethodDelete, path, "")

	if got := pod.connect(t, denied, deniedPort); got != "connected" {
		t.Fatalf("before enforcement the connect %s", got)
	}
	policy := fmt.Sprintf(`{"mode":"enforce","policy":"allowlist","allow":[{"cidr":"%s/32","ports":[%d]}]}`, allowed, allowedPort)
	if status, body := c.send(t, http.MethodPut, path, policy); status != 200 {
		t.Fatalf("PUT enforcement: %d %s", status, body)
	}
	if got := pod.connect(t, denied, deniedPort); !strings.HasPrefix(got, "failed") {
		t.Fatalf("a connect outside the allowlist under enforce: %s", got)
	}
	if got := pod.connect(t, allowed, allowedPort); got != "connected" {
		t.Fatalf("a connect inside the allowlist under enforce: %s", got)
	}
	verdict := c.WaitFor("enforce.verdict", 10*time.Second, func(e Event) bool {
		return e.Kind == "enforce.verdict" && e.Details["dstIp"] == denied && e.Details["action"] == "dropped"
	})
	if containerOf(verdict) != pod.ContainerID || verdict.Details["dstPort"] != float64(deniedPort) {
		t.Fatalf("verdict event: %s", verdict.Raw)
	}

	// Survives a restart: with the collector down, the pinned program still denies.
	c.Stop()
	if got := pod.connect(t, denied, deniedPort); !strings.HasPrefix(got, "failed") {
		t.Fatalf("with the collector stopped the pinned enforcement let a denied connect through: %s", got)
	}
	c.start()

	audit := fmt.Sprintf(`{"mode":"audit","policy":"deny-all-but-dns","dnsServer":"10.96.0.10"}`)
	if status, body := c.send(t, http.MethodPut, path, audit); status != 200 {
		t.Fatalf("PUT audit: %d %s", status, body)
	}
	if got := pod.connect(t, denied, deniedPort); got != "connected" {
		t.Fatalf("audit mode blocked a connect: %s", got)
	}
	status, body := c.send(t, http.MethodGet, path, "")
	validateWire(t, "enforcement-status", []byte(body))
	if status != 200 || !strings.Contains(body, `"action":"would-drop"`) || !strings.Contains(body, denied) {
		t.Fatalf("audit counts per destination: %d %s", status, body)
	}

	if status, body := c.send(t, http.MethodPut, path, strings.Replace(audit, "audit", "enforce", 1)); status != 200 {
		t.Fatalf("PUT hard quarantine: %d %s", status, body)
	}
	if got := pod.connect(t, allowed, allowedPort); !strings.HasPrefix(got, "failed") {
		t.Fatalf("hard quarantine let a connect through: %s", got)
	}
	if status, body := c.send(t, http.MethodDelete, path, ""); status != 200 {
		t.Fatalf("DELETE enforcement: %d %s", status, body)
	}
	if got := pod.connect(t, denied, deniedPort); got != "connected" {
		t.Fatalf("after release the connect %s", got)
	}
	if status, _ := c.send(t, http.MethodDelete, path, ""); status != 404 {
		t.Fatalf("releasing twice answered %d, want 404", status)
	}
}

// serveHTTPInCgroup starts python's http.server inside the cgroup on address:port and waits until it answers.
func serveHTTPInCgroup(t *testing.T, g testCgroup, address string, port int) {
	t.Helper()
	server := g.Command("python3", "-m", "http.server", "--bind", address, fmt.Sprint(port), "--directory", t.TempDir())
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Process.Kill(); server.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if conn, err := net.DialTimeout("tcp", fmt.Sprintf("%s:%d", address, port), time.Second); err == nil {
			conn.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the HTTP server in the cgroup did not start on %s:%d", address, port)
}

// getFrom fetches http://server:port/ from this (unenforced) process, its socket bound to clientIP, and returns the
// status code or the error.
func getFrom(clientIP, server string, port int) (int, error) {
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(clientIP)}, Timeout: 3 * time.Second}
	client := &http.Client{Timeout: 4 * time.Second, Transport: &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true}}
	resp, err := client.Get(fmt.Sprintf("http://%s:%d/", server, port))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// An enforced or audited container that serves (payments-api answering on :8080) must keep answering: the allowlist
// judges outbound connections by their SYN, never the replies of connections that came in.
func TestAllowlistDoesNotJudgeRepliesOfInboundConnections(t *testing.T) {
	requireRoot(t)
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("skipped: python3 is not installed")
	}
	third := fmt.Sprintf("198.18.%d.", 100+time.Now().Nanosecond()%100)
	serverIP, clientIP, denied := third+"11", third+"12", third+"13"
	for _, ip := range []string{serverIP, clientIP, denied} {
		localAddress(t, ip)
	}
	deniedPort := acceptForever(t, denied+":0")
	pod := newTestCgroup(t, "cgroupfs")
	serverPort := freePort(t)
	serveHTTPInCgroup(t, pod, serverIP, serverPort)
	c := startCollector(t, collectorOptions{})
	path := "/v1/enforcement/" + pod.ContainerID
	defer c.send(t, http.MethodDelete, path, "")

	// The allowlist names neither the client nor the denied address.
	policy := `{"mode":"%s","policy":"allowlist","allow":[{"cidr":"192.0.2.1/32","ports":[443]}]}`
	if status, body := c.send(t, http.MethodPut, path, fmt.Sprintf(policy, "enforce")); status != 200 {
		t.Fatalf("PUT enforce: %d %s", status, body)
	}
	for i := 0; i < 3; i++ {
		if code, err := getFrom(clientIP, serverIP, serverPort); err != nil || code != 200 {
			t.Fatalf("under enforce the container's HTTP server did not answer a client from outside: %d %v", code, err)
		}
	}
	if got := pod.connect(t, denied, deniedPort); !strings.HasPrefix(got, "failed") {
		t.Fatalf("under enforce the container's own connect outside the allowlist: %s", got)
	}

	if status, body := c.send(t, http.MethodPut, path, fmt.Sprintf(policy, "audit")); status != 200 {
		t.Fatalf("PUT audit: %d %s", status, body)
	}
	for i := 0; i < 3; i++ {
		if code, err := getFrom(clientIP, serverIP, serverPort); err != nil || code != 200 {
			t.Fatalf("under audit the HTTP server did not answer: %d %v", code, err)
		}
	}
	if got := pod.connect(t, denied, deniedPort); got != "connected" {
		t.Fatalf("audit mode blocked a connect: %s", got)
	}
	status, body := c.send(t, http.MethodGet, path, "")
	if status != 200 || !strings.Contains(body, `"action":"would-drop"`) || !strings.Contains(body, denied) {
		t.Fatalf("audit did not count the container's own disallowed connect: %d %s", status, body)
	}
	if strings.Contains(body, clientIP) {
		t.Fatalf("audit counted reply packets to the client %s as would-drops: %s", clientIP, body)
	}
}
