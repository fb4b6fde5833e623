package collectortest

import (
	"crypto/tls"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// llmServer is an OpenAI-compatible endpoint over TLS (Go's own TLS, so only the client's libssl is probed) that
// answers every chat completion with a tool call.
func llmServer(t *testing.T) string {
	dir := t.TempDir()
	certFile, keyFile, _ := selfSignedCert(t, dir)
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	listener, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{pair}})
	if err != nil {
		t.Fatal(err)
	}
	server := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion", "model": "lab-model-1",
			"choices": []map[string]any{{"index": 0, "finish_reason": "tool_calls", "message": map[string]any{
				"role": "assistant", "content": nil,
				"tool_calls": []map[string]any{{"id": "call_1", "type": "function", "function": map[string]any{"name": "read_file", "arguments": `{"path":"/etc/hosts"}`}}},
			}}},
			"usage": map[string]any{"prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19},
		})
	})}
	go server.Serve(listener)
	t.Cleanup(func() { server.Close() })
	return listener.Addr().(*net.TCPAddr).String()
}

const secretKey = "sk-vigiltest-0123456789abcdefghijklmnop"

const pythonClient = `
import json, os, ssl, sys, urllib.request
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
body = json.dumps({"model": "lab-model-1", "messages": [{"role": "user", "content": "summarise " + sys.argv[2]}],
                   "tools": [{"type": "function", "function": {"name": "read_file", "description": "read a file"}}]}).encode()
req = urllib.request.Request("https://" + sys.argv[1] + "/v1/chat/completions", data=body, method="POST",
                             headers={"Content-Type": "application/json", "Authorization": "Bearer " + os.environ["OPENAI_API_KEY"]})
print(urllib.request.urlopen(req, context=ctx).read().decode())
`

const nodeClient = `
const https = require('https');
const [address, marker] = process.argv.slice(2);
const key = process.env.OPENAI_API_KEY;
const [host, port] = address.split(':');
const body = JSON.stringify({ model: 'lab-model-1', messages: [{ role: 'user', content: 'summarise ' + marker }] });
const req = https.request({ host, port, path: '/v1/chat/completions', method: 'POST', rejectUnauthorized: false,
  headers: { 'content-type': 'application/json', authorization: 'Bearer ' + key, 'content-length': Buffer.byteLength(body) } },
  (res) => { let data = ''; res.on('data', (c) => (data += c)); res.on('end', () => console.log(data)); });
req.end(body);
`

func TestTLSPlaintextOfLLMCallsFromPythonAndNodeIsCapturedAndRedacted(t *testing.T) {
	requireRoot(t)
	address := llmServer(t)
	c := startCollector(t, collectorOptions{})
	clients := []struct {
		name string
		argv func(marker string) []string
	}{
		{"python3", func(marker string) []string { return []string{"python3", "-c", pythonClient, address, marker} }},
		{"node", func(marker string) []string {
			script := filepath.Join(t.TempDir(), "client.js")
			os.WriteFile(script, []byte(nodeClient), 0o600)
			return []string{"node", script, address, marker}
		}},
	}
	for _, client := range clients {
		t.Run(client.name, func(t *testing.T) {
			c := c.For(t)
			if _, err := exec.LookPath(client.name); err != nil {
				t.Skipf("skipped: %s is not installed", client.name)
			}
			marker := "doc-" + randomHex(4)
			argv := client.argv(marker)
			// The key comes from the environment, as SDKs take it (OPENAI_API_KEY).
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Env = append(os.Environ(), "OPENAI_API_KEY="+secretKey)
			if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "read_file") {
				t.Fatalf("%s client: %v\n%s", client.name, err, out)
			}
			request := c.WaitFor("llm.request from "+client.name, 15*time.Second, func(e Event) bool {
				return e.Kind == "llm.request" && strings.Contains(string(e.Raw), marker)
			})
			if request.Details["model"] != "lab-model-1" || request.Details["path"] != "/v1/chat/completions" || request.Details["provider"] != "openai" {
				t.Fatalf("llm.request details: %s", request.Raw)
			}
			if request.Process == nil || !strings.Contains(request.Process.Exe, client.name[:4]) {
				t.Fatalf("llm.request process: %+v", request.Process)
			}
			requests := 0
			for _, e := range c.All() {
				if e.Kind == "llm.request" && strings.Contains(string(e.Raw), marker) {
					requests++
				}
			}
			if requests != 1 {
				t.Fatalf("one call produced %d llm.request events", requests)
			}
			response := c.WaitFor("llm.response to "+client.name, 15*time.Second, func(e Event) bool {
				return e.Kind == "llm.response" && e.Details["requestEventId"] == request.ID
			})
			calls, _ := response.Details["toolCalls"].([]any)
			if len(calls) != 1 || calls[0].(map[string]any)["name"] != "read_file" || response.Details["status"] != float64(200) {
				t.Fatalf("llm.response details: %s", response.Raw)
			}
			classified := c.WaitFor("workload.classified for "+client.name, 10*time.Second, func(e Event) bool {
				return e.Kind == "workload.classified" && e.Process != nil && e.Process.Pid == request.Process.Pid
			})
			if classified.Details["role"] != "agent" {
				t.Fatalf("a process calling an LLM API was classified %s", classified.Raw)
			}
			for _, e := range c.All() {
				if strings.Contains(string(e.Raw), secretKey) || strings.Contains(string(e.Raw), secretKey[10:]) {
					t.Fatalf("the API key left the node in event %s", e.Raw)
				}
			}
		})
	}
}
