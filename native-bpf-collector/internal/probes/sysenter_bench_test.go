package probes

import (
	"os"
	"syscall"
	"testing"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"
)

// BenchmarkProbeCost measures, with the kernel's own run-time statistics, what the probes on the hottest syscall
// paths cost per run: the syscall hook (every syscall of every task: the syscall set, the open family's entry, the
// write watch) and the open family's exit, each beside an empty program on a hook of the same kind, whose figure is
// the measurement's floor (the clock reads around every run). Body cost = program − empty. Root only:
//
//	sudo go test -run '^$' -bench ProbeCost ./internal/probes
//
// Runs of other tasks on the host are counted too; that only adds samples.
func BenchmarkProbeCost(b *testing.B) {
	if os.Geteuid() != 0 {
		b.Skip("skipped: attaching probes and reading BPF statistics need root")
	}
	stats, err := ebpf.EnableStats(0) // BPF_STATS_RUN_TIME
	if err != nil {
		b.Fatal(err)
	}
	defer stats.Close()
	emptyProgram := func(kind ebpf.ProgramType) *ebpf.Program {
		p, err := ebpf.NewProgram(&ebpf.ProgramSpec{Type: kind, License: "GPL", Instructions: asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()}})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { p.Close() })
		return p
	}
	emptyRaw, emptyExit := emptyProgram(ebpf.RawTracepoint), emptyProgram(ebpf.TracePoint)

	syscallsSpec, err := loadSyscalls()
	if err != nil {
		b.Fatal(err)
	}
	syscallsSpec.Maps["events"].MaxEntries = 1 << 16
	var set syscallsObjects
	if err := syscallsSpec.LoadAndAssign(&set, nil); err != nil {
		b.Fatal(verifierDetail(err))
	}
	defer set.Close()
	var defaults []SensitivePrefix
	for i, prefix := range []string{"/var/run/secrets/kubernetes.io/", "/run/secrets/kubernetes.io/", "/var/run/secrets/tokens/", "/etc/shadow",
		"/etc/gshadow", "/root/.ssh/", "/etc/ssh/ssh_host_", "/root/.aws/", "/root/.config/gcloud/", "/root/.azure/",
		"/var/run/secrets/eks.amazonaws.com/", "/root/.kube/", "/etc/kubernetes/", "/var/lib/kubelet/kubeconfig", "/models/",
		"/root/.cache/huggingface/"} { // the collector's defaults
		defaults = append(defaults, SensitivePrefix{Prefix: prefix, Category: uint32(i)})
	}
	if err := writePrefixes(set.OpenPrefixes, set.PrefixStarts, defaults); err != nil {
		b.Fatal(err)
	}

	rawAttach := func(p *ebpf.Program) link.Link {
		l, err := link.AttachRawTracepoint(link.RawTracepointOptions{Name: "sys_enter", Program: p})
		if err != nil {
			b.Fatal(err)
		}
		return l
	}
	tpAttach := func(name string, p *ebpf.Program) link.Link {
		l, err := link.Tracepoint("syscalls", name, p, nil)
		if err != nil {
			b.Fatal(err)
		}
		return l
	}
	hook, err := link.AttachTracing(link.TracingOptions{Program: set.OnSysEnter})
	if err != nil {
		b.Fatal(err)
	}
	links := []link.Link{rawAttach(emptyRaw), hook, tpAttach("sys_exit_openat", emptyExit), tpAttach("sys_exit_openat", set.ExitOpen)}
	path, _ := syscall.BytePtrFromString("/tmp/vigil-bench-nginx-123456/html/index.html") // an ordinary, non-sensitive open
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fd, _, _ := syscall.Syscall6(syscall.SYS_OPENAT, uintptr(0xffffff9c), uintptr(unsafe.Pointer(path)), 0, 0, 0, 0)
		if int(fd) >= 0 {
			syscall.Close(int(fd))
		}
		syscall.Getpid()
	}
	b.StopTimer()
	for _, l := range links {
		l.Close()
	}
	perRun := func(p *ebpf.Program) float64 {
		s, err := p.Stats()
		if err != nil || s.RunCount == 0 {
			b.Fatalf("no statistics for a program: %v", err)
		}
		return float64(s.Runtime.Nanoseconds()) / float64(s.RunCount)
	}
	floor := perRun(emptyRaw)
	b.ReportMetric(floor, "ns-floor")
	b.ReportMetric(perRun(set.OnSysEnter)-floor, "ns-sys-enter") // per syscall: half opens, half getpid
	b.ReportMetric(perRun(set.ExitOpen)-perRun(emptyExit), "ns-exit-open")
}
