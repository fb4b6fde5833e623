// TCP connections: connect (SYN_SENT -> ESTABLISHED), accept (accept/accept4 returning a socket) and close with
// the bytes each way. The owner (process, cgroup) is captured where the process is on the CPU — at SYN_SENT and at
// accept's return — because the later state changes run in softirq context on behalf of nobody in particular.
#include "../common/events.h"

#define TCP_ESTABLISHED_STATE 1
#define TCP_SYN_SENT_STATE 2
#define TCP_CLOSE_STATE 7

struct conn_owner {
	struct event_header h; /* the owner's header, captured in its context */
	__u64 start_ns;
	__u16 kind; /* KIND_CONNECT or KIND_ACCEPT */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64); /* struct sock * */
	__type(value, struct conn_owner);
} conn_owners SEC(".maps");

struct net_event {
	struct event_header h;
	__u64 start_ns; /* when the connection was opened (monotonic), 0 if unknown */
	__u64 bytes_sent;
	__u64 bytes_received;
	__u16 family;
	__u16 sport; /* host byte order */
	__u16 dport; /* host byte order */
	__u16 direction; /* KIND_CONNECT or KIND_ACCEPT: who opened it */
	__u32 old_state; /* for close: the state left, which tells whether FINs were exchanged */
	__u32 pad;
	__u8 saddr[16];
	__u8 daddr[16];
};

static __always_inline void remember_owner(__u64 sk, __u16 kind)
{
	struct conn_owner owner = {};
	fill_header(&owner.h, kind);
	owner.start_ns = owner.h.time_ns;
	owner.kind = kind;
	if (bpf_map_update_elem(&conn_owners, &sk, &owner, BPF_ANY) != 0)
		count_lost(KIND_CONN_UNTRACKED);
}

static __always_inline void copy_addrs(struct net_event *e, struct trace_event_raw_inet_sock_set_state *ctx)
{
	e->family = ctx->family;
	e->sport = ctx->sport;
	e->dport = ctx->dport;
	/* The verifier refuses memcpy out of a tracepoint context at a computed offset; probe reads are fine. */
	if (ctx->family == AF_INET) {
		bpf_probe_read_kernel(e->saddr, 4, ctx->saddr);
		bpf_probe_read_kernel(e->daddr, 4, ctx->daddr);
	} else {
		bpf_probe_read_kernel(e->saddr, 16, ctx->saddr_v6);
		bpf_probe_read_kernel(e->daddr, 16, ctx->daddr_v6);
	}
}

SEC("tracepoint/sock/inet_sock_set_state")
int handle_set_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
	if (ctx->protocol != IPPROTO_TCP_NR)
		return 0;
	__u64 sk = (__u64)ctx->skaddr;
	if (ctx->newstate == TCP_SYN_SENT_STATE) {
		remember_owner(sk, KIND_CONNECT);
		return 0;
	}
	int connected = ctx->oldstate == TCP_SYN_SENT_STATE && ctx->newstate == TCP_ESTABLISHED_STATE;
	int closed = ctx->newstate == TCP_CLOSE_STATE;
	if (!connected && !closed)
		return 0;
	struct conn_owner *owner = bpf_map_lookup_elem(&conn_owners, &sk);
	if (!owner)
		return 0;
	if (closed && ctx->oldstate == TCP_SYN_SENT_STATE) {
		/* A connect that never succeeded: no connection to report. */
		bpf_map_delete_elem(&conn_owners, &sk);
		return 0;
	}
	__u16 kind = connected ? KIND_CONNECT : KIND_CLOSE;
	struct net_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost(kind);
	} else {
		e->h = owner->h;
		e->h.kind = kind;
		e->h.time_ns = bpf_ktime_get_ns();
		e->start_ns = owner->start_ns;
		e->direction = owner->kind;
		e->old_state = ctx->oldstate;
		e->pad = 0;
		copy_addrs(e, ctx);
		if (closed) {
			struct tcp_sock *tp = (struct tcp_sock *)ctx->skaddr;
			e->bytes_sent = BPF_CORE_READ(tp, bytes_acked);
			e->bytes_received = BPF_CORE_READ(tp, bytes_received);
		} else {
			e->bytes_sent = 0;
			e->bytes_received = 0;
		}
		bpf_ringbuf_submit(e, wakeup_flags());
	}
	if (closed)
		bpf_map_delete_elem(&conn_owners, &sk);
	return 0;
}

static __always_inline struct sock *sock_of_fd(long fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
	struct file *file = 0;
	if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) != 0 || !file)
		return 0;
	struct socket *socket = (struct socket *)BPF_CORE_READ(file, private_data);
	if (!socket)
		return 0;
	return BPF_CORE_READ(socket, sk);
}

static __always_inline int handle_accept_exit(struct trace_event_raw_sys_exit *ctx)
{
	long fd = ctx->ret;
	if (fd < 0 || fd > 1048576)
		return 0;
	struct sock *sk = sock_of_fd(fd);
	if (!sk)
		return 0;
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	__u16 protocol = BPF_CORE_READ(sk, sk_protocol);
	if ((family != AF_INET && family != AF_INET6) || protocol != IPPROTO_TCP_NR)
		return 0;
	remember_owner((__u64)sk, KIND_ACCEPT);
	struct net_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost(KIND_ACCEPT);
		return 0;
	}
	fill_header(&e->h, KIND_ACCEPT);
	e->start_ns = e->h.time_ns;
	e->bytes_sent = 0;
	e->bytes_received = 0;
	e->direction = KIND_ACCEPT;
	e->old_state = 0;
	e->pad = 0;
	e->family = family;
	/* For an accepted socket the local side is the listener's address; the remote side is the client. */
	e->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (family == AF_INET) {
		__u32 saddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u32 daddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		__builtin_memcpy(e->saddr, &saddr, 4);
		__builtin_memcpy(e->daddr, &daddr, 4);
	} else {
		BPF_CORE_READ_INTO(&e->saddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&e->daddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	}
	bpf_ringbuf_submit(e, wakeup_flags());
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int handle_accept4_exit(struct trace_event_raw_sys_exit *ctx)
{
	return handle_accept_exit(ctx);
}

SEC("tracepoint/syscalls/sys_exit_accept")
int handle_accept_exit_plain(struct trace_event_raw_sys_exit *ctx)
{
	return handle_accept_exit(ctx);
}

const struct net_event *unused_net_event __attribute__((unused));
