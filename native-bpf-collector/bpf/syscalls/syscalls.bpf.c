// The complete syscall set of every cgroup: a 512-bit bitmap per cgroup id, and an event the first time a bit is
// set. When the event cannot be reserved the bit is cleared again, so the next call retries: the set stays complete.
#include "../common/events.h"

#define SYSCALL_WORDS 8 /* 512 syscall numbers */

struct syscall_set {
	__u64 bits[SYSCALL_WORDS];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64); /* cgroup id */
	__type(value, struct syscall_set);
} syscall_sets SEC(".maps");

struct syscall_event {
	struct event_header h;
	__u32 nr;
	__u32 pad;
};

SEC("raw_tracepoint/sys_enter")
int on_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	long nr = (long)ctx->args[1];
	if (nr < 0 || nr >= SYSCALL_WORDS * 64)
		return 0;
	__u64 cgroup_id = bpf_get_current_cgroup_id();
	struct syscall_set *set = bpf_map_lookup_elem(&syscall_sets, &cgroup_id);
	if (!set) {
		struct syscall_set empty = {};
		bpf_map_update_elem(&syscall_sets, &cgroup_id, &empty, BPF_NOEXIST);
		set = bpf_map_lookup_elem(&syscall_sets, &cgroup_id);
		if (!set)
			return 0;
	}
	__u32 word = (nr >> 6) & (SYSCALL_WORDS - 1);
	__u64 bit = 1ULL << (nr & 63);
	if (set->bits[word] & bit)
		return 0;
	__u64 before = __sync_fetch_and_or(&set->bits[word], bit);
	if (before & bit)
		return 0; /* another CPU reported it first */
	struct syscall_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost(KIND_SYSCALL_FIRST);
		__sync_fetch_and_and(&set->bits[word], ~bit);
		return 0;
	}
	fill_header(&e->h, KIND_SYSCALL_FIRST);
	e->nr = nr;
	e->pad = 0;
	bpf_ringbuf_submit(e, wakeup_flags());
	return 0;
}

const struct syscall_event *unused_syscall_event __attribute__((unused));
