// MCP over stdio: a server spawned by its client answers on a pipe (or socketpair) that was its stdout — often
// under another fd number, since SDKs move the protocol stream off fd 1 so that prints cannot corrupt it (the Python
// SDK writes on a dup of it). So the first WATCHED_WRITES write(2)/writev(2) calls of every program exec'd while the
// collector runs are looked at, whatever the fd, and up to WATCHED_JSON_WRITES of them that start with `{` are sent
// up (their first MCP_STDIO_MAX bytes), where an MCP opening request or its answer is recognised.
//
// The watch lives in task-local storage: set at exec, copied to the threads and children the program starts
// (sched_process_fork), freed with the task. A write of a task without a watch — nearly every write — costs one
// load of the task's storage pointer, which is empty: no helper call, no map lookup. Processes exec'd before the
// collector started are not watched (their session opened long ago).
#pragma once

#define NR_WRITE 1
#define NR_WRITEV 20
#define NR_EXECVE 59
#define NR_EXECVEAT 322
#define WATCHED_WRITES 64
#define WATCHED_JSON_WRITES 4
#define MCP_STDIO_MAX 1024

struct write_watch {
	__u32 writes_left;
	__u32 json_left;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct write_watch);
} write_watch SEC(".maps");

struct mcp_stdio_event {
	struct event_header h;
	__u32 fd;
	__u32 len;
	__u8 payload[MCP_STDIO_MAX];
};

/* At execve/execveat: the program about to run gets its first writes looked at. */
static __always_inline void watch_writes(void)
{
	struct write_watch *w = bpf_task_storage_get(&write_watch, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!w)
		return;
	w->writes_left = WATCHED_WRITES;
	w->json_left = WATCHED_JSON_WRITES;
}

/* write(fd, buf, len) or writev(fd, iov, n) of any task. */
static __always_inline void watched_write(struct pt_regs *regs, long nr)
{
	struct task_struct *task = bpf_get_current_task_btf();
	/* Most tasks have no local storage at all: one load says so, without the helper call. */
	if (!task->bpf_storage)
		return;
	struct write_watch *w = bpf_task_storage_get(&write_watch, task, 0, 0);
	if (!w)
		return;
	__u32 json_left = w->json_left;
	int last = w->writes_left <= 1 || json_left <= 1;
	/* The watch ends with its last write to look at (or its last JSON one): the storage goes, and w with it. */
	if (last)
		bpf_task_storage_delete(&write_watch, task);
	else
		w->writes_left--;
	if (json_left == 0)
		return;
	const void *buf;
	__u64 len;
	if (nr == NR_WRITE) {
		buf = (const void *)regs->si;
		len = regs->dx;
	} else {
		struct iovec first;
		if (regs->dx < 1 || bpf_probe_read_user(&first, sizeof(first), (const void *)regs->si) != 0)
			return;
		buf = first.iov_base;
		len = first.iov_len;
	}
	char head;
	if (len < 2 || bpf_probe_read_user(&head, 1, buf) != 0 || head != '{')
		return;
	if (!last)
		w->json_left--;
	struct mcp_stdio_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost(KIND_MCP_STDIO);
		return;
	}
	fill_header(&e->h, KIND_MCP_STDIO);
	if (len > MCP_STDIO_MAX)
		len = MCP_STDIO_MAX;
	asm volatile("%0 &= 2047" : "+r"(len));
	if (len > MCP_STDIO_MAX || bpf_probe_read_user(e->payload, len, buf) != 0)
		len = 0;
	e->fd = (__u32)regs->di;
	e->len = len;
	bpf_ringbuf_submit(e, wakeup_flags());
}

/* A watched task's new threads and children inherit what is left of its watch: SDKs write from worker threads. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	struct write_watch *w = bpf_task_storage_get(&write_watch, parent, 0, 0);
	if (!w)
		return 0;
	struct write_watch *copy = bpf_task_storage_get(&write_watch, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (copy)
		*copy = *w;
	return 0;
}
