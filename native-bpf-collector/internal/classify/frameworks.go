package classify

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// known says what an installed package tells about the process that has it.
type known struct {
	role string
	// display is the name shown to users (the import name people know, e.g. llama_index).
	display string
}

// pythonKnown is keyed by the normalized distribution name (PEP 503: lower case, runs of -_. become -).
var pythonKnown = map[string]known{
	"openai":                {RoleAgent, "openai"},
	"anthropic":             {RoleAgent, "anthropic"},
	"langchain":             {RoleAgent, "langchain"},
	"langchain-core":        {RoleAgent, "langchain-core"},
	"langchain-openai":      {RoleAgent, "langchain-openai"},
	"langchain-anthropic":   {RoleAgent, "langchain-anthropic"},
	"langgraph":             {RoleAgent, "langgraph"},
	"llama-index":           {RoleAgent, "llama_index"},
	"llama-index-core":      {RoleAgent, "llama_index"},
	"crewai":                {RoleAgent, "crewai"},
	"pyautogen":             {RoleAgent, "autogen"},
	"autogen-agentchat":     {RoleAgent, "autogen"},
	"autogen-core":          {RoleAgent, "autogen"},
	"ag2":                   {RoleAgent, "autogen"},
	"openai-agents":         {RoleAgent, "openai-agents"},
	"google-genai":          {RoleAgent, "google-genai"},
	"google-generativeai":   {RoleAgent, "google-generativeai"},
	"mistralai":             {RoleAgent, "mistralai"},
	"cohere":                {RoleAgent, "cohere"},
	"litellm":               {RoleAgent, "litellm"},
	"pydantic-ai":           {RoleAgent, "pydantic-ai"},
	"pydantic-ai-slim":      {RoleAgent, "pydantic-ai"},
	"semantic-kernel":       {RoleAgent, "semantic-kernel"},
	"smolagents":            {RoleAgent, "smolagents"},
	"haystack-ai":           {RoleAgent, "haystack"},
	"dspy":                  {RoleAgent, "dspy"},
	"dspy-ai":               {RoleAgent, "dspy"},
	"mcp":                   {RoleMCPServer, "mcp"},
	"fastmcp":               {RoleMCPServer, "fastmcp"},
	"vllm":                  {RoleInferenceServer, "vllm"},
	"sglang":                {RoleInferenceServer, "sglang"},
	"text-generation":       {RoleInferenceServer, "text-generation"},
	"llama-cpp-python":      {RoleInferenceServer, "llama-cpp-python"},
	"lmdeploy":              {RoleInferenceServer, "lmdeploy"},
	"tritonclient":          {"", "tritonclient"},
	"transformers":          {"", "transformers"},
	"torch":                 {"", "torch"},
	"tensorflow":            {"", "tensorflow"},
	"onnxruntime":           {"", "onnxruntime"},
	"sentence-transformers": {"", "sentence-transformers"},
	"accelerate":            {"", "accelerate"},
}

var nodeKnown = map[string]known{
	"openai":                    {RoleAgent, "openai"},
	"@anthropic-ai/sdk":         {RoleAgent, "@anthropic-ai/sdk"},
	"@anthropic-ai/claude-code": {RoleAgent, "@anthropic-ai/claude-code"},
	"langchain":                 {RoleAgent, "langchain"},
	"@langchain/core":           {RoleAgent, "@langchain/core"},
	"@langchain/openai":         {RoleAgent, "@langchain/openai"},
	"@langchain/langgraph":      {RoleAgent, "@langchain/langgraph"},
	"ai":                        {RoleAgent, "ai"},
	"@ai-sdk/openai":            {RoleAgent, "@ai-sdk/openai"},
	"@ai-sdk/anthropic":         {RoleAgent, "@ai-sdk/anthropic"},
	"@google/generative-ai":     {RoleAgent, "@google/generative-ai"},
	"@google/genai":             {RoleAgent, "@google/genai"},
	"llamaindex":                {RoleAgent, "llamaindex"},
	"@mastra/core":              {RoleAgent, "@mastra/core"},
	"@openai/agents":            {RoleAgent, "@openai/agents"},
	"@modelcontextprotocol/sdk": {RoleMCPServer, "@modelcontextprotocol/sdk"},
	"fastmcp":                   {RoleMCPServer, "fastmcp"},
	"node-llama-cpp":            {RoleInferenceServer, "node-llama-cpp"},
	"onnxruntime-node":          {"", "onnxruntime-node"},
	"@huggingface/transformers": {"", "@huggingface/transformers"},
}

// nativeLibs are shared objects whose presence in a process's memory shows an AI runtime is loaded.
var nativeLibs = []struct {
	pattern *regexp.Regexp
	name    string
	role    string
}{
	{regexp.MustCompile(`(^|/)lib(llama|ggml)[^/]*\.so`), "llama.cpp", RoleInferenceServer},
	{regexp.MustCompile(`(^|/)libtorch(_cpu|_cuda)?\.so`), "torch", ""},
	{regexp.MustCompile(`(^|/)libonnxruntime[^/]*\.so`), "onnxruntime", ""},
	{regexp.MustCompile(`(^|/)libnvinfer[^/]*\.so`), "TensorRT", RoleInferenceServer},
	{regexp.MustCompile(`(^|/)libcudart[^/]*\.so`), "CUDA runtime", ""},
	{regexp.MustCompile(`(^|/)libtensorflow[^/]*\.so`), "tensorflow", ""},
}

// sitePackageDir finds the top-level package of a native module mapped from a Python environment, and
// nodeModuleDir the package of a native addon mapped from node_modules.
var (
	sitePackageDir = regexp.MustCompile(`/(?:site|dist)-packages/([A-Za-z0-9_.\-]+)/`)
	nodeModuleDir  = regexp.MustCompile(`/node_modules/((?:@[A-Za-z0-9_.\-]+/)?[A-Za-z0-9_.\-]+)/`)
)

func normalizePython(name string) string {
	return strings.Trim(pythonNameRuns.ReplaceAllString(strings.ToLower(name), "-"), "-")
}

var pythonNameRuns = regexp.MustCompile(`[-_.]+`)

// collectFrameworks lists the AI packages and runtimes the process has or loads, and adds their evidence. A
// package whose native module is mapped is loaded; one only present in site-packages is installed.
func collectFrameworks(o Observation, e *evidence) []Framework {
	var out []Framework
	seen := map[string]bool{}
	add := func(f Framework) {
		k := f.Language + "/" + f.Name
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}

	loadedPython, loadedNode := map[string]bool{}, map[string]bool{}
	for _, lib := range o.MappedLibs {
		if m := sitePackageDir.FindStringSubmatch(lib); m != nil {
			loadedPython[normalizePython(m[1])] = true
		}
		if m := nodeModuleDir.FindAllStringSubmatch(lib, -1); m != nil {
			loadedNode[m[len(m)-1][1]] = true // the innermost package owns the addon
		}
		for _, n := range nativeLibs {
			if n.pattern.MatchString(lib) {
				add(Framework{Name: n.name})
				if n.role != "" {
					e.add(n.role, fmt.Sprintf("loads %s (%s)", n.name, filepath.Base(lib)))
				}
			}
		}
	}

	for _, name := range sortedKeys(o.PythonPackages) {
		k, ok := pythonKnown[normalizePython(name)]
		if !ok {
			continue
		}
		version := o.PythonPackages[name]
		add(Framework{Name: k.display, Version: version, Language: "python"})
		if k.role == "" {
			continue
		}
		verb := installedPrefix
		if loadedPython[normalizePython(name)] || loadedPython[strings.ReplaceAll(normalizePython(name), "-", "_")] {
			verb = "loads "
		}
		e.add(k.role, fmt.Sprintf("%s%s (Python)", verb, nameVersion(k.display, version)))
	}
	for _, name := range sortedKeys(o.NodePackages) {
		k, ok := nodeKnown[name]
		if !ok {
			continue
		}
		version := o.NodePackages[name]
		add(Framework{Name: k.display, Version: version, Language: "node"})
		if k.role != "" {
			verb := installedPrefix
			if loadedNode[name] {
				verb = "loads "
			}
			e.add(k.role, fmt.Sprintf("%s%s (Node.js)", verb, nameVersion(k.display, version)))
		}
	}
	return out
}

func nameVersion(name, version string) string {
	if version == "" {
		return name
	}
	return name + " " + version
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// commandLines recognise well-known servers by how they are started.
var commandLines = []struct {
	pattern *regexp.Regexp
	role    string
	what    string
}{
	{regexp.MustCompile(`(^|\s|/)vllm\s+serve\b|vllm\.entrypoints`), RoleInferenceServer, "vLLM server"},
	{regexp.MustCompile(`(^|/)ollama\s+(serve|runner)\b`), RoleInferenceServer, "Ollama server"},
	{regexp.MustCompile(`(^|/)llama-server(\s|$)|llama_cpp\.server`), RoleInferenceServer, "llama.cpp server"},
	{regexp.MustCompile(`(^|/)text-generation-(launcher|server)\b`), RoleInferenceServer, "Text Generation Inference"},
	{regexp.MustCompile(`(^|/)tritonserver(\s|$)`), RoleInferenceServer, "Triton Inference Server"},
	{regexp.MustCompile(`sglang\.launch_server`), RoleInferenceServer, "SGLang server"},
	{regexp.MustCompile(`(^|/)lmdeploy\s+serve\b`), RoleInferenceServer, "LMDeploy server"},
	{regexp.MustCompile(`@modelcontextprotocol/server-[\w-]+`), RoleMCPServer, "MCP reference server"},
	{regexp.MustCompile(`(^|[\s/@])(mcp[-_]server[-\w]*|[\w-]+[-_]mcp[-_]server|[\w-]+-mcp)(\s|$|\.py|\.js)`), RoleMCPServer, "MCP server"},
	{regexp.MustCompile(`(^|\s|/)(fastmcp|mcp)\s+run\b`), RoleMCPServer, "MCP server"},
}

func commandLineEvidence(o Observation, e *evidence) {
	line := strings.Join(append([]string{o.Exe}, o.Args...), " ")
	for _, c := range commandLines {
		if m := c.pattern.FindString(line); m != "" {
			e.add(c.role, fmt.Sprintf("runs as a %s (command line: %s)", c.what, strings.TrimSpace(m)))
		}
	}
}
