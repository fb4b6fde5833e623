package main

import (
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/api"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/pipeline"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/probes"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/tlscapture"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/workloads"
)

type tlsCapture struct {
	attacher *tlscapture.Attacher
	capture  *tlscapture.Capture
}

func newTLSCapture(set *probes.Set, pipe *pipeline.Pipeline, procRoot string, tracker *workloads.Tracker) *tlsCapture {
	capture := tlscapture.NewCapture(pipe)
	capture.OnLLMCall = tracker.LLMCall
	capture.OnMCPInitialize = tracker.MCPInitialize
	return &tlsCapture{attacher: tlscapture.NewAttacher(set, procRoot), capture: capture}
}

func (t *tlsCapture) onExec(pid uint32, _ string) { t.attacher.ProcessStarted(pid) }

func (t *tlsCapture) handle(ctx pipeline.EventContext, record *probes.TLSHeader, data []byte) {
	t.capture.Handle(ctx, record, data)
}

func (t *tlsCapture) attachKnownLibraries() { t.attacher.AttachSystemLibraries() }

func (t *tlsCapture) Close() { t.attacher.Close() }

// counters are the TLS path's loss figures for /metrics: HTTP/LLM parse failures, truncated bodies, requests
// dropped without their response, processes not inspected for libssl because the attach queue was full.
func (t *tlsCapture) counters() []api.Counter {
	stats := t.capture.Stats()
	return []api.Counter{
		{Name: `vigil_collector_lost_events_total{reason="parse_failure",kind="http"}`, Value: uint64(stats.ParseFailures + stats.BodyDecodeFailures)},
		{Name: `vigil_collector_lost_events_total{reason="body_truncated",kind="http"}`, Value: uint64(stats.TruncatedBodies)},
		{Name: `vigil_collector_lost_events_total{reason="request_dropped",kind="http"}`, Value: uint64(stats.DroppedPending)},
		{Name: `vigil_collector_lost_events_total{reason="queue_overflow",kind="tls.attach"}`, Value: t.attacher.QueueOverflows.Load()},
		{Name: `vigil_collector_tls_attach_failures_total`, Value: t.attacher.AttachFailures.Load()},
		{Name: `vigil_collector_tls_attached_files`, Value: uint64(len(t.attacher.Attached()))},
	}
}
