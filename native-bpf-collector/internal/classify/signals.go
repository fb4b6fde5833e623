package classify

import (
	"bytes"
	"encoding/json"
	"path"
	"strings"
)

// Weights in formats made only for models: any path with these extensions is a model file.
var modelOnlyExtensions = map[string]bool{
	".safetensors": true, ".gguf": true, ".ggml": true, ".onnx": true, ".tflite": true, ".mlmodel": true,
	".llamafile": true,
}

// Generic tensor or archive extensions count only where models are kept, since .bin and .pt are also ordinary files.
var tensorExtensions = map[string]bool{
	".pt": true, ".pth": true, ".bin": true, ".ckpt": true, ".h5": true, ".msgpack": true, ".npz": true,
	".model": true, ".engine": true, ".plan": true,
}

var modelDirMarkers = []string{
	"/models/", "/model/", "/huggingface/", "/hub/models--", "/.cache/torch/", "/checkpoints/", "/weights/",
	"/.ollama/", "/ollama/models/", "/lora/", "/adapters/",
}

var modelFilePrefixes = []string{"pytorch_model", "model-", "model.", "tf_model", "flax_model", "consolidated.", "ggml-", "adapter_model"}

// IsModelFile tells whether a path opened by a process holds model weights.
func IsModelFile(p string) bool {
	lower := strings.ToLower(p)
	ext := path.Ext(lower)
	if modelOnlyExtensions[ext] {
		return true
	}
	if !tensorExtensions[ext] {
		return false
	}
	for _, marker := range modelDirMarkers {
		if strings.Contains(lower, marker) {
			return true
		}
	}
	base := path.Base(lower)
	for _, prefix := range modelFilePrefixes {
		if strings.HasPrefix(base, prefix) {
			return true
		}
	}
	return false
}

// maxMCPProbe bounds how much of a payload is examined: an opening request is a few hundred bytes.
const maxMCPProbe = 64 << 10

// MCP clients open a session in one of two ways, and both are recognised:
//   - revisions up to 2025: an `initialize` request with protocolVersion and clientInfo, answered by a result with
//     protocolVersion and serverInfo;
//   - the 2026-07-28 revision (the Python SDK 2.x speaks it): no handshake; every request carries
//     `_meta["io.modelcontextprotocol/protocolVersion"]`, the first is usually `server/discover`, and its result names
//     the server in `_meta["io.modelcontextprotocol/serverInfo"]` beside `supportedVersions`.
//
// The Language Server Protocol also has an "initialize" method, but without protocolVersion; its result has
// serverInfo but no protocolVersion.
const (
	metaProtocolVersion = "io.modelcontextprotocol/protocolVersion"
	metaServerInfo      = "io.modelcontextprotocol/serverInfo"
)

// MayHoldMCPRequest is the cheap test before LooksLikeMCPInitialize: a substring every MCP opening request holds.
func MayHoldMCPRequest(payload []byte) bool {
	return bytes.Contains(payload, []byte(`"initialize"`)) || bytes.Contains(payload, []byte(metaProtocolVersion))
}

// LooksLikeMCPInitialize recognises a request that opens (or, in the 2026 revision, belongs to) an MCP session, in
// bytes seen on a pipe (newline-delimited JSON-RPC over stdio), in an HTTP request (Streamable HTTP, with or
// without chunked framing) or in an SSE data line.
func LooksLikeMCPInitialize(payload []byte) bool {
	return anyJSONRPCLine(payload, MayHoldMCPRequest, isMCPRequest)
}

// LooksLikeMCPInitializeResult recognises a server's answer to an opening request, in bytes the server wrote.
func LooksLikeMCPInitializeResult(payload []byte) bool {
	return anyJSONRPCLine(payload, func(p []byte) bool { return bytes.Contains(p, []byte(`serverInfo"`)) }, isMCPAnswer)
}

// anyJSONRPCLine tries the payload whole, an HTTP body, and each line (SSE `data:` prefix removed).
func anyJSONRPCLine(payload []byte, mayHold func([]byte) bool, is func([]byte) bool) bool {
	if len(payload) > maxMCPProbe {
		payload = payload[:maxMCPProbe]
	}
	if !mayHold(payload) {
		return false
	}
	candidates := [][]byte{payload}
	if _, body, found := bytes.Cut(payload, []byte("\r\n\r\n")); found {
		candidates = append(candidates, body)
	}
	candidates = append(candidates, bytes.Split(payload, []byte("\n"))...)
	for _, c := range candidates {
		c = bytes.TrimSpace(c)
		c = bytes.TrimSpace(bytes.TrimPrefix(c, []byte("data:")))
		if len(c) == 0 || (c[0] != '{' && c[0] != '[') || !mayHold(c) {
			continue
		}
		if is(c) {
			return true
		}
	}
	return false
}

type jsonRPCMessage struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  string          `json:"method"`
	Params  struct {
		ProtocolVersion string                     `json:"protocolVersion"`
		ClientInfo      json.RawMessage            `json:"clientInfo"`
		Meta            map[string]json.RawMessage `json:"_meta"`
	} `json:"params"`
	Result struct {
		ProtocolVersion   string                     `json:"protocolVersion"`
		ServerInfo        json.RawMessage            `json:"serverInfo"`
		SupportedVersions []string                   `json:"supportedVersions"`
		Meta              map[string]json.RawMessage `json:"_meta"`
	} `json:"result"`
}

// jsonRPCBatch decodes one message or a batch.
func jsonRPCBatch(p []byte) []jsonRPCMessage {
	var batch []jsonRPCMessage
	if p[0] == '[' {
		if json.Unmarshal(p, &batch) != nil {
			return nil
		}
		return batch
	}
	var one jsonRPCMessage
	if json.Unmarshal(p, &one) != nil {
		return nil
	}
	return []jsonRPCMessage{one}
}

func isObject(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '{'
}

func isNonEmptyString(raw json.RawMessage) bool {
	var s string
	return json.Unmarshal(raw, &s) == nil && s != ""
}

func isMCPRequest(p []byte) bool {
	for _, m := range jsonRPCBatch(p) {
		if m.JSONRPC != "2.0" || m.Method == "" {
			continue
		}
		if m.Method == "initialize" && m.Params.ProtocolVersion != "" && isObject(m.Params.ClientInfo) {
			return true
		}
		if isNonEmptyString(m.Params.Meta[metaProtocolVersion]) {
			return true
		}
	}
	return false
}

func isMCPAnswer(p []byte) bool {
	for _, m := range jsonRPCBatch(p) {
		if m.JSONRPC != "2.0" || len(m.ID) == 0 {
			continue
		}
		if m.Result.ProtocolVersion != "" && isObject(m.Result.ServerInfo) {
			return true
		}
		if isObject(m.Result.Meta[metaServerInfo]) && len(m.Result.SupportedVersions) > 0 {
			return true
		}
	}
	return false
}
