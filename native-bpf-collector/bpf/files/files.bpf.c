// Opens of sensitive paths: openat(2) whose absolute path starts with one of the configured prefixes (service-account
// tokens, /etc/shadow, SSH keys, cloud credentials, kubeconfigs, ...). Matching happens in the kernel so ordinary
// opens cost one compare loop and no event.
#include "../common/events.h"

#define PATH_MAX_LEN 256
#define PREFIX_MAX_LEN 64
#define PREFIX_SLOTS 32

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

struct pending_open {
	__u32 flags;
	__u32 category;
	char path[PATH_MAX_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64); /* pid_tgid */
	__type(value, struct pending_open);
} pending_opens SEC(".maps");

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
	__u32 pad;
	char path[PATH_MAX_LEN];
};

static __always_inline int prefix_matches(struct path_prefix *prefix, char *path)
{
	if (prefix->len == 0 || prefix->len > PREFIX_MAX_LEN)
		return 0;
	for (int i = 0; i < PREFIX_MAX_LEN; i++) {
		if (i >= prefix->len)
			return 1;
		if (prefix->path[i] != path[i])
			return 0;
	}
	return 1;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int enter_openat(struct trace_event_raw_sys_enter *ctx)
{
	__u32 zero = 0;
	struct pending_open *open = bpf_map_lookup_elem(&open_scratch, &zero);
	if (!open)
		return 0;
	if (bpf_probe_read_user_str(open->path, sizeof(open->path), (void *)ctx->args[1]) <= 1 || open->path[0] != '/')
		return 0;
	for (__u32 slot = 0; slot < PREFIX_SLOTS; slot++) {
		__u32 key = slot;
		struct path_prefix *prefix = bpf_map_lookup_elem(&open_prefixes, &key);
		if (!prefix || prefix->len == 0)
			break;
		if (prefix_matches(prefix, open->path)) {
			open->flags = (__u32)ctx->args[2];
			open->category = prefix->category;
			__u64 pid_tgid = bpf_get_current_pid_tgid();
			bpf_map_update_elem(&pending_opens, &pid_tgid, open, BPF_ANY);
			return 0;
		}
	}
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int exit_openat(struct trace_event_raw_sys_exit *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct pending_open *open = bpf_map_lookup_elem(&pending_opens, &pid_tgid);
	if (!open)
		return 0;
	struct open_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost(KIND_FILE_OPEN);
	} else {
		fill_header(&e->h, KIND_FILE_OPEN);
		e->flags = open->flags;
		e->category = open->category;
		e->ret = (__s32)ctx->ret;
		e->pad = 0;
		__builtin_memcpy(e->path, open->path, PATH_MAX_LEN);
		bpf_ringbuf_submit(e, wakeup_flags());
	}
	bpf_map_delete_elem(&pending_opens, &pid_tgid);
	return 0;
}

const struct open_event *unused_open_event __attribute__((unused));
const struct path_prefix *unused_path_prefix __attribute__((unused));
