package stream

import (
	"fmt"
	"testing"
	"time"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/model"
)

func appendN(t *testing.T, b *Buffer, n int, at time.Time) {
	for i := 0; i < n; i++ {
		if _, err := b.Append(&model.Event{Kind: model.KindExec, Details: model.ExecDetails{Filename: fmt.Sprint(i)}}, at.Add(time.Duration(i)*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
}

func readAll(b *Buffer, after uint64) (seqs []uint64, missed uint64) {
	for {
		records, m, _ := b.Read(after, 100)
		missed += m
		if len(records) == 0 {
			return seqs, missed
		}
		for _, r := range records {
			seqs = append(seqs, r.Seq)
			after = r.Seq
		}
	}
}

func TestReadsOlderThanMemoryComeFromTheJournalInOrder(t *testing.T) {
	dir := t.TempDir()
	journal, _ := OpenJournal(dir, 400)
	b, _ := NewBuffer("n", "boot", 50, journal)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	appendN(t, b, 300, start)
	seqs, missed := readAll(b, 0)
	if missed != 0 || len(seqs) != 300 {
		t.Fatalf("read %d events with %d missed, want 300 and 0", len(seqs), missed)
	}
	for i, s := range seqs {
		if s != uint64(i+1) {
			t.Fatalf("event %d has cursor %d", i, s)
		}
	}
	if cursor := b.CursorAt(start.Add(100 * time.Millisecond)); cursor != 100 {
		t.Fatalf("cursor for the 101st event's time: %d", cursor)
	}
	journal.Close()

	// After a restart the numbering continues and nothing is served twice.
	journal, _ = OpenJournal(dir, 400)
	b, _ = NewBuffer("n", "boot", 50, journal)
	appendN(t, b, 10, start.Add(time.Hour))
	seqs, _ = readAll(b, 290)
	if len(seqs) != 20 || seqs[0] != 291 || seqs[19] != 310 {
		t.Fatalf("after restart, reading after 290 gave %v", seqs)
	}
	journal.Close()
}

func TestAReaderBehindTheHorizonIsToldWhatItMissed(t *testing.T) {
	journal, _ := OpenJournal(t.TempDir(), 80) // segments of 10, 9 kept
	b, _ := NewBuffer("n", "boot", 20, journal)
	appendN(t, b, 500, time.Now())
	seqs, missed := readAll(b, 0)
	if missed == 0 || uint64(len(seqs))+missed != 500 || seqs[len(seqs)-1] != 500 {
		t.Fatalf("read %d, missed %d of 500", len(seqs), missed)
	}
	journal.Close()
}
