package httpflow

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
)

// bodyKeeper keeps the first limit bytes of a message body as it crosses the wire and counts the rest.
type bodyKeeper struct {
	kept      []byte
	limit     int
	wireBytes int64
	truncated bool
}

func (b *bodyKeeper) write(p []byte) {
	b.wireBytes += int64(len(p))
	room := b.limit - len(b.kept)
	if room <= 0 {
		if len(p) > 0 {
			b.truncated = true
		}
		return
	}
	if len(p) > room {
		p = p[:room]
		b.truncated = true
	}
	b.kept = append(b.kept, p...)
}

var errUnsupportedEncoding = errors.New("unsupported content encoding")

// decodeBody undoes the Content-Encoding of a kept body, inflating to at most limit bytes. A body cut short by
// the keeper still yields what could be inflated; truncated reports that output was lost either way.
func decodeBody(encoding string, p []byte, limit int) (out []byte, truncated bool, err error) {
	var r io.Reader
	switch encoding {
	case "", "identity":
		return p, false, nil
	case "gzip", "x-gzip":
		gz, gzErr := gzip.NewReader(bytes.NewReader(p))
		if gzErr != nil {
			return nil, false, gzErr
		}
		r = gz
	case "deflate":
		// "deflate" means zlib-wrapped deflate, but some servers send raw deflate: accept both.
		if zr, zErr := zlib.NewReader(bytes.NewReader(p)); zErr == nil {
			r = zr
		} else {
			r = flate.NewReader(bytes.NewReader(p))
		}
	default:
		return nil, false, errUnsupportedEncoding
	}
	out, err = io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if len(out) > limit {
		return out[:limit], true, nil
	}
	if err != nil && len(out) > 0 && (errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)) {
		return out, true, nil
	}
	return out, false, err
}
