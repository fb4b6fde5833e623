// Package stream holds the on-node event buffer: the newest serialized events in a memory ring, all of them in a
// journal in the state directory (bounded by the resume horizon), under sequence-number cursors. A restarted
// collector serves the same events under the same cursors. Clients read at their own pace (no per-client queue to
// overflow): recent events come from memory, older ones from the journal, and one that falls behind the horizon is
// told how many events it missed.
package stream

import (
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/model"
)

// Record is one buffered event.
type Record struct {
	Seq    uint64
	TimeNs int64 // unix ns, for --since
	JSON   []byte
}

type Buffer struct {
	node, boot string
	mu         sync.Mutex
	ring       []Record
	head       int // index of the oldest record
	count      int
	nextSeq    uint64
	changed    chan struct{}
	journal    *Journal
}

// NewBuffer makes a ring of capacity events. With a journal, the ring starts with the journal's newest events and
// numbering continues after them.
func NewBuffer(node, boot string, capacity int, journal *Journal) (*Buffer, error) {
	b := &Buffer{node: node, boot: boot, ring: make([]Record, capacity), nextSeq: 1, changed: make(chan struct{}), journal: journal}
	if journal != nil {
		err := journal.Replay(func(rec Record) {
			b.put(rec)
			b.nextSeq = rec.Seq + 1
		})
		if err != nil {
			return nil, err
		}
	}
	return b, nil
}

func (b *Buffer) put(rec Record) {
	capacity := len(b.ring)
	if b.count < capacity {
		b.ring[(b.head+b.count)%capacity] = rec
		b.count++
		return
	}
	b.ring[b.head] = rec
	b.head = (b.head + 1) % capacity
}

// Append numbers an event, fills its id, serializes it and buffers it. It returns the event's sequence number.
func (b *Buffer) Append(event *model.Event, at time.Time) (uint64, error) {
	b.mu.Lock()
	seq := b.nextSeq
	b.nextSeq++
	event.ID = b.node + "/" + b.boot + "/" + strconv.FormatUint(seq, 10)
	event.Time = at.UTC().Format("2006-01-02T15:04:05.000000000Z")
	encoded, err := json.Marshal(event)
	if err != nil {
		b.mu.Unlock()
		return 0, err
	}
	rec := Record{Seq: seq, TimeNs: at.UnixNano(), JSON: encoded}
	b.put(rec)
	if b.journal != nil {
		b.journal.Write(rec)
	}
	changed := b.changed
	b.changed = make(chan struct{})
	b.mu.Unlock()
	close(changed)
	return seq, nil
}

// Read returns up to max records after the cursor, how many were missed because they left the horizon, and a
// channel that is closed when more arrive.
func (b *Buffer) Read(after uint64, max int) (records []Record, missed uint64, changed <-chan struct{}) {
	b.mu.Lock()
	changed = b.changed
	if b.count == 0 {
		b.mu.Unlock()
		return nil, 0, changed
	}
	oldest := b.ring[b.head].Seq
	if after+1 < oldest && b.journal != nil {
		// Older than memory: read the journal without holding the lock, so appends go on meanwhile.
		b.mu.Unlock()
		records, missed, err := b.journal.ReadAfter(after, max)
		if err == nil && len(records) > 0 {
			return records, missed, changed
		}
		b.mu.Lock()
		oldest = b.ring[b.head].Seq
	}
	defer b.mu.Unlock()
	if after+1 < oldest {
		missed = oldest - after - 1
		after = oldest - 1
	}
	start := int(after + 1 - oldest)
	for i := start; i < b.count && len(records) < max; i++ {
		records = append(records, b.ring[(b.head+i)%len(b.ring)])
	}
	return records, missed, changed
}

// CursorAt returns the cursor just before the first buffered event at or after the time.
func (b *Buffer) CursorAt(t time.Time) uint64 {
	target := t.UnixNano()
	b.mu.Lock()
	olderThanMemory := b.count > 0 && b.ring[b.head].TimeNs > target
	b.mu.Unlock()
	if olderThanMemory && b.journal != nil {
		if cursor, ok := b.journal.CursorAt(target); ok {
			return cursor
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	low, high := 0, b.count
	for low < high {
		mid := (low + high) / 2
		if b.ring[(b.head+mid)%len(b.ring)].TimeNs < target {
			low = mid + 1
		} else {
			high = mid
		}
	}
	if low == b.count {
		return b.nextSeq - 1
	}
	return b.ring[(b.head+low)%len(b.ring)].Seq - 1
}

// Bounds reports the oldest sequence number still readable (0 if none) and the newest.
func (b *Buffer) Bounds() (oldest, newest uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.count == 0 {
		return 0, b.nextSeq - 1
	}
	oldest = b.ring[b.head].Seq
	if b.journal != nil {
		if first := b.journal.Oldest(); first != 0 && first < oldest {
			oldest = first
		}
	}
	return oldest, b.nextSeq - 1
}
