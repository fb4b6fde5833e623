package httpflow

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
)

// head is the start line and the headers of one HTTP/1.x message, reduced to what framing and LLM detection need.
// Header values are not kept: nothing here may carry a credential out of the parser.
type head struct {
	isRequest bool
	method    string
	target    string
	proto     string
	status    int

	host             string
	contentLength    int64 // -1 when absent
	chunked          bool
	contentType      string
	contentEncoding  string
	connectionClose  bool
	upgrade          bool
	anthropicVersion bool // the anthropic-version header Anthropic's API requires
	apiKeyHeader     bool // x-api-key: Anthropic-style authentication
}

var (
	errBadStartLine = errors.New("malformed start line")
	errBadHeader    = errors.New("malformed header line")
	errBadLength    = errors.New("invalid Content-Length")
	errHTTP2        = errors.New("HTTP/2 connection preface")
)

var http2Preface = []byte("PRI * HTTP/2.0\r\n")

// plausibleStart tells early, from the first bytes, whether a message can start here, so garbage is rejected
// without buffering up to maxHeaderBytes. It returns false when p cannot begin an HTTP/1.x start line.
func plausibleStart(p []byte) bool {
	if len(p) == 0 {
		return true
	}
	if bytes.HasPrefix(p, []byte("HTTP/")) || bytes.HasPrefix([]byte("HTTP/"), p) {
		return true
	}
	// A method is an upper-case token followed by a space.
	for i, c := range p {
		if c == ' ' {
			return i > 0
		}
		if !(c >= 'A' && c <= 'Z' || c == '-' || c == '_') || i >= 20 {
			return false
		}
	}
	return true
}

// parseHead parses the bytes before the empty line that ends the headers (the terminator excluded).
func parseHead(p []byte) (*head, error) {
	if bytes.HasPrefix(p, http2Preface[:len(http2Preface)-2]) {
		return nil, errHTTP2
	}
	line, rest := nextLine(p)
	h := &head{contentLength: -1}
	if err := h.parseStartLine(line); err != nil {
		return nil, err
	}
	seenLength := false
	for len(rest) > 0 {
		line, rest = nextLine(rest)
		if len(line) == 0 {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue // obsolete line folding: the continuation of a header we do not need
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			return nil, errBadHeader
		}
		name := line[:colon]
		value := strings.TrimSpace(string(line[colon+1:]))
		switch {
		case equalFold(name, "host"):
			h.host = value
		case equalFold(name, "content-length"):
			n, err := strconv.ParseInt(value, 10, 64)
			if err != nil || n < 0 || (seenLength && n != h.contentLength) {
				return nil, errBadLength
			}
			h.contentLength, seenLength = n, true
		case equalFold(name, "transfer-encoding"):
			h.chunked = hasToken(value, "chunked")
		case equalFold(name, "content-type"):
			h.contentType = strings.ToLower(value)
		case equalFold(name, "content-encoding"):
			h.contentEncoding = strings.ToLower(value)
		case equalFold(name, "connection"):
			h.connectionClose = hasToken(value, "close")
			h.upgrade = h.upgrade || hasToken(value, "upgrade")
		case equalFold(name, "anthropic-version"):
			h.anthropicVersion = true
		case equalFold(name, "x-api-key"):
			h.apiKeyHeader = true
		}
	}
	return h, nil
}

func (h *head) parseStartLine(line []byte) error {
	if bytes.HasPrefix(line, []byte("HTTP/")) {
		// HTTP/1.1 200 OK
		proto, rest, ok := bytes.Cut(line, []byte(" "))
		if !ok || len(rest) < 3 || !isHTTP1(proto) {
			return errBadStartLine
		}
		code, err := strconv.Atoi(string(rest[:3]))
		if err != nil || code < 100 || code > 999 || (len(rest) > 3 && rest[3] != ' ') {
			return errBadStartLine
		}
		h.proto, h.status = string(proto), code
		return nil
	}
	// GET /path HTTP/1.1
	method, rest, ok1 := bytes.Cut(line, []byte(" "))
	target, proto, ok2 := bytes.Cut(rest, []byte(" "))
	if !ok1 || !ok2 || len(method) == 0 || len(target) == 0 || !isHTTP1(proto) || !plausibleStart(line) {
		return errBadStartLine
	}
	h.isRequest, h.method, h.target, h.proto = true, string(method), string(target), string(proto)
	return nil
}

func isHTTP1(proto []byte) bool {
	return bytes.Equal(proto, []byte("HTTP/1.1")) || bytes.Equal(proto, []byte("HTTP/1.0"))
}

// nextLine splits off one line ending in LF (an optional CR before it is dropped).
func nextLine(p []byte) (line, rest []byte) {
	i := bytes.IndexByte(p, '\n')
	if i < 0 {
		return bytes.TrimSuffix(p, []byte("\r")), nil
	}
	return bytes.TrimSuffix(p[:i], []byte("\r")), p[i+1:]
}

// findHeadEnd returns the length of the head without its terminator and the length with it, or -1 when the
// empty line has not arrived yet. Both CRLFCRLF and bare LFLF are accepted, as Go's and Python's servers do.
func findHeadEnd(p []byte) (headLen, total int) {
	for i := 0; i < len(p); i++ {
		j := bytes.IndexByte(p[i:], '\n')
		if j < 0 {
			return -1, -1
		}
		i += j
		// p[i] is LF; an empty line follows when the next byte is LF, or CR LF.
		if i+1 < len(p) && p[i+1] == '\n' {
			return trimCR(p, i), i + 2
		}
		if i+2 < len(p) && p[i+1] == '\r' && p[i+2] == '\n' {
			return trimCR(p, i), i + 3
		}
	}
	return -1, -1
}

func trimCR(p []byte, lf int) int {
	if lf > 0 && p[lf-1] == '\r' {
		return lf - 1
	}
	return lf
}

func equalFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

func hasToken(value, token string) bool {
	for _, part := range strings.Split(value, ",") {
		if strings.EqualFold(strings.TrimSpace(part), token) {
			return true
		}
	}
	return false
}
