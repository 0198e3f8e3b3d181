// SPDX-License-Identifier: GPL-2.0
/*
 * VnetHash steering program: virtio-net RSS decided in the kernel.
 *
 * Attached to a multi-queue TAP with TUNSETSTEERINGEBPF, it runs for every packet the host sends
 * towards the guest; the kernel takes the return value modulo the number of queues. The program
 * classifies the Ethernet frame with the rules of VnetHash.Hashing.PacketHasher (the managed
 * implementation is the single source of truth; this program must agree with it frame by frame),
 * computes the Toeplitz hash from per-byte lookup tables and returns
 * indirection_table[hash & mask], or the unclassified queue when no hash type applies.
 *
 * Configuration and atomic reconfiguration
 *   The whole configuration (types, profile, key tables, indirection table) is ONE value of a
 *   single-entry array map. The program reaches it through `config_slot`, an array-of-maps with
 *   one entry. User space keeps two such inner maps and only ever writes the one the program does
 *   not use, then points `config_slot` at it. The kernel waits for an RCU grace period before that
 *   map-in-map update returns, so when it returns no packet still reads the previous inner map
 *   and the next reconfiguration may overwrite it. A packet looks up the inner map once, so it sees
 *   the old configuration or the new one as a whole, never a mix.
 *
 * Built by bpf/build.sh; the object is embedded in VnetHash.Tap and loaded without libbpf.
 */
#include <linux/bpf.h>
#include <linux/types.h>

#define SEC(name) __attribute__((section(name), used))
#define INLINE static inline __attribute__((always_inline))

/* Helpers by number (include/uapi/linux/bpf.h), so the build needs no libbpf headers. */
static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)BPF_FUNC_map_lookup_elem;
static long (*bpf_skb_load_bytes)(const void *skb, __u32 offset, void *to, __u32 len) = (void *)BPF_FUNC_skb_load_bytes;

/* Map definitions read by VnetHash's own loader (the legacy "maps" section layout). */
struct map_definition {
	__u32 type;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 flags;
};

/* Hash types (virtio VIRTIO_NET_HASH_TYPE_*) and report values (VIRTIO_NET_HASH_REPORT_*). */
#define TYPE_IPV4 (1u << 0)
#define TYPE_TCPV4 (1u << 1)
#define TYPE_UDPV4 (1u << 2)
#define TYPE_IPV6 (1u << 3)
#define TYPE_TCPV6 (1u << 4)
#define TYPE_UDPV6 (1u << 5)
#define TYPE_IPV6_EX (1u << 6)
#define TYPE_TCPV6_EX (1u << 7)
#define TYPE_UDPV6_EX (1u << 8)

#define REPORT_NONE 0
#define REPORT_IPV4 1
#define REPORT_TCPV4 2
#define REPORT_UDPV4 3
#define REPORT_IPV6 4
#define REPORT_TCPV6 5
#define REPORT_UDPV6 6
#define REPORT_IPV6_EX 7
#define REPORT_TCPV6_EX 8
#define REPORT_UDPV6_EX 9

#define PROFILE_VIRTIO_SPEC 0
#define PROFILE_LINUX_TUN 1

#define SYMMETRIC_NONE 0
#define SYMMETRIC_SORTED 1
#define SYMMETRIC_XOR 2

#define FLAG_RECORD_RESULT 1u

#define KEY_POSITIONS 36
#define TABLE_ENTRIES 65536

/* Value of the inner configuration map; the managed side writes the same layout. */
struct steering_config {
	__u32 hash_types;
	__u32 profile;
	__u32 table_mask;
	__u32 unclassified_queue;
	__u32 flags;
	__u32 symmetric;
	__u32 reserved[2];
	/* key_table[n][v]: the Toeplitz contribution of byte value v at input position n. */
	__u32 key_table[KEY_POSITIONS][256];
	__u16 indirection_table[TABLE_ENTRIES];
};

/* Diagnostics: the last packet's decision, written only when FLAG_RECORD_RESULT is set. */
struct steering_result {
	__u32 hash;
	__u32 report;
	__u32 queue;
	__u32 packets;
};

struct map_definition config_template SEC("maps") = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(struct steering_config),
	.max_entries = 1,
};

struct map_definition config_slot SEC("maps") = {
	.type = BPF_MAP_TYPE_ARRAY_OF_MAPS,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 1,
};

struct map_definition last_result SEC("maps") = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(struct steering_result),
	.max_entries = 1,
};

char LICENSE[] SEC("license") = "GPL";

#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88A8
#define ETH_P_PPP_SES 0x8864
#define ETH_P_TEB 0x6558
#define PPP_IP 0x0021
#define PPP_IPV6 0x0057

#define IPPROTO_HOPOPTS 0
#define IPPROTO_IPIP 4
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_IPV6 41
#define IPPROTO_ROUTING 43
#define IPPROTO_FRAGMENT 44
#define IPPROTO_GRE 47
#define IPPROTO_AH 51
#define IPPROTO_DSTOPTS 60
#define IPPROTO_MH 135

#define TCP_HEADER 20
#define UDP_HEADER 8

/* Bounds of every walk, so the verifier sees loops that end (the managed dissector has the same). */
#define MAX_VLAN_TAGS 8
#define MAX_EXTENSION_HEADERS 16
#define MAX_OPTIONS 32
#define MAX_ENCAPSULATIONS 4

/* The headers are read once into this stack buffer; anything beyond it is read from the skb. */
#define HEADER_BUFFER 128

struct frame {
	struct __sk_buff *skb;
	__u32 len;
	__u8 buf[HEADER_BUFFER];
};

/* Reads n bytes at off; fails when they are not all in the frame. */
INLINE int load(struct frame *f, __u32 off, void *to, const __u32 n)
{
	if (off > f->len || n > f->len - off)
		return -1;
	if (off <= HEADER_BUFFER - n) {
		__builtin_memcpy(to, f->buf + off, n);
		return 0;
	}
	return bpf_skb_load_bytes(f->skb, off, to, n) ? -1 : 0;
}

INLINE int load_u8(struct frame *f, __u32 off, __u32 *value)
{
	__u8 b;
	if (load(f, off, &b, 1))
		return -1;
	*value = b;
	return 0;
}

INLINE int load_be16(struct frame *f, __u32 off, __u32 *value)
{
	__u8 b[2];
	if (load(f, off, b, 2))
		return -1;
	*value = ((__u32)b[0] << 8) | b[1];
	return 0;
}

/* What the dissector found: where the tuple's pieces are and which L4 header is usable. */
struct flow {
	__u32 src;      /* offset of the source address (or home address for _EX) */
	__u32 dst;      /* offset of the destination address (or type-2 routing address) */
	__u32 ex_src;
	__u32 ex_dst;
	__u32 l4;       /* offset of the L4 header */
	__u32 ip_proto; /* L4 protocol after the walk */
	__u8 ipv6;
	__u8 fragment;
	__u8 extensions; /* the IPv6 packet has extension headers */
	__u8 ports;      /* ports are readable from l4 (0: missing bytes count as zero) */
	__u8 l4_kind;    /* IPPROTO_TCP, IPPROTO_UDP or 0 */
};

/* Toeplitz over n tuple bytes from the per-byte tables; n is a constant at every call. */
INLINE __u32 toeplitz(const struct steering_config *cfg, const __u8 *t, const int n)
{
	__u32 hash = 0;
#pragma unroll
	for (int i = 0; i < n; i++)
		hash ^= cfg->key_table[i][t[i]];
	return hash;
}

INLINE int ipv6_extension(__u32 proto, __u32 profile)
{
	if (proto == IPPROTO_HOPOPTS || proto == IPPROTO_ROUTING || proto == IPPROTO_FRAGMENT || proto == IPPROTO_DSTOPTS)
		return 1;
	/* The series kernel stops at AH and at the Mobility Header (their number is the L4 protocol). */
	if (profile == PROFILE_VIRTIO_SPEC && (proto == IPPROTO_AH || proto == IPPROTO_MH))
		return 1;
	return 0;
}

/* Looks for a Home Address option (type 201, length 16) in a Destination Options header. */
INLINE void find_home_address(struct frame *f, __u32 off, __u32 end, struct flow *fl)
{
	__u32 o = off + 2;
	for (int i = 0; i < MAX_OPTIONS; i++) {
		__u32 type, length;
		if (o >= end || load_u8(f, o, &type))
			return;
		if (type == 0) { /* Pad1 is a single byte */
			o += 1;
			continue;
		}
		if (load_u8(f, o + 1, &length))
			return;
		if (type == 201 && length == 16) {
			if (o + 2 + 16 <= end && o + 2 + 16 <= f->len)
				fl->ex_src = o + 2;
			return;
		}
		o += 2 + length;
	}
}

/*
 * The IPv6 extension-header walk from off (the first header after the fixed header) with the
 * next-header value proto. Returns -1 when the packet cannot be classified at all.
 */
INLINE int walk_ipv6(struct frame *f, __u32 proto, __u32 off, __u32 profile, struct flow *fl)
{
	for (int i = 0; i < MAX_EXTENSION_HEADERS; i++) {
		__u32 next, length, hlen;
		if (!ipv6_extension(proto, profile))
			break;
		if (load_u8(f, off, &next) || load_u8(f, off + 1, &length)) {
			/* The header is cut short: no L4 header can follow. */
			fl->extensions = 1;
			proto = 0xFFFF;
			break;
		}
		fl->extensions = 1;
		if (proto == IPPROTO_FRAGMENT) {
			fl->fragment = 1;
			hlen = 8;
		} else if (proto == IPPROTO_AH) {
			hlen = (length + 2) * 4;
		} else {
			hlen = (length + 1) * 8;
		}
		if (proto == IPPROTO_ROUTING) {
			__u32 routing_type, segments_left;
			if (!load_u8(f, off + 2, &routing_type) && !load_u8(f, off + 3, &segments_left) &&
			    routing_type == 2 && length == 2 && segments_left == 1 && off + 24 <= f->len)
				fl->ex_dst = off + 8;
		} else if (proto == IPPROTO_DSTOPTS && fl->ex_src == fl->src) {
			find_home_address(f, off, off + hlen, fl);
		}
		proto = next;
		off += hlen;
	}
	fl->ip_proto = proto;
	fl->l4 = off;
	return 0;
}

INLINE void set_l4(struct frame *f, struct flow *fl, __u32 profile)
{
	__u32 need;
	if (fl->ip_proto == IPPROTO_TCP)
		need = TCP_HEADER;
	else if (fl->ip_proto == IPPROTO_UDP)
		need = UDP_HEADER;
	else
		return;
	if (fl->fragment)
		return;
	if (fl->l4 <= f->len && need <= f->len - fl->l4) {
		fl->l4_kind = fl->ip_proto;
		fl->ports = 1;
	} else if (profile == PROFILE_LINUX_TUN) {
		/* The kernel still calls it TCP/UDP; ports it cannot read count as zero. */
		fl->l4_kind = fl->ip_proto;
		fl->ports = fl->l4 <= f->len && 4 <= f->len - fl->l4;
	}
}

/* Parses the frame; returns the EtherType-level result: 4, 6, or 0 for "not IP". */
INLINE int dissect(struct frame *f, __u32 profile, struct flow *fl)
{
	__u32 ethertype = ((__u32)f->buf[12] << 8) | f->buf[13];
	__u32 off = ETH_HLEN;

#pragma unroll
	for (int i = 0; i < MAX_VLAN_TAGS; i++) {
		if (ethertype != ETH_P_8021Q && ethertype != ETH_P_8021AD)
			break;
		if (load_be16(f, off + 2, &ethertype))
			return 0;
		off += 4;
	}

	if (profile == PROFILE_LINUX_TUN && ethertype == ETH_P_PPP_SES) {
		__u32 ppp;
		if (load_be16(f, off + 6, &ppp))
			return 0;
		if (ppp == PPP_IP)
			ethertype = ETH_P_IP;
		else if (ppp == PPP_IPV6)
			ethertype = ETH_P_IPV6;
		else
			return 0;
		off += 8;
	}

	for (int level = 0; level < MAX_ENCAPSULATIONS; level++) {
		__u32 proto;
		if (ethertype == ETH_P_IP) {
			__u32 vihl, frag, hlen;
			if (load_u8(f, off, &vihl) || off + 20 > f->len)
				return 0;
			if (profile == PROFILE_VIRTIO_SPEC && (vihl >> 4) != 4)
				return 0;
			hlen = (vihl & 15) * 4;
			if (hlen < 20 || off + hlen > f->len)
				return 0;
			if (load_be16(f, off + 6, &frag) || load_u8(f, off + 9, &proto))
				return 0;
			fl->ipv6 = 0;
			fl->fragment = (frag & 0x3FFF) != 0;
			fl->src = off + 12;
			fl->dst = off + 16;
			fl->extensions = 0;
			fl->l4 = off + hlen;
			fl->ip_proto = proto;
		} else if (ethertype == ETH_P_IPV6) {
			__u32 vtc;
			if (load_u8(f, off, &vtc) || off + 40 > f->len)
				return 0;
			if (profile == PROFILE_VIRTIO_SPEC && (vtc >> 4) != 6)
				return 0;
			if (load_u8(f, off + 6, &proto))
				return 0;
			fl->ipv6 = 1;
			fl->fragment = 0;
			fl->src = off + 8;
			fl->dst = off + 24;
			fl->ex_src = fl->src;
			fl->ex_dst = fl->dst;
			fl->extensions = 0;
			walk_ipv6(f, proto, off + 40, profile, fl);
		} else {
			return 0;
		}

		if (profile != PROFILE_LINUX_TUN || fl->fragment)
			break;
		/* The series kernel hashes the innermost header of IP-in-IP and GRE tunnels. */
		if (fl->ip_proto == IPPROTO_IPIP) {
			ethertype = ETH_P_IP;
			off = fl->l4;
		} else if (fl->ip_proto == IPPROTO_IPV6) {
			ethertype = ETH_P_IPV6;
			off = fl->l4;
		} else if (fl->ip_proto == IPPROTO_GRE) {
			__u32 flags, inner, goff = fl->l4;
			if (load_be16(f, goff, &flags) || load_be16(f, goff + 2, &inner))
				break;
			if (flags & 0x0007) /* version 0 only */
				break;
			goff += 4;
			if (flags & 0x8000)
				goff += 4;
			if (flags & 0x2000)
				goff += 4;
			if (flags & 0x1000)
				goff += 4;
			if (inner == ETH_P_TEB) {
				if (load_be16(f, goff + 12, &inner))
					break;
				goff += ETH_HLEN;
			}
			if (inner != ETH_P_IP && inner != ETH_P_IPV6)
				break;
			ethertype = inner;
			off = goff;
		} else {
			break;
		}
	}

	set_l4(f, fl, profile);
	return fl->ipv6 ? 6 : 4;
}

INLINE int copy_bytes(struct frame *f, __u32 off, __u8 *to, const __u32 n)
{
	return load(f, off, to, n);
}

/* Puts the tuple in the order Toeplitz reads it and returns its length. */
INLINE int build_tuple(struct frame *f, const struct flow *fl, __u32 report, __u8 *t)
{
	__u32 alen = fl->ipv6 ? 16 : 4;
	__u32 src = fl->src, dst = fl->dst;
	int n;
	if (report >= REPORT_IPV6_EX) {
		src = fl->ex_src;
		dst = fl->ex_dst;
	}
	if (fl->ipv6) {
		if (copy_bytes(f, src, t, 16) || copy_bytes(f, dst, t + 16, 16))
			return -1;
		n = 32;
	} else {
		if (copy_bytes(f, src, t, 4) || copy_bytes(f, dst, t + 4, 4))
			return -1;
		n = 8;
	}
	if (report == REPORT_TCPV4 || report == REPORT_UDPV4 || report == REPORT_TCPV6 || report == REPORT_UDPV6 ||
	    report == REPORT_TCPV6_EX || report == REPORT_UDPV6_EX) {
		__u32 *ports = (__u32 *)(t + n);
		*ports = 0;
		if (fl->ports && copy_bytes(f, fl->l4, t + n, 4))
			return -1;
		n += 4;
	}
	(void)alen;
	return n;
}

INLINE __u32 select_report(const struct flow *fl, int version, __u32 types)
{
	if (version == 4) {
		if ((types & TYPE_TCPV4) && fl->l4_kind == IPPROTO_TCP)
			return REPORT_TCPV4;
		if ((types & TYPE_UDPV4) && fl->l4_kind == IPPROTO_UDP)
			return REPORT_UDPV4;
		if (types & TYPE_IPV4)
			return REPORT_IPV4;
		return REPORT_NONE;
	}
	if (fl->extensions) {
		if ((types & TYPE_TCPV6_EX) && fl->l4_kind == IPPROTO_TCP)
			return REPORT_TCPV6_EX;
		if ((types & TYPE_UDPV6_EX) && fl->l4_kind == IPPROTO_UDP)
			return REPORT_UDPV6_EX;
		if (types & TYPE_IPV6_EX)
			return REPORT_IPV6_EX;
	}
	if ((types & TYPE_TCPV6) && fl->l4_kind == IPPROTO_TCP)
		return REPORT_TCPV6;
	if ((types & TYPE_UDPV6) && fl->l4_kind == IPPROTO_UDP)
		return REPORT_UDPV6;
	if (types & TYPE_IPV6)
		return REPORT_IPV6;
	return REPORT_NONE;
}

INLINE void record(const struct steering_config *cfg, __u32 hash, __u32 report, __u32 queue)
{
	__u32 zero = 0;
	struct steering_result *r;
	if (!(cfg->flags & FLAG_RECORD_RESULT))
		return;
	r = bpf_map_lookup_elem(&last_result, &zero);
	if (!r)
		return;
	r->hash = hash;
	r->report = report;
	r->queue = queue;
	r->packets += 1;
}

SEC("socket")
int vnethash_steering(struct __sk_buff *skb)
{
	__u32 zero = 0;
	void *slot = bpf_map_lookup_elem(&config_slot, &zero);
	const struct steering_config *cfg;
	struct frame f;
	struct flow fl = {};
	__u8 tuple[40];
	__u32 hash, report, types, profile, queue, n;
	int version, length;

	if (!slot)
		return 0;
	cfg = bpf_map_lookup_elem(slot, &zero);
	if (!cfg)
		return 0;

	types = cfg->hash_types;
	profile = cfg->profile;
	f.skb = skb;
	f.len = skb->len;
	__builtin_memset(f.buf, 0, sizeof(f.buf));
	if (f.len < ETH_HLEN)
		goto unclassified;
	n = f.len < HEADER_BUFFER ? f.len : HEADER_BUFFER;
	if (bpf_skb_load_bytes(skb, 0, f.buf, n))
		goto unclassified;

	version = dissect(&f, profile, &fl);
	if (!version)
		goto unclassified;
	report = select_report(&fl, version, types);
	if (report == REPORT_NONE)
		goto unclassified;

	length = build_tuple(&f, &fl, report, tuple);
	switch (length) {
	case 8:
		hash = toeplitz(cfg, tuple, 8);
		break;
	case 12:
		hash = toeplitz(cfg, tuple, 12);
		break;
	case 32:
		hash = toeplitz(cfg, tuple, 32);
		break;
	case 36:
		hash = toeplitz(cfg, tuple, 36);
		break;
	default:
		goto unclassified;
	}
	queue = cfg->indirection_table[hash & cfg->table_mask & (TABLE_ENTRIES - 1)];
	record(cfg, hash, report, queue);
	return queue;

unclassified:
	record(cfg, 0, REPORT_NONE, cfg->unclassified_queue);
	return cfg->unclassified_queue;
}
