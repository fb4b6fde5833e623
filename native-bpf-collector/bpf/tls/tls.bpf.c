// TLS plaintext through uprobes on OpenSSL's SSL_write/SSL_read and their _ex forms (CPython 3.10+ calls the _ex
// forms; Node's binary exports the plain ones). Data is taken on return, when the count actually transferred is
// known, and copied in bounded chunks from a per-CPU scratch record.
#include "../common/events.h"

#define TLS_CHUNK 16384
#define TLS_MAX_CHUNKS 8
#define DIRECTION_EGRESS 0
#define DIRECTION_INGRESS 1
/* Not data: the SSL object was freed (the connection is over); len is 0. */
#define DIRECTION_CLOSED 2

struct tls_event {
	struct event_header h;
	__u64 conn; /* the SSL * : one TLS connection within the process */
	__u32 len;
	__u8 direction;
	__u8 pad[3];
	__u8 data[TLS_CHUNK];
};

struct tls_call {
	__u64 ssl;
	__u64 buf;
	__u64 count_ptr; /* size_t * of the _ex forms, 0 for the plain forms */
	__u64 num;       /* the size asked for: what was transferred can never exceed it */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64); /* pid_tgid */
	__type(value, struct tls_call);
} tls_calls_write SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct tls_call);
} tls_calls_read SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tls_event);
} tls_scratch SEC(".maps");

static __always_inline void remember_call(void *map, void *ssl, const void *buf, void *count_ptr, __u64 num)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct tls_call call = { .ssl = (__u64)ssl, .buf = (__u64)buf, .count_ptr = (__u64)count_ptr, .num = num };
	bpf_map_update_elem(map, &pid_tgid, &call, BPF_ANY);
}

/* ret is the C int the function returned (SSL_write/SSL_read: bytes or <= 0; the _ex forms: 1 or 0). */
static __always_inline void emit_data(void *map, int ret, __u8 direction)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct tls_call *call = bpf_map_lookup_elem(map, &pid_tgid);
	if (!call)
		return;
	__u64 count = 0;
	if (call->count_ptr) {
		if (ret == 1)
			bpf_probe_read_user(&count, sizeof(count), (void *)call->count_ptr);
	} else if (ret > 0) {
		count = ret;
	}
	if (count > call->num)
		count = call->num;
	__u64 buf = call->buf, ssl = call->ssl;
	bpf_map_delete_elem(map, &pid_tgid);
	if (count == 0)
		return;
	__u32 zero = 0;
	struct tls_event *e = bpf_map_lookup_elem(&tls_scratch, &zero);
	if (!e)
		return;
	fill_header(&e->h, KIND_TLS_DATA);
	e->conn = ssl;
	e->direction = direction;
	for (int i = 0; i < TLS_MAX_CHUNKS; i++) {
		if (count == 0)
			return;
		__u32 n = count > TLS_CHUNK ? TLS_CHUNK : count;
		e->len = n;
		if (bpf_probe_read_user(e->data, n, (void *)buf) != 0)
			return;
		if (bpf_ringbuf_output(&events, e, offsetof(struct tls_event, data) + n, wakeup_flags()) != 0)
			count_lost(KIND_TLS_DATA);
		buf += n;
		count -= n;
	}
	if (count > 0)
		count_lost(KIND_TLS_TRUNCATED);
}

SEC("uprobe/SSL_write")
int BPF_KPROBE(ssl_write_enter, void *ssl, const void *buf, int num)
{
	remember_call(&tls_calls_write, ssl, buf, 0, num > 0 ? num : 0);
	return 0;
}

SEC("uretprobe/SSL_write")
int BPF_KRETPROBE(ssl_write_exit, int ret)
{
	emit_data(&tls_calls_write, ret, DIRECTION_EGRESS);
	return 0;
}

SEC("uprobe/SSL_write_ex")
int BPF_KPROBE(ssl_write_ex_enter, void *ssl, const void *buf, __u64 num, __u64 *written)
{
	remember_call(&tls_calls_write, ssl, buf, written, num);
	return 0;
}

SEC("uretprobe/SSL_write_ex")
int BPF_KRETPROBE(ssl_write_ex_exit, int ret)
{
	emit_data(&tls_calls_write, ret, DIRECTION_EGRESS);
	return 0;
}

SEC("uprobe/SSL_read")
int BPF_KPROBE(ssl_read_enter, void *ssl, void *buf, int num)
{
	remember_call(&tls_calls_read, ssl, buf, 0, num > 0 ? num : 0);
	return 0;
}

SEC("uretprobe/SSL_read")
int BPF_KRETPROBE(ssl_read_exit, int ret)
{
	emit_data(&tls_calls_read, ret, DIRECTION_INGRESS);
	return 0;
}

SEC("uprobe/SSL_read_ex")
int BPF_KPROBE(ssl_read_ex_enter, void *ssl, void *buf, __u64 num, __u64 *readbytes)
{
	remember_call(&tls_calls_read, ssl, buf, readbytes, num);
	return 0;
}

SEC("uretprobe/SSL_read_ex")
int BPF_KRETPROBE(ssl_read_ex_exit, int ret)
{
	emit_data(&tls_calls_read, ret, DIRECTION_INGRESS);
	return 0;
}

/* SSL_free ends the connection for the HTTP tracker: a body that ends with the close, a cut answer or a request
 * that never got one is reported then rather than left buffered until it is evicted. Only objects that carried data
 * matter, but the filter lives in userspace (a freed SSL * it never saw is ignored there). */
SEC("uprobe/SSL_free")
int BPF_KPROBE(ssl_free_enter, void *ssl)
{
	if (!ssl)
		return 0;
	struct tls_event *e = bpf_ringbuf_reserve(&events, offsetof(struct tls_event, data), 0);
	if (!e) {
		count_lost(KIND_TLS_DATA);
		return 0;
	}
	fill_header(&e->h, KIND_TLS_DATA);
	e->conn = (__u64)ssl;
	e->len = 0;
	e->direction = DIRECTION_CLOSED;
	e->pad[0] = e->pad[1] = e->pad[2] = 0;
	bpf_ringbuf_submit(e, wakeup_flags());
	return 0;
}

const struct tls_event *unused_tls_event __attribute__((unused));
