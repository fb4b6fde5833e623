package pipeline

import (
	"time"
	"unsafe"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/classify"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/probes"
)

// MCP over plain HTTP: the packet programs send up TCP segments that may hold an MCP initialize request (see
// bpf/dns/dns.bpf.c); here they are recognised. The sender of an egress segment is the task that sent it (the
// kernel side names it only when it ran in that task's cgroup). A received segment has no task: the server process
// is the one that last accepted a connection on that port in that cgroup.

// serverPorts remembers, per cgroup and local port, the process that last accepted a connection there, and the
// initialize requests received on a port before its process accepted the connection (the request can reach the
// socket before the server's accept(2) returns), resolved by that accept.
type serverPorts struct {
	pids    map[serverPort]uint32
	pending map[serverPort]header
}

type serverPort struct {
	cgroupID uint64
	port     uint16
}

const (
	// maxServerPorts bounds the table; when full it starts over (an MCP server accepts again on its next session).
	maxServerPorts = 65536
	// maxPendingInitializes bounds the requests waiting for their accept; pendingWait is how long they wait.
	maxPendingInitializes = 1024
	pendingWait           = 5 * time.Second
)

func newServerPorts() *serverPorts {
	return &serverPorts{pids: map[serverPort]uint32{}, pending: map[serverPort]header{}}
}

func (p *Pipeline) serverAccepted(cgroupID uint64, port uint16, pid uint32) {
	s := p.servers
	if len(s.pids) >= maxServerPorts {
		clear(s.pids)
	}
	key := serverPort{cgroupID, port}
	s.pids[key] = pid
	if h, waiting := s.pending[key]; waiting {
		delete(s.pending, key)
		h.Pid = pid
		p.OnMCPInitialize(p.context(&h, true), pid, false)
	}
}

// waitForAccept keeps a received initialize until the accept on its port names the server; requests that waited
// longer than pendingWait (or did not fit) are counted as unattributed.
func (p *Pipeline) waitForAccept(h header, port uint16) {
	s := p.servers
	now := p.clock.wall(h.TimeNs)
	for key, old := range s.pending {
		if now.Sub(p.clock.wall(old.TimeNs)) > pendingWait {
			delete(s.pending, key)
			p.Counters.MCPUnattributed.Add(1)
		}
	}
	if len(s.pending) >= maxPendingInitializes {
		p.Counters.MCPUnattributed.Add(1)
		return
	}
	s.pending[serverPort{h.CgroupId, port}] = h
}

func (p *Pipeline) handleMCPHTTP(raw []byte) {
	e, err := probes.View[probes.MCPHTTPEvent](raw)
	if err != nil {
		p.Counters.parseFailure("mcp.http")
		return
	}
	length := min(int(e.PayloadLen), len(e.Payload))
	if p.OnMCPInitialize == nil || !classify.LooksLikeMCPInitialize(e.Payload[:length]) {
		return // most candidates are other JSON that happens to hold `"in`
	}
	h := *(*header)(unsafe.Pointer(&e.H))
	if e.Ingress == 0 {
		if h.Pid == 0 {
			p.Counters.MCPUnattributed.Add(1)
			return
		}
		p.OnMCPInitialize(p.context(&h, true), h.Pid, true)
		return
	}
	if h.Pid = p.servers.pids[serverPort{h.CgroupId, e.Dport}]; h.Pid == 0 {
		p.waitForAccept(h, e.Dport)
		return
	}
	p.OnMCPInitialize(p.context(&h, true), h.Pid, false)
}
