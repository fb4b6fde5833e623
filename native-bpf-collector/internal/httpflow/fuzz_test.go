package httpflow

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
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

// checkBounds walks every string and list of a record: valid UTF-8 (JSON and protobuf encoders would otherwise
// rewrite it and change its length) and within the bounds the tracker was given.
func checkBounds(t *testing.T, r Record, maxText, maxList int) {
	t.Helper()
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.String:
			if s := v.String(); len(s) > max(maxText, maxPath) || !utf8.ValidString(s) {
				t.Fatalf("string out of bounds or not UTF-8 (%d bytes): %.60q", len(s), s)
			}
		case reflect.Slice:
			if v.Len() > maxList {
				t.Fatalf("list of %d items", v.Len())
			}
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				// The paired request is checked on its own; timestamps are not text.
				if f := v.Type().Field(i); f.Name != "Request" && f.Type != reflect.TypeOf(time.Time{}) {
					walk(v.Field(i))
				}
			}
		}
	}
	walk(reflect.ValueOf(r))
}

// TestFuzzCorpusIsCommitted checks the seed corpus is there: go test replays testdata/fuzz entries as ordinary
// test cases even without -fuzz.
func TestFuzzCorpusIsCommitted(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("testdata", "fuzz", "FuzzFeed"))
	if err != nil || len(entries) < 10 {
		t.Fatalf("seed corpus missing or tiny (%d entries): %v", len(entries), err)
	}
}
