package httpflow

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkFeedFixtures replays every recorded SDK connection (LLM requests and answers, streamed and whole,
// gzip-compressed and not) as captured; reports MB/s of plaintext and records/s.
func BenchmarkFeedFixtures(b *testing.B) { benchFixtures(b, 0) }

// BenchmarkFeedFixtures64 is the same traffic cut into 64-byte pieces, a worst case for chunk boundaries.
func BenchmarkFeedFixtures64(b *testing.B) { benchFixtures(b, 64) }

func benchFixtures(b *testing.B, piece int) {
	paths, _ := filepath.Glob(filepath.Join(fixtureDir, "*.json"))
	var fixtures [][]segment
	total := 0
	for _, p := range paths {
		segs := loadFixture(b, strings.TrimSuffix(filepath.Base(p), ".json"))
		fixtures = append(fixtures, segs)
		for _, s := range segs {
			total += len(s.data)
		}
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	records := 0
	tr := NewTracker(Options{})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, segs := range fixtures {
			records += len(replay(tr, ConnKey{PID: uint32(j), Conn: uint64(i)}, segs, piece))
		}
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// plainHTTP is keep-alive traffic that is not an LLM API: what most TLS connections on a node carry.
func plainHTTP(n int) (requests, responses []byte) {
	var req, resp bytes.Buffer
	for i := 0; i < n; i++ {
		req.WriteString("GET /api/v1/namespaces/agents/pods?limit=500 HTTP/1.1\r\nHost: kubernetes.default.svc\r\n" +
			"User-Agent: agent/1.0\r\nAuthorization: Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig\r\nAccept: application/json\r\n\r\n")
		resp.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1024\r\n\r\n")
		resp.WriteString(strings.Repeat("x", 1024))
	}
	return req.Bytes(), resp.Bytes()
}

// BenchmarkFeedPlainHTTP measures the tracker on plain keep-alive HTTP (100 exchanges per connection).
func BenchmarkFeedPlainHTTP(b *testing.B) {
	requests, responses := plainHTTP(100)
	b.SetBytes(int64(len(requests) + len(responses)))
	b.ReportAllocs()
	tr := NewTracker(Options{})
	records := 0
	at := time.Now()
	for i := 0; i < b.N; i++ {
		k := ConnKey{PID: 1, Conn: uint64(i)}
		records += len(tr.Feed(k, Egress, requests, at))
		records += len(tr.Feed(k, Ingress, responses, at))
		records += len(tr.Close(k))
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkBaselineStdlibPlainHTTP parses the same bytes with net/http (no pairing, no records, no redaction):
// the ratio of the two is the cost of the tracker against the standard library's own parser.
func BenchmarkBaselineStdlibPlainHTTP(b *testing.B) {
	requests, responses := plainHTTP(100)
	b.SetBytes(int64(len(requests) + len(responses)))
	b.ReportAllocs()
	exchanges := 0
	for i := 0; i < b.N; i++ {
		reqReader := bufio.NewReader(bytes.NewReader(requests))
		respReader := bufio.NewReader(bytes.NewReader(responses))
		for {
			req, err := http.ReadRequest(reqReader)
			if err != nil {
				break
			}
			resp, err := http.ReadResponse(respReader, req)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, resp.Body); err != nil {
				b.Fatal(err)
			}
			exchanges++
		}
	}
	b.ReportMetric(float64(exchanges)/b.Elapsed().Seconds(), "records/s")
}
