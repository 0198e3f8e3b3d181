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
 * Profiles: vnethash_steering below implements the virtio-spec profile, inner-header hashing of the enabled
 * encapsulation types included (PacketDissector.Tunnels.cs; docs/design.md "Tunnels: inner-header hashing");
 * vnethash_linux_tun, at the end of this file, the linux-tun profile. EbpfSteering loads the one of the
 * configuration's profile; both read the same maps.
 *
 * Cost: a helper call (bpf_skb_load_bytes) costs more than hashing a whole tuple, so the frame's first
 * HEADER_BUFFER bytes are read once into a stack buffer and an untagged frame's IP header, addresses and ports
 * are copied from there: such a frame takes one helper call in all, in both programs. The tuple is hashed in
 * place with one table load per byte (no per-bit loop, 8/12 bytes for IPv4, 32/36 for IPv6), and the hash type
 * comes from a 12-entry table instead of a branch per type bit.
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
static long (*bpf_tail_call)(void *ctx, void *map, __u32 index) = (void *)BPF_FUNC_tail_call;

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
	__u32 tunnel_types; /* encapsulation types hashed on their inner packet (VIRTIO_NET_HASH_TUNNEL_TYPE_*) */
	/*
	 * The hash type the rules choose for each packet class, precomputed by the managed side from the enabled
	 * types: report_table[(ipv6 ? 6 : 0) + (extension headers ? 3 : 0) + (0 none, 1 TCP, 2 UDP)]. One load
	 * instead of a branch per type bit keeps the verifier's paths few.
	 */
	__u8 report_table[16];
	/* UDP destination ports of the UDP tunnels: VXLAN, VXLAN-GPE, GENEVE, GRE-in-UDP. */
	__u16 tunnel_ports[4];
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

/*
 * Entry 0 is vnethash_steering itself, set by EbpfSteering after loading: a tunnel frame's inner packet is
 * dissected in a second run of the program (see "Inner-header hashing" below).
 */
struct map_definition steering_programs SEC("maps") = {
	.type = BPF_MAP_TYPE_PROG_ARRAY,
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
#define ETH_P_TEB 0x6558

#define GRE_CSUM 0x8000
#define GRE_KEY 0x2000
#define GRE_SEQ 0x1000

#define IPPROTO_HOPOPTS 0
#define IPPROTO_IPIP 4
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_ROUTING 43
#define IPPROTO_FRAGMENT 44
#define IPPROTO_GRE 47
#define IPPROTO_AH 51
#define IPPROTO_DSTOPTS 60
#define IPPROTO_MH 135

#define TCP_HEADER 20
#define UDP_HEADER 8

/* Bounds of every walk, the same as the managed dissector's, so the verifier sees loops that end. */
#define MAX_VLAN_TAGS 8
#define MAX_EXTENSION_HEADERS 16
#define MAX_OPTIONS 32

/*
 * The Ethernet header and its tags are read once into this stack buffer and parsed at constant offsets. Each
 * later header is read with one bpf_skb_load_bytes into a fixed-size stack array: reads at variable offsets into
 * one big stack buffer make the verifier track those offsets precisely, and its state count then explodes.
 */
#define HEADER_BUFFER 62

struct frame {
	struct __sk_buff *skb;
	__u32 len;
	__u32 loaded; /* bytes of the frame in raw: its first HEADER_BUFFER bytes, or all of it */
	/*
	 * 1 when the skb holds the frame's outermost VLAN tag apart from its bytes (hardware-accelerated, as after a
	 * bridge): the bytes then start with the next tag or the network header, and the tag still counts as one.
	 */
	__u32 outer_tag;
	/*
	 * The frame's first bytes start 2 bytes into this array, so an untagged IP header (frame byte 14) lies on an
	 * 8-byte boundary and is copied with a few 8-byte moves instead of being read again.
	 */
	__u64 raw[(HEADER_BUFFER + 2) / 8];
};

#define FRAME_BYTES(f) ((__u8 *)(f)->raw + 2)

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

/*
 * n bytes at off, which in an untagged Ethernet frame without IP options or extension headers is `usual`: then
 * they are copied from the first read, otherwise read with a helper call. A helper call costs more than hashing a
 * whole tuple, so the usual frame takes one in all, the first read. `usual` and n are constants at every call,
 * so the copy reads the stack at a fixed offset.
 */
INLINE int read_usual(struct frame *f, __u32 off, void *to, const __u32 n, const __u32 usual)
{
	if (off == usual && usual + n <= f->loaded) {
		__builtin_memcpy(to, FRAME_BYTES(f) + usual, n);
		return 0;
	}
	return load(f, off, to, n);
}

/* Reads the frame's first HEADER_BUFFER bytes (or all of it) into f; fails on an empty frame. */
INLINE int read_frame(struct frame *f, struct __sk_buff *skb)
{
	f->skb = skb;
	f->len = skb->len;
	f->outer_tag = skb->vlan_present ? 1 : 0;
	if (f->len == 0)
		return -1;
	f->loaded = f->len < HEADER_BUFFER ? f->len : HEADER_BUFFER;
	return bpf_skb_load_bytes(skb, 0, FRAME_BYTES(f), f->loaded) ? -1 : 0;
}

/*
 * The EtherType that the link layer leaves and where that header begins. A TAP frame: after the Ethernet header
 * and up to max_tags VLAN/QinQ tags (a constant at each call). A TUN frame has no link layer: the type its IP
 * version nibble names, at byte 0. Fails on a cut Ethernet header or tag.
 */
INLINE int link_layer(const struct frame *f, __u32 kind, const int max_tags, __u32 *ethertype, __u32 *off)
{
	__u32 type, at;
	if (kind == FRAME_IP) {
		__u32 version = FRAME_BYTES(f)[0] >> 4;
		*ethertype = version == 4 ? ETH_P_IP : version == 6 ? ETH_P_IPV6 : 0;
		*off = 0;
		return 0;
	}
	if (f->len < ETH_HLEN)
		return -1;
	type = ((__u32)FRAME_BYTES(f)[12] << 8) | FRAME_BYTES(f)[13];
	at = ETH_HLEN;
#pragma unroll
	for (int i = 0; i < max_tags; i++) {
		if (type != ETH_P_8021Q && type != ETH_P_8021AD)
			break;
		if (at + 4 > f->len)
			return -1;
		type = ((__u32)FRAME_BYTES(f)[at + 2] << 8) | FRAME_BYTES(f)[at + 3];
		at += 4;
	}
	/* A tag held apart counts toward the bound: max_tags in the bytes are one too many then. */
	if (max_tags && f->outer_tag && at == ETH_HLEN + 4 * max_tags)
		return -1;
	*ethertype = type;
	*off = at;
	return 0;
}

#define ABSENT 0xFFFFFFFFu

/* What the dissector found, as offsets into the frame (PacketInfo in VnetHash.Packets); ABSENT where none. */
struct flow {
	__u32 network;    /* 4, 6, or 0 when the frame gets no hash */
	__u32 addresses;  /* source address; the destination follows it */
	/*
	 * Offsets and whether they were found are kept apart on purpose: comparing an offset with a constant makes
	 * the verifier track it precisely, and paths with different offsets then never merge.
	 */
	__u32 home;       /* Home Address option's address, when has_home */
	__u32 routing;    /* type-2 Routing header's address, when has_routing */
	__u32 has_home;
	__u32 has_routing;
	__u32 ports;      /* the 4 port bytes; ABSENT: they count as zero */
	__u32 transport;  /* IPPROTO_TCP, IPPROTO_UDP or 0 */
	__u32 fragment;
	__u32 extensions; /* the IPv6 packet has at least one walked extension header */
	/* Where the header after the IP header (and its extension headers) starts, its protocol, and where the IP
	 * packet ends; l4 is ABSENT when the walk did not get there. The tunnel match reads them. */
	__u32 l4;
	__u32 proto;
	__u32 end;
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

/*
 * The n-byte fixed IP header at ip into h, when the bytes up to limit hold it and its version nibble is `version`.
 * limit is the frame's length, or for an inner packet where the outer packet ends.
 */
INLINE int read_ip_header(struct frame *f, __u32 ip, __u32 limit, __u8 *h, const __u32 n, __u32 version)
{
	if (ip > limit || limit - ip < n || read_usual(f, ip, h, n, ETH_HLEN))
		return 0;
	return (h[0] >> 4) == version;
}

INLINE int spec_ipv4(struct frame *f, __u32 ip, __u32 limit, struct flow *fl, __u8 *h)
{
	__u32 hlen, total, end;
	if (!read_ip_header(f, ip, limit, h, 20, 4))
		return 0;
	hlen = (h[0] & 15) * 4;
	total = ((__u32)h[2] << 8) | h[3];
	/* A header that claims more than is there, or a total length shorter than the header, hides the transport. */
	if (hlen < 20 || hlen > limit - ip || total < hlen)
		return 0;
	fl->network = 4;
	fl->addresses = ip + 12;
	fl->fragment = ((((__u32)h[6] << 8) | h[7]) & 0x3FFF) != 0;
	end = ip + total < limit ? ip + total : limit;
	fl->l4 = ip + hlen;
	fl->proto = h[9];
	fl->end = end;
	spec_transport(fl, h[9], ip + hlen, end);
	return 1;
}

/*
 * Branch-free tests. Inside the extension-header walk every branch forks the verifier's state, and the forks
 * multiply from header to header; arithmetic keeps one path. opaque() stops clang from turning the arithmetic
 * back into branches. Both work for values below 2^62.
 */
INLINE __u64 opaque(__u64 v)
{
	asm volatile("" : "+r"(v));
	return v;
}

/*
 * The value, with everything the verifier knew about it forgotten: written as two halves and read back whole,
 * it comes back as an unknown scalar. Offsets that differ from path to path would otherwise keep the walk's
 * verifier states apart, and their number would double with every header.
 */
INLINE __u32 forget(__u32 v)
{
	volatile __u16 box[2];
	box[0] = v;
	box[1] = v >> 16;
	return box[0] | ((__u32)box[1] << 16);
}

INLINE __u64 is_zero(__u64 v)
{
	return (opaque(v) - 1) >> 63;
}

INLINE __u64 below(__u64 a, __u64 b)
{
	return (opaque(a) - b) >> 63;
}

INLINE __u64 choose(__u64 condition, __u64 yes, __u64 no)
{
	__u64 mask = -opaque(condition);
	return (yes & mask) | (no & ~mask);
}

/*
 * RFC 6275 6.3: option 201 with 16 bytes of data inside the Destination Options header at off of length hlen.
 * Pad1 is one byte; a TLV that would run past the header ends the scan without a result.
 */
INLINE __u64 find_home_address(struct frame *f, __u64 off, __u64 hlen, __u64 *home)
{
	__u64 o = 2, done = 0, found = 0, at = 0;
#pragma clang loop unroll(disable)
	for (int i = 0; i < MAX_OPTIONS; i++) {
		__u8 b[2];
		__u64 type, length, pad, bad, hit, active;
		/* A read past the frame leaves zeros; the bounds tests below reject such an option anyway. */
		bpf_skb_load_bytes(f->skb, off + o, b, 2);
		type = b[0];
		length = b[1];
		active = (1 - done) & below(o, hlen);
		pad = is_zero(type);
		bad = (1 - pad) & (below(hlen, o + 2) | below(hlen, o + 2 + length));
		hit = active & (1 - pad) & (1 - bad) & is_zero(type ^ 201) & is_zero(length ^ 16);
		at = choose(hit, off + o + 2, at);
		found |= hit;
		done |= (1 - active) | bad | hit;
		o += (1 - done) * (pad + (1 - pad) * (2 + length));
		if (done)
			break;
	}
	*home = at;
	return found;
}

INLINE int spec_extension(__u32 proto)
{
	return proto == IPPROTO_HOPOPTS || proto == IPPROTO_ROUTING || proto == IPPROTO_FRAGMENT ||
	       proto == IPPROTO_DSTOPTS || proto == IPPROTO_AH || proto == IPPROTO_MH;
}

INLINE int spec_ipv6(struct frame *f, __u32 ip, __u32 limit, struct flow *fl, __u8 *h)
{
	__u32 payload, next, off, end;
	if (!read_ip_header(f, ip, limit, h, 40, 6))
		return 0;
	payload = ((__u32)h[4] << 8) | h[5];
	next = h[6];
	fl->network = 6;
	fl->addresses = ip + 8;
	/* Payload length 0 is a jumbogram (or unknown): the frame bounds the packet. */
	end = payload == 0 || ip + 40 + payload > limit ? limit : ip + 40 + payload;
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
		if (next == IPPROTO_DSTOPTS) {
			/* The first Home Address option counts. */
			__u64 at, found = find_home_address(f, off, hlen, &at) & (1 - fl->has_home);
			fl->home = choose(found, at, fl->home);
			fl->has_home |= found;
		} else if (next == IPPROTO_ROUTING) {
			/* RFC 6275 6.4: routing type 2, one segment left, the address after 4 reserved bytes. */
			__u8 r[2];
			__u64 hit;
			bpf_skb_load_bytes(f->skb, off + 2, r, 2);
			hit = is_zero(hlen ^ 24) & is_zero(r[0] ^ 2) & is_zero(r[1] ^ 1) & (1 - fl->has_routing);
			fl->routing = choose(hit, off + 8, fl->routing);
			fl->has_routing |= hit;
		}
		next = h0;
		off = forget(off + hlen);
	}
	fl->l4 = off;
	fl->proto = next;
	fl->end = end;
	spec_transport(fl, next, off, end);
	return 1;
}

/* The virtio specification as written: Ethernet, up to MAX_VLAN_TAGS tags, IPv4 or IPv6. */
INLINE int dissect_virtio_spec(struct frame *f, __u32 kind, struct flow *fl, __u8 *header)
{
	__u32 ethertype, off;
	if (link_layer(f, kind, MAX_VLAN_TAGS, &ethertype, &off))
		return 0;
	if (ethertype == ETH_P_IP)
		return spec_ipv4(f, off, f->len, fl, header);
	if (ethertype == ETH_P_IPV6)
		return spec_ipv6(f, off, f->len, fl, header);
	return 0;
}

/*
 * Inner-header hashing (VIRTIO_NET_F_HASH_TUNNEL), as PacketDissector.Tunnels.cs decides it; docs/design.md "Tunnels:
 * inner-header hashing" says which frames match which type. Only a configuration with tunnel types runs it.
 *
 * When the outer header matches an enabled type, the program writes where the inner packet lies into the packet's
 * control block and tail-calls itself; the second run dissects the inner packet from there. Inline, the inner
 * dissection would be verified once for every way through the outer one, far past the verifier's budget; behind
 * the tail call it is verified once, from unknown offsets.
 */
#define INNER_PASS 0x564e4831 /* "VNH1" in skb->cb[0]: this run dissects an inner packet */
#define TUNNEL_GRE_2784 (1u << 0)
#define TUNNEL_GRE_2890 (1u << 1)
#define TUNNEL_GRE_7676 (1u << 2)
#define TUNNEL_GRE_UDP (1u << 3)
#define TUNNEL_VXLAN (1u << 4)
#define TUNNEL_VXLAN_GPE (1u << 5)
#define TUNNEL_GENEVE (1u << 6)
#define TUNNEL_IPIP (1u << 7)
#define TUNNEL_NVGRE (1u << 8)

/* RFC 1701's routing and strict-source-route bits, bit 5, and a version other than 0: not RFC 2784/2890 GRE. */
#define GRE_NOT_RFC2784 (0x4000 | 0x0800 | 0x0400 | 0x0007)

#define UDP_TUNNEL_HEADER 8

/* A GRE header of RFC 2784/2890 whole before limit: its flags, protocol type and where its payload starts. */
INLINE int read_gre(struct frame *f, __u32 at, __u32 limit, __u32 *flags, __u32 *proto, __u32 *payload)
{
	__u8 g[4];
	__u32 bits, len;
	if (at > limit || limit - at < 4 || load(f, at, g, 4))
		return 0;
	bits = ((__u32)g[0] << 8) | g[1];
	len = 4 + (bits & GRE_CSUM ? 4 : 0) + (bits & GRE_KEY ? 4 : 0) + (bits & GRE_SEQ ? 4 : 0);
	if ((bits & GRE_NOT_RFC2784) || limit - at < len)
		return 0;
	*flags = bits;
	*proto = ((__u32)g[2] << 8) | g[3];
	*payload = at + len;
	return 1;
}

/*
 * The encapsulation types the outer header matches, where the inner packet starts and what it is: an EtherType,
 * ETH_P_TEB for an Ethernet frame, 0 for something that is not IP.
 */
INLINE __u32 match_tunnel(struct frame *f, const struct steering_config *cfg, const struct flow *fl, __u32 *inner, __u32 *type)
{
	__u32 at = fl->l4, limit = fl->end, flags = 0, proto = 0, port, matched;
	__u8 u[4], t[UDP_TUNNEL_HEADER];
	/* A fragment carries no tunnel: later fragments have no tunnel header, and the first must hash as they do. */
	if (fl->fragment || at == ABSENT)
		return 0;
	if (fl->proto == IPPROTO_IPIP) {
		/* RFC 2003: IPv4 in IPv4 only. */
		*inner = at;
		*type = ETH_P_IP;
		return fl->network == 4 ? TUNNEL_IPIP : 0;
	}
	if (fl->proto == IPPROTO_GRE) {
		if (!read_gre(f, at, limit, &flags, &proto, inner))
			return 0;
		*type = proto;
		matched = fl->network == 6 ? TUNNEL_GRE_7676 : flags & (GRE_KEY | GRE_SEQ) ? TUNNEL_GRE_2890 : TUNNEL_GRE_2784;
		if (proto == ETH_P_IPV6)
			matched |= TUNNEL_GRE_7676;
		if ((flags & (GRE_CSUM | GRE_KEY | GRE_SEQ)) == GRE_KEY && proto == ETH_P_TEB)
			matched |= TUNNEL_NVGRE;
		return matched;
	}
	if (fl->transport != IPPROTO_UDP)
		return 0;

	/* The UDP header is whole here; an untagged frame's lies in the first read. */
	if (fl->network == 6 ? read_usual(f, at, u, 4, ETH_HLEN + 40) : read_usual(f, at, u, 4, ETH_HLEN + 20))
		return 0;
	port = ((__u32)u[2] << 8) | u[3];
	at += UDP_HEADER;
	if (port == cfg->tunnel_ports[3]) {
		if (!read_gre(f, at, limit, &flags, &proto, inner))
			return 0;
		*type = proto;
		return TUNNEL_GRE_UDP;
	}
	if (port != cfg->tunnel_ports[0] && port != cfg->tunnel_ports[1] && port != cfg->tunnel_ports[2])
		return 0;
	if (at > limit || limit - at < UDP_TUNNEL_HEADER || load(f, at, t, UDP_TUNNEL_HEADER))
		return 0;
	*inner = at + UDP_TUNNEL_HEADER;
	if (port == cfg->tunnel_ports[0]) {
		/* VXLAN: the I flag (RFC 7348 section 5), an Ethernet frame inside. */
		*type = ETH_P_TEB;
		return t[0] & 0x08 ? TUNNEL_VXLAN : 0;
	}
	if (port == cfg->tunnel_ports[1]) {
		/* VXLAN-GPE: version 0 with the I and P flags; the next protocol says what follows. */
		*type = t[3] == 1 ? ETH_P_IP : t[3] == 2 ? ETH_P_IPV6 : t[3] == 3 ? ETH_P_TEB : 0;
		return (t[0] & 0x30) == 0 && (t[0] & 0x08) && (t[0] & 0x04) ? TUNNEL_VXLAN_GPE : 0;
	}
	/* GENEVE: version 0, options skipped by their length, the protocol type an EtherType. */
	*inner += (t[0] & 0x3F) * 4;
	*type = ((__u32)t[2] << 8) | t[3];
	return (t[0] >> 6) == 0 && *inner <= limit ? TUNNEL_GENEVE : 0;
}

/* An inner Ethernet frame at off, read up to limit: the EtherType after up to MAX_VLAN_TAGS tags, and where it begins. */
INLINE int inner_link_layer(struct frame *f, __u32 off, __u32 limit, __u32 *ethertype, __u32 *at)
{
	__u8 t[2];
	__u32 type;
	if (off > limit || limit - off < ETH_HLEN || load(f, off + 12, t, 2))
		return -1;
	type = ((__u32)t[0] << 8) | t[1];
	off += ETH_HLEN;
#pragma unroll
	for (int i = 0; i < MAX_VLAN_TAGS; i++) {
		if (type != ETH_P_8021Q && type != ETH_P_8021AD)
			break;
		if (off > limit || limit - off < 4 || load(f, off + 2, t, 2))
			return -1;
		type = ((__u32)t[0] << 8) | t[1];
		off += 4;
	}
	*ethertype = type;
	*at = off;
	return 0;
}

/* The inner packet under the ordinary rules, inside the outer packet: whether it is IP. */
INLINE int spec_inner(struct frame *f, __u32 inner, __u32 type, __u32 limit, struct flow *fl, __u8 *header)
{
	if (type == ETH_P_TEB && inner_link_layer(f, inner, limit, &type, &inner))
		return 0;
	if (type == ETH_P_IP)
		return spec_ipv4(f, inner, limit, fl, header);
	if (type == ETH_P_IPV6)
		return spec_ipv6(f, inner, limit, fl, header);
	return 0;
}

/*
 * Completes the tuple in place: the IP header was read into `header`, where the addresses already stand in
 * Toeplitz order (IPv4 at byte 12, IPv6 at byte 8). The _EX addresses and the ports are read over and after
 * them. Returns the tuple's length, or -1 when it cannot be read.
 */
INLINE int build_tuple(struct frame *f, const struct flow *fl, __u32 report, __u8 *header)
{
	int ports = report == REPORT_TCPV4 || report == REPORT_UDPV4 || report == REPORT_TCPV6 || report == REPORT_UDPV6 ||
		    report == REPORT_TCPV6_EX || report == REPORT_UDPV6_EX;
	if (fl->network == 6) {
		if (report >= REPORT_IPV6_EX) {
			if (fl->has_home && load(f, fl->home, header + 8, 16))
				return -1;
			if (fl->has_routing && load(f, fl->routing, header + 24, 16))
				return -1;
		}
		if (!ports)
			return 32;
		header[40] = header[41] = header[42] = header[43] = 0;
		if (fl->ports != ABSENT && read_usual(f, fl->ports, header + 40, 4, ETH_HLEN + 40))
			return -1;
		return 36;
	}
	if (!ports)
		return 8;
	header[20] = header[21] = header[22] = header[23] = 0;
	if (fl->ports != ABSENT && read_usual(f, fl->ports, header + 20, 4, ETH_HLEN + 20))
		return -1;
	return 12;
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

INLINE __u32 select_report(const struct steering_config *cfg, const struct flow *fl)
{
	__u32 index;
	if (fl->network != 4 && fl->network != 6)
		return REPORT_NONE;
	index = (fl->network == 6 ? 6 : 0) + (fl->extensions ? 3 : 0);
	if (!fl->fragment)
		index += fl->transport == IPPROTO_TCP ? 1 : fl->transport == IPPROTO_UDP ? 2 : 0;
	return cfg->report_table[index & 15];
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

/* The configuration in force: the inner map config_slot points at (see "Configuration and atomic reconfiguration"). */
INLINE const struct steering_config *current_config(void)
{
	__u32 zero = 0;
	void *slot = bpf_map_lookup_elem(&config_slot, &zero);
	return slot ? bpf_map_lookup_elem(slot, &zero) : 0;
}

/* The symmetric mode, then Toeplitz over the n-byte tuple at t: two alen-byte addresses, then the ports if n has them. */
INLINE __u32 hash_tuple(const struct steering_config *cfg, __u8 *t, const int alen, const int n)
{
	symmetric(t, alen, n, cfg->symmetric);
	return toeplitz(cfg, t, n);
}

/* The queue of a packet with a hash: its indirection table entry. */
INLINE __u32 steer(const struct steering_config *cfg, __u32 hash, __u32 report)
{
	__u32 queue = cfg->indirection_table[hash & cfg->table_mask & (TABLE_ENTRIES - 1)];
	record(cfg, hash, report, queue);
	return queue;
}

INLINE __u32 steer_unclassified(const struct steering_config *cfg)
{
	record(cfg, 0, REPORT_NONE, cfg->unclassified_queue);
	return cfg->unclassified_queue;
}

SEC("socket")
int vnethash_steering(struct __sk_buff *skb)
{
	const struct steering_config *cfg = current_config();
	struct frame f;
	struct flow fl = {0, ABSENT, 0, 0, 0, 0, ABSENT, 0, 0, 0, ABSENT, 0, 0};
	__u64 header[6]; /* the IP header as read, then the tuple in place */
	__u32 report;
	int found;

	if (!cfg)
		return 0;

	if (read_frame(&f, skb))
		goto unclassified;

	if (cfg->tunnel_types && skb->cb[0] == INNER_PASS) {
		/* The second run: the inner packet where the first found it, IP or not, decides (one level only). */
		if (!spec_inner(&f, skb->cb[1], skb->cb[2], skb->cb[3], &fl, (__u8 *)header))
			goto unclassified;
	} else {
		/* A linux-tun configuration belongs to vnethash_linux_tun; EbpfSteering never writes one here. */
		found = cfg->profile == PROFILE_VIRTIO_SPEC && dissect_virtio_spec(&f, cfg->frame_kind, &fl, (__u8 *)header);
		if (!found)
			goto unclassified;
		if (cfg->tunnel_types) {
			__u32 inner = 0, type = 0;
			if (match_tunnel(&f, cfg, &fl, &inner, &type) & cfg->tunnel_types) {
				skb->cb[0] = INNER_PASS;
				skb->cb[1] = inner;
				skb->cb[2] = type;
				skb->cb[3] = fl.end;
				bpf_tail_call(skb, &steering_programs, 0);
				/* Only a program array emptied at teardown gets here. */
				goto unclassified;
			}
		}
	}
	report = select_report(cfg, &fl);
	if (report == REPORT_NONE)
		goto unclassified;

	switch (build_tuple(&f, &fl, report, (__u8 *)header)) {
	case 8:
		return steer(cfg, hash_tuple(cfg, (__u8 *)header + 12, 4, 8), report);
	case 12:
		return steer(cfg, hash_tuple(cfg, (__u8 *)header + 12, 4, 12), report);
	case 32:
		return steer(cfg, hash_tuple(cfg, (__u8 *)header + 8, 16, 32), report);
	case 36:
		return steer(cfg, hash_tuple(cfg, (__u8 *)header + 8, 16, 36), report);
	}

unclassified:
	return steer_unclassified(cfg);
}

/*
 * The linux-tun profile: the decisions the series kernel takes through the Linux flow dissector
 * (PacketDissector.LinuxTun in VnetHash.Packets; docs/design.md "The linux-tun profile"). VLAN/QinQ tags and
 * PPPoE sessions are stepped through, IPIP, 6in4, 4in6, 6in6 and GRE (plain, checksum/key/sequence, Ethernet
 * over GRE) are descended into, IPv6 Hop-by-Hop, Routing and Destination Options headers are skipped, a
 * Fragment header makes a fragment, anything else ends the walk, and TCP/UDP count by protocol number alone.
 * GRE version 1 is PPTP's, and batman-adv unicast frames are descended into, as the dissector does.
 *
 * The walk is one loop, one header per step, as the dissector's: a network step for the protocol an EtherType
 * names, an IP protocol step for what an IP header carries. Only hand-overs count toward the dissector's bound
 * (tags, PPPoE, tunnels, extension headers); past it the walk stops with the protocol pending, and the addresses
 * are the dissector's union as the last IP header left it. Every step ends by forgetting the walk's state
 * (forget()), so each step reaches the loop head with unknown scalars and the verifier explores one step body per
 * iteration instead of every combination of header sequences.
 */
#define PROFILE_LINUX_TUN 1

#define ETH_P_PPP_SES 0x8864
#define PPP_IP 0x0021
#define PPP_IPV6 0x0057

#define ETH_P_PPP 0x880B
#define ETH_P_BATMAN 0x4305
#define BATADV_UNICAST 0x40
#define BATADV_COMPAT_VERSION 15
#define BATADV_UNICAST_LEN 10

#define IPPROTO_IPV6 41
#define IPPROTO_MPLS 137

#define GRE_ROUTING 0x4000
#define GRE_VERSION 0x0007
#define GRE_ACK 0x0080

/* MAX_FLOW_DISSECT_HDRS: the most hand-overs the dissector follows (LinuxMaxDissectedHeaders). */
#define LINUX_MAX_DISSECTED_HEADERS 15

/*
 * Steps the walk can take: uncounted steps are the first header, the IP header each counted hand-over can lead to,
 * and the step that ends the walk, so at most 1 + 15 + 16 when the 16th hand-over ends it, 1 + 15 + 15 + 1 when a
 * last step does.
 */
#define LINUX_WALK_STEPS (2 * (LINUX_MAX_DISSECTED_HEADERS + 1))

#define TUN_WALKING 0
#define TUN_FINISH 1

/* addresses_tail when the 24 address bytes after the first 8 are zeros. */
#define ZERO_TAIL 1

/* What the walk found (PacketInfo's fields): the pending network protocol's addresses, the protocol after them. */
struct tun_flow {
	__u32 network;   /* 4 or 6 */
	__u32 addresses; /* source address, the destination following it; ABSENT: zeros */
	/* IPv6 over IPv4 addresses in the union: 8 bytes at addresses, then 24 here (ZERO_TAIL: zeros); 0 otherwise */
	__u32 addresses_tail;
	__u32 fragment;
	__u32 transport; /* IPPROTO_TCP, IPPROTO_UDP or 0 */
	__u32 ports;     /* the 4 port bytes; ABSENT: they count as zero */
};

/* Whether n bytes at off lie inside the frame; off may lie anywhere past it. */
INLINE int tun_has(__u32 len, __u32 off, __u32 n)
{
	return off <= len && len - off >= n;
}

/*
 * n bytes of the header at off in the walk's given step. The first step's header directly follows an untagged
 * Ethernet header and comes from the first read; only there, because the first step's offset is a constant to the
 * verifier, while a later step's is forgotten and a test on it would fork every step.
 */
INLINE int tun_read(struct frame *f, int step, __u32 off, void *to, const __u32 n)
{
	return step == 0 ? read_usual(f, off, to, n, ETH_HLEN) : bpf_skb_load_bytes(f->skb, off, to, n);
}

/* Returns 1 with fl filled when the frame gets a network header, 0 when it is not IP to the dissector. */
INLINE int dissect_linux_tun(struct frame *f, __u32 proto, __u32 off, struct tun_flow *fl)
{
	/* A tag held apart from the bytes was the dissector's first step, a counted hand-over. */
	__u32 len = f->len, network = 1, ipproto = 0, v4 = ABSENT, v6 = ABSENT, v4last = 0, frag = 0, handovers = f->outer_tag;
	__u32 result = TUN_WALKING;

#pragma clang loop unroll(disable)
	for (int step = 0; step < LINUX_WALK_STEPS; step++) {
		__u8 h[16];
		__u32 handover = 0;
		if (network) {
			if (proto == ETH_P_IP) {
				if (!tun_has(len, off, 20) || tun_read(f, step, off, h, 10) || (h[0] & 15) < 5) {
					return 0;
				} else {
					v4 = off + 12;
					v4last = 1;
					ipproto = h[9];
					frag = ((((__u32)h[6] << 8) | h[7]) & 0x3FFF) != 0;
					off += (h[0] & 15) * 4;
					network = 0;
					if (frag)
						result = TUN_FINISH;
				}
			} else if (proto == ETH_P_IPV6) {
				if (!tun_has(len, off, 40) || tun_read(f, step, off, h, 8)) {
					return 0;
				} else {
					v6 = off + 8;
					v4last = 0;
					ipproto = h[6];
					off += 40;
					network = 0;
				}
			} else if (proto == ETH_P_8021Q || proto == ETH_P_8021AD) {
				if (!tun_has(len, off, 4) || bpf_skb_load_bytes(f->skb, off, h, 4)) {
					return 0;
				} else {
					proto = ((__u32)h[2] << 8) | h[3];
					off += 4;
					handover = 1;
				}
			} else if (proto == ETH_P_PPP_SES) {
				if (!tun_has(len, off, 8) || bpf_skb_load_bytes(f->skb, off, h, 8)) {
					return 0;
				} else {
					__u32 ppp = ((__u32)h[6] << 8) | h[7];
					proto = ppp == PPP_IP ? ETH_P_IP : ppp == PPP_IPV6 ? ETH_P_IPV6 : 0;
					off += 8;
					handover = 1;
					if (!proto)
						return 0;
				}
			} else if (proto == ETH_P_BATMAN) {
				/* A batman-adv unicast packet of the compatible version, then the Ethernet header it carries. */
				if (!tun_has(len, off, BATADV_UNICAST_LEN + ETH_HLEN) || bpf_skb_load_bytes(f->skb, off, h, 2) ||
				    h[0] != BATADV_UNICAST || h[1] != BATADV_COMPAT_VERSION ||
				    bpf_skb_load_bytes(f->skb, off + BATADV_UNICAST_LEN + 12, h, 2)) {
					return 0;
				} else {
					proto = ((__u32)h[0] << 8) | h[1];
					off += BATADV_UNICAST_LEN + ETH_HLEN;
					handover = 1;
				}
			} else {
				return 0;
			}
		} else if (ipproto == IPPROTO_MPLS) {
			/* MPLS is no network protocol the hash rules know, at the bound or past it. */
			return 0;
		} else if (ipproto == IPPROTO_IPIP) {
			proto = ETH_P_IP;
			network = 1;
			handover = 1;
		} else if (ipproto == IPPROTO_IPV6) {
			proto = ETH_P_IPV6;
			network = 1;
			handover = 1;
		} else if (ipproto == IPPROTO_GRE) {
			/*
			 * Routing or a version above 1 ends the walk; version 1 takes its protocol type and ends it unless it
			 * is PPTP (key and PPP), whose PPP header names the payload. The key is read, the checksum and sequence
			 * number only stepped over. The lengths are computed without branches: every branch here is explored
			 * in every step of the walk.
			 */
			if (!tun_has(len, off, 4) || bpf_skb_load_bytes(f->skb, off, h, 4)) {
				return 0;
			} else {
				__u32 flags = ((__u32)h[0] << 8) | h[1];
				__u32 version = flags & GRE_VERSION;
				__u32 next = ((__u32)h[2] << 8) | h[3];
				__u32 key = 4 + ((flags >> 13) & 4);                       /* after the checksum */
				__u32 glen = key + ((flags >> 11) & 4) + ((flags >> 10) & 4); /* key, sequence number */
				if ((flags & GRE_ROUTING) || version > 1) {
					result = TUN_FINISH;
				} else if (version == 1 && (next != ETH_P_PPP || !(flags & GRE_KEY))) {
					proto = next;
					result = TUN_FINISH;
				} else if ((flags & GRE_KEY) && !tun_has(len, off, key + 4)) {
					return 0;
				} else {
					/* PPTP: an acknowledgment, then the PPP header; Ethernet over GRE: the inner Ethernet header. */
					__u64 teb = (1 - version) & is_zero(next ^ ETH_P_TEB);
					__u64 extra = version * 4 + teb * ETH_HLEN;
					glen += version * ((flags >> 5) & 4);
					if (extra && (!tun_has(len, off, glen + extra) || bpf_skb_load_bytes(f->skb, off + glen + version * 2 + teb * 12, h, 2))) {
						return 0;
					} else {
						__u32 inner = ((__u32)h[0] << 8) | h[1];
						__u64 ppp = choose(is_zero(inner ^ PPP_IP), ETH_P_IP, choose(is_zero(inner ^ PPP_IPV6), ETH_P_IPV6, ETH_P_PPP));
						proto = choose(version, ppp, choose(teb, inner, next));
						off += glen + extra;
						network = 1;
						handover = 1;
					}
				}
			}
		} else if (proto == ETH_P_IPV6 && (ipproto == IPPROTO_HOPOPTS || ipproto == IPPROTO_ROUTING || ipproto == IPPROTO_DSTOPTS)) {
			if (!tun_has(len, off, 2) || bpf_skb_load_bytes(f->skb, off, h, 2)) {
				return 0;
			} else {
				ipproto = h[0];
				off += ((__u32)h[1] + 1) * 8;
				handover = 1;
			}
		} else if (proto == ETH_P_IPV6 && ipproto == IPPROTO_FRAGMENT) {
			if (!tun_has(len, off, 8) || bpf_skb_load_bytes(f->skb, off, h, 1)) {
				return 0;
			} else {
				frag = 1;
				ipproto = h[0];
				off += 8;
				result = TUN_FINISH;
			}
		} else {
			result = TUN_FINISH;
		}

		/* Past the bound the walk stops where it is, with what this step handed over to still pending. */
		if (result == TUN_WALKING && handover && ++handovers > LINUX_MAX_DISSECTED_HEADERS)
			result = TUN_FINISH;

		/*
		 * What the next step branches on is forgotten; what only the end reads (where the addresses lie, fragment)
		 * is not, and neither is whether the walk goes on, so no path is explored past its own end.
		 */
		proto = forget(proto);
		network = forget(network);
		off = forget(off);
		ipproto = forget(ipproto);
		handovers = forget(handovers);
		if (result != TUN_WALKING)
			break;
	}

	if (result != TUN_FINISH || (proto != ETH_P_IP && proto != ETH_P_IPV6))
		return 0;
	/* The dissector's address key is one union: IPv4 addresses overwrite the first 8 bytes of IPv6 ones. */
	fl->network = proto == ETH_P_IP ? 4 : 6;
	fl->addresses = v4last ? v4 : v6;
	fl->addresses_tail = fl->network == 6 && v4last ? (v6 == ABSENT ? ZERO_TAIL : v6 + 8) : 0;
	fl->fragment = frag;
	fl->transport = !frag && (ipproto == IPPROTO_TCP || ipproto == IPPROTO_UDP) ? ipproto : 0;
	fl->ports = tun_has(len, off, 4) ? off : ABSENT;
	return 1;
}

SEC("socket/linux_tun")
int vnethash_linux_tun(struct __sk_buff *skb)
{
	const struct steering_config *cfg = current_config();
	struct frame f;
	struct tun_flow fl;
	__u64 tuple[5]; /* addresses, then the 4 port bytes */
	__u32 report, proto, off, index;

	if (!cfg)
		return 0;
	/* The configuration is written for the loaded program; a virtio-spec one here is not this program's. */
	if (cfg->profile != PROFILE_LINUX_TUN || read_frame(&f, skb))
		goto unclassified;
	/* No tags here: the walk steps through them itself, as they count toward its header bound. */
	if (link_layer(&f, cfg->frame_kind, 0, &proto, &off))
		goto unclassified;
	if (!dissect_linux_tun(&f, proto, off, &fl))
		goto unclassified;

	/* The series has no _EX types: the rows without extension headers of the report table. */
	index = (fl.network == 6 ? 6 : 0) + (fl.fragment ? 0 : fl.transport == IPPROTO_TCP ? 1 : fl.transport == IPPROTO_UDP ? 2 : 0);
	report = cfg->report_table[index & 15];
	if (report == REPORT_NONE)
		goto unclassified;

	tuple[0] = tuple[1] = tuple[2] = tuple[3] = tuple[4] = 0;
	if (fl.network == 6) {
		if (fl.addresses_tail) {
			if (load(&f, fl.addresses, tuple, 8) || (fl.addresses_tail != ZERO_TAIL && load(&f, fl.addresses_tail, (__u8 *)tuple + 8, 24)))
				goto unclassified;
		} else if (fl.addresses != ABSENT && read_usual(&f, fl.addresses, tuple, 32, ETH_HLEN + 8)) {
			goto unclassified;
		}
		if (report == REPORT_TCPV6 || report == REPORT_UDPV6) {
			if (fl.ports != ABSENT && read_usual(&f, fl.ports, (__u8 *)tuple + 32, 4, ETH_HLEN + 40))
				goto unclassified;
			return steer(cfg, hash_tuple(cfg, (__u8 *)tuple, 16, 36), report);
		}
		return steer(cfg, hash_tuple(cfg, (__u8 *)tuple, 16, 32), report);
	}
	if (fl.addresses != ABSENT && read_usual(&f, fl.addresses, tuple, 8, ETH_HLEN + 12))
		goto unclassified;
	if (report == REPORT_TCPV4 || report == REPORT_UDPV4) {
		if (fl.ports != ABSENT && read_usual(&f, fl.ports, (__u8 *)tuple + 8, 4, ETH_HLEN + 20))
			goto unclassified;
		return steer(cfg, hash_tuple(cfg, (__u8 *)tuple, 4, 12), report);
	}
	return steer(cfg, hash_tuple(cfg, (__u8 *)tuple, 4, 8), report);

unclassified:
	return steer_unclassified(cfg);
}
