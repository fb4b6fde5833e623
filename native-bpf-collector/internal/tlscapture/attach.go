// Package tlscapture attaches the TLS uprobes to every OpenSSL the node's processes use — system libssl files,
// libssl copies inside containers (found through /proc/<pid>/maps of each new process) and executables that carry
// OpenSSL themselves (Node) — and turns the captured plaintext into http.request / llm.request / llm.response
// events.
package tlscapture

import (
	"debug/elf"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/probes"
)

type fileID struct{ dev, ino uint64 }

// Attacher attaches uprobes once per distinct file (a uprobe on a file covers every process that maps it).
type Attacher struct {
	procRoot string
	tls      *probes.Set
	mu       sync.Mutex
	checked  map[fileID]bool
	links    []link.Link
	attached []string
	queue    chan uint32
	stop     chan struct{}
	done     chan struct{}

	QueueOverflows atomic.Uint64 // processes not inspected because the attach queue was full
	AttachFailures atomic.Uint64
}

func NewAttacher(set *probes.Set, procRoot string) *Attacher {
	a := &Attacher{procRoot: procRoot, tls: set, checked: map[fileID]bool{}, queue: make(chan uint32, 4096),
		stop: make(chan struct{}), done: make(chan struct{})}
	go a.work()
	return a
}

// systemLibraryGlobs are where distributions keep libssl; attaching these at start means a process that loads
// libssl later (CPython imports ssl lazily) is covered from its first call.
var systemLibraryGlobs = []string{
	"/usr/lib/x86_64-linux-gnu/libssl.so*", "/lib/x86_64-linux-gnu/libssl.so*", "/usr/lib64/libssl.so*",
	"/usr/lib/libssl.so*", "/usr/local/lib/libssl.so*", "/usr/local/lib64/libssl.so*",
}

// AttachSystemLibraries attaches to the host's libssl files and to the node binaries on PATH.
func (a *Attacher) AttachSystemLibraries() {
	for _, pattern := range systemLibraryGlobs {
		matches, _ := filepath.Glob(pattern)
		for _, path := range matches {
			a.consider(path)
		}
	}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		a.consider(filepath.Join(dir, "node"))
	}
}

// ProcessStarted queues a new process for inspection; it never blocks the event pipeline.
func (a *Attacher) ProcessStarted(pid uint32) {
	select {
	case a.queue <- pid:
	default:
		a.QueueOverflows.Add(1)
	}
}

// work inspects queued processes: their executable at once, their mapped libraries now and again shortly after,
// since a process maps libssl only when it first needs it.
func (a *Attacher) work() {
	defer close(a.done)
	type later struct {
		pid uint32
		at  time.Time
	}
	var pending []later
	ticker := time.NewTicker(250 * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case <-a.stop:
			return
		case pid := <-a.queue:
			a.inspect(pid)
			pending = append(pending, later{pid, time.Now().Add(500 * time.Millisecond)}, later{pid, time.Now().Add(3 * time.Second)})
		case now := <-ticker.C:
			kept := pending[:0]
			for _, p := range pending {
				if now.After(p.at) {
					a.inspect(p.pid)
				} else {
					kept = append(kept, p)
				}
			}
			pending = kept
		}
	}
}

func (a *Attacher) inspect(pid uint32) {
	root := filepath.Join(a.procRoot, strconv.Itoa(int(pid)))
	a.consider(filepath.Join(root, "exe"))
	maps, err := os.ReadFile(filepath.Join(root, "maps"))
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(maps), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 6 || !strings.Contains(fields[5], "libssl") {
			continue
		}
		// The path is as the process sees it; through /proc/<pid>/root it resolves in the process's mount namespace.
		a.consider(filepath.Join(root, "root", fields[5]))
	}
}

// consider attaches to a file once if it exports OpenSSL's SSL_write/SSL_read.
func (a *Attacher) consider(path string) {
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() {
		return
	}
	stat := info.Sys().(*syscall.Stat_t)
	id := fileID{uint64(stat.Dev), stat.Ino}
	a.mu.Lock()
	if a.checked[id] {
		a.mu.Unlock()
		return
	}
	a.checked[id] = true
	a.mu.Unlock()
	symbols := exportedSSLSymbols(path)
	if !symbols["SSL_write"] && !symbols["SSL_write_ex"] && !symbols["SSL_read"] && !symbols["SSL_read_ex"] {
		return
	}
	if err := a.attach(path, symbols); err != nil {
		a.AttachFailures.Add(1)
		log.Printf("TLS capture: %v", err)
	}
}

func exportedSSLSymbols(path string) map[string]bool {
	file, err := elf.Open(path)
	if err != nil {
		return nil
	}
	defer file.Close()
	symbols, err := file.DynamicSymbols()
	if err != nil {
		return nil
	}
	found := map[string]bool{}
	for _, s := range symbols {
		switch s.Name {
		case "SSL_write", "SSL_read", "SSL_write_ex", "SSL_read_ex", "SSL_free":
			if s.Value != 0 && elf.ST_TYPE(s.Info) == elf.STT_FUNC {
				found[s.Name] = true
			}
		}
	}
	return found
}

func (a *Attacher) attach(path string, symbols map[string]bool) error {
	executable, err := link.OpenExecutable(path)
	if err != nil {
		return fmt.Errorf("opening %s: %w", path, err)
	}
	programs := a.tls.TLS
	probesFor := []struct {
		symbol      string
		entry, exit *ebpf.Program
	}{
		{"SSL_write", programs.SslWriteEnter, programs.SslWriteExit},
		{"SSL_read", programs.SslReadEnter, programs.SslReadExit},
		{"SSL_write_ex", programs.SslWriteExEnter, programs.SslWriteExExit},
		{"SSL_read_ex", programs.SslReadExEnter, programs.SslReadExExit},
	}
	var made []link.Link
	if symbols["SSL_free"] {
		free, err := executable.Uprobe("SSL_free", programs.SslFreeEnter, nil)
		if err != nil {
			return fmt.Errorf("uprobe SSL_free in %s: %w", path, err)
		}
		made = append(made, free)
	}
	for _, p := range probesFor {
		if !symbols[p.symbol] {
			continue
		}
		entry, err := executable.Uprobe(p.symbol, p.entry, nil)
		if err != nil {
			closeAll(made)
			return fmt.Errorf("uprobe %s in %s: %w", p.symbol, path, err)
		}
		exit, err := executable.Uretprobe(p.symbol, p.exit, nil)
		if err != nil {
			entry.Close()
			closeAll(made)
			return fmt.Errorf("uretprobe %s in %s: %w", p.symbol, path, err)
		}
		made = append(made, entry, exit)
	}
	a.mu.Lock()
	a.links = append(a.links, made...)
	a.attached = append(a.attached, path)
	a.mu.Unlock()
	log.Printf("TLS capture attached to %s", path)
	return nil
}

// Attached lists the files with uprobes.
func (a *Attacher) Attached() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.attached...)
}

func closeAll(links []link.Link) {
	for _, l := range links {
		l.Close()
	}
}

func (a *Attacher) Close() {
	close(a.stop)
	<-a.done
	a.mu.Lock()
	defer a.mu.Unlock()
	closeAll(a.links)
	a.links = nil
}
