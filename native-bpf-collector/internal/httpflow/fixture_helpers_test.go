package httpflow

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// segment is one captured write: what the client sent (Egress) or received (Ingress), in capture order.
type segment struct {
	dir  Direction
	data []byte
}

const fixtureDir = "../../testdata/http"

// loadFixture reads a connection recorded by testdata/http/capture/capture.sh.
func loadFixture(t testing.TB, name string) []segment {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(fixtureDir, name+".json"))
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	var file struct {
		Segments []struct {
			Dir    string  `json:"dir"`
			Text   *string `json:"text"`
			Base64 string  `json:"base64"`
		} `json:"segments"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	var out []segment
	for _, s := range file.Segments {
		seg := segment{dir: Egress}
		if s.Dir == "ingress" {
			seg.dir = Ingress
		}
		if s.Text != nil {
			seg.data = []byte(*s.Text)
		} else if seg.data, err = base64.StdEncoding.DecodeString(s.Base64); err != nil {
			t.Fatalf("fixture %s: %v", name, err)
		}
		out = append(out, seg)
	}
	return out
}

func allFixtures(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(fixtureDir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures in %s: %v", fixtureDir, err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, strings.TrimSuffix(filepath.Base(p), ".json"))
	}
	return names
}

var fixtureTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// replay feeds segments, each cut into pieces of at most pieceSize bytes (0: whole), then closes the connection.
func replay(tr *Tracker, key ConnKey, segs []segment, pieceSize int) []Record {
	var out []Record
	at := fixtureTime
	for _, s := range segs {
		data := s.data
		for len(data) > 0 {
			n := len(data)
			if pieceSize > 0 && n > pieceSize {
				n = pieceSize
			}
			at = at.Add(time.Millisecond)
			out = append(out, tr.Feed(key, s.dir, data[:n], at)...)
			data = data[n:]
		}
	}
	return append(out, tr.Close(key)...)
}

// recordsJSON renders records for comparison and for searching secrets: exactly what would go on the wire.
func recordsJSON(t testing.TB, records []Record) string {
	t.Helper()
	var b strings.Builder
	for _, r := range records {
		kind := ""
		switch r.(type) {
		case *HTTPRequest:
			kind = "http.request"
		case *LLMRequest:
			kind = "llm.request"
		case *LLMResponse:
			kind = "llm.response"
		}
		j, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(kind + " " + string(j) + "\n")
	}
	return b.String()
}

// plantedSecrets are the credentials capture/*.py and capture/*.mjs put into requests and tool results.
var plantedSecrets = []string{
	"sk-proj-Vg1LfXtUrE7kQ2mZ9pN4sB6wC8yD0aH3jK5oR1tU7vX9zA2cE4gI6",
	"sk-ant-api03-VgF1xTuRe7Kq2Mz9Pn4Sb6Wc8Yd0Ah3Jk5Or1Tu7Vx9Za2Ce4Gi6Km8No0Qs2Uw4Yy6Aa8Cc0Ee2Gg4Ii6Kk8-Mm0OoQQ",
	"AKIAZ7VIGILFIXTURE01",
	"ghp_Vg1LfXtUrE7kQ2mZ9pN4sB6wC8yD0aH3jK5o",
	"sk-proj-ToolLeak9z8y7x6w5v4u3t2s1r0q9p8o7n6m5l4k3",
	"Sup3r$ecret!",
	"sk-proj-NodeVg1LfXtUrE7kQ2mZ9pN4sB6wC8yD0aH3jK5oR1tU7vX9zA2cE4",
	"Pg-Secr3t-pw",
	"sk-ant-api03-NodeF1xTuRe7Kq2Mz9Pn4Sb6Wc8Yd0Ah3Jk5Or1Tu7Vx9Za2Ce4Gi6Km8No0Qs2Uw4Yy6Aa8Cc0Ee2Gg4-Ii6Kk8AA",
	// Fragments: no part of a key long enough to be useful may survive either.
	"VgF1xTuRe7Kq2Mz9",
	"ToolLeak9z8y",
}
