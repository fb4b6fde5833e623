// Package probes holds the compiled BPF programs (bpf2go output, committed so a build needs no clang) and loads and
// attaches them. Regenerate with `go generate ./internal/probes` (needs clang and libbpf-dev).
package probes

//go:generate go run github.com/cilium/ebpf/cmd/bpf2go -cc clang -cflags "-O2 -g -Wall -Werror" -target amd64 -type exec_event -type exit_event process ../../bpf/process/process.bpf.c -- -I../../bpf/common
//go:generate go run github.com/cilium/ebpf/cmd/bpf2go -cc clang -cflags "-O2 -g -Wall -Werror" -target amd64 -type net_event net ../../bpf/net/net.bpf.c -- -I../../bpf/common
//go:generate go run github.com/cilium/ebpf/cmd/bpf2go -cc clang -cflags "-O2 -g -Wall -Werror" -target amd64 -type dns_event -type mcp_http_event dns ../../bpf/dns/dns.bpf.c -- -I../../bpf/common
//go:generate go run github.com/cilium/ebpf/cmd/bpf2go -cc clang -cflags "-O2 -g -Wall -Werror" -target amd64 -type syscall_event -type open_event -type path_prefix -type mcp_stdio_event syscalls ../../bpf/syscalls/syscalls.bpf.c -- -I../../bpf/common
//go:generate go run github.com/cilium/ebpf/cmd/bpf2go -cc clang -cflags "-O2 -g -Wall -Werror" -target amd64 -type tls_event tls ../../bpf/tls/tls.bpf.c -- -I../../bpf/common
//go:generate go run github.com/cilium/ebpf/cmd/bpf2go -cc clang -cflags "-O2 -g -Wall -Werror" -target amd64 -type policy -type allow_ports -type verdict_key enforce ../../bpf/enforce/enforce.bpf.c -- -I../../bpf/common
