package tlscapture

import (
	"sync"

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
}

func NewCapture(pipe *pipeline.Pipeline) *Capture {
	return &Capture{pipe: pipe, lastRequest: map[httpflow.ConnKey]string{},
		tracker: httpflow.NewTracker(httpflow.Options{MaxBody: 1 << 20, MaxBufferedBytes: 32 << 20, MaxConnections: 4096})}
}

// Handle takes one TLS chunk.
func (c *Capture) Handle(ctx pipeline.EventContext, record *probes.TLSHeader, data []byte) {
	key := httpflow.ConnKey{PID: record.H.Pid, Conn: record.Conn}
	direction := httpflow.Egress
	if record.Direction == 1 {
		direction = httpflow.Ingress
	}
	defer func() {
		stats := c.tracker.Stats()
		c.statsMu.Lock()
		c.stats = stats
		c.statsMu.Unlock()
	}()
	for _, r := range c.tracker.Feed(key, direction, data, ctx.At) {
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
				c.OnLLMCall(ctx, record.H.Pid, rec.Provider, rec.Host)
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
