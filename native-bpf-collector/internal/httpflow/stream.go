package httpflow

import (
	"bytes"
	"errors"
	"strconv"
	"time"
)

// streamState is where one direction of a connection is in the HTTP/1.x framing.
type streamState uint8

const (
	readingHead streamState = iota
	readingFixedBody
	readingChunkedBody
	readingBodyUntilClose
	// resyncing drops bytes until a Feed call starts with something that looks like a new message: TLS writes
	// usually start at message boundaries, so parsing recovers after a gap or a capture that began mid-message.
	resyncing
)

type chunkPhase uint8

const (
	chunkSizeLine chunkPhase = iota
	chunkData
	chunkDataEnd
	chunkTrailer
)

// maxChunkLine bounds a chunk-size or trailer line.
const maxChunkLine = 4096

var (
	errHeadTooLarge  = errors.New("headers larger than the limit")
	errNotHTTPStart  = errors.New("bytes do not start an HTTP/1.x message")
	errBadChunk      = errors.New("malformed chunked encoding")
	errChunkLineLong = errors.New("chunk line larger than the limit")
)

// stream parses the bytes of one direction of a connection.
type stream struct {
	dir       Direction
	state     streamState
	buf       []byte // an incomplete head, chunk-size line or trailer line
	msg       *message
	remaining int64
	phase     chunkPhase
}

// message is the HTTP message being read on a stream.
type message struct {
	head    *head
	started time.Time
	body    bodyKeeper
	// keepBody is false when nothing in the body will be parsed; its bytes are only counted.
	keepBody bool
	// request is the request a response answers (nil for requests and unpaired responses).
	request *pendingRequest
	// streamed LLM answers are decoded as they arrive instead of being kept.
	sse    *sseDecoder
	answer *answer
	// eventErrors counts streamed events that did not decode.
	eventErrors int
}

func (m *message) write(p []byte) {
	if m.sse != nil {
		m.body.wireBytes += int64(len(p))
		m.sse.write(p)
		return
	}
	if m.keepBody {
		m.body.write(p)
		return
	}
	m.body.wireBytes += int64(len(p))
}

// heldBytes approximates the memory this stream holds, for the tracker's byte bound.
func (s *stream) heldBytes() int {
	n := cap(s.buf)
	if s.msg != nil {
		n += cap(s.msg.body.kept)
		if s.msg.sse != nil {
			n += cap(s.msg.sse.line) + cap(s.msg.sse.data)
		}
		if s.msg.answer != nil {
			n += s.msg.answer.content.b.Len()
			for _, c := range s.msg.answer.calls {
				n += c.args.b.Len()
			}
		}
	}
	return n
}

// feed consumes p. It calls c.onHead when a head is complete and c.onComplete when a message is.
func (s *stream) feed(c *conn, p []byte, at time.Time) error {
	if s.state == resyncing {
		if !startsMessage(p) {
			c.t.stats.SkippedBytes += int64(len(p))
			return nil
		}
		s.state = readingHead
	}
	for len(p) > 0 {
		var err error
		switch s.state {
		case readingHead:
			p, err = s.readHead(c, p, at)
		case readingFixedBody:
			n := int64(len(p))
			if n > s.remaining {
				n = s.remaining
			}
			s.msg.write(p[:n])
			p = p[n:]
			s.remaining -= n
			if s.remaining == 0 {
				c.onComplete(s, at)
			}
		case readingChunkedBody:
			p, err = s.readChunked(c, p, at)
		case readingBodyUntilClose:
			s.msg.write(p)
			p = nil
		case resyncing:
			// A message ended with connection-level opacity (upgrade) or a reset inside this call.
			c.t.stats.SkippedBytes += int64(len(p))
			p = nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// startsMessage is the strict check used to resynchronise: a known method or a status line.
func startsMessage(p []byte) bool {
	if bytes.HasPrefix(p, []byte("HTTP/1.")) {
		return true
	}
	method, _, found := bytes.Cut(p[:min(len(p), 16)], []byte(" "))
	if !found {
		return false
	}
	switch string(method) {
	case "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE":
		return true
	}
	return false
}

func (s *stream) readHead(c *conn, p []byte, at time.Time) ([]byte, error) {
	if len(s.buf) == 0 {
		// Blank lines between messages are allowed (RFC 9112 section 2.2).
		p = bytes.TrimLeft(p, "\r\n")
		if len(p) == 0 {
			return nil, nil
		}
		if bytes.HasPrefix(p, http2Preface[:min(len(p), len(http2Preface))]) && len(p) >= 3 {
			return nil, errHTTP2
		}
		if !plausibleStart(p[:min(len(p), 24)]) {
			return nil, errNotHTTPStart
		}
		if s.msg == nil {
			s.msg = &message{started: at}
		}
	}
	from := 0
	data := p
	if len(s.buf) > 0 {
		from = max(0, len(s.buf)-3)
		s.buf = append(s.buf, p...)
		data = s.buf
	}
	headLen, total := findHeadEnd(data[from:])
	if headLen < 0 {
		if len(s.buf) == 0 {
			s.buf = append(s.buf, p...)
		}
		if len(s.buf) > maxHeaderBytes {
			return nil, errHeadTooLarge
		}
		if !plausibleStart(s.buf[:min(len(s.buf), 24)]) {
			return nil, errNotHTTPStart
		}
		return nil, nil
	}
	headLen, total = headLen+from, total+from
	if headLen > maxHeaderBytes {
		return nil, errHeadTooLarge
	}
	h, err := parseHead(data[:headLen])
	if err != nil {
		return nil, err
	}
	rest := data[total:]
	s.buf = nil
	if s.msg == nil {
		s.msg = &message{started: at}
	}
	s.msg.head = h
	if err := c.onHead(s, at); err != nil {
		return nil, err
	}
	return rest, nil
}

// startBody sets the framing of the current message's body; a message without a body completes at once.
func (s *stream) startBody(c *conn, framing bodyFraming, length int64, at time.Time) {
	switch framing {
	case bodyNone:
		c.onComplete(s, at)
	case bodyFixed:
		if length == 0 {
			c.onComplete(s, at)
			return
		}
		s.state, s.remaining = readingFixedBody, length
	case bodyChunked:
		s.state, s.phase = readingChunkedBody, chunkSizeLine
	case bodyUntilClose:
		s.state = readingBodyUntilClose
	}
}

// readLine returns a complete line (LF-terminated, CR trimmed) gathered across calls, or ok=false when p ended
// first and was buffered.
func (s *stream) readLine(p []byte) (line, rest []byte, ok bool, err error) {
	i := bytes.IndexByte(p, '\n')
	if i < 0 {
		if len(s.buf)+len(p) > maxChunkLine {
			return nil, nil, false, errChunkLineLong
		}
		s.buf = append(s.buf, p...)
		return nil, nil, false, nil
	}
	line = p[:i]
	if len(s.buf) > 0 {
		line = append(s.buf, line...)
		s.buf = nil
	}
	if len(line) > maxChunkLine {
		return nil, nil, false, errChunkLineLong
	}
	return bytes.TrimSuffix(line, []byte("\r")), p[i+1:], true, nil
}

func (s *stream) readChunked(c *conn, p []byte, at time.Time) ([]byte, error) {
	for len(p) > 0 {
		switch s.phase {
		case chunkSizeLine:
			line, rest, ok, err := s.readLine(p)
			if err != nil || !ok {
				return nil, err
			}
			p = rest
			sizeText, _, _ := bytes.Cut(line, []byte(";"))
			size, err := strconv.ParseInt(string(bytes.TrimSpace(sizeText)), 16, 64)
			if err != nil || size < 0 || size > 1<<40 {
				return nil, errBadChunk
			}
			if size == 0 {
				s.phase = chunkTrailer
			} else {
				s.phase, s.remaining = chunkData, size
			}
		case chunkData:
			n := int64(len(p))
			if n > s.remaining {
				n = s.remaining
			}
			s.msg.write(p[:n])
			p = p[n:]
			s.remaining -= n
			if s.remaining == 0 {
				s.phase = chunkDataEnd
			}
		case chunkDataEnd:
			line, rest, ok, err := s.readLine(p)
			if err != nil || !ok {
				return nil, err
			}
			if len(line) != 0 {
				return nil, errBadChunk
			}
			p, s.phase = rest, chunkSizeLine
		case chunkTrailer:
			line, rest, ok, err := s.readLine(p)
			if err != nil || !ok {
				return nil, err
			}
			p = rest
			if len(line) == 0 {
				c.onComplete(s, at)
				return p, nil
			}
		}
	}
	return nil, nil
}

// reset forgets the message in progress and waits for the next message start.
func (s *stream) reset() {
	s.state, s.buf, s.msg, s.remaining, s.phase = resyncing, nil, nil, 0, chunkSizeLine
}

type bodyFraming uint8

const (
	bodyNone bodyFraming = iota
	bodyFixed
	bodyChunked
	bodyUntilClose
)
