package httpflow

import (
	"container/list"
	"errors"
	"strings"
	"time"
)

// conn pairs the requests of one direction with the responses of the other, first in first out (HTTP/1.1
// pipelining answers in order). Whichever side sends requests is the client; the observed process may be either.
type conn struct {
	t        *Tracker
	key      ConnKey
	streams  [2]stream
	pending  []*pendingRequest
	lastSeen time.Time
	element  *list.Element
	held     int
	// opaque connections switched to another protocol (HTTP/2, WebSocket, a CONNECT tunnel) or never spoke HTTP.
	opaque bool
	// sawMessage tells a broken HTTP stream (a parse failure) from a connection that never was HTTP/1.
	sawMessage bool
	out        []Record
}

type pendingRequest struct {
	method, host, path string
	at                 time.Time
	inbound            bool
	bodyBytes          int64
	llm                *LLMRequest
	api                *llmAPI
}

func newConn(t *Tracker, key ConnKey) *conn {
	c := &conn{t: t, key: key}
	c.streams[Egress].dir, c.streams[Ingress].dir = Egress, Ingress
	return c
}

func (c *conn) feed(dir Direction, p []byte, at time.Time) {
	if c.opaque {
		c.t.stats.SkippedBytes += int64(len(p))
		return
	}
	s := &c.streams[dir]
	if err := s.feed(c, p, at); err != nil {
		c.fail(err)
	}
}

// fail resets both directions: once framing is lost on one side, pairing with the other side is lost too.
func (c *conn) fail(err error) {
	switch {
	case errors.Is(err, errHTTP2):
		c.t.stats.NotHTTP++
		c.opaque = true
	case !c.sawMessage && errors.Is(err, errNotHTTPStart):
		c.t.stats.NotHTTP++
	default:
		c.t.stats.ParseFailures++
	}
	c.dropPending()
	c.streams[Egress].reset()
	c.streams[Ingress].reset()
}

func (c *conn) dropPending() {
	for _, pr := range c.pending {
		if pr.llm == nil {
			c.t.stats.DroppedPending++
		}
	}
	c.pending = nil
}

func (c *conn) onHead(s *stream, at time.Time) error {
	c.sawMessage = true
	m := s.msg
	h := m.head
	if h.isRequest {
		m.keepBody = h.method == "POST" || h.method == "PUT" || h.method == "PATCH"
		m.body.limit = c.t.opts.MaxBody
		if m.keepBody && h.contentLength > 0 {
			m.body.kept = make([]byte, 0, min(h.contentLength, int64(m.body.limit)))
		}
		switch {
		case h.chunked:
			s.startBody(c, bodyChunked, 0, at)
		case h.contentLength > 0:
			s.startBody(c, bodyFixed, h.contentLength, at)
		default:
			s.startBody(c, bodyNone, 0, at)
		}
		return nil
	}

	if h.status >= 100 && h.status < 200 && h.status != 101 {
		s.msg = nil // 100 Continue and 103 Early Hints precede the real response
		return nil
	}
	if len(c.pending) > 0 {
		m.request = c.pending[0]
	}
	method := ""
	if m.request != nil {
		method = m.request.method
		if m.request.llm != nil {
			c.prepareAnswer(m)
		}
	}
	switch {
	case h.status == 101:
		c.opaque = true // the protocol switched (WebSocket, h2c): nothing after this is HTTP/1
		s.startBody(c, bodyNone, 0, at)
	case method == "HEAD" || h.status == 204 || h.status == 304:
		s.startBody(c, bodyNone, 0, at)
	case method == "CONNECT" && h.status < 300:
		c.opaque = true
		s.startBody(c, bodyNone, 0, at)
	case h.chunked:
		s.startBody(c, bodyChunked, 0, at)
	case h.contentLength >= 0:
		s.startBody(c, bodyFixed, h.contentLength, at)
	default:
		s.startBody(c, bodyUntilClose, 0, at)
	}
	return nil
}

// prepareAnswer sets up decoding of an LLM response: a plain event stream is decoded as it arrives, anything
// else (a JSON answer, or a compressed stream) is kept and decoded when complete.
func (c *conn) prepareAnswer(m *message) {
	m.answer = newAnswer(c.t.limits)
	m.keepBody = true
	m.body.limit = c.t.opts.MaxBody
	h := m.head
	if h.contentLength > 0 {
		m.body.kept = make([]byte, 0, min(h.contentLength, int64(m.body.limit)))
	}
	identity := h.contentEncoding == "" || h.contentEncoding == "identity"
	if identity && strings.HasPrefix(h.contentType, "text/event-stream") {
		api, a := m.request.api, m.answer
		m.sse = newSSEDecoder(c.t.opts.MaxBody, func(_ string, data []byte) {
			if api.event(a, data) != nil {
				m.eventErrors++
			}
		})
	}
}

func (c *conn) onComplete(s *stream, at time.Time) {
	m := s.msg
	s.msg, s.state = nil, readingHead
	if c.opaque {
		s.state = resyncing
	}
	if m.head.isRequest {
		c.completeRequest(s, m)
		return
	}
	c.completeResponse(m, at)
}

func (c *conn) completeRequest(s *stream, m *message) {
	h := m.head
	host, path := hostAndPath(h)
	pr := &pendingRequest{
		method:    h.method,
		host:      host,
		path:      path,
		at:        m.started,
		inbound:   s.dir == Ingress,
		bodyBytes: m.body.wireBytes,
	}
	if m.keepBody {
		c.detectLLMRequest(pr, m)
	}
	if len(c.pending) >= c.t.opts.MaxPending {
		if c.pending[0].llm == nil {
			c.t.stats.DroppedPending++
		}
		c.pending = c.pending[1:]
	}
	c.pending = append(c.pending, pr)
}

func (c *conn) detectLLMRequest(pr *pendingRequest, m *message) {
	body, truncated, err := decodeBody(m.head.contentEncoding, m.body.kept, c.t.opts.MaxBody)
	if err != nil {
		c.t.stats.BodyDecodeFailures++
		return
	}
	pathOnly, _, _ := strings.Cut(pr.path, "?")
	api := detectAPI(m.head, pathOnly, body)
	if api == nil {
		return
	}
	if truncated || m.body.truncated {
		c.t.stats.TruncatedBodies++
	}
	req, err := api.parseRequest(body, c.t.limits)
	if err != nil {
		c.t.stats.BodyDecodeFailures++
		req = salvageRequest(body)
	}
	c.finishLLMRequest(req, api, pr)
	pr.llm, pr.api = req, api
	c.t.stats.LLMRequests++
	c.out = append(c.out, req)
}

// finishLLMRequest fills in where the request went and applies redaction and the schema bounds.
func (c *conn) finishLLMRequest(req *LLMRequest, api *llmAPI, pr *pendingRequest) {
	l := c.t.limits
	req.Provider = api.provider
	req.Host = l.short(pr.host, maxHost)
	req.Path = l.short(pr.path, maxPath)
	req.Model = l.short(req.Model, maxModel)
	req.At, req.Inbound = pr.at, pr.inbound
	for i := range req.Messages {
		m := &req.Messages[i]
		m.Role = l.short(m.Role, maxRole)
		m.Content = l.body(m.Content)
		m.ToolCallID = l.short(m.ToolCallID, maxID)
		m.Name = l.short(m.Name, maxName)
	}
	req.Messages = l.messages(req.Messages)
	for i := range req.Tools {
		req.Tools[i].Name = l.short(req.Tools[i].Name, maxName)
		req.Tools[i].Description = l.text(req.Tools[i].Description, maxDescription)
	}
	req.Tools = boundList(l, req.Tools)
	for i := range req.ToolResults {
		req.ToolResults[i].ToolCallID = l.short(req.ToolResults[i].ToolCallID, maxID)
		req.ToolResults[i].Content = l.body(req.ToolResults[i].Content)
	}
	req.ToolResults = boundList(l, req.ToolResults)
	// Lists are never null on the wire: the schema wants arrays.
	if req.Messages == nil {
		req.Messages = []Message{}
	}
	if req.Tools == nil {
		req.Tools = []Tool{}
	}
	if req.ToolResults == nil {
		req.ToolResults = []ToolResult{}
	}
}

func (c *conn) completeResponse(m *message, at time.Time) {
	pr := m.request
	if pr == nil {
		c.t.stats.UnpairedResponses++
		return
	}
	c.removePending(pr)
	if m.body.truncated {
		c.t.stats.TruncatedBodies++
	}
	if pr.llm == nil {
		c.t.stats.HTTPRequests++
		c.out = append(c.out, &HTTPRequest{
			Host:    c.t.limits.short(pr.host, maxHost),
			Method:  c.t.limits.short(pr.method, maxMethod),
			Path:    c.t.limits.short(pr.path, maxPath),
			Status:  m.head.status,
			Bytes:   pr.bodyBytes + m.body.wireBytes,
			At:      pr.at,
			Inbound: pr.inbound,
		})
		return
	}
	c.out = append(c.out, c.llmResponse(m, pr, at))
}

func (c *conn) llmResponse(m *message, pr *pendingRequest, at time.Time) *LLMResponse {
	a := m.answer
	switch {
	case m.sse != nil:
		m.sse.finish()
		if m.sse.dropped > 0 {
			c.t.stats.TruncatedBodies++
		}
	default:
		c.decodeKeptAnswer(m, pr.api, a)
	}
	if m.eventErrors > 0 {
		c.t.stats.BodyDecodeFailures++
	}
	resp := a.response(c.t.limits, pr.llm.Model)
	resp.Provider, resp.Host, resp.Path = pr.llm.Provider, pr.llm.Host, pr.llm.Path
	resp.Status, resp.At, resp.Inbound, resp.Request = m.head.status, at, pr.inbound, pr.llm
	c.t.stats.LLMResponses++
	return resp
}

func (c *conn) decodeKeptAnswer(m *message, api *llmAPI, a *answer) {
	body, truncated, err := decodeBody(m.head.contentEncoding, m.body.kept, c.t.opts.MaxBody)
	if err != nil {
		c.t.stats.BodyDecodeFailures++
		return
	}
	if truncated {
		c.t.stats.TruncatedBodies++
	}
	if strings.HasPrefix(m.head.contentType, "text/event-stream") || looksLikeSSE(body) {
		decoder := newSSEDecoder(c.t.opts.MaxBody, func(_ string, data []byte) {
			if api.event(a, data) != nil {
				m.eventErrors++
			}
		})
		decoder.write(body)
		decoder.finish()
		return
	}
	if api.whole(a, body) != nil {
		if m.head.status >= 200 && m.head.status < 300 {
			c.t.stats.BodyDecodeFailures++
		} else {
			a.errorMessage = string(body) // a proxy's or gateway's plain-text error page
		}
	}
}

// removePending takes a request off the queue once answered. It is the head of the queue unless the queue
// overflowed (MaxPending) while its response was arriving.
func (c *conn) removePending(pr *pendingRequest) {
	for i, p := range c.pending {
		if p == pr {
			c.pending = append(c.pending[:i], c.pending[i+1:]...)
			return
		}
	}
}

// close completes what the end of the connection completes: a body delimited by the close, a streamed answer cut
// short, and requests that will now never get a response.
func (c *conn) close() []Record {
	if !c.opaque {
		for dir := range c.streams {
			s := &c.streams[dir]
			m := s.msg
			if m == nil || m.head == nil {
				continue
			}
			switch {
			case s.state == readingBodyUntilClose:
				c.onComplete(s, c.lastSeen)
			case m.head.isRequest:
				c.t.stats.DroppedPending++ // its body never finished: nothing reliable to report
				s.msg = nil
			case m.request != nil:
				// A response cut short still says how the server answered, and a streamed answer what arrived.
				c.t.stats.TruncatedBodies++
				s.msg = nil
				c.completeResponse(m, c.lastSeen)
			}
		}
	}
	for _, pr := range c.pending {
		if pr.llm != nil {
			continue // its request record went out already; no answer came
		}
		c.t.stats.HTTPRequests++
		c.out = append(c.out, &HTTPRequest{
			Host:    c.t.limits.short(pr.host, maxHost),
			Method:  c.t.limits.short(pr.method, maxMethod),
			Path:    c.t.limits.short(pr.path, maxPath),
			Bytes:   pr.bodyBytes,
			At:      pr.at,
			Inbound: pr.inbound,
		})
	}
	c.pending = nil
	return c.takeRecords()
}

func (c *conn) takeRecords() []Record {
	out := c.out
	c.out = nil
	return out
}

func (c *conn) heldBytes() int {
	return c.streams[Egress].heldBytes() + c.streams[Ingress].heldBytes()
}
