// Opens of sensitive paths: open(2), openat(2), openat2(2) and creat(2) whose absolute path starts with one of the
// configured prefixes (service-account tokens, /etc/shadow, SSH keys, cloud credentials, kubeconfigs, ...). Matching
// happens in the kernel so ordinary opens cost one compare loop and no event. A path the kernel cannot match as
// written — relative (`../../etc/shadow`, or a name under a dirfd) or not canonical (`/srv/../etc/shadow`,
// `/etc//shadow`, `/etc/./shadow`) — is sent to userspace as CATEGORY_UNRESOLVED with its dirfd, where it is resolved
// against the process cwd / dirfd and matched there. Those are bounded per CPU per second; the excess is counted
// under KIND_OPEN_UNRESOLVED_BUDGET.
//
// The entry side is not a program of its own: the syscall hook (syscalls.bpf.c), which runs on every syscall
// anyway for the syscall set, calls open_enter for the open family. A tracepoint on sys_enter_openat would cost
// every open a perf record and every syscall a second probe. The exit side is `exit_open`, on the four
// sys_exit tracepoints: it needs the return value (the fd, or the error).
#pragma once

#define PATH_MAX_LEN 256
#define PREFIX_MAX_LEN 64
#define PREFIX_SLOTS 32
#define CATEGORY_UNRESOLVED 0xFFFFFFFF
#define UNRESOLVED_PER_CPU_PER_SECOND 2000

struct path_prefix {
	__u32 len; /* 0: empty slot */
	__u32 category;
	char path[PREFIX_MAX_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PREFIX_SLOTS);
	__type(key, __u32);
	__type(value, struct path_prefix);
} open_prefixes SEC(".maps");

/* Which two bytes after the leading `/` some prefix starts with: bit (path[1] << 8 | path[2]) of this 65,536-bit
 * set, written by userspace with the prefixes (all bits set when a prefix is shorter than 3 bytes). An open of
 * /usr, /proc, /sys, /tmp, /app, ... finds its bit clear and skips the prefix comparisons. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} prefix_starts SEC(".maps");

struct pending_open {
	__u32 flags;
	__u32 category;
	__s32 dirfd;
	__u32 pad;
	char path[PATH_MAX_LEN];
};

struct unresolved_budget {
	__u64 window_start_ns;
	__u64 used;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct unresolved_budget);
} unresolved_budgets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64); /* pid_tgid */
	__type(value, struct pending_open);
} pending_opens SEC(".maps");

/* How many pending_opens entries exist (at least): sys_exit_openat skips its hash lookup while this is zero, which
 * is nearly always. Incremented after an entry is added and decremented after one is deleted, so a thread at its
 * own exit always sees its entry counted; an entry overwritten in place (a lost exit) is counted once. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} pending_count SEC(".maps");

static __always_inline void remember_open(__u64 *pid_tgid, struct pending_open *open)
{
	if (bpf_map_update_elem(&pending_opens, pid_tgid, open, BPF_NOEXIST) == 0) {
		__u32 zero = 0;
		__u64 *count = bpf_map_lookup_elem(&pending_count, &zero);
		if (count)
			__sync_fetch_and_add(count, 1);
		return;
	}
	bpf_map_update_elem(&pending_opens, pid_tgid, open, BPF_ANY);
}

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pending_open);
} open_scratch SEC(".maps");

struct open_event {
	struct event_header h;
	__u32 flags;
	__s32 ret; /* fd, or -errno */
	__u32 category;
	__s32 dirfd; /* for CATEGORY_UNRESOLVED: the openat dirfd (AT_FDCWD = -100) the path is relative to */
	char path[PATH_MAX_LEN];
};

/* Every absolute open is scanned for `//`, `/./` and `/../`, and compared with every prefix: this runs on each
 * openat(2) of every process, so both work on 8 bytes at a time. */
#define BYTES_01 0x0101010101010101ULL
#define BYTES_7F 0x7f7f7f7f7f7f7f7fULL
#define BYTES_SLASH 0x2f2f2f2f2f2f2f2fULL
#define BYTES_DOT 0x2e2e2e2e2e2e2e2eULL

/* The high bit of each byte of v that is zero, exactly (no carry crosses a byte, so no false positives). */
static __always_inline __u64 zero_bytes(__u64 v)
{
	return ~(((v & BYTES_7F) + BYTES_7F) | v | BYTES_7F);
}

/* Whether the `/` at path[at] starts `//`, `/.` + (`/` or end), or `/..` + (`/` or end). */
static __always_inline int dot_or_double_slash(const char *path, __u32 at)
{
	if (at > PATH_MAX_LEN - 4)
		return 0;
	char a = path[at + 1], b = path[at + 2];
	if (a == '/')
		return 1;
	if (a == '.' && (b == '/' || b == 0))
		return 1;
	return a == '.' && b == '.' && (path[at + 3] == '/' || path[at + 3] == 0);
}

/* A path that only means something after resolution: relative, or holding `//`, `/./` or `/../` (or ending in `/.`
 * or `/..`). Eight bytes at a time: a word without a `/` followed by `/` or `.` costs a few instructions; only a
 * word holding such a pair (rare: `//`, a dot directory or a hidden file) is looked at byte by byte. */
static __always_inline int needs_resolving(const char *path)
{
	if (path[0] != '/')
		return 1;
	const __u64 *words = (const __u64 *)path;
	for (__u32 i = 0; i < PATH_MAX_LEN / 8 - 1; i++) {
		__u64 word = words[i];
		/* byte k of `following` is the byte after byte k of `word` */
		__u64 following = (word >> 8) | (words[i + 1] << 56);
		__u64 pairs = zero_bytes(word ^ BYTES_SLASH) & (zero_bytes(following ^ BYTES_SLASH) | zero_bytes(following ^ BYTES_DOT));
		__u64 end = zero_bytes(word);
		/* Only bytes before the terminating NUL count: the scratch buffer holds an older, longer path after it. */
		if (end)
			pairs &= (end & -end) - 1;
		if (pairs) {
			for (__u32 k = 0; k < 8; k++) {
				if (((pairs >> (k * 8 + 7)) & 1) && dot_or_double_slash(path, i * 8 + k))
					return 1;
			}
		}
		if (end)
			return 0;
	}
	return 0;
}

static __always_inline int take_unresolved_budget(void)
{
	__u32 zero = 0;
	struct unresolved_budget *budget = bpf_map_lookup_elem(&unresolved_budgets, &zero);
	if (!budget)
		return 0;
	__u64 now = bpf_ktime_get_ns();
	if (now - budget->window_start_ns > 1000000000ULL) {
		budget->window_start_ns = now;
		budget->used = 0;
	}
	if (budget->used >= UNRESOLVED_PER_CPU_PER_SECOND) {
		count_lost(KIND_OPEN_UNRESOLVED_BUDGET);
		return 0;
	}
	budget->used++;
	return 1;
}

/* The prefix compared 8 bytes at a time; most prefixes differ from a path within its first word. */
static __always_inline int prefix_matches(struct path_prefix *prefix, const char *path)
{
	__u32 len = prefix->len;
	if (len == 0 || len > PREFIX_MAX_LEN)
		return 0;
	const __u64 *want = (const __u64 *)prefix->path, *have = (const __u64 *)path;
	for (__u32 i = 0; i < PREFIX_MAX_LEN / 8; i++) {
		__u32 done = i * 8;
		if (done >= len)
			return 1;
		__u64 diff = want[i] ^ have[i];
		if (len - done < 8)
			diff &= (1ULL << ((len - done) * 8)) - 1;
		if (diff)
			return 0;
	}
	return 1;
}

static __always_inline int may_match_a_prefix(const char *path)
{
	__u32 start = (__u8)path[1] << 8 | (__u8)path[2];
	__u32 key = start >> 6;
	__u64 *bits = bpf_map_lookup_elem(&prefix_starts, &key);
	return bits && (*bits >> (start & 63)) & 1;
}

/* Called by the syscall hook for the open family: dirfd (AT_FDCWD for open/creat), the user's path pointer and the
 * open flags. */
static __always_inline void open_enter(__s32 dirfd, const void *filename, __u32 flags)
{
	__u32 zero = 0;
	struct pending_open *open = bpf_map_lookup_elem(&open_scratch, &zero);
	if (!open)
		return;
	if (bpf_probe_read_user_str(open->path, sizeof(open->path), filename) <= 1)
		return;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	open->flags = flags;
	open->dirfd = dirfd;
	open->pad = 0;
	if (open->path[0] == '/' && may_match_a_prefix(open->path)) {
		for (__u32 slot = 0; slot < PREFIX_SLOTS; slot++) {
			__u32 key = slot;
			struct path_prefix *prefix = bpf_map_lookup_elem(&open_prefixes, &key);
			if (!prefix || prefix->len == 0)
				break;
			if (prefix_matches(prefix, open->path)) {
				open->category = prefix->category;
				remember_open(&pid_tgid, open);
				return;
			}
		}
	}
	if (needs_resolving(open->path) && take_unresolved_budget()) {
		open->category = CATEGORY_UNRESOLVED;
		remember_open(&pid_tgid, open);
	}
}

/* On sys_exit_open, sys_exit_openat, sys_exit_openat2 and sys_exit_creat. */
SEC("tracepoint/syscalls/sys_exit_openat")
int exit_open(struct trace_event_raw_sys_exit *ctx)
{
	__u32 zero = 0;
	__u64 *pending = bpf_map_lookup_elem(&pending_count, &zero);
	if (pending && *pending == 0)
		return 0;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct pending_open *open = bpf_map_lookup_elem(&pending_opens, &pid_tgid);
	if (!open)
		return 0;
	struct open_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		/* An unresolved open is only possibly sensitive: counted apart so file.open losses stay exact. */
		count_lost(open->category == CATEGORY_UNRESOLVED ? KIND_OPEN_UNRESOLVED_LOST : KIND_FILE_OPEN);
	} else {
		fill_header(&e->h, KIND_FILE_OPEN);
		e->flags = open->flags;
		e->category = open->category;
		e->ret = (__s32)ctx->ret;
		e->dirfd = open->dirfd;
		__builtin_memcpy(e->path, open->path, PATH_MAX_LEN);
		bpf_ringbuf_submit(e, wakeup_flags());
	}
	if (bpf_map_delete_elem(&pending_opens, &pid_tgid) == 0 && pending)
		__sync_fetch_and_sub(pending, 1);
	return 0;
}

