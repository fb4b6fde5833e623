// Process lifecycle: exec (with lineage, argv and the executed file) and exit (with code) of every process.
#include "../common/events.h"

#define ARGS_MAX 1024
#define FILENAME_MAX 256

struct exec_event {
	struct event_header h;
	__u64 start_ns;
	__u32 ppid;
	__u32 args_len;
	char filename[FILENAME_MAX];
	char args[ARGS_MAX]; /* argv, NUL-separated, as the kernel laid it out */
};

struct exit_event {
	struct event_header h;
	__u64 start_ns;
	__u32 ppid;
	__u32 exit_code; /* wait(2) status: code << 8 | signal */
};

SEC("tracepoint/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct exec_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost(KIND_EXEC);
		return 0;
	}
	fill_header(&e->h, KIND_EXEC);
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->start_ns = BPF_CORE_READ(task, group_leader, start_time);
	unsigned int filename_offset = ctx->__data_loc_filename & 0xFFFF;
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), (void *)ctx + filename_offset);

	unsigned long arg_start = BPF_CORE_READ(task, mm, arg_start);
	unsigned long arg_end = BPF_CORE_READ(task, mm, arg_end);
	unsigned long len = arg_end - arg_start;
	if (len > ARGS_MAX)
		len = ARGS_MAX;
	if (bpf_probe_read_user(e->args, len, (void *)arg_start) != 0)
		len = 0;
	e->args_len = len;
	/* Wake the reader at once: it reads /proc/<pid> (exe, cwd) while the new process still exists. */
	bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int handle_exit(void *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	/* Threads exit too; only the thread-group leader's exit ends the process. */
	if ((__u32)pid_tgid != (__u32)(pid_tgid >> 32))
		return 0;
	struct exit_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost(KIND_EXIT);
		return 0;
	}
	fill_header(&e->h, KIND_EXIT);
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->start_ns = BPF_CORE_READ(task, start_time);
	e->exit_code = BPF_CORE_READ(task, exit_code);
	bpf_ringbuf_submit(e, wakeup_flags());
	return 0;
}

/* bpf2go emits Go types only for types the object references. */
const struct exec_event *unused_exec_event __attribute__((unused));
const struct exit_event *unused_exit_event __attribute__((unused));
