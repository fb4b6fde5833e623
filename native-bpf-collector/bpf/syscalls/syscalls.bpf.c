// The one hook on syscall entry (tp_btf/sys_enter, every syscall of every task): the open family's sensitive-path
// check (files/open.h), the first writes of new programs for MCP over stdio (mcp_stdio.h), and the syscall
// set. One program on one hook, so that a syscall pays the kernel's tracepoint dispatch once; the open family's exit
// is on the four sys_exit tracepoints (files/open.h), which only the opens reach.
//
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
#include "../files/open.h"
#include "mcp_stdio.h"

/* x86-64 syscall numbers (the collector is built for amd64) and the open flags creat(2) implies. */
#define NR_OPEN 2
#define NR_CREAT 85
#define NR_OPENAT 257
#define NR_OPENAT2 437
#define AT_FDCWD_ -100
#define CREAT_FLAGS (01 | 0100 | 01000) /* O_WRONLY | O_CREAT | O_TRUNC */

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

/* The open family's arguments, read from the syscall's registers. */
static __always_inline void open_family(struct pt_regs *regs, long nr)
{
	__s32 dirfd = AT_FDCWD_;
	const void *filename;
	__u64 flags;
	if (nr == NR_OPENAT) {
		dirfd = (__s32)regs->di;
		filename = (const void *)regs->si;
		flags = regs->dx;
	} else if (nr == NR_OPEN) {
		filename = (const void *)regs->di;
		flags = regs->si;
	} else if (nr == NR_CREAT) {
		filename = (const void *)regs->di;
		flags = CREAT_FLAGS;
	} else { /* openat2(dirfd, path, struct open_how *how, size): flags is how's first field */
		dirfd = (__s32)regs->di;
		filename = (const void *)regs->si;
		flags = 0;
		bpf_probe_read_user(&flags, sizeof(flags), (const void *)regs->dx);
	}
	open_enter(dirfd, filename, (__u32)flags);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long nr)
{
	if (nr == NR_OPENAT || nr == NR_OPEN || nr == NR_OPENAT2 || nr == NR_CREAT)
		open_family(regs, nr);
	else if (nr == NR_WRITE || nr == NR_WRITEV)
		watched_write(regs, nr);
	else if (nr == NR_EXECVE || nr == NR_EXECVEAT)
		watch_writes();
	if (nr < 0 || nr >= SYSCALL_WORDS * 64)
		return 0;
	__u32 word = (nr >> 6) & (SYSCALL_WORDS - 1);
	__u64 bit = 1ULL << (nr & 63);
	/* The helper, not four BTF loads from the task: those are probe-checked loads, and measured twice as slow. */
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
const struct open_event *unused_open_event __attribute__((unused));
const struct path_prefix *unused_path_prefix __attribute__((unused));
const struct mcp_stdio_event *unused_mcp_stdio_event __attribute__((unused));
