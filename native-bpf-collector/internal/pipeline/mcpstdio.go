package pipeline

import (
	"unsafe"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/classify"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/probes"
)

// MCP over stdio: the syscall hook sends up the first writes to stdout of each new program that start with `{`
// (see bpf/syscalls/mcp_stdio.h). A server spawned by its client answers initialize there; a client whose stdout
// feeds a server (a shell pipeline) sends the request there.
func (p *Pipeline) handleMCPStdio(raw []byte) {
	e, err := probes.View[probes.MCPStdioEvent](raw)
	if err != nil {
		p.Counters.parseFailure("mcp.stdio")
		return
	}
	payload := e.Payload[:min(int(e.Len), len(e.Payload))]
	h := *(*header)(unsafe.Pointer(&e.H))
	switch {
	case p.OnMCPAnswered != nil && classify.LooksLikeMCPInitializeResult(payload):
		p.OnMCPAnswered(p.context(&h, true), h.Pid)
	case p.OnMCPInitialize != nil && classify.LooksLikeMCPInitialize(payload):
		p.OnMCPInitialize(p.context(&h, true), h.Pid, true)
	}
}
