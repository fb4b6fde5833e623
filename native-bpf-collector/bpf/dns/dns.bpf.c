// DNS over UDP and TCP, seen as packets by cgroup_skb programs on the root cgroup (so every container, whatever
// syscall its resolver uses: sendto, sendmsg, sendmmsg, write). Queries are taken on egress to port 53, answers on
// ingress from port 53; the other two directions (a resolver on this node receiving and answering) are not the
// client's view and are skipped. The DNS message itself is parsed in userspace (for TCP, after its 2-byte length).
//
// These programs run on every packet of every socket on the node, so the common case — not DNS — must cost next to
// nothing: the IP version, protocol and ports are read straight from the packet (direct packet access, no helper
// call) and anything that is not UDP/TCP with port 53 in the right direction returns at once. Only when the headers
// are not in the linear part of the packet (rare) does it fall back to bpf_skb_load_bytes.
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

static __always_inline void handle_packet(struct __sk_buff *skb, int ingress)
{
	struct dns_headers hdr = {};
	if (headers_direct(skb, &hdr) != 0 && headers_loaded(skb, &hdr) != 0)
		return;
	if (hdr.protocol != IPPROTO_UDP_NR && hdr.protocol != IPPROTO_TCP_NR)
		return;
	if (ingress ? hdr.sport != DNS_PORT : hdr.dport != DNS_PORT)
		return;
	report(skb, &hdr, ingress);
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
