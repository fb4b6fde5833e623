package classify

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestResultsMatchTheTypeScriptEventSchema checks classification results, as the collector puts them in
// workload.classified events, with shared/model/event.ts itself (through tsx).
func TestResultsMatchTheTypeScriptEventSchema(t *testing.T) {
	tsx, err := filepath.Abs("../../../node_modules/.bin/tsx")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tsx); err != nil {
		t.Skipf("skipped: tsx is not installed at %s (run npm install at the repository root)", tsx)
	}
	var endpoints []LLMEndpoint
	for i := 0; i < 50; i++ {
		endpoints = append(endpoints, LLMEndpoint{Provider: "anthropic", Host: strings.Repeat("é", 400), Requests: 2})
	}
	observations := []Observation{
		{PythonPackages: map[string]string{"openai": "1.59.2", "vllm": "0.6.4"}, ModelFilesOpened: []string{"/models/a.gguf"}},
		{Args: []string{"npx", "@modelcontextprotocol/server-filesystem"}, NodePackages: map[string]string{"@modelcontextprotocol/sdk": strings.Repeat("1", 200)}},
		{LLMEndpoints: endpoints, MCPInitializeSent: true},
		{Exe: "/bin/sh", ParentRole: RoleAgent},
	}
	var lines strings.Builder
	for _, o := range observations {
		r := Classify(o)
		if r.Role == "" {
			t.Fatalf("observation not classified: %+v", o)
		}
		j, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		lines.WriteString("workload.classified " + string(j) + "\n")
	}
	file := filepath.Join(t.TempDir(), "results")
	if err := os.WriteFile(file, []byte(lines.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tsx, "../../testdata/http/validate-records.ts", file).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "4 records checked") {
		t.Fatalf("schema check failed: %v\n%s", err, out)
	}
}
