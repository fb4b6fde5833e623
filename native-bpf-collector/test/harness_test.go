// Package collectortest runs the real collector binary as root against this kernel and checks, through its API,
// what a user would: events from real processes, attribution, enforcement, loss accounting, resume.
package collectortest

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

var binary string

func TestMain(m *testing.M) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Dir(filepath.Dir(file))
	binary = filepath.Join(root, "bin", "vigil-collector")
	if os.Geteuid() == 0 {
		args := []string{"build", "-o", binary}
		if os.Getenv("VIGIL_COLLECTOR_RACE") == "1" {
			// A race-detector build: any data race the tests provoke ends the collector with a report in its log.
			binary = filepath.Join(os.TempDir(), "vigil-collector-race")
			args = []string{"build", "-race", "-o", binary}
		}
		build := exec.Command("go", append(args, "./cmd/vigil-collector")...)
		build.Dir = root
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "building the collector failed:", err)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipped: loading BPF programs needs root")
	}
	if _, err := os.Stat("/sys/kernel/btf/vmlinux"); err != nil {
		t.Skip("skipped: the kernel has no BTF (/sys/kernel/btf/vmlinux)")
	}
}

const cgroupRoot = "/sys/fs/cgroup/unified"

// Collector is one running collector process and an API client for it.
type Collector struct {
	t        *testing.T
	URL      string
	Token    string
	StateDir string
	args     []string
	cmd      *exec.Cmd
	log      *bytes.Buffer
	client   *http.Client
}

type collectorOptions struct {
	kubeconfig string
	stateDir   string
	extra      []string
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func selfSignedCert(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	template := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "vigil-collector-test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	parsed, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(parsed)
	return certFile, keyFile, pool
}

func startCollector(t *testing.T, opts collectorOptions) *Collector {
	t.Helper()
	dir := t.TempDir()
	certFile, keyFile, pool := selfSignedCert(t, dir)
	token := randomHex(16)
	tokenFile := filepath.Join(dir, "token")
	os.WriteFile(tokenFile, []byte(token+"\n"), 0o600)
	stateDir := opts.stateDir
	if stateDir == "" {
		stateDir = filepath.Join(dir, "state")
	}
	port := freePort(t)
	args := []string{"--listen", fmt.Sprintf("127.0.0.1:%d", port), "--token-file", tokenFile, "--tls-cert", certFile,
		"--tls-key", keyFile, "--node-name", "test-node", "--state-dir", stateDir, "--bpffs-dir", "/sys/fs/bpf/vigil-test"}
	if opts.kubeconfig != "" {
		args = append(args, "--kubeconfig", opts.kubeconfig)
	} else {
		args = append(args, "--no-kube")
	}
	args = append(args, opts.extra...)
	c := &Collector{t: t, URL: fmt.Sprintf("https://127.0.0.1:%d", port), Token: token, StateDir: stateDir, args: args,
		client: &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}}
	c.start()
	t.Cleanup(c.Stop)
	return c
}

func (c *Collector) start() {
	c.t.Helper()
	c.log = &bytes.Buffer{}
	c.cmd = exec.Command(binary, c.args...)
	c.cmd.Stdout, c.cmd.Stderr = c.log, c.log
	if err := c.cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := c.Get("/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if c.cmd.ProcessState != nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.Stop()
	c.t.Fatalf("the collector did not become healthy; its log:\n%s", c.log.String())
}

// Stop ends the collector with SIGTERM (a clean shutdown) and waits.
func (c *Collector) Stop() {
	if c.cmd == nil || c.cmd.Process == nil {
		return
	}
	c.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		c.cmd.Process.Kill()
		<-done
	}
	c.cmd = nil
	if strings.Contains(c.log.String(), "WARNING: DATA RACE") {
		c.t.Errorf("the collector reported a data race:\n%s", c.log.String())
	}
}

// For returns a handle that reports failures to t (a subtest) instead of the test that started the collector.
func (c *Collector) For(t *testing.T) *Collector {
	copy := *c
	copy.t = t
	return &copy
}

func (c *Collector) Restart() {
	c.Stop()
	c.start()
}

func (c *Collector) request(method, path string, body io.Reader, token string) (*http.Response, error) {
	req, err := http.NewRequest(method, c.URL+path, body)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return c.client.Do(req)
}

func (c *Collector) Get(path string) (*http.Response, error) {
	return c.request(http.MethodGet, path, nil, c.Token)
}

// StreamMessage is one line of /v1/events.
type StreamMessage struct {
	Type   string          `json:"type"`
	Cursor string          `json:"cursor"`
	Missed uint64          `json:"missed"`
	Event  json.RawMessage `json:"event"`
}

// Event is the subset of the normalized event the tests read.
type Event struct {
	ID          string  `json:"id"`
	Time        string  `json:"time"`
	Kind        string  `json:"kind"`
	ContainerID *string `json:"containerId"`
	Pod         *struct {
		Namespace, Name, UID string
		Labels               map[string]string
	} `json:"pod"`
	Process *struct {
		Pid, Ppid uint32
		Exe       string
		Args      []string
		Cwd       string
	} `json:"process"`
	Details map[string]any  `json:"details"`
	Raw     json.RawMessage `json:"-"`
}

// Events reads every buffered message after the cursor (no follow).
func (c *Collector) Messages(after string) []StreamMessage {
	c.t.Helper()
	resp, err := c.Get("/v1/events?after=" + after)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		body, _ := io.ReadAll(resp.Body)
		c.t.Fatalf("GET /v1/events: %s %s", resp.Status, body)
	}
	var out []StreamMessage
	scanner := bufio.NewScanner(resp.Body)
	scanner.Buffer(make([]byte, 1<<20), 16<<20)
	for scanner.Scan() {
		validateWire(c.t, "stream-message", scanner.Bytes())
		var m StreamMessage
		if err := json.Unmarshal(scanner.Bytes(), &m); err != nil {
			c.t.Fatalf("undecodable stream line %q: %v", scanner.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

func decodeEvent(t *testing.T, raw json.RawMessage) Event {
	var e Event
	if err := json.Unmarshal(raw, &e); err != nil {
		t.Fatalf("undecodable event %s: %v", raw, err)
	}
	e.Raw = raw
	return e
}

// WaitFor polls the stream until an event matches or the timeout passes.
func (c *Collector) WaitFor(what string, timeout time.Duration, match func(Event) bool) Event {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	cursor := "0"
	for {
		for _, m := range c.Messages(cursor) {
			if m.Type == "event" {
				e := decodeEvent(c.t, m.Event)
				if match(e) {
					return e
				}
			}
			if m.Cursor != "" {
				cursor = m.Cursor
			}
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("no %s event within %v", what, timeout)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// All returns every buffered event.
func (c *Collector) All() []Event {
	var out []Event
	for _, m := range c.Messages("0") {
		if m.Type == "event" {
			out = append(out, decodeEvent(c.t, m.Event))
		}
	}
	return out
}

func (c *Collector) Metric(name string) float64 {
	c.t.Helper()
	resp, err := c.Get("/metrics")
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(line, name+" ") {
			var v float64
			fmt.Sscanf(strings.TrimPrefix(line, name+" "), "%g", &v)
			return v
		}
	}
	return 0
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// testCgroup is a kubelet-shaped cgroup the test creates (and removes), nested under a unique parent.
type testCgroup struct {
	Dir, PodUID, ContainerID string
}

func newTestCgroup(t *testing.T, driver string) testCgroup {
	t.Helper()
	podUID := fmt.Sprintf("%s-%s-%s-%s-%s", randomHex(4), randomHex(2), randomHex(2), randomHex(2), randomHex(6))
	containerID := randomHex(32)
	parent := filepath.Join(cgroupRoot, "vigil-test-"+randomHex(4))
	var dir string
	if driver == "systemd" {
		underscored := strings.ReplaceAll(podUID, "-", "_")
		dir = filepath.Join(parent, "kubepods.slice", "kubepods-burstable.slice", "kubepods-burstable-pod"+underscored+".slice", "cri-containerd-"+containerID+".scope")
	} else {
		dir = filepath.Join(parent, "kubepods", "burstable", "pod"+podUID, containerID)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removeCgroupTree(parent) })
	return testCgroup{Dir: dir, PodUID: podUID, ContainerID: containerID}
}

// removeCgroupTree removes cgroup directories deepest first (their processes must be gone).
func removeCgroupTree(root string) {
	var dirs []string
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, path)
		}
		return nil
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		for attempt := 0; attempt < 20; attempt++ {
			if err := syscall.Rmdir(dirs[i]); err == nil || os.IsNotExist(err) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// Command runs argv inside the cgroup (the shell moves itself in, then execs).
func (g testCgroup) Command(argv ...string) *exec.Cmd {
	script := `echo $$ > "$0/cgroup.procs" && exec "$@"`
	return exec.Command("/bin/sh", append([]string{"-c", script, g.Dir}, argv...)...)
}

func (g testCgroup) Run(t *testing.T, argv ...string) string {
	t.Helper()
	out, err := g.Command(argv...).CombinedOutput()
	if err != nil {
		t.Fatalf("%v in cgroup: %v\n%s", argv, err, out)
	}
	return string(out)
}
