package probes

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/rlimit"
)

// Options choose what is loaded.
type Options struct {
	RingBufferBytes uint32 // power of two, multiple of the page size
	CgroupRoot      string // cgroup v2 mount, where the DNS packet programs attach
	Prefixes        []SensitivePrefix
	WithTLS         bool
}

// SensitivePrefix is one entry of the sensitive-open list: a path prefix and the category it reports.
type SensitivePrefix struct {
	Prefix   string
	Category uint32
}

// Set is the loaded, attached probes and their shared maps.
type Set struct {
	Events  *ebpf.Map // the one ring buffer
	Lost    *ebpf.Map // per-CPU loss counters by kind
	TLS     *tlsObjects
	closers []io.Closer
}

// Load loads every probe family and attaches it. On error nothing stays attached.
func Load(opts Options) (*Set, error) {
	set := &Set{}
	if err := set.load(opts); err != nil {
		set.Close()
		return nil, err
	}
	return set, nil
}

func (set *Set) load(opts Options) (err error) {
	if err := rlimit.RemoveMemlock(); err != nil {
		return fmt.Errorf("raising the memlock limit: %w", err)
	}
	processSpec, err := loadProcess()
	if err != nil {
		return err
	}
	ringSpec := processSpec.Maps["events"].Copy()
	if opts.RingBufferBytes != 0 {
		ringSpec.MaxEntries = opts.RingBufferBytes
	}
	if set.Events, err = ebpf.NewMap(ringSpec); err != nil {
		return fmt.Errorf("creating the ring buffer: %w", err)
	}
	set.closers = append(set.closers, set.Events)
	if set.Lost, err = ebpf.NewMap(processSpec.Maps["lost_events"]); err != nil {
		return fmt.Errorf("creating the loss counters: %w", err)
	}
	set.closers = append(set.closers, set.Lost)
	// One BTF cache for all families: kernel BTF is decoded once, and dropped with the options after loading.
	shared := &ebpf.CollectionOptions{MapReplacements: map[string]*ebpf.Map{"events": set.Events, "lost_events": set.Lost}, Cache: btf.NewCache()}

	// Every family's spec must declare the ring buffer at the size actually created, or the replacement is refused.
	loadFamily := func(load func() (*ebpf.CollectionSpec, error), objects any) error {
		spec, err := load()
		if err != nil {
			return err
		}
		spec.Maps["events"].MaxEntries = ringSpec.MaxEntries
		return spec.LoadAndAssign(objects, shared)
	}

	var process processObjects
	if err := loadFamily(loadProcess, &process); err != nil {
		return fmt.Errorf("loading the process probes: %w", verifierDetail(err))
	}
	set.closers = append(set.closers, &process)
	if err := set.tracepoint("sched", "sched_process_exec", process.HandleExec); err != nil {
		return err
	}
	if err := set.tracepoint("sched", "sched_process_exit", process.HandleExit); err != nil {
		return err
	}

	var network netObjects
	if err := loadFamily(loadNet, &network); err != nil {
		return fmt.Errorf("loading the network probes: %w", verifierDetail(err))
	}
	set.closers = append(set.closers, &network)
	if err := set.tracepoint("sock", "inet_sock_set_state", network.HandleSetState); err != nil {
		return err
	}
	if err := set.tracepoint("syscalls", "sys_exit_accept4", network.HandleAccept4Exit); err != nil {
		return err
	}
	if err := set.tracepoint("syscalls", "sys_exit_accept", network.HandleAcceptExitPlain); err != nil {
		return err
	}

	var dns dnsObjects
	if err := loadFamily(loadDns, &dns); err != nil {
		return fmt.Errorf("loading the DNS probes: %w", verifierDetail(err))
	}
	set.closers = append(set.closers, &dns)
	for _, attach := range []struct {
		program *ebpf.Program
		kind    ebpf.AttachType
	}{{dns.DnsEgress, ebpf.AttachCGroupInetEgress}, {dns.DnsIngress, ebpf.AttachCGroupInetIngress}} {
		l, err := link.AttachCgroup(link.CgroupOptions{Path: opts.CgroupRoot, Attach: attach.kind, Program: attach.program})
		if err != nil {
			return fmt.Errorf("attaching the DNS program to %s: %w", opts.CgroupRoot, err)
		}
		set.closers = append(set.closers, l)
	}

	// The syscall hook: the syscall set and the open family's entry in one program on sys_enter, the open family's
	// exit on its four sys_exit tracepoints.
	var syscalls syscallsObjects
	if err := loadFamily(loadSyscalls, &syscalls); err != nil {
		return fmt.Errorf("loading the syscall probes: %w", verifierDetail(err))
	}
	set.closers = append(set.closers, &syscalls)
	if err := writePrefixes(syscalls.OpenPrefixes, syscalls.PrefixStarts, opts.Prefixes); err != nil {
		return err
	}
	// Exit before enter: an open already past its enter when the probes attach leaves no entry behind, so the
	// pending count falls back to zero and the exit probe's fast path stays on.
	for _, exit := range OpenExitTracepoints {
		if err := set.tracepoint("syscalls", exit, syscalls.ExitOpen); err != nil {
			return err
		}
	}
	// The write watch (MCP over stdio) follows a watched program into its new threads and children.
	fork, err := link.AttachTracing(link.TracingOptions{Program: syscalls.OnFork})
	if err != nil {
		return fmt.Errorf("attaching tp_btf/sched_process_fork: %w", err)
	}
	set.closers = append(set.closers, fork)
	enter, err := link.AttachTracing(link.TracingOptions{Program: syscalls.OnSysEnter})
	if err != nil {
		return fmt.Errorf("attaching the syscall hook (tp_btf/sys_enter): %w", err)
	}
	set.closers = append(set.closers, enter)

	if opts.WithTLS {
		set.TLS = &tlsObjects{}
		if err := loadFamily(loadTls, set.TLS); err != nil {
			return fmt.Errorf("loading the TLS probes: %w", verifierDetail(err))
		}
		set.closers = append(set.closers, set.TLS)
	}
	return nil
}

// OpenExitTracepoints are the exits of the open family, where an open's result is read.
var OpenExitTracepoints = []string{"sys_exit_open", "sys_exit_openat", "sys_exit_openat2", "sys_exit_creat"}

func (s *Set) tracepoint(group, name string, program *ebpf.Program) error {
	l, err := link.Tracepoint(group, name, program, nil)
	if err != nil {
		return fmt.Errorf("attaching tracepoint %s/%s: %w", group, name, err)
	}
	s.closers = append(s.closers, l)
	return nil
}

// writePrefixes fills the prefix table and the set of the two bytes each prefix starts with after its `/` (every
// bit when a prefix is too short to have two).
func writePrefixes(m, starts *ebpf.Map, prefixes []SensitivePrefix) error {
	var bits [1024]uint64
	for _, p := range prefixes {
		if len(p.Prefix) < 3 {
			for i := range bits {
				bits[i] = ^uint64(0)
			}
			break
		}
		start := uint32(p.Prefix[1])<<8 | uint32(p.Prefix[2])
		bits[start>>6] |= 1 << (start & 63)
	}
	for i, word := range bits {
		if err := starts.Put(uint32(i), word); err != nil {
			return fmt.Errorf("writing the prefix start set: %w", err)
		}
	}
	if len(prefixes) > int(m.MaxEntries()) {
		return fmt.Errorf("%d sensitive path prefixes given, at most %d fit", len(prefixes), m.MaxEntries())
	}
	for i, p := range prefixes {
		entry := syscallsPathPrefix{Len: uint32(len(p.Prefix)), Category: p.Category}
		if len(p.Prefix) == 0 || len(p.Prefix) > len(entry.Path) {
			return fmt.Errorf("sensitive path prefix %q must be 1 to %d bytes", p.Prefix, len(entry.Path))
		}
		for j := 0; j < len(p.Prefix); j++ {
			entry.Path[j] = int8(p.Prefix[j])
		}
		if err := m.Put(uint32(i), entry); err != nil {
			return fmt.Errorf("writing sensitive path prefix %q: %w", p.Prefix, err)
		}
	}
	return nil
}

// LostCounts sums the per-CPU loss counters by kind.
func (s *Set) LostCounts() (map[uint32]uint64, error) {
	counts := map[uint32]uint64{}
	for kind := uint32(0); kind < s.Lost.MaxEntries(); kind++ {
		var perCPU []uint64
		if err := s.Lost.Lookup(kind, &perCPU); err != nil {
			return nil, err
		}
		for _, n := range perCPU {
			counts[kind] += n
		}
	}
	return counts, nil
}

// Close detaches and unloads everything, newest first.
func (s *Set) Close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i].Close())
	}
	s.closers = nil
	return errors.Join(errs...)
}

func verifierDetail(err error) error {
	var verifierError *ebpf.VerifierError
	if errors.As(err, &verifierError) {
		return fmt.Errorf("%+v", verifierError)
	}
	return err
}

// EnsureFilesystems mounts tracefs and bpffs where they are missing (a bare host or a fresh container).
func EnsureFilesystems() error {
	for _, fs := range []struct{ path, kind string }{{"/sys/kernel/tracing", "tracefs"}, {"/sys/fs/bpf", "bpf"}} {
		if mounted(fs.path, fs.kind) {
			continue
		}
		if err := os.MkdirAll(fs.path, 0o755); err != nil {
			return err
		}
		if err := mount(fs.kind, fs.path); err != nil {
			return fmt.Errorf("mounting %s at %s: %w", fs.kind, fs.path, err)
		}
	}
	return nil
}
