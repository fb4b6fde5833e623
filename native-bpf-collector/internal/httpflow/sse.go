package httpflow

import "bytes"

// sseDecoder splits a text/event-stream body into events as its bytes arrive, so a long streamed answer is folded
// into bounded state instead of being buffered whole.
type sseDecoder struct {
	line      []byte
	event     string
	data      []byte
	hasData   bool
	maxEvent  int
	oversized bool // the current event grew past maxEvent and will be dropped
	dropped   int  // events dropped for size
	onEvent   func(event string, data []byte)
	lastCR    bool
}

func newSSEDecoder(maxEvent int, onEvent func(event string, data []byte)) *sseDecoder {
	return &sseDecoder{maxEvent: maxEvent, onEvent: onEvent}
}

func (d *sseDecoder) write(p []byte) {
	for len(p) > 0 {
		if d.lastCR && p[0] == '\n' {
			p = p[1:] // the LF of a CRLF whose CR ended the previous line
			d.lastCR = false
			continue
		}
		d.lastCR = false
		i := bytes.IndexAny(p, "\r\n")
		if i < 0 {
			d.appendLine(p)
			return
		}
		d.appendLine(p[:i])
		d.lastCR = p[i] == '\r'
		p = p[i+1:]
		d.endLine()
	}
}

func (d *sseDecoder) appendLine(p []byte) {
	if len(d.line)+len(p) > d.maxEvent {
		d.oversized = true
		return
	}
	d.line = append(d.line, p...)
}

func (d *sseDecoder) endLine() {
	line := d.line
	d.line = d.line[:0]
	if len(line) == 0 {
		d.dispatch()
		return
	}
	if line[0] == ':' {
		return // comment (keep-alive)
	}
	field, value, _ := bytes.Cut(line, []byte(":"))
	value = bytes.TrimPrefix(value, []byte(" "))
	switch string(field) {
	case "event":
		d.event = string(value)
	case "data":
		if len(d.data)+len(value)+1 > d.maxEvent {
			d.oversized = true
			return
		}
		if d.hasData {
			d.data = append(d.data, '\n')
		}
		d.data = append(d.data, value...)
		d.hasData = true
	}
}

func (d *sseDecoder) dispatch() {
	if d.oversized {
		d.dropped++
	} else if d.hasData {
		d.onEvent(d.event, d.data)
	}
	d.event, d.data, d.hasData, d.oversized = "", d.data[:0], false, false
}

// finish dispatches an event the stream ended without terminating.
func (d *sseDecoder) finish() {
	if len(d.line) > 0 {
		d.endLine()
	}
	d.dispatch()
}

// looksLikeSSE recognises an event stream served without its content type.
func looksLikeSSE(p []byte) bool {
	p = bytes.TrimLeft(p, " \r\n")
	return bytes.HasPrefix(p, []byte("data:")) || bytes.HasPrefix(p, []byte("event:"))
}
