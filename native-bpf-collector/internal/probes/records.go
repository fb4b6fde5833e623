package probes

import (
	"errors"
	"unsafe"
)

// Kinds of ring buffer records (enum event_kind in bpf/common/events.h).
const (
	KindExec          = 1
	KindExit          = 2
	KindConnect       = 3
	KindAccept        = 4
	KindClose         = 5
	KindDNS           = 6
	KindFileOpen      = 7
	KindSyscallFirst  = 8
	KindTLSData       = 9
	KindTLSTruncated  = 10
	KindConnUntracked = 11
	// KindOpenUnresolvedBudget counts relative or non-canonical opens beyond the per-CPU resolution budget.
	KindOpenUnresolvedBudget = 12
	// KindOpenUnresolvedLost counts relative or non-canonical opens (possibly sensitive) lost to a full ring buffer.
	KindOpenUnresolvedLost = 13
	// KindMCPHTTP is a plain-HTTP TCP segment that may hold an MCP initialize request.
	KindMCPHTTP = 14
	// KindMCPStdio is an early write of a new program to its stdout that may answer an MCP initialize.
	KindMCPStdio = 15
)

// CategoryUnresolved marks a file.open record whose path the kernel could not match as written (relative, or with
// `..`, `.` or `//`): userspace resolves it against the process cwd / dirfd and matches the prefix list itself.
const CategoryUnresolved = 0xFFFFFFFF

// IP protocol numbers of dns_event.protocol: a TCP payload starts with the DNS message's 2-byte length.
const (
	ProtocolTCP = 6
	ProtocolUDP = 17
)

// AtFdCwd is openat's "relative to the working directory" dirfd.
const AtFdCwd = -100

// KindNames names the loss counters' slots for metrics.
var KindNames = map[uint32]string{
	KindExec: "process.exec", KindExit: "process.exit", KindConnect: "net.connect", KindAccept: "net.accept",
	KindClose: "net.close", KindDNS: "dns", KindFileOpen: "file.open", KindSyscallFirst: "syscall.first",
	KindTLSData: "tls.data", KindTLSTruncated: "tls.truncated", KindConnUntracked: "net.untracked",
	KindOpenUnresolvedBudget: "file.unresolved", KindOpenUnresolvedLost: "file.unresolved", KindMCPHTTP: "mcp.http", KindMCPStdio: "mcp.stdio",
}

// Record layouts shared with the BPF side; bpf2go generated them from the C structs.
type (
	ExecEvent     = processExecEvent
	ExitEvent     = processExitEvent
	NetEvent      = netNetEvent
	DNSEvent      = dnsDnsEvent
	MCPHTTPEvent  = dnsMcpHttpEvent
	MCPStdioEvent = syscallsMcpStdioEvent
	OpenEvent     = syscallsOpenEvent
	SyscallEvent  = syscallsSyscallEvent
	TLSEvent      = tlsTlsEvent
	EnforcePolicy = enforcePolicy
	VerdictKey    = enforceVerdictKey
)

// headerKindOffset is where event_header.kind sits: after time_ns, cgroup_id, pid, tid, uid.
const headerKindOffset = 8 + 8 + 4 + 4 + 4

var errShort = errors.New("ring buffer record shorter than its layout")

// RecordKind reads the kind of a raw record.
func RecordKind(raw []byte) (uint16, error) {
	if len(raw) < headerKindOffset+2 {
		return 0, errShort
	}
	return uint16(raw[headerKindOffset]) | uint16(raw[headerKindOffset+1])<<8, nil
}

// View reinterprets a raw record as its layout without copying. The record must not be used after the ring buffer
// reader reuses its buffer.
func View[T any](raw []byte) (*T, error) {
	var zero T
	if len(raw) < int(unsafe.Sizeof(zero)) {
		return nil, errShort
	}
	return (*T)(unsafe.Pointer(&raw[0])), nil
}

// TLSHeader is the fixed part of struct tls_event, before its data. TLS records are shorter than the full struct
// (they carry only the bytes captured), so they are decoded by copying this part, never by viewing the record as
// a whole TLSEvent.
type TLSHeader struct {
	H struct {
		TimeNs   uint64
		CgroupId uint64
		Pid      uint32
		Tid      uint32
		Uid      uint32
		Kind     uint16
		Pad      uint16
		Comm     [16]int8
	}
	Conn      uint64
	Len       uint32
	Direction uint8
	Pad       [3]uint8
}

// TLSPayload decodes a TLS record's header and returns its data bytes.
func TLSPayload(raw []byte) (*TLSHeader, []byte, error) {
	offset := int(unsafe.Offsetof(TLSEvent{}.Data))
	if len(raw) < offset {
		return nil, nil, errShort
	}
	header := &TLSHeader{}
	copy(unsafe.Slice((*byte)(unsafe.Pointer(header)), offset), raw[:offset])
	end := offset + int(header.Len)
	if end > len(raw) {
		return nil, nil, errShort
	}
	return header, raw[offset:end], nil
}

// CString reads a NUL-terminated C string out of a fixed array.
func CString(chars []int8) string {
	buf := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(chars))), len(chars))
	for i, c := range buf {
		if c == 0 {
			return string(buf[:i])
		}
	}
	return string(buf)
}

// Bytes views a fixed int8 array as bytes.
func Bytes(chars []int8) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(chars))), len(chars))
}
