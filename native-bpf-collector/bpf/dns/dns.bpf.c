// DNS over UDP, seen as packets by cgroup_skb programs on the root cgroup (so every container, whatever syscall
// its resolver uses: sendto, sendmsg, sendmmsg, write). Queries are taken on egress to port 53, answers on ingress
// from port 53; the other two directions (a resolver on this node receiving and answering) are not the client's
// view and are skipped. The DNS message itself is parsed in userspace.
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
	__u8 pad[7];
	__u8 payload[DNS_PAYLOAD_MAX];
};

static __always_inline void handle_packet(struct __sk_buff *skb, int ingress)
{
	__u8 version_ihl;
	if (bpf_skb_load_bytes(skb, 0, &version_ihl, 1) != 0)
		return;
	__u8 saddr[16] = {}, daddr[16] = {};
	__u32 l4_offset;
	__u16 family;
	__u8 protocol;
	if ((version_ihl >> 4) == 4) {
		family = AF_INET;
		l4_offset = (version_ihl & 0x0F) * 4;
		if (bpf_skb_load_bytes(skb, 9, &protocol, 1) != 0 || bpf_skb_load_bytes(skb, 12, saddr, 4) != 0 ||
		    bpf_skb_load_bytes(skb, 16, daddr, 4) != 0)
			return;
	} else if ((version_ihl >> 4) == 6) {
		family = AF_INET6;
		l4_offset = 40;
		if (bpf_skb_load_bytes(skb, 6, &protocol, 1) != 0 || bpf_skb_load_bytes(skb, 8, saddr, 16) != 0 ||
		    bpf_skb_load_bytes(skb, 24, daddr, 16) != 0)
			return;
	} else {
		return;
	}
	if (protocol != IPPROTO_UDP_NR)
		return;
	__u16 ports[2];
	if (bpf_skb_load_bytes(skb, l4_offset, ports, 4) != 0)
		return;
	__u16 sport = bpf_ntohs(ports[0]), dport = bpf_ntohs(ports[1]);
	if (ingress ? sport != DNS_PORT : dport != DNS_PORT)
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
	e->sport = sport;
	e->dport = dport;
	e->ingress = ingress;
	__builtin_memcpy(e->saddr, saddr, 16);
	__builtin_memcpy(e->daddr, daddr, 16);
	__u32 payload_offset = l4_offset + 8;
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
