package httpflow

import (
	"container/list"
	"time"
)

// Tracker follows many connections at once. It is not safe for concurrent use: the collector feeds it from the
// one goroutine that drains the TLS ring buffer, in the order the chunks were captured.
type Tracker struct {
	opts   Options
	limits limits
	conns  map[ConnKey]*conn
	// lru orders connections from most (front) to least recently fed, for idle and pressure eviction.
	lru   *list.List
	held  int
	stats Stats
}

func NewTracker(opts Options) *Tracker {
	t := &Tracker{opts: opts.withDefaults(), conns: map[ConnKey]*conn{}, lru: list.New()}
	t.limits = limits{maxText: t.opts.MaxText, maxMessages: t.opts.MaxMessages, truncated: &t.stats.TruncatedFields}
	return t
}

// Feed takes the next plaintext chunk of a connection in one direction and returns the records it completes, all
// belonging to that connection. Bytes that are not HTTP/1.x are counted in Stats and otherwise ignored.
func (t *Tracker) Feed(key ConnKey, dir Direction, data []byte, at time.Time) []Record {
	if dir != Egress && dir != Ingress {
		return nil
	}
	t.evictIdle(at)
	c := t.conns[key]
	if c == nil {
		t.makeRoomForConnection()
		c = newConn(t, key)
		t.conns[key] = c
		c.element = t.lru.PushFront(c)
	} else {
		t.lru.MoveToFront(c.element)
	}
	if at.After(c.lastSeen) {
		c.lastSeen = at
	}
	c.feed(dir, data, at)
	t.account(c)
	out := c.takeRecords()
	t.evictForMemory(c)
	return out
}

// Close flushes and forgets a connection that the process closed.
func (t *Tracker) Close(key ConnKey) []Record {
	c := t.conns[key]
	if c == nil {
		return nil
	}
	out := c.close()
	t.forget(c)
	return out
}

// Stats is a snapshot of counters and current occupancy.
func (t *Tracker) Stats() Stats {
	s := t.stats
	s.OpenConnections = len(t.conns)
	s.BufferedBytes = t.held
	return s
}

// account updates the bytes the tracker holds after a connection changed.
func (t *Tracker) account(c *conn) {
	now := c.heldBytes()
	t.held += now - c.held
	c.held = now
}

func (t *Tracker) forget(c *conn) {
	t.held -= c.held
	t.lru.Remove(c.element)
	delete(t.conns, c.key)
}

// evict drops a connection without flushing it: its records would belong to another connection's Feed call.
func (t *Tracker) evict(c *conn) {
	c.dropPending()
	t.forget(c)
}

func (t *Tracker) evictIdle(now time.Time) {
	for {
		back := t.lru.Back()
		if back == nil {
			return
		}
		c := back.Value.(*conn)
		if now.Sub(c.lastSeen) <= t.opts.IdleTimeout {
			return
		}
		t.stats.EvictedIdle++
		t.evict(c)
	}
}

func (t *Tracker) makeRoomForConnection() {
	for len(t.conns) >= t.opts.MaxConnections {
		t.stats.EvictedPressure++
		t.evict(t.lru.Back().Value.(*conn))
	}
}

// evictForMemory drops least recently used connections while the tracker holds more than its byte bound. The
// connection just fed goes last: if it alone exceeds the bound, it is dropped too.
func (t *Tracker) evictForMemory(current *conn) {
	for t.held > t.opts.MaxBufferedBytes {
		back := t.lru.Back()
		c := back.Value.(*conn)
		if c == current && t.lru.Len() > 1 {
			c = back.Prev().Value.(*conn)
		}
		t.stats.EvictedPressure++
		t.evict(c)
	}
}
