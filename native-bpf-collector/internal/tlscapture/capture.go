package tlscapture

import (
	"sync"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/classify"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/httpflow"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/model"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/pipeline"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/probes"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/profile"
)

// Capture feeds TLS plaintext to the HTTP/LLM tracker and emits what it completes. It runs on the pipeline's
// goroutine (the tracker is not safe for concurrent use, and chunks must arrive in capture order).
type Capture struct {
	// statsMu guards stats, a copy of the tracker's counters taken after each chunk, for the metrics endpoint
	// (the tracker itself is only touched by the pipeline goroutine).
	statsMu sync.Mutex
	stats   httpflow.Stats
	pipe    *pipeline.Pipeline
	tracker *httpflow.Tracker
	// lastRequest pairs an llm.response with the llm.request event on the same connection.
	lastRequest map[httpflow.ConnKey]string
	// OnLLMCall is told when a process sends a request to an LLM API (for workload classification).
	OnLLMCall func(ctx pipeline.EventContext, pid uint32, provider, host string)
	// OnMCPInitialize is told when a process sends (an MCP client) or receives (an MCP server) an MCP initialize
	// request over HTTP through TLS. Each captured chunk is looked at alone — a request is a few hundred bytes and
	// arrives in one SSL_write/SSL_read in practice — after a cheap substring check, so other traffic costs a scan.
	OnMCPInitialize func(ctx pipeline.EventContext, pid uint32, sent bool)
}

func NewCapture(pipe *pipeline.Pipeline) *Capture {
	return &Capture{pipe: pipe, lastRequest: map[httpflow.ConnKey]string{},
		tracker: httpflow.NewTracker(httpflow.Options{MaxBody: 1 << 20, MaxBufferedBytes: 32 << 20, MaxConnections: 4096})}
}

// Handle takes one TLS chunk.
func (c *Capture) Handle(ctx pipeline.EventContext, record *probes.TLSHeader, data []byte) {
	key := httpflow.ConnKey{PID: record.H.Pid, Conn: record.Conn}
	defer func() {
		stats := c.tracker.Stats()
		c.statsMu.Lock()
		c.stats = stats
		c.statsMu.Unlock()
	}()
	switch record.Direction {
	case directionClosed:
		// SSL_free: what the connection still holds (a body ended by the close, a cut answer, a request that never
		// got one) is reported now. The tracker ignores SSL objects it never saw.
		c.emit(ctx, key, record.H.Pid, c.tracker.Close(key))
		delete(c.lastRequest, key)
	case directionIngress:
		c.noticeMCP(ctx, record.H.Pid, data, false)
		c.emit(ctx, key, record.H.Pid, c.tracker.Feed(key, httpflow.Ingress, data, ctx.At))
	default:
		c.noticeMCP(ctx, record.H.Pid, data, true)
		c.emit(ctx, key, record.H.Pid, c.tracker.Feed(key, httpflow.Egress, data, ctx.At))
	}
}

func (c *Capture) noticeMCP(ctx pipeline.EventContext, pid uint32, data []byte, sent bool) {
	if c.OnMCPInitialize != nil && classify.MayHoldMCPRequest(data) && classify.LooksLikeMCPInitialize(data) {
		c.OnMCPInitialize(ctx, pid, sent)
	}
}

// Directions of a TLS record (bpf/tls/tls.bpf.c).
const (
	directionIngress = 1
	directionClosed  = 2
)

func (c *Capture) emit(ctx pipeline.EventContext, key httpflow.ConnKey, pid uint32, records []httpflow.Record) {
	for _, r := range records {
		switch rec := r.(type) {
		case *httpflow.HTTPRequest:
			c.pipe.Emit(ctx, model.KindHTTPRequest, rec)
		case *httpflow.LLMRequest:
			c.lastRequest[key] = c.pipe.Emit(ctx, model.KindLLMRequest, rec)
			if len(c.lastRequest) > 8192 {
				c.lastRequest = map[httpflow.ConnKey]string{key: c.lastRequest[key]}
			}
			tools := make([]string, 0, len(rec.Tools))
			for _, t := range rec.Tools {
				tools = append(tools, t.Name)
			}
			c.pipe.Observe(ctx, profile.Observation{LLM: &profile.LLMEndpoint{Provider: rec.Provider, Host: rec.Host, Path: rec.Path, Model: rec.Model}, Tools: tools})
			if c.OnLLMCall != nil && !rec.Inbound {
				c.OnLLMCall(ctx, pid, rec.Provider, rec.Host)
			}
		case *httpflow.LLMResponse:
			details := llmResponseDetails{LLMResponse: rec, RequestEventID: c.lastRequest[key]}
			c.pipe.Emit(ctx, model.KindLLMResponse, details)
			tools := make([]string, 0, len(rec.ToolCalls))
			for _, call := range rec.ToolCalls {
				tools = append(tools, call.Name)
			}
			c.pipe.Observe(ctx, profile.Observation{Tools: tools})
		}
	}
}

type llmResponseDetails struct {
	*httpflow.LLMResponse
	RequestEventID string `json:"requestEventId,omitempty"`
}

// Stats returns the tracker's counters as of the last chunk (parse failures and evictions are loss and are exported
// as metrics). Safe from any goroutine.
func (c *Capture) Stats() httpflow.Stats {
	c.statsMu.Lock()
	defer c.statsMu.Unlock()
	return c.stats
}
