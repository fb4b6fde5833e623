package collectortest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/fakevenv"
)

const mcpClient = `
import json, ssl, sys, urllib.request
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
                   "capabilities": {}, "clientInfo": {"name": "vigil-test-" + sys.argv[2], "version": "1.0"}}}).encode()
req = urllib.request.Request("https://" + sys.argv[1] + "/mcp", data=body, method="POST",
                             headers={"Content-Type": "application/json", "Accept": "application/json, text/event-stream"})
print(urllib.request.urlopen(req, context=ctx).read().decode())
`

// workload.classified carries the versions of the AI packages installed where the agent runs (here its
// virtualenv), and a process that sends an MCP initialize over HTTPS is classified as an MCP client (agent).
func TestClassificationReadsInstalledPackagesAndMCPInitializeOverHTTPS(t *testing.T) {
	requireRoot(t)
	python := fakevenv.Python(t)
	address := llmServer(t)
	c := startCollector(t, collectorOptions{})

	t.Run("installed packages", func(t *testing.T) {
		c := c.For(t)
		marker := "pkg-" + randomHex(4)
		cmd := exec.Command(python, "-c", pythonClient, address, marker)
		cmd.Env = append(os.Environ(), "OPENAI_API_KEY="+secretKey)
		if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "read_file") {
			t.Fatalf("python client: %v\n%s", err, out)
		}
		request := c.WaitFor("llm.request", 15*time.Second, func(e Event) bool {
			return e.Kind == "llm.request" && strings.Contains(string(e.Raw), marker)
		})
		classified := c.WaitFor("workload.classified", 10*time.Second, func(e Event) bool {
			return e.Kind == "workload.classified" && e.Process != nil && e.Process.Pid == request.Process.Pid
		})
		if classified.Details["role"] != "agent" || !strings.Contains(string(classified.Raw), `"name":"openai","version":"9.8.7"`) {
			for _, e := range c.All() {
				if e.Process != nil && e.Process.Pid == request.Process.Pid {
					t.Logf("%s", e.Raw)
				}
			}
			t.Fatalf("classification: %s", classified.Raw)
		}
	})

	t.Run("MCP initialize over HTTPS", func(t *testing.T) {
		c := c.For(t)
		marker := randomHex(4)
		cmd := exec.Command("python3", "-c", mcpClient, address, marker)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("MCP client: %v\n%s", err, out)
		}
		classified := c.WaitFor("workload.classified of the MCP client", 15*time.Second, func(e Event) bool {
			return e.Kind == "workload.classified" && e.Process != nil && e.Process.Pid == uint32(cmd.Process.Pid)
		})
		if classified.Details["role"] != "agent" || !strings.Contains(string(classified.Raw), "MCP initialize") {
			t.Fatalf("a process sending an MCP initialize was classified: %s", classified.Raw)
		}
	})
}

const mcpPlainServer = `
import http.server, json, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "result": {"protocolVersion": "2025-06-18", "capabilities": {},
                           "serverInfo": {"name": "tools", "version": "1"}}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
`

const mcpPlainClient = `
import json, sys, urllib.request
body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
                   "capabilities": {}, "clientInfo": {"name": "vigil-test", "version": "1.0"}}}).encode()
req = urllib.request.Request("http://127.0.0.1:" + sys.argv[1] + "/mcp", data=body, method="POST",
                             headers={"Content-Type": "application/json", "Accept": "application/json, text/event-stream"})
print(urllib.request.urlopen(req).read().decode())
`

// MCP over plain HTTP (Streamable HTTP without TLS): the client that sends initialize is classified as an agent,
// the server that receives it as an MCP server — seen by the packet programs, no TLS probe involved.
func TestMCPInitializeOverPlainHTTPClassifiesBothEnds(t *testing.T) {
	requireRoot(t)
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("skipped: python3 is not installed")
	}
	c := startCollector(t, collectorOptions{})
	server := exec.Command("python3", "-c", mcpPlainServer)
	stdout, _ := server.StdoutPipe()
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Process.Kill(); server.Wait() })
	line := make([]byte, 16)
	n, err := stdout.Read(line)
	if err != nil {
		t.Fatalf("the MCP server did not start: %v", err)
	}
	port := strings.TrimSpace(string(line[:n]))
	client := exec.Command("python3", "-c", mcpPlainClient, port)
	if out, err := client.CombinedOutput(); err != nil || !strings.Contains(string(out), "serverInfo") {
		t.Fatalf("MCP client: %v\n%s", err, out)
	}
	sender := c.WaitFor("workload.classified of the MCP client", 15*time.Second, func(e Event) bool {
		return e.Kind == "workload.classified" && e.Process != nil && e.Process.Pid == uint32(client.Process.Pid)
	})
	if sender.Details["role"] != "agent" || !strings.Contains(string(sender.Raw), "sent an MCP initialize") {
		t.Fatalf("the plain-HTTP MCP client was classified: %s", sender.Raw)
	}
	receiver := c.WaitFor("workload.classified of the MCP server", 15*time.Second, func(e Event) bool {
		return e.Kind == "workload.classified" && e.Process != nil && e.Process.Pid == uint32(server.Process.Pid)
	})
	if receiver.Details["role"] != "mcp-server" || !strings.Contains(string(receiver.Raw), "received an MCP initialize") {
		t.Fatalf("the plain-HTTP MCP server was classified: %s", receiver.Raw)
	}
}
