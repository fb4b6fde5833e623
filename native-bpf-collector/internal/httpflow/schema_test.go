package httpflow

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRecordsMatchTheTypeScriptEventSchema hands records to shared/model/event.ts itself (through tsx): the SDK
// fixtures plus records built from oversized input, so the bounds are checked by the schema every consumer uses,
// in its own units (zod counts UTF-16 code units, the tracker bytes).
func TestRecordsMatchTheTypeScriptEventSchema(t *testing.T) {
	tsx, err := filepath.Abs("../../../node_modules/.bin/tsx")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tsx); err != nil {
		t.Skipf("skipped: tsx is not installed at %s (run npm install at the repository root)", tsx)
	}
	var records []Record
	for _, name := range allFixtures(t) {
		records = append(records, replay(NewTracker(Options{}), ConnKey{1, 1}, loadFixture(t, name), 0)...)
	}
	records = append(records, oversizedRecords(t)...)
	file := filepath.Join(t.TempDir(), "records")
	if err := os.WriteFile(file, []byte(recordsJSON(t, records)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tsx, "../../testdata/http/validate-records.ts", file).CombinedOutput()
	if err != nil {
		t.Fatalf("schema check failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), fmt.Sprintf("%d records checked", len(records))) {
		t.Fatalf("not every record was checked:\n%s", out)
	}
}

// oversizedRecords pushes every bounded field past its bound.
func oversizedRecords(t *testing.T) []Record {
	t.Helper()
	long := strings.Repeat("😀", 30_000) // 4 bytes, 2 UTF-16 units each
	name := strings.Repeat("n", 1000)
	var msgs, tools, calls []string
	for i := 0; i < 300; i++ {
		msgs = append(msgs, fmt.Sprintf(`{"role":"%s","name":"%s","tool_call_id":"%s","content":"%s"}`, strings.Repeat("r", 50), name, name, long[:400]))
		tools = append(tools, fmt.Sprintf(`{"type":"function","function":{"name":"%s","description":"%s"}}`, name, strings.Repeat("d", 5000)))
		calls = append(calls, fmt.Sprintf(`{"id":"%s","type":"function","function":{"name":"%s","arguments":"x"}}`, name, name))
	}
	msgs = append(msgs, `{"role":"tool","tool_call_id":"c","content":"`+long+`"}`)
	request := `{"model":"` + name + `","messages":[` + strings.Join(msgs, ",") + `],"tools":[` + strings.Join(tools[:100], ",") + `]}`
	answer := `{"model":"` + name + `","choices":[{"index":0,"message":{"content":"` + long + `","tool_calls":[` +
		strings.Join(calls, ",") + `]},"finish_reason":"` + name + `"}]}`
	tr := NewTracker(Options{MaxBody: 8 << 20})
	recs := exchange(t, tr,
		egress(fmt.Sprintf("POST /v1/chat/completions?%s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n%s", strings.Repeat("q", 5000), name, len(request), request)),
		ingress(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(answer), answer)),
		egress(fmt.Sprintf("%s /%s HTTP/1.1\r\nHost: %s\r\n\r\n", strings.Repeat("M", 18), strings.Repeat("p", 5000), name)),
		ingress("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
	)
	if len(recs) != 3 {
		t.Fatalf("expected 3 oversized records, got %d (%+v)", len(recs), tr.Stats())
	}
	return recs
}
