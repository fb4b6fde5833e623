package stream

import (
	"testing"
	"time"
)

// A reader paging through a large journal gets every record once and in order, whether the marks that let it seek
// exist yet or not, from any starting cursor; and it does not reread the segment from its start on every page.
func TestPagingThroughTheJournalSeeksNearTheCursor(t *testing.T) {
	dir := t.TempDir()
	journal, _ := OpenJournal(dir, 80_000) // segments of 10,000 records
	b, _ := NewBuffer("n", "boot", 10, journal)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	appendN(t, b, 25_000, start)
	journal.flushed()

	for _, from := range []uint64{0, 1, 255, 256, 257, 9_999, 10_000, 10_001, 24_990} {
		seqs, missed := readAll(b, from)
		if missed != 0 || len(seqs) != 25_000-int(from) {
			t.Fatalf("from %d: read %d records with %d missed", from, len(seqs), missed)
		}
		for i, s := range seqs {
			if s != from+uint64(i)+1 {
				t.Fatalf("from %d: record %d has cursor %d", from, i, s)
			}
		}
	}
	// The marks cover the segments: a page deep in a segment starts scanning near its cursor.
	segment := journal.segments()[1]
	if offset := journal.seekFor(segment, 15_000); offset == 0 {
		t.Fatal("no mark to seek to in the middle of a scanned segment")
	}
	journal.Close()

	// Reopened (no marks yet): the same answers.
	journal, _ = OpenJournal(dir, 80_000)
	b, _ = NewBuffer("n", "boot", 10, journal)
	if seqs, _ := readAll(b, 12_345); len(seqs) != 25_000-12_345 || seqs[0] != 12_346 {
		t.Fatalf("after reopening, reading after 12345 gave %d records starting at %v", len(seqs), seqs[:1])
	}
	journal.Close()
}

// BenchmarkReadWholeJournal pages through 100,000 journaled records 512 at a time, as a client catching up does.
func BenchmarkReadWholeJournal(b *testing.B) {
	dir := b.TempDir()
	journal, _ := OpenJournal(dir, 500_000)
	buffer, _ := NewBuffer("n", "boot", 16, journal)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	t := &testing.T{}
	appendN(t, buffer, 100_000, start)
	journal.flushed()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		after := uint64(0)
		for {
			records, _, _ := buffer.Read(after, 512)
			if len(records) == 0 {
				break
			}
			after = records[len(records)-1].Seq
		}
	}
	b.StopTimer()
	journal.Close()
}
