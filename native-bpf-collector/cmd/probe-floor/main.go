// probe-floor attaches empty BPF programs on the hooks the collector needs on every syscall and every packet, and
// holds them until SIGTERM or SIGINT. The overhead benchmark runs a workload under it beside the collector: what an
// empty program on the same hook costs is the floor no program there can go under (the kernel's own dispatch), so
// the collector's overhead reads against it. Root only.
//
//	probe-floor [--hooks sys_enter,packets] [--cgroup-root /sys/fs/cgroup/unified]
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/rlimit"
)

func main() {
	hooks := flag.String("hooks", "sys_enter,packets", "comma-separated: sys_enter (a raw tracepoint on every syscall), packets (cgroup_skb egress and ingress at the cgroup root)")
	cgroupRoot := flag.String("cgroup-root", "/sys/fs/cgroup/unified", "cgroup v2 mount point")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("probe-floor: ")
	if err := rlimit.RemoveMemlock(); err != nil {
		log.Fatal(err)
	}
	var attached []io.Closer
	for _, hook := range strings.Split(*hooks, ",") {
		switch hook {
		case "sys_enter":
			attached = append(attached, must(link.AttachRawTracepoint(link.RawTracepointOptions{Name: "sys_enter", Program: empty(ebpf.RawTracepoint, 0)})))
		case "packets":
			for _, kind := range []ebpf.AttachType{ebpf.AttachCGroupInetEgress, ebpf.AttachCGroupInetIngress} {
				attached = append(attached, must(link.AttachCgroup(link.CgroupOptions{Path: *cgroupRoot, Attach: kind, Program: empty(ebpf.CGroupSKB, 1)})))
			}
		default:
			log.Fatalf("unknown hook %q (sys_enter or packets)", hook)
		}
	}
	fmt.Println("attached", *hooks)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	<-signals
	for _, c := range attached {
		c.Close()
	}
}

// empty is a program that returns at once: verdict 1 lets a packet through; 0 is a tracing program's only answer.
func empty(kind ebpf.ProgramType, verdict int32) *ebpf.Program {
	return must(ebpf.NewProgram(&ebpf.ProgramSpec{Type: kind, License: "GPL", Instructions: asm.Instructions{asm.Mov.Imm(asm.R0, verdict), asm.Return()}}))
}

func must[T any](v T, err error) T {
	if err != nil {
		log.Fatal(err)
	}
	return v
}
