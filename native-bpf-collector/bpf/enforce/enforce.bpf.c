// Node-level egress enforcement: one cgroup_skb/egress program attached to each enforced container's cgroup, its
// policy looked up by the packet's socket cgroup. Maps are pinned in bpffs so policies and counters outlive a
// collector restart together with the pinned links.
#include "../common/events.h"

#define MODE_OFF 0
#define MODE_AUDIT 1
#define MODE_ENFORCE 2
#define POLICY_ALLOWLIST 1
#define POLICY_DNS_ONLY 2
#define ACTION_WOULD_DROP 1
#define ACTION_DROPPED 2
#define ALLOW_PORTS 8
#define TCP_FLAG_SYN 0x02
#define TCP_FLAG_ACK 0x10

struct policy {
	__u32 mode;
	__u32 kind;
	__u8 dns_ip[16]; /* IPv4 as ::ffff:a.b.c.d; all zero: any resolver on port 53 */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64); /* cgroup id */
	__type(value, struct policy);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} enforce_policies SEC(".maps");

struct allow_key {
	__u32 prefixlen; /* 64 (cgroup) + address bits */
	__u64 cgroup_id;
	__u8 ip[16];
} __attribute__((packed));

struct allow_ports {
	__u16 ports[ALLOW_PORTS]; /* 0-terminated; ports[0] == 0 means any port */
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 65536);
	__type(key, struct allow_key);
	__type(value, struct allow_ports);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} enforce_allow SEC(".maps");

struct verdict_key {
	__u64 cgroup_id;
	__u8 ip[16];
	__u16 port;
	__u8 protocol;
	__u8 action;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct verdict_key);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} enforce_verdicts SEC(".maps");

static __always_inline int is_loopback(__u8 *ip)
{
	/* ::ffff:127.x.x.x or ::1 */
	if (ip[10] == 0xff && ip[11] == 0xff && ip[12] == 127)
		return 1;
	for (int i = 0; i < 15; i++)
		if (ip[i] != 0)
			return 0;
	return ip[15] == 1;
}

static __always_inline int allowed(struct policy *policy, __u64 cgroup_id, __u8 *ip, __u16 port, __u8 protocol)
{
	if (is_loopback(ip))
		return 1;
	int dns_port = port == 53 && (protocol == IPPROTO_UDP_NR || protocol == IPPROTO_TCP_NR);
	if (dns_port) {
		int any_resolver = 1, same = 1;
		for (int i = 0; i < 16; i++) {
			if (policy->dns_ip[i] != 0)
				any_resolver = 0;
			if (policy->dns_ip[i] != ip[i])
				same = 0;
		}
		if (any_resolver || same)
			return 1;
	}
	if (policy->kind != POLICY_ALLOWLIST)
		return 0;
	struct allow_key key = { .prefixlen = 64 + 128, .cgroup_id = cgroup_id };
	__builtin_memcpy(key.ip, ip, 16);
	struct allow_ports *ports = bpf_map_lookup_elem(&enforce_allow, &key);
	if (!ports)
		return 0;
	if (ports->ports[0] == 0)
		return 1;
	for (int i = 0; i < ALLOW_PORTS; i++) {
		if (ports->ports[i] == 0)
			return 0;
		if (ports->ports[i] == port)
			return 1;
	}
	return 0;
}

SEC("cgroup_skb/egress")
int enforce_egress(struct __sk_buff *skb)
{
	__u64 cgroup_id = bpf_skb_cgroup_id(skb);
	struct policy *policy = bpf_map_lookup_elem(&enforce_policies, &cgroup_id);
	if (!policy || policy->mode == MODE_OFF)
		return 1;
	__u8 version_ihl;
	if (bpf_skb_load_bytes(skb, 0, &version_ihl, 1) != 0)
		return 1;
	__u8 ip[16] = {};
	__u8 protocol = 0;
	__u32 l4_offset;
	if ((version_ihl >> 4) == 4) {
		ip[10] = 0xff;
		ip[11] = 0xff;
		if (bpf_skb_load_bytes(skb, 9, &protocol, 1) != 0 || bpf_skb_load_bytes(skb, 16, &ip[12], 4) != 0)
			return 1;
		l4_offset = (version_ihl & 0x0F) * 4;
	} else if ((version_ihl >> 4) == 6) {
		if (bpf_skb_load_bytes(skb, 6, &protocol, 1) != 0 || bpf_skb_load_bytes(skb, 24, ip, 16) != 0)
			return 1;
		l4_offset = 40;
	} else {
		return 1;
	}
	__u16 port = 0;
	if (protocol == IPPROTO_TCP_NR || protocol == IPPROTO_UDP_NR) {
		__u16 dport_be;
		if (bpf_skb_load_bytes(skb, l4_offset + 2, &dport_be, 2) == 0)
			port = bpf_ntohs(dport_be);
	}
	/* The allowlist (soft quarantine) judges a TCP connection by its first packet only: a SYN without ACK is an
	 * outbound connection starting. Every other TCP packet belongs to a connection that was allowed to start or that
	 * came in (a server's SYN-ACK and replies to 10.244.0.1:<ephemeral>), so it passes and is not counted — otherwise
	 * an enforced server stops serving and audit mode counts every reply. Consequence: a connection already open when
	 * an allowlist is applied survives it. UDP (and other protocols) stay judged per packet; the hard quarantine
	 * (deny-all-but-dns) judges every packet of every protocol. */
	if (protocol == IPPROTO_TCP_NR && policy->kind == POLICY_ALLOWLIST) {
		__u8 tcp_flags;
		if (bpf_skb_load_bytes(skb, l4_offset + 13, &tcp_flags, 1) != 0)
			return 1;
		if ((tcp_flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) != TCP_FLAG_SYN)
			return 1;
	}
	if (allowed(policy, cgroup_id, ip, port, protocol))
		return 1;
	struct verdict_key key = { .cgroup_id = cgroup_id, .port = port, .protocol = protocol };
	__builtin_memcpy(key.ip, ip, 16);
	key.action = policy->mode == MODE_ENFORCE ? ACTION_DROPPED : ACTION_WOULD_DROP;
	__u64 one = 1;
	__u64 *count = bpf_map_lookup_elem(&enforce_verdicts, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	else if (bpf_map_update_elem(&enforce_verdicts, &key, &one, BPF_NOEXIST) != 0) {
		count = bpf_map_lookup_elem(&enforce_verdicts, &key);
		if (count)
			__sync_fetch_and_add(count, 1);
	}
	return policy->mode == MODE_ENFORCE ? 0 : 1;
}

const struct policy *unused_policy __attribute__((unused));
const struct allow_key *unused_allow_key __attribute__((unused));
const struct allow_ports *unused_allow_ports __attribute__((unused));
const struct verdict_key *unused_verdict_key __attribute__((unused));
