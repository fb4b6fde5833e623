package httpflow

import (
	"flag"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/http/golden from the current output")

// TestFixturesMatchGolden replays every recorded SDK connection and compares the records, as they would go on
// the wire, with the reviewed output in testdata/http/golden.
func TestFixturesMatchGolden(t *testing.T) {
	for _, name := range allFixtures(t) {
		t.Run(name, func(t *testing.T) {
			tr := NewTracker(Options{})
			got := recordsJSON(t, replay(tr, ConnKey{PID: 1, Conn: 1}, loadFixture(t, name), 0))
			golden := filepath.Join(fixtureDir, "golden", name+".records")
			if *updateGolden {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestFixturesMatchGolden -update to create it)", err)
			}
			if got != string(want) {
				t.Fatalf("records differ from %s\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
			s := tr.Stats()
			if s.ParseFailures+s.BodyDecodeFailures+s.TruncatedBodies+s.UnpairedResponses+s.DroppedPending != 0 {
				t.Fatalf("clean capture counted losses: %+v", s)
			}
			if s.OpenConnections != 0 || s.BufferedBytes != 0 {
				t.Fatalf("closed connection still held: %+v", s)
			}
		})
	}
}

// TestFixturesNeverLeakPlantedSecrets checks the promise made to users: no API key, token or password the agent
// handled appears in any record, whatever the SDK and wherever it was (headers, messages, tool results).
func TestFixturesNeverLeakPlantedSecrets(t *testing.T) {
	for _, name := range allFixtures(t) {
		segs := loadFixture(t, name)
		raw := ""
		for _, s := range segs {
			raw += string(s.data)
		}
		out := recordsJSON(t, replay(NewTracker(Options{}), ConnKey{1, 1}, segs, 0))
		for _, secret := range plantedSecrets {
			if strings.Contains(out, secret) {
				t.Errorf("%s: secret %q leaked into records", name, secret)
			}
		}
		if strings.Contains(strings.ToLower(out), "bearer sk-") || strings.Contains(out, "x-api-key") {
			t.Errorf("%s: a credential header leaked", name)
		}
		if !strings.Contains(raw, "sk-") {
			t.Errorf("%s: fixture carries no key at all, the test proves nothing", name)
		}
	}
}

// TestFixturesAtAnyChunkBoundary cuts every captured write at every size from 1 byte up, and at random points:
// TLS records and uprobe reads split messages anywhere, and the records must not change.
func TestFixturesAtAnyChunkBoundary(t *testing.T) {
	for _, name := range allFixtures(t) {
		segs := loadFixture(t, name)
		want := recordsJSON(t, replay(NewTracker(Options{}), ConnKey{1, 1}, segs, 0))
		for _, size := range []int{1, 2, 3, 5, 7, 13, 64, 100, 511, 4096} {
			if got := recordsJSON(t, replay(NewTracker(Options{}), ConnKey{1, 1}, segs, size)); got != want {
				t.Fatalf("%s cut into %d-byte pieces:\n%s\nwant:\n%s", name, size, got, want)
			}
		}
		rng := rand.New(rand.NewSource(int64(len(name))))
		for round := 0; round < 20; round++ {
			if got := recordsJSON(t, replayRandomCuts(rng, segs)); got != want {
				t.Fatalf("%s cut at random (round %d):\n%s\nwant:\n%s", name, round, got, want)
			}
		}
	}
}

func replayRandomCuts(rng *rand.Rand, segs []segment) []Record {
	tr := NewTracker(Options{})
	key := ConnKey{1, 1}
	var out []Record
	for _, s := range segs {
		data := s.data
		for len(data) > 0 {
			n := 1 + rng.Intn(len(data))
			out = append(out, tr.Feed(key, s.dir, data[:n], fixtureTime)...)
			data = data[n:]
		}
	}
	return append(out, tr.Close(key)...)
}

// TestInterleavedConnections feeds all fixtures at once, one write of each in turn, as the ring buffer delivers
// them; each connection must produce exactly what it produces alone.
func TestInterleavedConnections(t *testing.T) {
	names := allFixtures(t)
	tr := NewTracker(Options{})
	got := map[ConnKey][]Record{}
	cursors := make([]int, len(names))
	fixtures := make([][]segment, len(names))
	for i, name := range names {
		fixtures[i] = loadFixture(t, name)
	}
	for progressed := true; progressed; {
		progressed = false
		for i := range names {
			if cursors[i] >= len(fixtures[i]) {
				continue
			}
			key := ConnKey{PID: uint32(100 + i), Conn: uint64(0x7f0000 + i)}
			s := fixtures[i][cursors[i]]
			got[key] = append(got[key], tr.Feed(key, s.dir, s.data, fixtureTime)...)
			cursors[i]++
			progressed = true
		}
	}
	if tr.Stats().OpenConnections != len(names) {
		t.Fatalf("open connections %d, want %d", tr.Stats().OpenConnections, len(names))
	}
	for i, name := range names {
		key := ConnKey{PID: uint32(100 + i), Conn: uint64(0x7f0000 + i)}
		got[key] = append(got[key], tr.Close(key)...)
		want := recordsJSON(t, replay(NewTracker(Options{}), ConnKey{1, 1}, fixtures[i], 0))
		if recordsJSON(t, got[key]) != want {
			t.Fatalf("%s interleaved:\n%s\nwant:\n%s", name, recordsJSON(t, got[key]), want)
		}
	}
}
