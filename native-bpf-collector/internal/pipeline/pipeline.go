// Package pipeline turns raw ring buffer records into normalized events: decode, name the process, attribute the
// cgroup to a container and pod, number and buffer the event, and feed the pod's profile.
package pipeline

import (
	"errors"
	"net/netip"
	"structs"
	"time"
	"unsafe"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/attribution"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/dnsmsg"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/model"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/probes"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/proctable"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/profile"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/stream"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/syscallnames"
)

// Pipeline: the one ring buffer reader calls Handle; Emit may also be called from other goroutines.
type Pipeline struct {
	Node       string
	Buffer     *stream.Buffer
	Attributor *attribution.Attributor
	Procs      *proctable.Table
	Profiles   *profile.Store
	Counters   *Counters
	// OnExec is told about every new process image (the TLS attacher looks at its libraries).
	OnExec func(pid uint32, exe string)
	// Workloads is told about processes and the files they open, for AI workload classification (optional).
	Workloads WorkloadObserver
	// TLS receives TLS plaintext records; nil when TLS capture is off.
	TLS func(ctx EventContext, record *probes.TLSHeader, data []byte)
	// Opens resolves relative and non-canonical open paths and matches them against the sensitive prefixes.
	Opens *OpenResolver
	// OnMCPInitialize is told when a process sends (an MCP client) or receives (an MCP server) an MCP initialize
	// request over plain HTTP (optional).
	OnMCPInitialize func(ctx EventContext, pid uint32, sent bool)
	// OnMCPAnswered is told when a process answers an MCP initialize on its stdout: an MCP server over stdio.
	OnMCPAnswered func(ctx EventContext, pid uint32)
	clock         monoClock
	dns           *dnsNames
	servers       *serverPorts
}

func New(node string, buffer *stream.Buffer, attributor *attribution.Attributor, procs *proctable.Table, profiles *profile.Store) *Pipeline {
	return &Pipeline{Node: node, Buffer: buffer, Attributor: attributor, Procs: procs, Profiles: profiles,
		Counters: newCounters(), clock: newMonoClock(), dns: newDNSNames(), servers: newServerPorts()}
}

// WorkloadObserver follows processes for classification.
type WorkloadObserver interface {
	Exec(ctx EventContext, pid, ppid uint32, exe string, args []string)
	Exit(pid uint32)
	FileOpened(ctx EventContext, pid uint32, path string)
}

// EventContext is the attributed origin shared by every event of one record.
type EventContext struct {
	At          time.Time
	CgroupID    uint64
	Attribution attribution.Attribution
	Process     *model.ProcessRef
}

type header = struct {
	_        structs.HostLayout
	TimeNs   uint64
	CgroupId uint64
	Pid      uint32
	Tid      uint32
	Uid      uint32
	Kind     uint16
	Pad      uint16
	Comm     [16]int8
}

func (p *Pipeline) context(h *header, withProcess bool) EventContext {
	ctx := EventContext{At: p.clock.wall(h.TimeNs), CgroupID: h.CgroupId, Attribution: p.Attributor.Resolve(h.CgroupId)}
	if withProcess && h.Pid != 0 {
		if ref, ok := p.Procs.Lookup(h.Pid); ok {
			ctx.Process = &ref
		} else {
			uid := h.Uid
			ctx.Process = &model.ProcessRef{Pid: h.Pid, Exe: probes.CString(h.Comm[:]), Args: []string{}, UID: &uid}
		}
	}
	return ctx
}

// Emit numbers and buffers one event built in ctx and returns its id ("" if it could not be buffered). Safe to call
// from other goroutines (the enforcement verdict poller does).
func (p *Pipeline) Emit(ctx EventContext, kind string, details any) string {
	event := &model.Event{Node: p.Node, Source: "collector", Kind: kind, Pod: ctx.Attribution.Pod, Process: ctx.Process, Details: details}
	if ctx.Attribution.ContainerID != "" {
		id := ctx.Attribution.ContainerID
		event.ContainerID = &id
	}
	if ctx.Attribution.ContainerID == "" && ctx.Attribution.Pod == nil {
		p.Counters.HostEvents.Add(1)
	}
	if _, err := p.Buffer.Append(event, ctx.At); err != nil {
		p.Counters.BufferErrors.Add(1)
		return ""
	}
	p.Counters.event(kind)
	return event.ID
}

// EmitFromCgroup emits an event that has a cgroup but no process (enforcement verdicts).
func (p *Pipeline) EmitFromCgroup(cgroupID uint64, kind string, details any) string {
	ctx := EventContext{At: time.Now(), CgroupID: cgroupID, Attribution: p.Attributor.Resolve(cgroupID)}
	return p.Emit(ctx, kind, details)
}

// Observe feeds the pod's profile when the event is attributed to a pod.
func (p *Pipeline) Observe(ctx EventContext, o profile.Observation) {
	if ctx.Attribution.Pod == nil {
		return
	}
	o.Namespace, o.Pod, o.ContainerID, o.At = ctx.Attribution.Pod.Namespace, ctx.Attribution.Pod.Name, ctx.Attribution.ContainerID, ctx.At
	p.Profiles.Observe(o)
}

// Handle decodes one ring buffer record.
func (p *Pipeline) Handle(raw []byte) {
	p.Counters.Records.Add(1)
	kind, err := probes.RecordKind(raw)
	if err != nil {
		p.Counters.parseFailure("record")
		return
	}
	switch kind {
	case probes.KindExec:
		p.handleExec(raw)
	case probes.KindExit:
		p.handleExit(raw)
	case probes.KindConnect, probes.KindAccept, probes.KindClose:
		p.handleNet(raw, kind)
	case probes.KindDNS:
		p.handleDNS(raw)
	case probes.KindMCPHTTP:
		p.handleMCPHTTP(raw)
	case probes.KindMCPStdio:
		p.handleMCPStdio(raw)
	case probes.KindFileOpen:
		p.handleOpen(raw)
	case probes.KindSyscallFirst:
		p.handleSyscall(raw)
	case probes.KindTLSData:
		record, data, err := probes.TLSPayload(raw)
		if err != nil {
			p.Counters.parseFailure("tls.data")
			return
		}
		if p.TLS != nil {
			p.TLS(p.context((*header)(unsafe.Pointer(&record.H)), true), record, data)
		}
	default:
		p.Counters.parseFailure("unknown-kind")
	}
}

func (p *Pipeline) handleExec(raw []byte) {
	e, err := probes.View[probes.ExecEvent](raw)
	if err != nil {
		p.Counters.parseFailure("process.exec")
		return
	}
	length := int(e.ArgsLen)
	if length > len(e.Args) {
		length = len(e.Args)
	}
	args := proctable.SplitArgs(probes.Bytes(e.Args[:length]))
	filename := probes.CString(e.Filename[:])
	ref := p.Procs.Exec(e.H.Pid, e.Ppid, e.H.Uid, e.StartNs, filename, args)
	ctx := p.context((*header)(unsafe.Pointer(&e.H)), false)
	ctx.Process = &ref
	p.Emit(ctx, model.KindExec, model.ExecDetails{Filename: filename})
	p.Observe(ctx, profile.Observation{Executable: ref.Exe})
	if p.OnExec != nil {
		p.OnExec(ref.Pid, ref.Exe)
	}
	if p.Workloads != nil {
		p.Workloads.Exec(ctx, ref.Pid, ref.Ppid, ref.Exe, ref.Args)
	}
}

func (p *Pipeline) handleExit(raw []byte) {
	e, err := probes.View[probes.ExitEvent](raw)
	if err != nil {
		p.Counters.parseFailure("process.exit")
		return
	}
	ctx := p.context((*header)(unsafe.Pointer(&e.H)), true)
	p.Procs.Exit(e.H.Pid)
	if p.Workloads != nil {
		p.Workloads.Exit(e.H.Pid)
	}
	code := int(e.ExitCode>>8) & 0xff
	if signal := int(e.ExitCode & 0x7f); signal != 0 {
		code = 128 + signal
	}
	details := model.ExitDetails{ExitCode: code}
	if e.StartNs != 0 && e.H.TimeNs > e.StartNs {
		ms := float64(e.H.TimeNs-e.StartNs) / 1e6
		details.DurationMs = &ms
	}
	p.Emit(ctx, model.KindExit, details)
}

func addrOf(family uint16, raw [16]uint8) netip.Addr {
	if family == 2 {
		return netip.AddrFrom4([4]byte(raw[:4]))
	}
	return netip.AddrFrom16(raw).Unmap()
}

func familyNumber(family uint16) int {
	if family == 2 {
		return 4
	}
	return 6
}

func (p *Pipeline) handleNet(raw []byte, kind uint16) {
	e, err := probes.View[probes.NetEvent](raw)
	if err != nil {
		p.Counters.parseFailure("net")
		return
	}
	ctx := p.context((*header)(unsafe.Pointer(&e.H)), true)
	src, dst := addrOf(e.Family, e.Saddr), addrOf(e.Family, e.Daddr)
	socket := model.SocketDetails{Protocol: "tcp", Family: familyNumber(e.Family), SrcIP: src.String(), SrcPort: e.Sport,
		DstIP: dst.String(), DstPort: e.Dport}
	if e.Direction == probes.KindConnect {
		socket.DNSName = p.dns.lookup(e.H.CgroupId, dst)
	}
	switch kind {
	case probes.KindConnect:
		p.Emit(ctx, model.KindConnect, socket)
		p.Observe(ctx, profile.Observation{Connection: &profile.Connection{Direction: "egress", Protocol: "tcp", Peer: socket.DstIP, Port: socket.DstPort, DNSName: socket.DNSName}})
	case probes.KindAccept:
		if p.OnMCPInitialize != nil {
			p.serverAccepted(e.H.CgroupId, e.Sport, e.H.Pid)
		}
		p.Emit(ctx, model.KindAccept, socket)
		p.Observe(ctx, profile.Observation{Connection: &profile.Connection{Direction: "ingress", Protocol: "tcp", Peer: socket.DstIP, Port: socket.SrcPort}})
	case probes.KindClose:
		sent, received := payloadBytes(e.BytesSent, e.BytesReceived, e.OldState)
		details := model.CloseDetails{SocketDetails: socket, BytesSent: sent, BytesReceived: received}
		if e.StartNs != 0 && e.H.TimeNs > e.StartNs {
			ms := float64(e.H.TimeNs-e.StartNs) / 1e6
			details.DurationMs = &ms
		}
		p.Emit(ctx, model.KindClose, details)
	}
}

func (p *Pipeline) handleDNS(raw []byte) {
	e, err := probes.View[probes.DNSEvent](raw)
	if err != nil {
		p.Counters.parseFailure("dns")
		return
	}
	length := int(e.PayloadLen)
	if length > len(e.Payload) {
		length = len(e.Payload)
	}
	var message dnsmsg.Message
	if e.Protocol == probes.ProtocolTCP {
		message, err = dnsmsg.ParseTCPSegment(e.Payload[:length])
		if errors.Is(err, dnsmsg.ErrLengthOnly) {
			return
		}
	} else {
		message, err = dnsmsg.Parse(e.Payload[:length])
	}
	if err != nil {
		p.Counters.parseFailure("dns")
		return
	}
	ctx := p.context((*header)(unsafe.Pointer(&e.H)), e.Ingress == 0)
	if e.Ingress == 0 {
		server := addrOf(e.Family, e.Daddr).String()
		p.Emit(ctx, model.KindDNSQuery, model.DNSQueryDetails{QueryName: message.QueryName, QueryType: message.QueryType, Server: server})
		return
	}
	p.dns.remember(e.H.CgroupId, message.QueryName, message.Addresses)
	p.Emit(ctx, model.KindDNSAnswer, model.DNSAnswerDetails{QueryName: message.QueryName, QueryType: message.QueryType,
		Rcode: message.Rcode, Answers: message.Answers})
}

func (p *Pipeline) handleOpen(raw []byte) {
	e, err := probes.View[probes.OpenEvent](raw)
	if err != nil {
		p.Counters.parseFailure("file.open")
		return
	}
	path, rawPath, categoryIndex := probes.CString(e.Path[:]), "", e.Category
	if e.Category == probes.CategoryUnresolved {
		if p.Opens == nil {
			return
		}
		canonical, ok := p.Opens.Resolve(e.H.Pid, e.Dirfd, path)
		if !ok {
			p.Counters.UnresolvableOpens.Add(1)
			return
		}
		index, sensitive := p.Opens.Match(canonical)
		if !sensitive {
			return
		}
		path, rawPath, categoryIndex = canonical, path, index
	}
	ctx := p.context((*header)(unsafe.Pointer(&e.H)), true)
	errno := 0
	if e.Ret < 0 {
		errno = int(-e.Ret)
	}
	category := categoryName(categoryIndex)
	p.Emit(ctx, model.KindFileOpen, model.FileOpenDetails{Path: path, RawPath: rawPath, Flags: openFlagNames(e.Flags), Category: category, Errno: errno})
	p.Observe(ctx, profile.Observation{File: &profile.File{Path: path, Category: category}})
	if p.Workloads != nil && errno == 0 {
		p.Workloads.FileOpened(ctx, e.H.Pid, path)
	}
}

func (p *Pipeline) handleSyscall(raw []byte) {
	e, err := probes.View[probes.SyscallEvent](raw)
	if err != nil {
		p.Counters.parseFailure("syscall.first")
		return
	}
	ctx := p.context((*header)(unsafe.Pointer(&e.H)), true)
	name := syscallnames.Name(e.Nr)
	p.Emit(ctx, model.KindSyscallFirst, model.SyscallFirstDetails{Syscall: name, Nr: e.Nr})
	p.Observe(ctx, profile.Observation{Syscall: name})
}

// TCP states (include/net/tcp_states.h).
const (
	tcpFinWait2  = 5
	tcpTimeWait  = 6
	tcpCloseWait = 8
	tcpLastAck   = 9
	tcpClosing   = 11
)

// payloadBytes takes the SYN and FINs out of the kernel's sequence-space counters: bytes_acked counts our SYN and,
// once acknowledged, our FIN; bytes_received counts the peer's FIN. The state the socket left on its way to CLOSE
// says which FINs were exchanged.
func payloadBytes(acked, received uint64, oldState uint32) (uint64, uint64) {
	if acked > 0 {
		acked-- // SYN
	}
	switch oldState {
	case tcpLastAck, tcpFinWait2, tcpClosing, tcpTimeWait:
		if acked > 0 {
			acked-- // our FIN, acknowledged
		}
	}
	switch oldState {
	case tcpLastAck, tcpCloseWait, tcpClosing, tcpTimeWait, tcpFinWait2:
		if received > 0 {
			received-- // the peer's FIN
		}
	}
	return acked, received
}
