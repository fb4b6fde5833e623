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

// maxMCPProbe bounds how much of a payload is examined: an initialize request is a few hundred bytes.
const maxMCPProbe = 64 << 10

// LooksLikeMCPInitialize recognises an MCP initialize request in bytes seen on a pipe (newline-delimited JSON-RPC
// over stdio), in an HTTP request (Streamable HTTP, with or without chunked framing) or in an SSE data line.
// protocolVersion and clientInfo are required: the Language Server Protocol also has an "initialize" method,
// without protocolVersion.
func LooksLikeMCPInitialize(payload []byte) bool {
	if len(payload) > maxMCPProbe {
		payload = payload[:maxMCPProbe]
	}
	if !bytes.Contains(payload, []byte(`"initialize"`)) {
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
		if len(c) == 0 || (c[0] != '{' && c[0] != '[') || !bytes.Contains(c, []byte(`"initialize"`)) {
			continue
		}
		if isInitializeMessage(c) {
			return true
		}
	}
	return false
}

type jsonRPCRequest struct {
	JSONRPC string `json:"jsonrpc"`
	Method  string `json:"method"`
	Params  struct {
		ProtocolVersion string          `json:"protocolVersion"`
		ClientInfo      json.RawMessage `json:"clientInfo"`
	} `json:"params"`
}

func isInitializeMessage(p []byte) bool {
	var batch []jsonRPCRequest
	if p[0] == '[' {
		if json.Unmarshal(p, &batch) != nil {
			return false
		}
	} else {
		var one jsonRPCRequest
		if json.Unmarshal(p, &one) != nil {
			return false
		}
		batch = append(batch, one)
	}
	for _, r := range batch {
		info := bytes.TrimSpace(r.Params.ClientInfo)
		if r.JSONRPC == "2.0" && r.Method == "initialize" && r.Params.ProtocolVersion != "" && len(info) > 0 && info[0] == '{' {
			return true
		}
	}
	return false
}
