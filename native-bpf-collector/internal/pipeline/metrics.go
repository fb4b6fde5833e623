package pipeline

import (
	"sync"
	"sync/atomic"
)

// Counters are the pipeline's own counts; the API renders them with the BPF loss counters as Prometheus text.
type Counters struct {
	mu            sync.Mutex
	eventsByKind  map[string]uint64
	parseFailures map[string]uint64
	Records       atomic.Uint64 // ring buffer records read
	HostEvents    atomic.Uint64 // events from cgroups outside any pod (the node itself)
	BufferErrors  atomic.Uint64
	// UnresolvableOpens: relative or non-canonical opens whose process (cwd, dirfd) was gone before it was read.
	UnresolvableOpens atomic.Uint64
	// MCPUnattributed: MCP initialize requests over plain HTTP whose process could not be named (sent from softirq,
	// or received on a port whose accepting process was not seen), so no process could be classified.
	MCPUnattributed atomic.Uint64
}

func newCounters() *Counters {
	return &Counters{eventsByKind: map[string]uint64{}, parseFailures: map[string]uint64{}}
}

func (c *Counters) event(kind string) {
	c.mu.Lock()
	c.eventsByKind[kind]++
	c.mu.Unlock()
}

func (c *Counters) parseFailure(what string) {
	c.mu.Lock()
	c.parseFailures[what]++
	c.mu.Unlock()
}

// Snapshot copies the counts.
func (c *Counters) Snapshot() (events, parseFailures map[string]uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	events, parseFailures = map[string]uint64{}, map[string]uint64{}
	for k, v := range c.eventsByKind {
		events[k] = v
	}
	for k, v := range c.parseFailures {
		parseFailures[k] = v
	}
	return events, parseFailures
}
