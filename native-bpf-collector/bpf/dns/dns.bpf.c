// The packet programs: cgroup_skb egress and ingress on the root cgroup, so they see every container's packets
// whatever syscall sent them.
//
// DNS over UDP and TCP: queries are taken on egress to port 53, answers on ingress from port 53; the other two
// directions (a resolver on this node receiving and answering) are not the client's view and are skipped. The DNS
// message itself is parsed in userspace (for TCP, after its 2-byte length).
//
// MCP over plain HTTP: one of the first data segments of a TCP connection (in each direction) whose payload starts
// like a JSON-RPC request over HTTP ("POST", or a body starting with '{' or '[') is scanned, 8 bytes at a time,
// within its first MCP_SCAN_MAX bytes, for `"in` (the start of "initialize") or `"io` (the start of
// "io.modelcontextprotocol/protocolVersion", which every request of the 2026 revision carries); only such segments
// (rare) are sent up, where an MCP opening request is recognised.
// TLS traffic starts with a record header (0x14..0x17) and never gets past the first byte.
//
// These programs run on every packet of every socket on the node, so the common case must cost next to nothing:
// the IP version, protocol, ports and the payload's first bytes are read straight from the packet (direct packet
// access, no helper call) and anything else returns at once. Only when the headers are not in the linear part of
// the packet (rare) does it fall back to bpf_skb_load_bytes.
#include "../common/events.h"

#define DNS_PAYLOAD_MAX 512
#define DNS_PORT 53

struct dns_event {
	struct event_header h;
	__u16 family;
	__u16 sport;
	__u16 dport;
	__u16 payload_len;
	__u8 saddr[16];
	__u8 daddr[16];
	__u8 ingress;
	__u8 protocol; /* IPPROTO_UDP_NR or IPPROTO_TCP_NR: a TCP payload starts with the message's 2-byte length */
	__u8 pad[6];
	__u8 payload[DNS_PAYLOAD_MAX];
};

/* What the fast path needs from the headers; filled from the packet directly or, failing that, by helper calls. */
struct dns_headers {
	__u32 l4_offset;
	__u16 sport;
	__u16 dport;
	__u8 version;
	__u8 protocol;
};

/* The fast path: version, protocol and ports read straight from the packet. Returns -1 when the headers are not in
 * the linear part (then they are read with helpers); 0 otherwise, with protocol 0 for anything that is not UDP/TCP. */
static __always_inline int headers_direct(struct __sk_buff *skb, struct dns_headers *out)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	__u8 *ip = data;
	if ((void *)(ip + 1) > data_end)
		return -1;
	out->version = ip[0] >> 4;
	if (out->version == 4) {
		if ((void *)(ip + 20) > data_end)
			return -1;
		out->protocol = ip[9];
		out->l4_offset = (ip[0] & 0x0F) * 4;
	} else if (out->version == 6) {
		if ((void *)(ip + 40) > data_end)
			return -1;
		out->protocol = ip[6];
		out->l4_offset = 40;
	} else {
		return 0;
	}
	if (out->protocol != IPPROTO_UDP_NR && out->protocol != IPPROTO_TCP_NR)
		return 0;
	__u32 offset = out->l4_offset;
	if (offset < 20 || offset > 60) {
		out->protocol = 0; /* a header length below the minimum: not a packet to read ports from */
		return 0;
	}
	__u8 *l4 = ip + offset;
	if ((void *)(l4 + 4) > data_end)
		return -1;
	out->sport = (__u16)l4[0] << 8 | l4[1];
	out->dport = (__u16)l4[2] << 8 | l4[3];
	return 0;
}

static __always_inline int headers_loaded(struct __sk_buff *skb, struct dns_headers *out)
{
	__u8 version_ihl;
	if (bpf_skb_load_bytes(skb, 0, &version_ihl, 1) != 0)
		return -1;
	out->version = version_ihl >> 4;
	if (out->version == 4) {
		out->l4_offset = (version_ihl & 0x0F) * 4;
		if (bpf_skb_load_bytes(skb, 9, &out->protocol, 1) != 0)
			return -1;
	} else if (out->version == 6) {
		out->l4_offset = 40;
		if (bpf_skb_load_bytes(skb, 6, &out->protocol, 1) != 0)
			return -1;
	} else {
		return 0;
	}
	if (out->protocol != IPPROTO_UDP_NR && out->protocol != IPPROTO_TCP_NR)
		return 0;
	if (out->l4_offset < 20) {
		out->protocol = 0; /* a header length below the minimum: not a packet to read ports from */
		return 0;
	}
	__u16 ports[2];
	if (bpf_skb_load_bytes(skb, out->l4_offset, ports, 4) != 0)
		return -1;
	out->sport = bpf_ntohs(ports[0]);
	out->dport = bpf_ntohs(ports[1]);
	return 0;
}

static __always_inline void report(struct __sk_buff *skb, struct dns_headers *hdr, int ingress)
{
	__u8 saddr[16] = {}, daddr[16] = {};
	__u16 family;
	if (hdr->version == 4) {
		family = AF_INET;
		if (bpf_skb_load_bytes(skb, 12, saddr, 4) != 0 || bpf_skb_load_bytes(skb, 16, daddr, 4) != 0)
			return;
	} else {
		family = AF_INET6;
		if (bpf_skb_load_bytes(skb, 8, saddr, 16) != 0 || bpf_skb_load_bytes(skb, 24, daddr, 16) != 0)
			return;
	}
	__u32 payload_offset = hdr->l4_offset + 8;
	if (hdr->protocol == IPPROTO_TCP_NR) {
		__u8 data_offset;
		if (bpf_skb_load_bytes(skb, hdr->l4_offset + 12, &data_offset, 1) != 0)
			return;
		if ((data_offset >> 4) < 5)
			return; /* a TCP header shorter than its minimum: malformed */
		payload_offset = hdr->l4_offset + (data_offset >> 4) * 4;
	}
	/* SYN, ACK and FIN segments, empty datagrams and headers cut short carry no message: nothing to report. */
	if (skb->len <= payload_offset)
		return;

	struct dns_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost(KIND_DNS);
		return;
	}
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	e->h.time_ns = bpf_ktime_get_ns();
	e->h.cgroup_id = bpf_skb_cgroup_id(skb);
	/* Egress runs in the sender's context; ingress runs in softirq, where "current" is unrelated. */
	e->h.pid = ingress ? 0 : pid_tgid >> 32;
	e->h.tid = ingress ? 0 : (__u32)pid_tgid;
	e->h.uid = ingress ? 0 : (__u32)bpf_get_current_uid_gid();
	e->h.kind = KIND_DNS;
	e->h.pad = 0;
	__builtin_memset(e->h.comm, 0, sizeof(e->h.comm));
	if (!ingress)
		bpf_get_current_comm(e->h.comm, sizeof(e->h.comm));
	e->family = family;
	e->sport = hdr->sport;
	e->dport = hdr->dport;
	e->ingress = ingress;
	e->protocol = hdr->protocol;
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	__builtin_memcpy(e->saddr, saddr, 16);
	__builtin_memcpy(e->daddr, daddr, 16);
	__u64 len = skb->len > payload_offset ? skb->len - payload_offset : 0;
	if (len > DNS_PAYLOAD_MAX - 1)
		len = DNS_PAYLOAD_MAX - 1;
	/* Re-bound after the compiler's reordering so the verifier sees 0..511 (the clamp above loses one byte). */
	asm volatile("%0 &= 511" : "+r"(len));
	if (len == 0 || bpf_skb_load_bytes(skb, payload_offset, e->payload, len) != 0)
		len = 0;
	e->payload_len = len;
	bpf_ringbuf_submit(e, wakeup_flags());
}

#define MCP_SCAN_MAX 1024
#define MCP_FIRST_SEGMENTS 4
#define BYTES_7F 0x7f7f7f7f7f7f7f7fULL
#define BYTES_QUOTE 0x2222222222222222ULL
#define BYTES_I 0x6969696969696969ULL
#define BYTES_N 0x6e6e6e6e6e6e6e6eULL
#define BYTES_O 0x6f6f6f6f6f6f6f6fULL

struct mcp_http_event {
	struct event_header h;
	__u16 family;
	__u16 sport;
	__u16 dport;
	__u16 payload_len;
	__u8 saddr[16];
	__u8 daddr[16];
	__u8 ingress;
	__u8 pad[7];
	__u8 payload[MCP_SCAN_MAX];
};

/* The first MCP_SCAN_MAX bytes of a segment, and one zero word the scan may read past them. */
struct mcp_scratch {
	__u8 bytes[MCP_SCAN_MAX + 8];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct mcp_scratch);
} mcp_scratch SEC(".maps");

/* The high bit of each byte of v that is zero, exactly. */
static __always_inline __u64 zero_bytes(__u64 v)
{
	return ~(((v & BYTES_7F) + BYTES_7F) | v | BYTES_7F);
}

/* Whether `"in` or `"io` occurs in the first len bytes of the scratch buffer. */
static __always_inline int holds_quote_in(const __u64 *words, __u32 len)
{
	__u32 count = (len + 7) / 8;
	for (__u32 i = 0; i < MCP_SCAN_MAX / 8; i++) {
		if (i >= count)
			return 0;
		__u64 word = words[i], next = words[i + 1];
		__u64 second = (word >> 8) | (next << 56), third = (word >> 16) | (next << 48);
		if (zero_bytes(word ^ BYTES_QUOTE) & zero_bytes(second ^ BYTES_I) & (zero_bytes(third ^ BYTES_N) | zero_bytes(third ^ BYTES_O)))
			return 1;
	}
	return 0;
}

/* Only the first data segments of a connection in each direction are looked at: an MCP session opens with its
 * initialize, and one sighting classifies a process. Every later segment of a long keep-alive connection or a bulk
 * transfer is skipped without its payload being read. (A BPF_PROG_TEST_RUN packet has a socket that is not TCP: it
 * is scanned.) */
static __always_inline int among_first_segments(struct __sk_buff *skb, int ingress)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk)
		return 1;
	sk = bpf_sk_fullsock(sk);
	if (!sk)
		return 0; /* a request or time-wait socket: no data of interest */
	struct bpf_tcp_sock *tp = bpf_tcp_sock(sk);
	return !(tp && (ingress ? tp->data_segs_in : tp->data_segs_out) > MCP_FIRST_SEGMENTS);
}

static __always_inline void maybe_mcp_initialize(struct __sk_buff *skb, struct dns_headers *hdr, int ingress)
{
	__u8 head[4];
	__u32 payload_offset;
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	__u32 l4_offset = hdr->l4_offset;
	if (l4_offset < 20 || l4_offset > 60)
		return;
	/* Sent segments: the socket is hot in the sender's cache, so its segment count is checked first. */
	if (!ingress && !among_first_segments(skb, ingress))
		return;
	__u8 *tcp = data + l4_offset;
	__u8 data_offset;
	if ((void *)(tcp + 13) <= data_end)
		data_offset = tcp[12];
	else if (bpf_skb_load_bytes(skb, l4_offset + 12, &data_offset, 1) != 0)
		return;
	if ((data_offset >> 4) < 5)
		return; /* a TCP header shorter than its minimum: malformed */
	payload_offset = l4_offset + (data_offset >> 4) * 4;
	if (skb->len < payload_offset + 4)
		return; /* no payload (an ACK), or one too short to be a request */
	/* Sent data usually sits in page fragments, outside the linear part: then one helper call reads its start. */
	__u8 *payload = data + payload_offset;
	if ((void *)(payload + 4) <= data_end)
		__builtin_memcpy(head, payload, 4);
	else if (bpf_skb_load_bytes(skb, payload_offset, head, 4) != 0)
		return;
	if (!(head[0] == '{' || head[0] == '[' || (head[0] == 'P' && head[1] == 'O' && head[2] == 'S' && head[3] == 'T')))
		return;
	/* Received segments: the socket was last touched by the receiving task, often on another CPU, so reading its
	 * segment count is a cache miss; the payload's first bytes, just received, rule out most segments first. */
	if (ingress && !among_first_segments(skb, ingress))
		return;

	__u32 zero = 0;
	struct mcp_scratch *scratch = bpf_map_lookup_elem(&mcp_scratch, &zero);
	if (!scratch)
		return;
	__u64 len = skb->len > payload_offset ? skb->len - payload_offset : 0;
	if (len > MCP_SCAN_MAX - 1)
		len = MCP_SCAN_MAX - 1;
	asm volatile("%0 &= 1023" : "+r"(len));
	if (len == 0 || bpf_skb_load_bytes(skb, payload_offset, scratch->bytes, len) != 0)
		return;
	if (!holds_quote_in((const __u64 *)scratch->bytes, len))
		return;

	struct mcp_http_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost(KIND_MCP_HTTP);
		return;
	}
	__u64 cgroup_id = bpf_skb_cgroup_id(skb);
	e->h.time_ns = bpf_ktime_get_ns();
	e->h.cgroup_id = cgroup_id;
	e->h.kind = KIND_MCP_HTTP;
	e->h.pad = 0;
	e->h.pid = 0;
	e->h.tid = 0;
	e->h.uid = 0;
	__builtin_memset(e->h.comm, 0, sizeof(e->h.comm));
	/* Egress of a request normally runs in the sending task; the task's cgroup matching the socket's is the check
	 * that it does here (a segment sent later from softirq would otherwise name whichever task it interrupted). */
	if (!ingress && bpf_get_current_cgroup_id() == cgroup_id) {
		__u64 pid_tgid = bpf_get_current_pid_tgid();
		e->h.pid = pid_tgid >> 32;
		e->h.tid = (__u32)pid_tgid;
		e->h.uid = (__u32)bpf_get_current_uid_gid();
		bpf_get_current_comm(e->h.comm, sizeof(e->h.comm));
	}
	__builtin_memset(e->saddr, 0, sizeof(e->saddr));
	__builtin_memset(e->daddr, 0, sizeof(e->daddr));
	if (hdr->version == 4) {
		e->family = AF_INET;
		bpf_skb_load_bytes(skb, 12, e->saddr, 4);
		bpf_skb_load_bytes(skb, 16, e->daddr, 4);
	} else {
		e->family = AF_INET6;
		bpf_skb_load_bytes(skb, 8, e->saddr, 16);
		bpf_skb_load_bytes(skb, 24, e->daddr, 16);
	}
	e->sport = hdr->sport;
	e->dport = hdr->dport;
	e->ingress = ingress;
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	if (bpf_skb_load_bytes(skb, payload_offset, e->payload, len) != 0)
		len = 0;
	e->payload_len = len;
	bpf_ringbuf_submit(e, wakeup_flags());
}

static __always_inline void handle_packet(struct __sk_buff *skb, int ingress)
{
	struct dns_headers hdr = {};
	if (headers_direct(skb, &hdr) != 0 && headers_loaded(skb, &hdr) != 0)
		return;
	if (hdr.protocol != IPPROTO_UDP_NR && hdr.protocol != IPPROTO_TCP_NR)
		return;
	if (ingress ? hdr.sport == DNS_PORT : hdr.dport == DNS_PORT) {
		report(skb, &hdr, ingress);
		return;
	}
	if (hdr.protocol == IPPROTO_TCP_NR)
		maybe_mcp_initialize(skb, &hdr, ingress);
}

SEC("cgroup_skb/egress")
int dns_egress(struct __sk_buff *skb)
{
	handle_packet(skb, 0);
	return 1;
}

SEC("cgroup_skb/ingress")
int dns_ingress(struct __sk_buff *skb)
{
	handle_packet(skb, 1);
	return 1;
}

const struct dns_event *unused_dns_event __attribute__((unused));
const struct mcp_http_event *unused_mcp_http_event __attribute__((unused));
