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
