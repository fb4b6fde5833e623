package httpflow

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"strings"
	"testing"
	"time"
)

var key = ConnKey{PID: 42, Conn: 0xdead}

// exchange feeds client bytes as Egress and server bytes as Ingress, whole, then closes when asked.
func exchange(t *testing.T, tr *Tracker, steps ...any) []Record {
	t.Helper()
	var out []Record
	at := fixtureTime
	for _, s := range steps {
		at = at.Add(time.Millisecond)
		switch v := s.(type) {
		case egress:
			out = append(out, tr.Feed(key, Egress, []byte(v), at)...)
		case ingress:
			out = append(out, tr.Feed(key, Ingress, []byte(v), at)...)
		case closeConn:
			out = append(out, tr.Close(key)...)
		default:
			t.Fatalf("unknown step %T", s)
		}
	}
	return out
}

type (
	egress    string
	ingress   string
	closeConn struct{}
)

func httpRecords(t *testing.T, records []Record) []*HTTPRequest {
	t.Helper()
	var out []*HTTPRequest
	for _, r := range records {
		h, ok := r.(*HTTPRequest)
		if !ok {
			t.Fatalf("unexpected record %T", r)
		}
		out = append(out, h)
	}
	return out
}

func TestPipelinedRequestsPairInOrder(t *testing.T) {
	tr := NewTracker(Options{})
	recs := httpRecords(t, exchange(t, tr,
		egress("GET /a HTTP/1.1\r\nHost: svc\r\n\r\nGET /b HTTP/1.1\r\nHost: svc\r\n\r\nHEAD /c HTTP/1.1\r\nHost: svc\r\n\r\n"),
		ingress("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnoo"),
		// A response to HEAD announces a length but carries no body: the next bytes are the next response.
		ingress("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"),
	))
	if len(recs) != 3 {
		t.Fatalf("got %d records", len(recs))
	}
	want := []struct {
		method, path string
		status       int
		bytes        int64
	}{{"GET", "/a", 200, 5}, {"GET", "/b", 404, 3}, {"HEAD", "/c", 200, 0}}
	for i, w := range want {
		r := recs[i]
		if r.Method != w.method || r.Path != w.path || r.Status != w.status || r.Bytes != w.bytes || r.Host != "svc" {
			t.Errorf("record %d = %+v, want %+v", i, *r, w)
		}
	}
}

func TestChunkedBodiesWithExtensionsAndTrailers(t *testing.T) {
	tr := NewTracker(Options{})
	recs := httpRecords(t, exchange(t, tr,
		egress("POST /upload HTTP/1.1\r\nHost: files\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nabcd\r\n0\r\nX-Checksum: 1\r\n\r\n"),
		ingress("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nok!\r\n0\r\n\r\n"),
	))
	if len(recs) != 1 || recs[0].Status != 201 || recs[0].Bytes != 7 || recs[0].Method != "POST" {
		t.Fatalf("got %+v", recs)
	}
}

func TestNoBodyResponses(t *testing.T) {
	for _, status := range []string{"204 No Content", "304 Not Modified"} {
		tr := NewTracker(Options{})
		recs := httpRecords(t, exchange(t, tr,
			egress("GET /x HTTP/1.1\r\nHost: h\r\n\r\nGET /y HTTP/1.1\r\nHost: h\r\n\r\n"),
			// 204/304 may carry a Content-Length describing another representation; no body follows.
			ingress("HTTP/1.1 "+status+"\r\nContent-Length: 10\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
		))
		if len(recs) != 2 || recs[1].Path != "/y" || recs[1].Status != 200 {
			t.Fatalf("%s: got %+v", status, recs)
		}
	}
}

func TestExpect100ContinueIsNotTheResponse(t *testing.T) {
	tr := NewTracker(Options{})
	recs := httpRecords(t, exchange(t, tr,
		egress("PUT /obj HTTP/1.1\r\nHost: s3\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"),
		ingress("HTTP/1.1 100 Continue\r\n\r\n"),
		egress("data"),
		ingress("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
	))
	if len(recs) != 1 || recs[0].Status != 200 || recs[0].Bytes != 4 {
		t.Fatalf("got %+v", recs)
	}
}

func TestBodyUntilCloseCompletesOnClose(t *testing.T) {
	tr := NewTracker(Options{})
	recs := httpRecords(t, exchange(t, tr,
		egress("GET /legacy HTTP/1.0\r\nHost: old\r\n\r\n"),
		ingress("HTTP/1.0 200 OK\r\nConnection: close\r\n\r\nsome "),
		ingress("bytes"),
	))
	if len(recs) != 0 {
		t.Fatalf("record before the close: %+v", recs)
	}
	recs = httpRecords(t, exchange(t, tr, closeConn{}))
	if len(recs) != 1 || recs[0].Status != 200 || recs[0].Bytes != 10 {
		t.Fatalf("got %+v", recs)
	}
}

func TestCloseFlushesRequestsWithoutResponse(t *testing.T) {
	tr := NewTracker(Options{})
	recs := httpRecords(t, exchange(t, tr, egress("DELETE /v1/items/7 HTTP/1.1\r\nHost: api\r\n\r\n"), closeConn{}))
	if len(recs) != 1 || recs[0].Status != 0 || recs[0].Method != "DELETE" {
		t.Fatalf("got %+v", recs)
	}
}

func TestServerSideConnectionIsInbound(t *testing.T) {
	tr := NewTracker(Options{})
	at := fixtureTime
	var recs []Record
	recs = append(recs, tr.Feed(key, Ingress, []byte("GET /healthz HTTP/1.1\r\nHost: me\r\n\r\n"), at)...)
	recs = append(recs, tr.Feed(key, Egress, []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), at)...)
	h := httpRecords(t, recs)
	if len(h) != 1 || !h[0].Inbound || h[0].Status != 200 {
		t.Fatalf("got %+v", h)
	}
}

func TestAbsoluteFormTargetAndCredentialQuery(t *testing.T) {
	tr := NewTracker(Options{})
	recs := httpRecords(t, exchange(t, tr,
		egress("GET http://user:pw@proxy.example/maps?key=AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW&q=paris HTTP/1.1\r\nHost: other\r\n\r\n"),
		ingress("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
	))
	if len(recs) != 1 || recs[0].Host != "proxy.example" || recs[0].Path != "/maps?key=[REDACTED:query-credential]&q=paris" {
		t.Fatalf("got %+v", recs)
	}
}

func compressed(t *testing.T, encoding, text string) string {
	t.Helper()
	var b bytes.Buffer
	var w interface {
		Write([]byte) (int, error)
		Close() error
	}
	switch encoding {
	case "gzip":
		w = gzip.NewWriter(&b)
	case "deflate":
		w = zlib.NewWriter(&b)
	case "raw-deflate":
		w, _ = flate.NewWriter(&b, flate.DefaultCompression)
	}
	if _, err := w.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestCompressedLLMAnswers(t *testing.T) {
	answer := `{"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"compressed hello"},"finish_reason":"stop"}]}`
	for _, enc := range []string{"gzip", "deflate", "raw-deflate"} {
		header := enc
		if enc == "raw-deflate" {
			header = "deflate"
		}
		body := compressed(t, enc, answer)
		tr := NewTracker(Options{})
		recs := exchange(t, tr,
			egress(chatRequest(`{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}`)),
			ingress(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: %s\r\nContent-Length: %d\r\n\r\n%s", header, len(body), body)),
		)
		resp := llmResponse(t, recs)
		if resp.Content != "compressed hello" || resp.FinishReason != "stop" {
			t.Fatalf("%s: got %+v", enc, resp)
		}
	}
}

func chatRequest(body string) string {
	return fmt.Sprintf("POST /v1/chat/completions HTTP/1.1\r\nHost: api.llm-provider.example\r\nAuthorization: Bearer sk-proj-abcdefghijklmnopqrstuvwxyz0123\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
}

func llmResponse(t *testing.T, records []Record) *LLMResponse {
	t.Helper()
	for _, r := range records {
		if resp, ok := r.(*LLMResponse); ok {
			return resp
		}
	}
	t.Fatalf("no llm.response among %d records: %s", len(records), recordsJSON(t, records))
	return nil
}

func llmRequest(t *testing.T, records []Record) *LLMRequest {
	t.Helper()
	for _, r := range records {
		if req, ok := r.(*LLMRequest); ok {
			return req
		}
	}
	t.Fatalf("no llm.request among %d records", len(records))
	return nil
}

func TestHTTP2PrefaceMarksConnectionNotHTTP1(t *testing.T) {
	tr := NewTracker(Options{})
	recs := exchange(t, tr,
		egress("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x12\x04\x00\x00\x00\x00\x00"),
		egress("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), // ignored: the connection speaks HTTP/2
		ingress("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
	)
	s := tr.Stats()
	if len(recs) != 0 || s.NotHTTP != 1 || s.ParseFailures != 0 || s.SkippedBytes == 0 {
		t.Fatalf("records %v, stats %+v", recs, s)
	}
}

func TestGarbageIsCountedAndParsingResumesAtTheNextMessage(t *testing.T) {
	tr := NewTracker(Options{})
	recs := httpRecords(t, exchange(t, tr,
		egress("GET /ok HTTP/1.1\r\nHost: h\r\n\r\n"),
		ingress("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
		egress("GET /broken HTTP/1.1\r\nHost: h\r\nno colon here\r\n\r\n"),
		egress("\x16\x03\x01 binary junk"),
		egress("GET /after HTTP/1.1\r\nHost: h\r\n\r\n"),
		ingress("HTTP/1.1 204 No Content\r\n\r\n"),
	))
	s := tr.Stats()
	if s.ParseFailures != 1 || s.SkippedBytes == 0 {
		t.Fatalf("stats %+v", s)
	}
	if len(recs) != 2 || recs[0].Path != "/ok" || recs[1].Path != "/after" || recs[1].Status != 204 {
		t.Fatalf("got %+v", recs)
	}
}

func TestNonHTTPConnectionIsCountedOnce(t *testing.T) {
	tr := NewTracker(Options{})
	exchange(t, tr, egress("\x00\x00\x00\x08\x04\xd2\x16\x2f"), egress("more binary"), ingress("S"))
	s := tr.Stats()
	if s.NotHTTP != 1 || s.ParseFailures != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestHostileSizesAreRejected(t *testing.T) {
	cases := map[string]string{
		"negative length":    "POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
		"conflicting length": "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
		"huge chunk":         "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
		"endless head":       "GET / HTTP/1.1\r\nX: " + strings.Repeat("a", maxHeaderBytes+10),
	}
	for name, input := range cases {
		tr := NewTracker(Options{})
		exchange(t, tr, egress(input))
		if s := tr.Stats(); s.ParseFailures != 1 || s.BufferedBytes > maxHeaderBytes*2 {
			t.Errorf("%s: stats %+v", name, s)
		}
	}
}

func TestLargeBodyIsCountedNotBuffered(t *testing.T) {
	tr := NewTracker(Options{MaxBody: 1024})
	big := strings.Repeat("x", 10_000)
	recs := httpRecords(t, exchange(t, tr,
		egress(fmt.Sprintf("POST /blob HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n\r\n%s", len(big), big)),
		ingress("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
	))
	if len(recs) != 1 || recs[0].Bytes != 10_000 {
		t.Fatalf("got %+v", recs)
	}
	if s := tr.Stats(); s.BufferedBytes != 0 {
		t.Fatalf("stats %+v", s)
	}
}

func TestWebSocketUpgradeStopsParsing(t *testing.T) {
	tr := NewTracker(Options{})
	recs := exchange(t, tr,
		egress("GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"),
		ingress("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello"),
		egress("\x81\x85abcdHTTP/1.1"),
		closeConn{},
	)
	if tr.Stats().ParseFailures != 0 {
		t.Fatalf("websocket frames counted as failures: %+v", tr.Stats())
	}
	if len(recs) != 1 || httpRecords(t, recs)[0].Path != "/ws" {
		t.Fatalf("got %s", recordsJSON(t, recs))
	}
}

func TestUnpairedResponseIsCounted(t *testing.T) {
	tr := NewTracker(Options{})
	recs := exchange(t, tr, ingress("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"))
	if len(recs) != 0 || tr.Stats().UnpairedResponses != 1 {
		t.Fatalf("records %v stats %+v", recs, tr.Stats())
	}
}

func TestIdleConnectionsAreEvicted(t *testing.T) {
	tr := NewTracker(Options{IdleTimeout: time.Minute})
	tr.Feed(ConnKey{1, 1}, Egress, []byte("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n"), fixtureTime)
	tr.Feed(ConnKey{2, 2}, Egress, []byte("GET /x HTTP/1.1\r\n"), fixtureTime.Add(2*time.Minute))
	s := tr.Stats()
	if s.EvictedIdle != 1 || s.OpenConnections != 1 || s.DroppedPending != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestConnectionAndByteBoundsEvictLeastRecentlyUsed(t *testing.T) {
	tr := NewTracker(Options{MaxConnections: 3})
	for i := 0; i < 5; i++ {
		tr.Feed(ConnKey{1, uint64(i)}, Egress, []byte("GET / HTTP/1.1\r\n"), fixtureTime)
	}
	if s := tr.Stats(); s.OpenConnections != 3 || s.EvictedPressure != 2 {
		t.Fatalf("stats %+v", s)
	}

	tr = NewTracker(Options{MaxBufferedBytes: 100_000, MaxBody: 60_000})
	body := strings.Repeat("y", 50_000)
	for i := 0; i < 4; i++ {
		tr.Feed(ConnKey{1, uint64(i)}, Egress, []byte(fmt.Sprintf("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 60000\r\n\r\n%s", body)), fixtureTime)
		if s := tr.Stats(); s.BufferedBytes > 100_000+60_000 {
			t.Fatalf("held %d bytes after %d connections", s.BufferedBytes, i+1)
		}
	}
	if s := tr.Stats(); s.EvictedPressure == 0 || s.BufferedBytes > 100_000 {
		t.Fatalf("stats %+v", s)
	}
}

func TestPipelineDepthIsBounded(t *testing.T) {
	tr := NewTracker(Options{MaxPending: 4})
	exchange(t, tr, egress(strings.Repeat("GET / HTTP/1.1\r\nHost: h\r\n\r\n", 10)))
	if s := tr.Stats(); s.DroppedPending != 6 {
		t.Fatalf("stats %+v", s)
	}
}

func TestInvalidDirectionIsIgnored(t *testing.T) {
	tr := NewTracker(Options{})
	if recs := tr.Feed(key, Direction(7), []byte("GET / HTTP/1.1\r\n\r\n"), fixtureTime); recs != nil || tr.Stats().OpenConnections != 0 {
		t.Fatal("a bad direction was tracked")
	}
}

func TestCloseDuringResponseBodyKeepsTheStatus(t *testing.T) {
	tr := NewTracker(Options{})
	recs := httpRecords(t, exchange(t, tr,
		egress("GET /big HTTP/1.1\r\nHost: h\r\n\r\n"),
		ingress("HTTP/1.1 206 Partial Content\r\nContent-Length: 100\r\n\r\nonly-part"),
		closeConn{},
	))
	if len(recs) != 1 || recs[0].Status != 206 || recs[0].Bytes != 9 || tr.Stats().TruncatedBodies != 1 {
		t.Fatalf("records %+v stats %+v", recs, tr.Stats())
	}
}

func TestCloseDuringRequestBodyIsCounted(t *testing.T) {
	tr := NewTracker(Options{})
	recs := exchange(t, tr, egress("POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 50\r\n\r\nabc"), closeConn{})
	if len(recs) != 0 || tr.Stats().DroppedPending != 1 {
		t.Fatalf("records %v stats %+v", recs, tr.Stats())
	}
}
