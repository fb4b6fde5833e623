package main

import (
	"errors"
	"log"
	"os"
	"time"

	"github.com/cilium/ebpf/ringbuf"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/enforce"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/model"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/pipeline"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/probes"
)

type reader struct {
	rb   *ringbuf.Reader
	done chan struct{}
}

// startReader drains the ring buffer into the pipeline on one goroutine (the pipeline is single-threaded).
func startReader(set *probes.Set, pipe *pipeline.Pipeline) (*reader, error) {
	rb, err := ringbuf.NewReader(set.Events)
	if err != nil {
		return nil, err
	}
	r := &reader{rb: rb, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		var record ringbuf.Record
		for {
			// Producers skip the wakeup until the ring is an eighth full; this deadline bounds the latency.
			rb.SetDeadline(time.Now().Add(50 * time.Millisecond))
			if err := rb.ReadInto(&record); err != nil {
				if errors.Is(err, os.ErrDeadlineExceeded) {
					continue
				}
				if errors.Is(err, ringbuf.ErrClosed) || errors.Is(err, os.ErrClosed) {
					return
				}
				log.Printf("ring buffer: %v", err)
				continue
			}
			pipe.Handle(record.RawSample)
		}
	}()
	return r, nil
}

func (r *reader) Close() {
	r.rb.Close()
	<-r.done
}

// pollVerdicts turns the enforcement counters into enforce.verdict events: one per destination per second with
// the count since the last one.
func pollVerdicts(manager *enforce.Manager, pipe *pipeline.Pipeline, stop <-chan struct{}) {
	type key struct {
		cgroup              uint64
		action, proto, addr string
		port                uint16
	}
	seen := map[key]uint64{}
	for _, v := range manager.Verdicts() {
		seen[key{v.CgroupID, v.Action, v.Protocol, v.DstIP, v.DstPort}] = v.Count
	}
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-stop:
			return
		case <-ticker.C:
		}
		for _, v := range manager.Verdicts() {
			k := key{v.CgroupID, v.Action, v.Protocol, v.DstIP, v.DstPort}
			if v.Count <= seen[k] {
				seen[k] = v.Count
				continue
			}
			delta := v.Count - seen[k]
			seen[k] = v.Count
			mode := "audit"
			if v.Action == "dropped" {
				mode = "enforce"
			}
			pipe.EmitFromCgroup(v.CgroupID, model.KindVerdict, model.VerdictDetails{Mode: mode, Action: v.Action,
				Protocol: v.Protocol, DstIP: v.DstIP, DstPort: v.DstPort, Count: delta})
		}
	}
}
