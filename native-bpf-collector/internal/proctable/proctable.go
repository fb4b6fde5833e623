// Package proctable remembers what each live process is (executable, argv, parent, start time, cwd) so every event
// can name its process. Exec events fill it; processes that were running before the collector are read from /proc
// the first time they are seen. Entries leave on exit, after a grace period for events still in flight.
package proctable

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/model"
	"github.com/vigil-dev/vigil/native-bpf-collector/internal/redact"
)

type entry struct {
	ref    model.ProcessRef
	exited time.Time
}

type Table struct {
	procRoot string
	mu       sync.Mutex
	procs    map[uint32]*entry
	lastGC   time.Time
}

func New(procRoot string) *Table {
	return &Table{procRoot: procRoot, procs: map[uint32]*entry{}}
}

// Exec records a process image from an exec event and returns its ref.
func (t *Table) Exec(pid, ppid, uid uint32, startNs uint64, filename string, args []string) model.ProcessRef {
	cwd, _ := os.Readlink(filepath.Join(t.procRoot, strconv.Itoa(int(pid)), "cwd"))
	exe := filename
	if !filepath.IsAbs(exe) && cwd != "" {
		exe = filepath.Join(cwd, exe)
	}
	if linked, err := os.Readlink(filepath.Join(t.procRoot, strconv.Itoa(int(pid)), "exe")); err == nil {
		exe = linked
	} else if canonical, ok := t.resolveGone(pid, ppid, exe); ok {
		exe = canonical
	}
	uidCopy := uid
	ref := model.ProcessRef{Pid: pid, Ppid: ppid, Exe: exe, Args: args, UID: &uidCopy, Cwd: cwd, StartNs: startNs}
	t.mu.Lock()
	t.procs[pid] = &entry{ref: ref}
	t.gcLocked()
	t.mu.Unlock()
	return ref
}

// resolveGone canonicalizes the filename of a process that exited before /proc/<pid>/exe could be read (a quick
// /bin/true), through the root of the process or, once it is gone, of its parent (same mount namespace in a
// container), so the same binary always has the same name in events and profiles.
func (t *Table) resolveGone(pid, ppid uint32, filename string) (string, bool) {
	for _, id := range []uint32{pid, ppid} {
		root := filepath.Join(t.procRoot, strconv.Itoa(int(id)), "root")
		if _, err := os.Stat(root); err != nil {
			continue
		}
		return resolveInRoot(root, filename)
	}
	return "", false
}

// Exit marks a process gone; it stays resolvable for a few seconds.
func (t *Table) Exit(pid uint32) (model.ProcessRef, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.procs[pid]
	if !ok {
		return model.ProcessRef{}, false
	}
	e.exited = time.Now()
	return e.ref, true
}

// Lookup returns the process, reading /proc for one not seen before. ok is false when it is gone and unknown.
func (t *Table) Lookup(pid uint32) (model.ProcessRef, bool) {
	if pid == 0 {
		return model.ProcessRef{}, false
	}
	t.mu.Lock()
	e, ok := t.procs[pid]
	t.mu.Unlock()
	if ok {
		return e.ref, true
	}
	ref, ok := t.readProc(pid)
	if !ok {
		return ref, false
	}
	t.mu.Lock()
	t.procs[pid] = &entry{ref: ref}
	t.mu.Unlock()
	return ref, true
}

func (t *Table) readProc(pid uint32) (model.ProcessRef, bool) {
	dir := filepath.Join(t.procRoot, strconv.Itoa(int(pid)))
	status, err := os.ReadFile(filepath.Join(dir, "status"))
	if err != nil {
		return model.ProcessRef{}, false
	}
	ref := model.ProcessRef{Pid: pid, Args: []string{}}
	for _, line := range strings.Split(string(status), "\n") {
		key, value, found := strings.Cut(line, ":")
		if !found {
			continue
		}
		fields := strings.Fields(value)
		if len(fields) == 0 {
			continue
		}
		switch key {
		case "PPid":
			n, _ := strconv.Atoi(fields[0])
			ref.Ppid = uint32(n)
		case "Uid":
			n, _ := strconv.Atoi(fields[0])
			uid := uint32(n)
			ref.UID = &uid
		}
	}
	ref.Exe, _ = os.Readlink(filepath.Join(dir, "exe"))
	ref.Cwd, _ = os.Readlink(filepath.Join(dir, "cwd"))
	if cmdline, err := os.ReadFile(filepath.Join(dir, "cmdline")); err == nil {
		ref.Args = SplitArgs(cmdline)
	}
	return ref, true
}

// SplitArgs turns a NUL-separated argv block into strings, bounded to what the event schema accepts, with
// credentials on the command line (API keys, tokens, passwords) redacted before they can leave the node.
func SplitArgs(block []byte) []string {
	block = bytes.TrimRight(block, "\x00")
	args := []string{}
	if len(block) == 0 {
		return args
	}
	for _, part := range bytes.Split(block, []byte{0}) {
		if len(args) == 256 {
			break
		}
		if len(part) > 4096 {
			part = part[:4096]
		}
		args = append(args, redact.Text(string(part)))
	}
	return args
}

// gcLocked drops processes that exited more than 10 s ago, at most once a second.
func (t *Table) gcLocked() {
	now := time.Now()
	if now.Sub(t.lastGC) < time.Second {
		return
	}
	t.lastGC = now
	for pid, e := range t.procs {
		if !e.exited.IsZero() && now.Sub(e.exited) > 10*time.Second {
			delete(t.procs, pid)
		}
	}
}

// Len is the number of processes remembered (a metric).
func (t *Table) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.procs)
}
