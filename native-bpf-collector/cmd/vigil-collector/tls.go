package main

import (
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
	return &tlsCapture{attacher: tlscapture.NewAttacher(set, procRoot), capture: capture}
}

func (t *tlsCapture) onExec(pid uint32, _ string) { t.attacher.ProcessStarted(pid) }

func (t *tlsCapture) handle(ctx pipeline.EventContext, record *probes.TLSEvent, data []byte) {
	t.capture.Handle(ctx, record, data)
}

func (t *tlsCapture) attachKnownLibraries() { t.attacher.AttachSystemLibraries() }

func (t *tlsCapture) Close() { t.attacher.Close() }
