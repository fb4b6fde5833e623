package classify

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestAgentFromTrafficAndLoadedSDK(t *testing.T) {
	r := Classify(Observation{
		Exe:            "/usr/local/bin/python3.11",
		Args:           []string{"python", "-m", "research_agent"},
		MappedLibs:     []string{"/usr/local/lib/python3.11/site-packages/openai/_native.cpython-311-x86_64-linux-gnu.so"},
		PythonPackages: map[string]string{"openai": "1.59.2", "requests": "2.32.3", "langchain-core": "0.3.28"},
		LLMEndpoints:   []LLMEndpoint{{Provider: "openai", Host: "api.llm-provider.example", Requests: 3}},
		LLMTraffic:     true,
	})
	if r.Role != RoleAgent {
		t.Fatalf("role %q (%v)", r.Role, r.Reasons)
	}
	want := []string{
		"has langchain-core 0.3.28 (Python)",
		"loads openai 1.59.2 (Python)",
		"sent 3 requests to an OpenAI-compatible API at api.llm-provider.example",
	}
	if !reflect.DeepEqual(r.Reasons, want) {
		t.Fatalf("reasons\n%q\nwant\n%q", r.Reasons, want)
	}
	wantFrameworks := []Framework{
		{Name: "langchain-core", Version: "0.3.28", Language: "python"},
		{Name: "openai", Version: "1.59.2", Language: "python"},
	}
	if !reflect.DeepEqual(r.Frameworks, wantFrameworks) {
		t.Fatalf("frameworks %+v", r.Frameworks)
	}
}

func TestNodeAgentWithAnthropicSDK(t *testing.T) {
	r := Classify(Observation{
		Exe:          "/usr/bin/node",
		Args:         []string{"node", "dist/agent.js"},
		NodePackages: map[string]string{"@anthropic-ai/sdk": "0.39.0", "express": "4.21.2"},
		LLMEndpoints: []LLMEndpoint{{Provider: "anthropic", Host: "api.anthropic.example", Requests: 1}},
	})
	if r.Role != RoleAgent || len(r.Reasons) != 2 || r.Reasons[1] != "sent 1 request to an Anthropic-style API at api.anthropic.example" {
		t.Fatalf("%+v", r)
	}
}

func TestInferenceServerOutranksTheSDKsItShips(t *testing.T) {
	r := Classify(Observation{
		Exe:               "/usr/bin/python3",
		Args:              []string{"python3", "-m", "vllm.entrypoints.openai.api_server", "--model", "/models/qwen"},
		PythonPackages:    map[string]string{"vllm": "0.6.4", "openai": "1.55.0", "torch": "2.5.1"},
		ModelFilesOpened:  []string{"/models/qwen/model-00001-of-00002.safetensors", "/models/qwen/model-00002-of-00002.safetensors", "/etc/hosts"},
		LLMRequestsServed: 12,
	})
	if r.Role != RoleInferenceServer {
		t.Fatalf("role %q", r.Role)
	}
	joined := strings.Join(r.Reasons, "\n")
	for _, want := range []string{"vLLM server", "has vllm 0.6.4 (Python)", "opened 2 model files", "answered 12 requests on an LLM API"} {
		if !strings.Contains(joined, want) {
			t.Errorf("missing reason %q in\n%s", want, joined)
		}
	}
}

func TestOllamaAndLlamaCppByCommandLineAndLibraries(t *testing.T) {
	if r := Classify(Observation{Exe: "/usr/bin/ollama", Args: []string{"/usr/bin/ollama", "serve"}}); r.Role != RoleInferenceServer {
		t.Fatalf("ollama: %+v", r)
	}
	r := Classify(Observation{Exe: "/app/server", MappedLibs: []string{"/usr/lib/libllama.so", "/usr/lib/libggml-base.so"}})
	if r.Role != RoleInferenceServer || r.Frameworks[0].Name != "llama.cpp" {
		t.Fatalf("llama.cpp: %+v", r)
	}
}

func TestMCPServer(t *testing.T) {
	cases := []Observation{
		{Exe: "/usr/bin/node", Args: []string{"npx", "-y", "@modelcontextprotocol/server-filesystem", "/data"}, ParentRole: RoleAgent},
		{Exe: "/usr/bin/python3", Args: []string{"python3", "github_mcp_server.py"}},
		{Exe: "/usr/local/bin/uv", Args: []string{"uv", "run", "mcp", "run", "server.py"}},
		{Exe: "/app/bin/files", MCPInitialize: true, ParentRole: RoleAgent},
	}
	for i, o := range cases {
		if r := Classify(o); r.Role != RoleMCPServer {
			t.Errorf("case %d: %+v", i, r)
		}
	}
}

func TestToolSpawnedByAgent(t *testing.T) {
	r := Classify(Observation{Exe: "/usr/bin/curl", Args: []string{"curl", "-s", "http://payments-api/"}, ParentRole: RoleAgent})
	if r.Role != RoleTool || r.Reasons[0] != "was started by a process classified as an agent" {
		t.Fatalf("%+v", r)
	}
	// The same image has the SDK installed, but this child never used it: still a tool.
	r = Classify(Observation{Exe: "/usr/bin/python3", Args: []string{"python3", "scripts/fetch.py"},
		PythonPackages: map[string]string{"openai": "1.59.2"}, ParentRole: RoleAgent})
	if r.Role != RoleTool {
		t.Fatalf("installed-only child: %+v", r)
	}
	// A child that calls an LLM itself is a sub-agent.
	r = Classify(Observation{Exe: "/usr/bin/python3", ParentRole: RoleAgent, LLMTraffic: true})
	if r.Role != RoleAgent {
		t.Fatalf("sub-agent: %+v", r)
	}
}

func TestOrdinaryProcessIsNotClassified(t *testing.T) {
	r := Classify(Observation{
		Exe: "/usr/sbin/nginx", Args: []string{"nginx", "-g", "daemon off;"},
		MappedLibs:       []string{"/usr/lib/x86_64-linux-gnu/libssl.so.3"},
		PythonPackages:   map[string]string{"requests": "2.32.3"},
		ModelFilesOpened: []string{"/var/www/upload.bin", "/etc/nginx/nginx.conf"},
	})
	if r.Role != "" || len(r.Reasons) != 0 || len(r.Frameworks) != 0 {
		t.Fatalf("%+v", r)
	}
}

func TestIsModelFile(t *testing.T) {
	yes := []string{
		"/models/llama/model-00001-of-00004.safetensors", "/root/.ollama/models/blobs/sha256-abc.gguf", "/opt/m/model.onnx",
		"/root/.cache/huggingface/hub/models--gpt2/snapshots/1/pytorch_model.bin", "/data/checkpoints/step-100.pt",
		"/srv/consolidated.00.pth", "/tmp/ggml-model-q4_0.bin",
	}
	no := []string{"/usr/bin/bash", "/var/lib/dpkg/status", "/tmp/upload.bin", "/app/data.pt.txt", "/etc/ssl/model.cnf", ""}
	for _, p := range yes {
		if !IsModelFile(p) {
			t.Errorf("%q should be a model file", p)
		}
	}
	for _, p := range no {
		if IsModelFile(p) {
			t.Errorf("%q should not be a model file", p)
		}
	}
}

const initialize = `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"claude-code","version":"1.0.0"}}}`

func TestLooksLikeMCPInitialize(t *testing.T) {
	yes := map[string]string{
		"stdio line":     initialize + "\n",
		"after another":  `{"jsonrpc":"2.0","method":"notifications/x"}` + "\n" + initialize + "\n",
		"http body":      "POST /mcp HTTP/1.1\r\nHost: mcp-files\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n\r\n" + initialize,
		"batch":          "[" + initialize + "]",
		"pretty printed": strings.ReplaceAll(initialize, ",", ",\n  "),
		// The 2026-07-28 revision, as the Python SDK 2.3 writes it on a stdio pipe: no initialize, a discover request.
		"2026 discover": discover + "\n",
		"2026 any call": `{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}`,
	}
	for name, p := range yes {
		if !LooksLikeMCPInitialize([]byte(p)) {
			t.Errorf("%s: not recognised", name)
		}
	}
	no := map[string]string{
		"lsp initialize":   `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":1,"rootUri":null,"capabilities":{},"clientInfo":{"name":"vscode"}}}`,
		"initialize reply": `{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-06-18","serverInfo":{"name":"x"},"capabilities":{}}}`,
		"tools call":       `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"initialize"}}`,
		"garbage":          "\x00\x01initialize\"initialize\"{[",
		"empty version":    `{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":""}}}`,
		"empty":            "",
	}
	for name, p := range no {
		if LooksLikeMCPInitialize([]byte(p)) {
			t.Errorf("%s: wrongly recognised", name)
		}
	}
}

// As the Python SDK 2.3 wrote them on the stdio pipe (strace), a discover request and its result.
const (
	discover       = `{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"mcp","version":"0.1.0"},"io.modelcontextprotocol/clientCapabilities":{}}}}`
	discoverResult = `{"jsonrpc":"2.0","id":1,"result":{"cacheScope":"private","capabilities":{"prompts":{"listChanged":true},"resources":{"listChanged":true,"subscribe":true},"tools":{"listChanged":true}},"resultType":"complete","supportedVersions":["2026-07-28"],"ttlMs":0,"_meta":{"io.modelcontextprotocol/serverInfo":{"name":"notes","version":"0.3.0"}}}}`
)

func TestLooksLikeMCPInitializeResult(t *testing.T) {
	yes := map[string]string{
		"2025 initialize result": `{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-06-18","capabilities":{},"serverInfo":{"name":"files","version":"1"}}}` + "\n",
		"2026 discover result":   discoverResult + "\n",
		"sse data line":          "event: message\ndata: " + discoverResult + "\n\n",
	}
	for name, p := range yes {
		if !LooksLikeMCPInitializeResult([]byte(p)) {
			t.Errorf("%s: not recognised", name)
		}
	}
	no := map[string]string{
		"lsp initialize result": `{"jsonrpc":"2.0","id":1,"result":{"capabilities":{},"serverInfo":{"name":"gopls","version":"v0.16"}}}`,
		"a request":             discover,
		"a log line":            `{"level":"info","msg":"serverInfo\" ready"}`,
		"no id":                 `{"jsonrpc":"2.0","result":{"protocolVersion":"2025-06-18","serverInfo":{"name":"x"}}}`,
	}
	for name, p := range no {
		if LooksLikeMCPInitializeResult([]byte(p)) {
			t.Errorf("%s: wrongly recognised", name)
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestPythonPackagesFromSitePackages(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "usr/local/lib/python3.11/site-packages")
	writeFile(t, filepath.Join(site, "openai-1.59.2.dist-info/METADATA"),
		"Metadata-Version: 2.3\nName: openai\nVersion: 1.59.2\nSummary: x\n\nName: not-this\nVersion: 9\n")
	writeFile(t, filepath.Join(site, "llama_index_core-0.12.8.dist-info/METADATA"), "Name: llama-index-core\nVersion: 0.12.8\n")
	writeFile(t, filepath.Join(site, "old_pkg-1.0.egg-info/PKG-INFO"), "Metadata-Version: 1.0\nName: old-pkg\nVersion: 1.0\n")
	writeFile(t, filepath.Join(site, "broken-0.1.dist-info/RECORD"), "")
	writeFile(t, filepath.Join(root, "opt/venv/lib/python3.12/site-packages/mcp-1.2.0.dist-info/METADATA"), "Name: mcp\nVersion: 1.2.0\n")

	want := map[string]string{"openai": "1.59.2", "llama-index-core": "0.12.8", "old-pkg": "1.0", "mcp": "1.2.0"}
	got, err := PythonPackagesFromSitePackages(root)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("from root: %v %v", got, err)
	}
	got, err = PythonPackagesFromSitePackages(site)
	if err != nil || len(got) != 3 || got["openai"] != "1.59.2" {
		t.Fatalf("from site-packages: %v %v", got, err)
	}
	if _, err := PythonPackagesFromSitePackages(filepath.Join(root, "missing")); err == nil {
		t.Fatal("missing directory gave no error")
	}
	r := Classify(Observation{PythonPackages: got})
	if r.Role != RoleAgent || !reflect.DeepEqual(r.Reasons, []string{"has llama_index 0.12.8 (Python)", "has openai 1.59.2 (Python)"}) {
		t.Fatalf("%+v", r)
	}
}

func TestNodePackagesFromPath(t *testing.T) {
	app := t.TempDir()
	modules := filepath.Join(app, "node_modules")
	writeFile(t, filepath.Join(modules, "openai/package.json"), `{"name":"openai","version":"4.77.0","main":"index.js"}`)
	writeFile(t, filepath.Join(modules, "@modelcontextprotocol/sdk/package.json"), `{"name":"@modelcontextprotocol/sdk","version":"1.0.4"}`)
	writeFile(t, filepath.Join(modules, "broken/package.json"), `{not json`)
	writeFile(t, filepath.Join(modules, ".bin/openai"), "#!/bin/sh")
	want := map[string]string{"openai": "4.77.0", "@modelcontextprotocol/sdk": "1.0.4"}
	for _, dir := range []string{app, modules} {
		got, err := NodePackagesFromPath(dir)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: %v %v", dir, got, err)
		}
	}
	if _, err := NodePackagesFromPath(t.TempDir()); err == nil {
		t.Fatal("a directory without node_modules gave no error")
	}
}

// The real packages installed in this repository's node_modules, read as the collector would read a container's.
func TestNodePackagesFromThisRepository(t *testing.T) {
	got, err := NodePackagesFromPath("../../..")
	if err != nil {
		t.Skipf("skipped: no node_modules at the repository root (%v)", err)
	}
	if got["zod"] == "" || got["react"] == "" {
		t.Fatalf("zod or react missing from %d packages", len(got))
	}
}

func FuzzLooksLikeMCPInitialize(f *testing.F) {
	f.Add([]byte(initialize))
	f.Add([]byte("POST /mcp HTTP/1.1\r\n\r\n[" + initialize + "]"))
	f.Add([]byte(`{"jsonrpc":"2.0","method":"initialize","params":null}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		if LooksLikeMCPInitialize(payload) && !strings.Contains(string(payload), `"initialize"`) {
			t.Fatal("recognised a payload without an initialize method")
		}
	})
}

func TestNodeNativeAddonShowsThePackageIsLoaded(t *testing.T) {
	r := Classify(Observation{
		Exe:          "/usr/bin/node",
		MappedLibs:   []string{"/app/node_modules/node-llama-cpp/bins/linux-x64/libllama.so", "/app/node_modules/node-llama-cpp/bins/linux-x64/llama-addon.node"},
		NodePackages: map[string]string{"node-llama-cpp": "3.3.0"},
	})
	if r.Role != RoleInferenceServer || !strings.Contains(strings.Join(r.Reasons, "\n"), "loads node-llama-cpp 3.3.0 (Node.js)") {
		t.Fatalf("%+v", r)
	}
}

func TestResultIsBoundedLikeTheEvent(t *testing.T) {
	var endpoints []LLMEndpoint
	for i := 0; i < 40; i++ {
		endpoints = append(endpoints, LLMEndpoint{Provider: "openai", Host: strings.Repeat("h", 600), Requests: i + 1})
	}
	r := Classify(Observation{LLMEndpoints: endpoints, PythonPackages: map[string]string{"openai": strings.Repeat("9", 100)}})
	if len(r.Reasons) != 32 || r.Reasons[31] != "and 10 more reasons" {
		t.Fatalf("%d reasons, last %q", len(r.Reasons), r.Reasons[len(r.Reasons)-1])
	}
	for _, reason := range r.Reasons {
		if len(reason) > 512 {
			t.Fatalf("reason of %d bytes", len(reason))
		}
	}
	if len(r.Frameworks[0].Version) != 64 {
		t.Fatalf("version of %d bytes", len(r.Frameworks[0].Version))
	}
}

func TestInstalledPackagesAloneDecideLast(t *testing.T) {
	// openai-agents depends on the MCP SDK as a client: the image is an agent's, not an MCP server's.
	r := Classify(Observation{PythonPackages: map[string]string{"openai-agents": "0.0.7", "mcp": "1.2.0"}})
	if r.Role != RoleAgent {
		t.Fatalf("%+v", r)
	}
	if r := Classify(Observation{PythonPackages: map[string]string{"mcp": "1.2.0"}}); r.Role != RoleMCPServer {
		t.Fatalf("mcp alone: %+v", r)
	}
	// What the process does outranks what is installed: answering initialize makes it an MCP server.
	r = Classify(Observation{PythonPackages: map[string]string{"openai": "1.59.2"}, MCPInitialize: true})
	if r.Role != RoleMCPServer {
		t.Fatalf("%+v", r)
	}
}
