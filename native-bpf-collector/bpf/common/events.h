// Shared by every probe family: the event header, the ring buffer all families write to, and the per-CPU loss
// counters. Each family compiles to its own object; userspace hands every object the same `events` and
// `lost_events` maps (MapReplacements), so there is one ring buffer and one loss table for the whole collector.
#pragma once
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP_NR 6
#define IPPROTO_UDP_NR 17

enum event_kind {
	KIND_EXEC = 1,
	KIND_EXIT = 2,
	KIND_CONNECT = 3,
	KIND_ACCEPT = 4,
	KIND_CLOSE = 5,
	KIND_DNS = 6,
	KIND_FILE_OPEN = 7,
	KIND_SYSCALL_FIRST = 8,
	KIND_TLS_DATA = 9,
	/* Not an event: counts TLS bytes beyond what one call may copy (the chunk loop is bounded). */
	KIND_TLS_TRUNCATED = 10,
	/* Not an event: connections whose tracking slot could not be stored (map full). */
	KIND_CONN_UNTRACKED = 11,
	/* Not an event: relative or non-canonical opens beyond the per-CPU budget for userspace resolution. */
	KIND_OPEN_UNRESOLVED_BUDGET = 12,
	/* Not an event: relative or non-canonical opens (not yet known to be sensitive) lost to a full ring buffer. */
	KIND_OPEN_UNRESOLVED_LOST = 13,
	/* A plain-HTTP TCP segment that may hold an MCP initialize request (userspace decides). */
	KIND_MCP_HTTP = 14,
	/* An early JSON write of a new program, that may be an MCP request or answer over stdio (userspace decides). */
	KIND_MCP_STDIO = 15,
	KIND_MAX = 16,
};

struct event_header {
	__u64 time_ns; /* bpf_ktime_get_ns: CLOCK_MONOTONIC */
	__u64 cgroup_id;
	__u32 pid; /* thread-group id, what userspace calls a pid */
	__u32 tid;
	__u32 uid;
	__u16 kind;
	__u16 pad;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KIND_MAX);
	__type(key, __u32);
	__type(value, __u64);
} lost_events SEC(".maps");

static __always_inline void count_lost(__u32 kind)
{
	__u64 *counter = bpf_map_lookup_elem(&lost_events, &kind);
	if (counter)
		__sync_fetch_and_add(counter, 1);
}

/* Wake the reader only when the ring is an eighth full: the reader also polls every 50 ms, so a quiet node costs no
 * wakeup per event and a busy one is drained long before the ring fills. */
static __always_inline __u64 wakeup_flags(void)
{
	__u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	__u64 size = bpf_ringbuf_query(&events, BPF_RB_RING_SIZE);
	return avail > size / 8 ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

static __always_inline void fill_header(struct event_header *h, __u16 kind)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	h->time_ns = bpf_ktime_get_ns();
	h->cgroup_id = bpf_get_current_cgroup_id();
	h->pid = pid_tgid >> 32;
	h->tid = (__u32)pid_tgid;
	h->uid = (__u32)bpf_get_current_uid_gid();
	h->kind = kind;
	h->pad = 0;
	bpf_get_current_comm(h->comm, sizeof(h->comm));
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
