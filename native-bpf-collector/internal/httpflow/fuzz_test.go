package httpflow

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzFeed throws arbitrary client and server bytes at one connection, cut into pieces, and checks that the
// tracker never panics, never emits a record outside the schema bounds, and lets go of everything on Close.
func FuzzFeed(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(fixtureDir, "*.json"))
	for _, p := range paths {
		segs := loadFixture(f, strings.TrimSuffix(filepath.Base(p), ".json"))
		var out, in []byte
		for _, s := range segs {
			if s.dir == Egress {
				out = append(out, s.data...)
			} else {
				in = append(in, s.data...)
			}
		}
		f.Add(out, in, uint8(17))
	}
	f.Add([]byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), []byte{0, 0, 0, 4, 1}, uint8(3))
	f.Add([]byte("POST /v1/messages HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"mo\r\n0\r\n\r\n"),
		[]byte("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\nevent: x\ndata: {\"type\":\"content_block_delta\"}\n\n"), uint8(1))
	f.Add([]byte("GET / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n"), []byte("HTTP/1.1 100 Continue\r\n\r\n"), uint8(200))

	f.Fuzz(func(t *testing.T, out, in []byte, piece uint8) {
		tr := NewTracker(Options{MaxBody: 4096, MaxText: 512, MaxMessages: 8})
		size := int(piece%64) + 1
		var records []Record
		for len(out) > 0 || len(in) > 0 {
			n := min(size, len(out))
			records = append(records, tr.Feed(key, Egress, out[:n], fixtureTime)...)
			out = out[n:]
			n = min(size, len(in))
			records = append(records, tr.Feed(key, Ingress, in[:n], fixtureTime)...)
			in = in[n:]
		}
		records = append(records, tr.Close(key)...)
		for _, r := range records {
			checkBounds(t, r, 512, 8)
		}
		if s := tr.Stats(); s.OpenConnections != 0 || s.BufferedBytes != 0 {
			t.Fatalf("after close: %+v", s)
		}
	})
}

func checkBounds(t *testing.T, r Record, maxText, maxList int) {
	t.Helper()
	j, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("record does not marshal: %v", err)
	}
	var generic map[string]any
	if err := json.Unmarshal(j, &generic); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			if len(x) > max(maxText, maxPath) {
				t.Fatalf("string out of bounds (%d bytes)", len(x))
			}
		case []any:
			if len(x) > maxList {
				t.Fatalf("list of %d items", len(x))
			}
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(generic)
}

// TestFuzzCorpusIsCommitted checks the seed corpus is there: go test replays testdata/fuzz entries as ordinary
// test cases even without -fuzz.
func TestFuzzCorpusIsCommitted(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("testdata", "fuzz", "FuzzFeed"))
	if err != nil || len(entries) < 10 {
		t.Fatalf("seed corpus missing or tiny (%d entries): %v", len(entries), err)
	}
}
