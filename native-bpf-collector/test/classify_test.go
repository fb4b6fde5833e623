package collectortest

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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

const mcpStdioClient = `
import asyncio, sys
from mcp import Client, StdioServerParameters

async def main():
    server = StdioServerParameters(command=sys.executable, args=[sys.argv[1]], env={"NOTES_DIR": sys.argv[2]})
    async with Client(server) as notes:
        print("tools:", ",".join(sorted(t.name for t in (await notes.list_tools()).tools)), flush=True)

asyncio.run(main())
`

// labVenvPython is the lab's Python, with the real MCP SDK (scripts/install/lab-workloads.sh builds it).
func labVenvPython(t *testing.T) string {
	t.Helper()
	cache := os.Getenv("VIGIL_CACHE")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache/vigil")
	}
	python := filepath.Join(cache, "lab-venv/bin/python")
	if _, err := os.Stat(python); err != nil {
		t.Skipf("skipped: no lab virtualenv with the MCP SDK at %s (bash scripts/install/lab-workloads.sh builds it)", python)
	}
	return python
}

// labScriptAs copies one of the lab's Python workloads to path (a name that says nothing of MCP) and returns path.
func labScriptAs(t *testing.T, name, path string) string {
	t.Helper()
	source, err := os.ReadFile(filepath.Join("../../test/lab/workloads/python", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, source, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// MCP over stdio, with the real Python MCP SDK: a client launches the lab's notes server as a child process and
// initializes it over its stdin/stdout; the server is classified as an MCP server from the initialize result it
// wrote to its stdout. (It is first classified as a tool, started by a process with AI SDKs; its answer makes it an
// MCP server.)
func TestMCPServerOverStdioIsClassifiedFromItsInitializeAnswer(t *testing.T) {
	requireRoot(t)
	python := labVenvPython(t)
	c := startCollector(t, collectorOptions{})
	notes := t.TempDir()
	if err := os.WriteFile(filepath.Join(notes, "a.md"), []byte("# a note\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The lab's notes server under a name that says nothing of MCP, so only its answer can tell.
	server := labScriptAs(t, "notes_mcp_stdio.py", filepath.Join(t.TempDir(), "notes.py"))
	client := exec.Command(python, "-c", mcpStdioClient, server, notes)
	if out, err := client.CombinedOutput(); err != nil || !strings.Contains(string(out), "tools: read_note,search_notes") {
		t.Fatalf("MCP stdio client: %v\n%s", err, out)
	}
	classified := c.WaitFor("workload.classified of the stdio MCP server", 15*time.Second, func(e Event) bool {
		return e.Kind == "workload.classified" && e.Process != nil && e.Process.Ppid == uint32(client.Process.Pid) &&
			strings.Contains(strings.Join(e.Process.Args, " "), server) && e.Details["role"] == "mcp-server"
	})
	if classified.Details["role"] != "mcp-server" || !strings.Contains(string(classified.Raw), "answered an MCP initialize request on its stdout") {
		t.Fatalf("the stdio MCP server was classified, but not from its initialize answer: %s", classified.Raw)
	}
}

const mcpHTTPClient = `
import asyncio, sys
from mcp import Client

async def main():
    async with Client(sys.argv[1]) as files:
        print("tools:", ",".join(sorted(t.name for t in (await files.list_tools()).tools)), flush=True)

asyncio.run(main())
`

// MCP over plain HTTP with the real Python SDK, which speaks the 2026 revision (no initialize: its requests carry
// the protocol version in _meta): the lab's files server, under a name that says nothing of MCP, is classified as an
// MCP server from the request it received; the client is an agent.
func TestMCPOverPlainHTTPWithTheRealSDKClassifiesBothEnds(t *testing.T) {
	requireRoot(t)
	python := labVenvPython(t)
	c := startCollector(t, collectorOptions{})
	dir := t.TempDir()
	script := labScriptAs(t, "mcp_files_server.py", filepath.Join(dir, "files.py"))
	port := strconv.Itoa(freePort(t))
	server := exec.Command(python, script)
	server.Env = append(os.Environ(), "MCP_FILES_ROOT="+dir, "LISTEN_HOST=127.0.0.1", "LISTEN_PORT="+port)
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Process.Kill(); server.Wait() })
	deadline := time.Now().Add(20 * time.Second)
	for {
		conn, err := net.Dial("tcp", "127.0.0.1:"+port)
		if err == nil {
			conn.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the MCP files server did not listen on %s", port)
		}
		time.Sleep(100 * time.Millisecond)
	}
	client := exec.Command(python, "-c", mcpHTTPClient, "http://127.0.0.1:"+port+"/mcp")
	if out, err := client.CombinedOutput(); err != nil || !strings.Contains(string(out), "tools: list_directory,read_file") {
		t.Fatalf("MCP HTTP client: %v\n%s", err, out)
	}
	receiver := c.WaitFor("workload.classified of the MCP server as an MCP server", 15*time.Second, func(e Event) bool {
		return e.Kind == "workload.classified" && e.Process != nil && e.Process.Pid == uint32(server.Process.Pid) && e.Details["role"] == "mcp-server"
	})
	if !strings.Contains(string(receiver.Raw), "received an MCP initialize") {
		t.Fatalf("the MCP server was classified, but not from the request it received: %s", receiver.Raw)
	}
	sender := c.WaitFor("workload.classified of the MCP client", 15*time.Second, func(e Event) bool {
		return e.Kind == "workload.classified" && e.Process != nil && e.Process.Pid == uint32(client.Process.Pid)
	})
	// The client imported the openai SDK before it spoke MCP, so it is an agent from the start; the request it sent
	// adds a reason but no new event.
	if sender.Details["role"] != "agent" {
		t.Fatalf("the MCP client was classified: %s", sender.Raw)
	}
}
