package stream

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Journal appends records to segment files "<first-seq>.ndjson" (lines "<seq> <unix-ns> <event JSON>") and keeps
// the newest segments covering the resume horizon; reads older than the in-memory ring are served from it. Writes
// are buffered and flushed every 50 ms and on Close, so a clean restart loses nothing; a crash can lose at most the
// last 50 ms.
type Journal struct {
	dir            string
	segmentRecords int
	keepSegments   int
	mu             sync.Mutex
	file           *os.File
	writer         *bufio.Writer
	inSegment      int
	stop           chan struct{}
	done           chan struct{}
	err            error
	// marks: per segment file, the byte offset of every markEvery-th line seen by a scan, so a reader resuming in
	// the middle of a segment seeks near its cursor instead of rereading the segment from its start (which made
	// reading a full journal page by page quadratic).
	marksMu sync.Mutex
	marks   map[string][]mark
}

type mark struct {
	seq    uint64
	offset int64
}

const markEvery = 256

// OpenJournal keeps at least horizon events on disk.
func OpenJournal(dir string, horizon int) (*Journal, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating journal directory: %w", err)
	}
	segmentRecords := horizon / 8
	if segmentRecords < 1 {
		segmentRecords = 1
	}
	j := &Journal{dir: dir, segmentRecords: segmentRecords, keepSegments: 9, stop: make(chan struct{}), done: make(chan struct{}),
		marks: map[string][]mark{}}
	go j.flushLoop()
	return j, nil
}

func (j *Journal) segments() []string {
	names, _ := filepath.Glob(filepath.Join(j.dir, "*.ndjson"))
	sort.Slice(names, func(a, b int) bool { return segmentNumber(names[a]) < segmentNumber(names[b]) })
	return names
}

func segmentNumber(path string) uint64 {
	n, _ := strconv.ParseUint(strings.TrimSuffix(filepath.Base(path), ".ndjson"), 10, 64)
	return n
}

// Replay calls fn for every journaled record, oldest first. A torn last line (crash mid-write) is skipped.
func (j *Journal) Replay(fn func(Record)) error {
	for _, name := range j.segments() {
		err := j.scanSegment(name, 0, func(seq uint64, at int64, body []byte) bool {
			fn(Record{Seq: seq, TimeNs: at, JSON: append([]byte(nil), body...)})
			return true
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// scanSegment calls fn for each well-formed record of a segment from byte offset from (a line start) until fn
// returns false. body is valid only during the call. Every markEvery-th line's offset is remembered.
func (j *Journal) scanSegment(name string, from int64, fn func(seq uint64, at int64, body []byte) bool) error {
	file, err := os.Open(name)
	if err != nil {
		if os.IsNotExist(err) {
			return nil // rotated away meanwhile
		}
		return err
	}
	defer file.Close()
	if from > 0 {
		if _, err := file.Seek(from, io.SeekStart); err != nil {
			return err
		}
	}
	scanner := bufio.NewScanner(file)
	scanner.Buffer(make([]byte, 1<<20), 8<<20)
	offset, lines := from, 0
	for scanner.Scan() {
		line := scanner.Bytes()
		lineOffset := offset
		offset += int64(len(line)) + 1
		seqText, rest, ok1 := bytes.Cut(line, []byte{' '})
		seq, err1 := strconv.ParseUint(string(seqText), 10, 64)
		if !ok1 || err1 != nil {
			continue
		}
		if lines++; lines%markEvery == 0 {
			j.mark(name, seq, lineOffset)
		}
		timeText, body, ok2 := bytes.Cut(rest, []byte{' '})
		at, err2 := strconv.ParseInt(string(timeText), 10, 64)
		if !ok2 || err2 != nil || len(body) == 0 || body[len(body)-1] != '}' {
			continue
		}
		if !fn(seq, at, body) {
			return nil
		}
	}
	return scanner.Err()
}

func (j *Journal) mark(name string, seq uint64, offset int64) {
	j.marksMu.Lock()
	defer j.marksMu.Unlock()
	list := j.marks[name]
	if len(list) == 0 || seq > list[len(list)-1].seq {
		j.marks[name] = append(list, mark{seq, offset})
	}
}

// seekFor is the offset of the latest remembered line of the segment whose seq is at most seq (0: its start).
func (j *Journal) seekFor(name string, seq uint64) int64 {
	j.marksMu.Lock()
	defer j.marksMu.Unlock()
	list := j.marks[name]
	i := sort.Search(len(list), func(i int) bool { return list[i].seq > seq })
	if i == 0 {
		return 0
	}
	return list[i-1].offset
}

// flushed makes everything written so far readable from the files.
func (j *Journal) flushed() {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.writer != nil {
		j.writer.Flush()
	}
}

// ReadAfter returns up to max records with seq > after, and how many records before the first one returned were
// no longer on disk (rotated away).
func (j *Journal) ReadAfter(after uint64, max int) (records []Record, missed uint64, err error) {
	j.flushed()
	segments := j.segments()
	start := 0
	for i, name := range segments {
		if segmentNumber(name) <= after+1 {
			start = i
		}
	}
	for i, name := range segments[start:] {
		from := int64(0)
		if i == 0 {
			from = j.seekFor(name, after+1)
		}
		err := j.scanSegment(name, from, func(seq uint64, at int64, body []byte) bool {
			if seq <= after {
				return true
			}
			if len(records) == 0 && seq > after+1 {
				missed = seq - after - 1
			}
			records = append(records, Record{Seq: seq, TimeNs: at, JSON: append([]byte(nil), body...)})
			return len(records) < max
		})
		if err != nil || len(records) >= max {
			return records, missed, err
		}
	}
	return records, missed, nil
}

// CursorAt returns the cursor just before the first journaled record at or after the time (unix ns), or ok false
// when every journaled record is older.
func (j *Journal) CursorAt(target int64) (cursor uint64, ok bool) {
	j.flushed()
	for _, name := range j.segments() {
		j.scanSegment(name, 0, func(seq uint64, at int64, _ []byte) bool {
			if at >= target {
				cursor, ok = seq-1, true
				return false
			}
			return true
		})
		if ok {
			return cursor, true
		}
	}
	return 0, false
}

// Oldest is the first sequence number still on disk (0 when empty).
func (j *Journal) Oldest() uint64 {
	segments := j.segments()
	if len(segments) == 0 {
		return 0
	}
	return segmentNumber(segments[0])
}

// Write appends one record (called with the buffer's lock held, so records arrive in order).
func (j *Journal) Write(rec Record) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return
	}
	if j.file == nil || j.inSegment >= j.segmentRecords {
		if err := j.rotateLocked(rec.Seq); err != nil {
			j.err = err
			return
		}
	}
	j.writer.WriteString(strconv.FormatUint(rec.Seq, 10))
	j.writer.WriteByte(' ')
	j.writer.WriteString(strconv.FormatInt(rec.TimeNs, 10))
	j.writer.WriteByte(' ')
	j.writer.Write(rec.JSON)
	j.writer.WriteByte('\n')
	j.inSegment++
}

func (j *Journal) rotateLocked(firstSeq uint64) error {
	if j.file != nil {
		j.writer.Flush()
		j.file.Close()
	}
	file, err := os.OpenFile(filepath.Join(j.dir, fmt.Sprintf("%020d.ndjson", firstSeq)), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("opening journal segment: %w", err)
	}
	j.file, j.writer, j.inSegment = file, bufio.NewWriterSize(file, 256<<10), 0
	segments := j.segments()
	for len(segments) > j.keepSegments {
		os.Remove(segments[0])
		j.marksMu.Lock()
		delete(j.marks, segments[0])
		j.marksMu.Unlock()
		segments = segments[1:]
	}
	return nil
}

func (j *Journal) flushLoop() {
	defer close(j.done)
	ticker := time.NewTicker(50 * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case <-j.stop:
			return
		case <-ticker.C:
			j.mu.Lock()
			if j.writer != nil {
				if err := j.writer.Flush(); err != nil && j.err == nil {
					j.err = err
				}
			}
			j.mu.Unlock()
		}
	}
}

// Err reports a write failure (the journal stops writing after one; the ring keeps serving).
func (j *Journal) Err() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.err
}

// Close flushes and closes the current segment.
func (j *Journal) Close() error {
	close(j.stop)
	<-j.done
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.file == nil {
		return nil
	}
	if err := j.writer.Flush(); err != nil {
		return err
	}
	return j.file.Close()
}
