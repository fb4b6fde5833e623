package collectortest

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestAPIRejectsMissingTokenAndBadRequestsAndKeepsServing(t *testing.T) {
	requireRoot(t)
	c := startCollector(t, collectorOptions{})
	for _, token := range []string{"", "wrong-token-wrong-token"} {
		resp, err := c.request(http.MethodGet, "/v1/events", nil, token)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("token %q: status %d, want 401", token, resp.StatusCode)
		}
	}
	container := strings.Repeat("a", 64)
	cases := []struct {
		method, path, body string
		want               int
		says               string
	}{
		{"GET", "/v1/events?after=banana", "", 400, "cursor"},
		{"GET", "/v1/events?since=yesterday", "", 400, "RFC 3339"},
		{"GET", "/v1/profiles/only-namespace", "", 400, "namespace"},
		{"GET", "/v1/nothing-here", "", 404, "no such endpoint"},
		{"POST", "/v1/events", "", 405, "not supported"},
		{"PUT", "/v1/enforcement/not-a-container", `{}`, 400, "64 lowercase hex"},
		{"PUT", "/v1/enforcement/" + container, `{"mode":"enforce"`, 400, "not a valid enforcement request"},
		{"PUT", "/v1/enforcement/" + container, `{"mode":"block","policy":"allowlist"}`, 400, "mode must be"},
		{"PUT", "/v1/enforcement/" + container, `{"mode":"audit","policy":"allowlist","allow":[{"cidr":"300.1.1.1/8"}]}`, 400, "neither a CIDR"},
		{"PUT", "/v1/enforcement/" + container, `{"mode":"audit","policy":"allowlist","surprise":1}`, 400, "unknown field"},
		{"PUT", "/v1/enforcement/" + container, `{"mode":"audit","policy":"allowlist","allow":[` + strings.Repeat(`{"cidr":"10.0.0.1"},`, 5000) + `{"cidr":"10.0.0.1"}]}`, 413, "64 KiB"},
		{"PUT", "/v1/enforcement/" + container, `{"mode":"audit","policy":"allowlist"}`, 404, "no cgroup"},
	}
	for _, tc := range cases {
		status, body := c.send(t, tc.method, tc.path, tc.body)
		validateWire(t, "error", []byte(body))
		if status != tc.want || !strings.Contains(body, tc.says) || !strings.HasPrefix(body, `{"error":`) {
			t.Errorf("%s %s: %d %s; want %d mentioning %q", tc.method, tc.path, status, body, tc.want, tc.says)
		}
	}
	status, body := c.send(t, "GET", "/healthz", "")
	validateWire(t, "health", []byte(body))
	if status != 200 || !strings.Contains(body, `"status":"ok"`) {
		t.Fatalf("after the bad requests /healthz answered %d %s", status, body)
	}
}

// A client that read up to some cursor, then lost the collector to a restart, resumes after that cursor and gets
// every event exactly once.
func TestRestartMidStreamLosesAndDuplicatesNothing(t *testing.T) {
	requireRoot(t)
	c := startCollector(t, collectorOptions{})
	pod := newTestCgroup(t, "cgroupfs")
	runMarkers := func(prefix string, n int) {
		for i := 0; i < n; i++ {
			pod.Run(t, "/bin/true", fmt.Sprintf("%s-%d", prefix, i))
		}
	}
	runMarkers("before", 5)
	c.WaitFor("the fifth exec", 10*time.Second, func(e Event) bool {
		return e.Kind == "process.exec" && e.Process != nil && len(e.Process.Args) > 1 && e.Process.Args[1] == "before-4"
	})
	// The client reads half of the stream and remembers its cursor.
	messages := c.Messages("0")
	half := len(messages) / 2
	cursor := messages[half].Cursor
	runMarkers("between", 5) // buffered before the restart, not yet read by the client
	time.Sleep(500 * time.Millisecond)
	c.Restart()
	runMarkers("after", 5)
	c.WaitFor("an exec after the restart", 10*time.Second, func(e Event) bool {
		return e.Kind == "process.exec" && e.Process != nil && len(e.Process.Args) > 1 && e.Process.Args[1] == "after-4"
	})
	seen := map[string]bool{}
	previous, _ := strconv.ParseUint(cursor, 10, 64)
	markers := map[string]bool{}
	for _, m := range c.Messages(cursor) {
		if m.Type != "event" {
			continue
		}
		seq, _ := strconv.ParseUint(m.Cursor, 10, 64)
		if seq != previous+1 {
			t.Fatalf("cursor jumped from %d to %d across the restart", previous, seq)
		}
		previous = seq
		e := decodeEvent(t, m.Event)
		if seen[e.ID] {
			t.Fatalf("event %s delivered twice", e.ID)
		}
		seen[e.ID] = true
		if e.Kind == "process.exec" && e.Process != nil && len(e.Process.Args) > 1 && containerOf(e) == pod.ContainerID {
			markers[e.Process.Args[1]] = true
		}
	}
	for _, prefix := range []string{"between", "after"} {
		for i := 0; i < 5; i++ {
			if !markers[fmt.Sprintf("%s-%d", prefix, i)] {
				t.Errorf("resuming after cursor %s missed the exec %s-%d", cursor, prefix, i)
			}
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(c.StateDir, "events")); len(entries) == 0 {
		t.Fatal("no journal segment in the state directory")
	}
}

// With a one-page ring buffer and the consumer outpaced, every sensitive open is either delivered or counted lost:
// delivered + lost == opens, exactly.
func TestForcedRingBufferOverflowIsCountedExactly(t *testing.T) {
	requireRoot(t)
	secrets := "/tmp/vigil-overflow-" + randomHex(4)
	os.MkdirAll(secrets, 0o755)
	defer os.RemoveAll(secrets)
	os.WriteFile(filepath.Join(secrets, "key"), []byte("k"), 0o600)
	c := startCollector(t, collectorOptions{extra: []string{"--ringbuf-bytes", "4096", "--sensitive-path", "other=" + secrets + "/"}})
	const opens = 20000
	script := fmt.Sprintf("import os\nfor _ in range(%d):\n    os.close(os.open(%q, os.O_RDONLY))\n", opens, filepath.Join(secrets, "key"))
	procs := []string{"python3", "-c", script}
	pod := newTestCgroup(t, "cgroupfs")
	pod.Run(t, procs...)
	var delivered, lost float64
	deadline := time.Now().Add(20 * time.Second)
	for {
		delivered = c.Metric(`vigil_collector_events_total{kind="file.open"}`)
		lost = c.Metric(`vigil_collector_lost_events_total{reason="ringbuf_full",kind="file.open"}`)
		if delivered+lost >= opens || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("%d opens: %.0f delivered, %.0f counted lost", opens, delivered, lost)
	if lost == 0 {
		t.Fatalf("a 4 KiB ring buffer did not overflow under %d opens; the test proves nothing", opens)
	}
	if delivered+lost != opens {
		t.Fatalf("delivered %.0f + lost %.0f != %d opens", delivered, lost, opens)
	}
}
