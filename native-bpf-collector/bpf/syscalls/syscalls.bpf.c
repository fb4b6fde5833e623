// The complete syscall set of every cgroup: a 512-bit bitmap per cgroup id, and an event the first time a bit is
// set. When the event cannot be reserved the bit is cleared again, so the next call retries: the set stays complete.
//
// This runs on every syscall of every task, so the common case — a syscall this cgroup has made before — must be
// as cheap as possible: each CPU keeps a copy of the set of the cgroup it last saw (a per-CPU array, whose lookup the
// verifier inlines), and a hit there returns without the hash lookup. The copy is taken again when the CPU sees
// another cgroup. A bit enters a copy only once it is set in the shared set, so the copy never hides a syscall
// that has not been reported (except one whose event is being retried after a full ring buffer at that very moment:
// it is then reported by the next CPU or the next cgroup switch that misses it).
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

/* The set of the cgroup this CPU last ran a syscall for. */
struct cached_set {
	__u64 cgroup_id;
	struct syscall_set set;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cached_set);
} syscall_cache SEC(".maps");

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
	__u32 word = (nr >> 6) & (SYSCALL_WORDS - 1);
	__u64 bit = 1ULL << (nr & 63);
	__u64 cgroup_id = bpf_get_current_cgroup_id();
	__u32 zero = 0;
	struct cached_set *cache = bpf_map_lookup_elem(&syscall_cache, &zero);
	if (!cache)
		return 0;
	if (cache->cgroup_id == cgroup_id && (cache->set.bits[word] & bit))
		return 0;

	struct syscall_set *set = bpf_map_lookup_elem(&syscall_sets, &cgroup_id);
	if (!set) {
		struct syscall_set empty = {};
		bpf_map_update_elem(&syscall_sets, &cgroup_id, &empty, BPF_NOEXIST);
		set = bpf_map_lookup_elem(&syscall_sets, &cgroup_id);
		if (!set)
			return 0;
	}
	if (cache->cgroup_id != cgroup_id) {
		cache->cgroup_id = cgroup_id;
		__builtin_memcpy(&cache->set, set, sizeof(cache->set));
	}
	if (set->bits[word] & bit) {
		cache->set.bits[word] |= bit;
		return 0;
	}
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
	cache->set.bits[word] |= bit;
	return 0;
}

const struct syscall_event *unused_syscall_event __attribute__((unused));
