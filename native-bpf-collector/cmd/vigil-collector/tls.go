package main

import (
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/pipeline"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/probes"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/tlscapture"
)

type tlsCapture struct {
	attacher *tlscapture.Attacher
	capture  *tlscapture.Capture
}

func newTLSCapture(set *probes.Set, pipe *pipeline.Pipeline, procRoot string) *tlsCapture {
	return &tlsCapture{attacher: tlscapture.NewAttacher(set, procRoot), capture: tlscapture.NewCapture(pipe)}
}

func (t *tlsCapture) onExec(pid uint32, _ string) { t.attacher.ProcessStarted(pid) }

func (t *tlsCapture) handle(ctx pipeline.EventContext, record *probes.TLSEvent, data []byte) {
	t.capture.Handle(ctx, record, data)
}

func (t *tlsCapture) attachKnownLibraries() { t.attacher.AttachSystemLibraries() }

func (t *tlsCapture) Close() { t.attacher.Close() }
