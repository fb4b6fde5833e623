// Package model is the Go side of Vigil's normalized event (shared/model/event.ts) and of the collector API
// messages (shared/collector-api). The JSON these types produce is validated against the committed JSON Schema
// (schema/v1) in tests; the TypeScript client validates the same JSON with the zod schemas it was generated from.
package model

// PodRef names the pod an event belongs to.
type PodRef struct {
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	UID       string `json:"uid"`
	// Labels are the pod's labels from the Kubernetes API (absent when the collector has no API access). Shared
	// with every event of the pod: never modify.
	Labels map[string]string `json:"labels,omitempty"`
}

// ProcessRef is the process an event happened in.
type ProcessRef struct {
	Pid     uint32   `json:"pid"`
	Ppid    uint32   `json:"ppid"`
	Exe     string   `json:"exe"`
	Args    []string `json:"args"`
	UID     *uint32  `json:"uid,omitempty"`
	Cwd     string   `json:"cwd,omitempty"`
	StartNs uint64   `json:"startNs,omitempty"`
}

// Event is one normalized observation. Details holds the kind's detail struct below.
type Event struct {
	ID          string      `json:"id"`
	Time        string      `json:"time"`
	Node        string      `json:"node"`
	Source      string      `json:"source"`
	Kind        string      `json:"kind"`
	Pod         *PodRef     `json:"pod"`
	ContainerID *string     `json:"containerId"`
	Process     *ProcessRef `json:"process"`
	Details     any         `json:"details"`
}

type ExecDetails struct {
	Filename string `json:"filename"`
}

type ExitDetails struct {
	ExitCode   int      `json:"exitCode"`
	DurationMs *float64 `json:"durationMs,omitempty"`
}

type SocketDetails struct {
	Protocol string `json:"protocol"`
	Family   int    `json:"family"`
	SrcIP    string `json:"srcIp"`
	SrcPort  uint16 `json:"srcPort"`
	DstIP    string `json:"dstIp"`
	DstPort  uint16 `json:"dstPort"`
	DNSName  string `json:"dnsName,omitempty"`
}

type CloseDetails struct {
	SocketDetails
	BytesSent     uint64   `json:"bytesSent"`
	BytesReceived uint64   `json:"bytesReceived"`
	DurationMs    *float64 `json:"durationMs,omitempty"`
}

type DNSQueryDetails struct {
	QueryName string `json:"queryName"`
	QueryType string `json:"queryType"`
	Server    string `json:"server"`
}

type DNSAnswerDetails struct {
	QueryName string   `json:"queryName"`
	QueryType string   `json:"queryType"`
	Rcode     string   `json:"rcode"`
	Answers   []string `json:"answers"`
}

type FileOpenDetails struct {
	Path string `json:"path"`
	// RawPath is the path as the process wrote it when it differed from the canonical Path (relative, `..`).
	RawPath  string   `json:"rawPath,omitempty"`
	Flags    []string `json:"flags"`
	Category string   `json:"category"`
	Errno    int      `json:"errno"`
}

type SyscallFirstDetails struct {
	Syscall string `json:"syscall"`
	Nr      uint32 `json:"nr"`
}

type VerdictDetails struct {
	Mode     string `json:"mode"`
	Action   string `json:"action"`
	Protocol string `json:"protocol"`
	DstIP    string `json:"dstIp"`
	DstPort  uint16 `json:"dstPort"`
	Count    uint64 `json:"count"`
}

type Framework struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

type ClassifiedDetails struct {
	Role       string      `json:"role"`
	Reasons    []string    `json:"reasons"`
	Frameworks []Framework `json:"frameworks"`
}

// Event kinds, exactly as shared/model/event.ts names them.
const (
	KindExec         = "process.exec"
	KindExit         = "process.exit"
	KindConnect      = "net.connect"
	KindAccept       = "net.accept"
	KindClose        = "net.close"
	KindDNSQuery     = "dns.query"
	KindDNSAnswer    = "dns.answer"
	KindFileOpen     = "file.open"
	KindSyscallFirst = "syscall.first"
	KindHTTPRequest  = "http.request"
	KindLLMRequest   = "llm.request"
	KindLLMResponse  = "llm.response"
	KindClassified   = "workload.classified"
	KindVerdict      = "enforce.verdict"
)
