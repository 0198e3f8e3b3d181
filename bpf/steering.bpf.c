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

#define SYMMETRIC_NONE 0
#define SYMMETRIC_SORTED 1
#define SYMMETRIC_XOR 2

#define FRAME_ETHERNET 0
#define FRAME_IP 1

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
	__u32 frame_kind; /* FRAME_ETHERNET (TAP) or FRAME_IP (TUN) */
	__u32 reserved;
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

#define IPPROTO_HOPOPTS 0
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_ROUTING 43
#define IPPROTO_FRAGMENT 44
#define IPPROTO_AH 51
#define IPPROTO_DSTOPTS 60
#define IPPROTO_MH 135

#define TCP_HEADER 20
#define UDP_HEADER 8

/*
 * Bounds of every walk, so the verifier sees loops that end. The managed dissector walks 16 extension headers
 * and 32 options; the verifier's state count grows about twofold per walked header here, and these bounds keep
 * it under the 1M-instruction limit. Packets beyond them (more than 4 extension headers, a Home Address option
 * after more than one other option) are the known difference from the core.
 */
#define MAX_VLAN_TAGS 8
#define MAX_EXTENSION_HEADERS 4
#define MAX_OPTIONS 2

/*
 * The Ethernet header and its tags are read once into this stack buffer and parsed at constant offsets. Each
 * later header is read with one bpf_skb_load_bytes into a fixed-size stack array: reads at variable offsets into
 * one big stack buffer make the verifier track those offsets precisely, and its state count then explodes.
 */
#define HEADER_BUFFER 48

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

#define ABSENT 0xFFFFFFFFu

/* What the dissector found, as offsets into the frame (PacketInfo in VnetHash.Packets); ABSENT where none. */
struct flow {
	__u32 network;    /* 4, 6, or 0 when the frame gets no hash */
	__u32 addresses;  /* source address; the destination follows it */
	__u32 home;       /* Home Address option's address */
	__u32 routing;    /* type-2 Routing header's address */
	__u32 ports;      /* the 4 port bytes; ABSENT: they count as zero */
	__u32 transport;  /* IPPROTO_TCP, IPPROTO_UDP or 0 */
	__u32 fragment;
	__u32 extensions; /* the IPv6 packet has at least one walked extension header */
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

/* TCP counts only with its full 20-byte header inside the packet, UDP with its 8 bytes. */
INLINE void spec_transport(struct flow *fl, __u32 proto, __u32 off, __u32 end)
{
	if (off > end)
		return;
	if (proto == IPPROTO_TCP && end - off >= TCP_HEADER) {
		fl->transport = IPPROTO_TCP;
		fl->ports = off;
	} else if (proto == IPPROTO_UDP && end - off >= UDP_HEADER) {
		fl->transport = IPPROTO_UDP;
		fl->ports = off;
	}
}

INLINE int spec_ipv4(struct frame *f, __u32 ip, struct flow *fl)
{
	__u8 h[20];
	__u32 hlen, total, end;
	if (ip > f->len || f->len - ip < 20 || bpf_skb_load_bytes(f->skb, ip, h, 20) || (h[0] >> 4) != 4)
		return 0;
	hlen = (h[0] & 15) * 4;
	total = ((__u32)h[2] << 8) | h[3];
	/* A header that claims more than is there, or a total length shorter than the header, hides the transport. */
	if (hlen < 20 || hlen > f->len - ip || total < hlen)
		return 0;
	fl->network = 4;
	fl->addresses = ip + 12;
	fl->fragment = ((((__u32)h[6] << 8) | h[7]) & 0x3FFF) != 0;
	end = ip + total < f->len ? ip + total : f->len;
	spec_transport(fl, h[9], ip + hlen, end);
	return 1;
}

/* RFC 6275 6.3: option 201 with 16 bytes of data inside a Destination Options header of length hlen. */
INLINE __u32 find_home_address(struct frame *f, __u32 off, __u32 hlen)
{
	__u32 o = 2;
#pragma clang loop unroll(disable)
	for (int i = 0; i < MAX_OPTIONS; i++) {
		__u32 type, length;
		if (o >= hlen || load_u8(f, off + o, &type))
			return ABSENT;
		if (type == 0) { /* Pad1 is a single byte */
			o = (o + 1) & 0x7FF;
			continue;
		}
		if (o + 2 > hlen || load_u8(f, off + o + 1, &length) || o + 2 + length > hlen)
			return ABSENT;
		if (type == 201 && length == 16)
			return off + o + 2;
		o = (o + 2 + length) & 0x7FF;
	}
	return ABSENT;
}

INLINE int spec_extension(__u32 proto)
{
	return proto == IPPROTO_HOPOPTS || proto == IPPROTO_ROUTING || proto == IPPROTO_FRAGMENT ||
	       proto == IPPROTO_DSTOPTS || proto == IPPROTO_AH || proto == IPPROTO_MH;
}

INLINE int spec_ipv6(struct frame *f, __u32 ip, struct flow *fl)
{
	__u8 h[8];
	__u32 payload, next, off, end;
	if (ip > f->len || f->len - ip < 40 || bpf_skb_load_bytes(f->skb, ip, h, 8) || (h[0] >> 4) != 6)
		return 0;
	payload = ((__u32)h[4] << 8) | h[5];
	next = h[6];
	fl->network = 6;
	fl->addresses = ip + 8;
	/* Payload length 0 is a jumbogram (or unknown): the frame bounds the packet. */
	end = payload == 0 || ip + 40 + payload > f->len ? f->len : ip + 40 + payload;
	off = ip + 40;

#pragma clang loop unroll(disable)
	for (int walked = 0; walked <= MAX_EXTENSION_HEADERS; walked++) {
		__u32 h0, h1, hlen;
		if (!spec_extension(next))
			break;
		fl->extensions = 1;
		/* Too deep or cut short: the transport header cannot be found, so addresses only. */
		if (walked == MAX_EXTENSION_HEADERS || off > end || end - off < 2)
			return 1;
		if (load_u8(f, off, &h0) || load_u8(f, off + 1, &h1))
			return 1;
		hlen = next == IPPROTO_AH ? (h1 + 2) * 4 : next == IPPROTO_FRAGMENT ? 8 : (h1 + 1) * 8;
		if (hlen > end - off)
			return 1;
		if (next == IPPROTO_FRAGMENT) {
			/* Any Fragment header, atomic ones included, makes the packet a fragment. */
			fl->fragment = 1;
			return 1;
		}
		if (next == IPPROTO_DSTOPTS && fl->home == ABSENT) {
			fl->home = find_home_address(f, off, hlen);
		} else if (next == IPPROTO_ROUTING && fl->routing == ABSENT && hlen == 24) {
			/* RFC 6275 6.4: routing type 2, one segment left, the address after 4 reserved bytes. */
			__u32 type, left;
			if (!load_u8(f, off + 2, &type) && !load_u8(f, off + 3, &left) && type == 2 && left == 1)
				fl->routing = off + 8;
		}
		next = h0;
		/* The mask widens off to one range at every iteration, so the verifier's states converge. */
		off = (off + hlen) & 0xFFFF;
	}
	spec_transport(fl, next, off, end);
	return 1;
}

/* The virtio specification as written: Ethernet, up to MAX_VLAN_TAGS tags, IPv4 or IPv6. */
INLINE int dissect_virtio_spec(struct frame *f, __u32 kind, struct flow *fl)
{
	__u32 ethertype, off;
	if (kind == FRAME_IP) {
		__u32 version = f->buf[0] >> 4;
		off = 0;
		ethertype = version == 4 ? ETH_P_IP : version == 6 ? ETH_P_IPV6 : 0;
	} else {
		if (f->len < ETH_HLEN)
			return 0;
		ethertype = ((__u32)f->buf[12] << 8) | f->buf[13];
		off = ETH_HLEN;
#pragma unroll
		for (int i = 0; i < MAX_VLAN_TAGS; i++) {
			if (ethertype != ETH_P_8021Q && ethertype != ETH_P_8021AD)
				break;
			if (off + 4 > f->len)
				return 0;
			ethertype = ((__u32)f->buf[off + 2] << 8) | f->buf[off + 3];
			off += 4;
		}
	}
	if (ethertype == ETH_P_IP)
		return spec_ipv4(f, off, fl);
	if (ethertype == ETH_P_IPV6)
		return spec_ipv6(f, off, fl);
	return 0;
}

/* Puts the tuple in the order Toeplitz reads it; returns its length, or -1 when it cannot be read. */
INLINE int build_tuple(struct frame *f, const struct flow *fl, __u32 report, __u8 *t)
{
	__u32 src = fl->addresses, dst, alen = fl->network == 6 ? 16 : 4;
	int n;
	dst = src + alen;
	if (report >= REPORT_IPV6_EX) {
		if (fl->home != ABSENT)
			src = fl->home;
		if (fl->routing != ABSENT)
			dst = fl->routing;
	}
	if (fl->network == 6) {
		if (dst == src + 16) {
			if (load(f, src, t, 32))
				return -1;
		} else if (load(f, src, t, 16) || load(f, dst, t + 16, 16)) {
			return -1;
		}
		n = 32;
	} else {
		if (load(f, src, t, 8))
			return -1;
		n = 8;
	}
	if (report == REPORT_TCPV4 || report == REPORT_UDPV4 || report == REPORT_TCPV6 || report == REPORT_UDPV6 ||
	    report == REPORT_TCPV6_EX || report == REPORT_UDPV6_EX) {
		t[n] = t[n + 1] = t[n + 2] = t[n + 3] = 0;
		if (fl->ports != ABSENT && load(f, fl->ports, t + n, 4))
			return -1;
		n += 4;
	}
	return n;
}

/* The symmetric extensions (SymmetricMode in VnetHash.Hashing), on a tuple of two alen-byte addresses. */
INLINE void symmetric(__u8 *t, const int alen, int n, __u32 mode)
{
	if (mode == SYMMETRIC_SORTED) {
		int swap = 0;
#pragma unroll
		for (int i = 0; i < alen; i++) {
			if (t[i] != t[alen + i]) {
				swap = t[i] > t[alen + i];
				break;
			}
		}
		if (swap) {
#pragma unroll
			for (int i = 0; i < alen; i++) {
				__u8 x = t[i];
				t[i] = t[alen + i];
				t[alen + i] = x;
			}
		}
		if (n > 2 * alen) {
			__u8 *p = t + 2 * alen;
			if (p[0] > p[2] || (p[0] == p[2] && p[1] > p[3])) {
				__u8 x = p[0], y = p[1];
				p[0] = p[2];
				p[1] = p[3];
				p[2] = x;
				p[3] = y;
			}
		}
	} else if (mode == SYMMETRIC_XOR) {
#pragma unroll
		for (int i = 0; i < alen; i++)
			t[i] = t[alen + i] = t[i] ^ t[alen + i];
		if (n > 2 * alen) {
			__u8 *p = t + 2 * alen;
			p[0] = p[2] = p[0] ^ p[2];
			p[1] = p[3] = p[1] ^ p[3];
		}
	}
}

INLINE __u32 select_report(const struct flow *fl, __u32 types)
{
	int tcp = fl->transport == IPPROTO_TCP && !fl->fragment;
	int udp = fl->transport == IPPROTO_UDP && !fl->fragment;
	if (fl->network == 4) {
		if ((types & TYPE_TCPV4) && tcp)
			return REPORT_TCPV4;
		if ((types & TYPE_UDPV4) && udp)
			return REPORT_UDPV4;
		if (types & TYPE_IPV4)
			return REPORT_IPV4;
		return REPORT_NONE;
	}
	if (fl->network != 6)
		return REPORT_NONE;
	if (fl->extensions) {
		if ((types & TYPE_TCPV6_EX) && tcp)
			return REPORT_TCPV6_EX;
		if ((types & TYPE_UDPV6_EX) && udp)
			return REPORT_UDPV6_EX;
		if (types & TYPE_IPV6_EX)
			return REPORT_IPV6_EX;
	}
	if ((types & TYPE_TCPV6) && tcp)
		return REPORT_TCPV6;
	if ((types & TYPE_UDPV6) && udp)
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
	struct flow fl = {0, ABSENT, ABSENT, ABSENT, ABSENT, 0, 0, 0};
	__u8 tuple[40];
	__u32 hash, report, types, queue, n;
	int found, length;

	if (!slot)
		return 0;
	cfg = bpf_map_lookup_elem(slot, &zero);
	if (!cfg)
		return 0;

	f.skb = skb;
	f.len = skb->len;
	__builtin_memset(f.buf, 0, sizeof(f.buf));
	if (f.len == 0)
		goto unclassified;
	/* One read of the link-layer headers; the IP headers are read where the tags end. */
	n = f.len < HEADER_BUFFER ? f.len : HEADER_BUFFER;
	if (bpf_skb_load_bytes(skb, 0, f.buf, n))
		goto unclassified;

	/* Only the virtio-spec profile: the managed loader refuses linux-tun (see EbpfSteering). */
	types = cfg->hash_types;
	found = cfg->profile == PROFILE_VIRTIO_SPEC && dissect_virtio_spec(&f, cfg->frame_kind, &fl);
	if (!found)
		goto unclassified;
	report = select_report(&fl, types);
	if (report == REPORT_NONE)
		goto unclassified;

	length = build_tuple(&f, &fl, report, tuple);
	if (cfg->symmetric != SYMMETRIC_NONE) {
		if (length == 8 || length == 12)
			symmetric(tuple, 4, length, cfg->symmetric);
		else
			symmetric(tuple, 16, length, cfg->symmetric);
	}
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
