/*
 * capture_peer: VnetHash's C yardstick for `vnethash analyze`: the least a program must do per packet to count a
 * pcapng capture per RSS queue, written plainly in C, so that analyze's speed can be read against what C reaches on
 * the same machine in the same run (benchmarks/capture-analysis.sh), not only against `cat`.
 *
 *   capture_peer FILE [--queues N] [--threads T]      (defaults: 4 queues, one thread per online CPU)
 *
 * Per packet it decides what analyze's default configuration decides, and counts much as it does:
 *   - Enhanced Packet Blocks of an Ethernet interface in a little-endian section (what `vnethash generate` writes);
 *     any other packet block, a second section or interface ends the run with exit code 2 and a message;
 *   - the virtio-net hash types, all nine enabled (virtio spec 1.3, 5.1.6.4.3.1), under the rules classify() lists
 *     (VLAN tags, length fields, IPv6 extension headers, the _EX addresses of RFC 6275);
 *   - the Toeplitz hash by a per-byte table (the usual C method: one 1 KiB table per input byte), the default
 *     40-byte key (Microsoft's), queue = table[hash & 127] over a round-robin table, unclassified queue 0;
 *   - counts per queue (packets, original bytes, distinct 5-tuples by HyperLogLog, the sum of the hashes) and per
 *     hash type, distinct 5-tuples over all, and connections in a fixed open-addressing table (direction symmetry's
 *     work).
 * It does less than analyze in three places: it does not look inside UDP packets to a tunnel port (analyze does,
 * for outer_only_tunnels), it counts flows by HyperLogLog alone (analyze keeps an exact set up to 1,024 flows per
 * counter first), and it keeps no notes or per-type tunnel counts.
 * The file is read much as analyze reads it (analyze's segments shrink toward the file's end; these keep one
 * size): each thread takes 1 MiB segments in turn with pread(2) into a buffer of its own (the segment and 8 KiB
 * past it; a block that starts in the segment and runs further is read on to its end), finds the first block of its
 * segment, and counts the blocks that start in it; at the end the segments must join (each one's first block is where the blocks before it ended, a segment without one lies inside a block
 * before it, and the last block ends the file), or the run fails.
 *
 * Prints one line per queue ("queue Q packets P bytes B flows F hashsum S", S the sum of the hashes mod 2^32) and
 * per hash type with packets ("type NAME packets P"), then "packets P".
 *
 * Build: gcc -O3 -march=native -Wall -o capture_peer capture_peer.c -lpthread -lm
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SEGMENT (1u << 20)
#define OVERHANG (256u << 10) /* the longest block a segment may end in */
#define PAST (8u << 10)       /* read past a segment at once: the block it ends in, unless that is longer */
#define MAX_QUEUES 128
#define TABLE_SIZE 128
#define HLL_BITS 12
#define CONNECTIONS (1u << 14)

enum { NONE, IPV4, TCPV4, UDPV4, IPV6, TCPV6, UDPV6, IPV6_EX, TCPV6_EX, UDPV6_EX, TYPES };
static const char *type_names[TYPES] = { "NONE", "IPv4", "TCPv4", "UDPv4", "IPv6", "TCPv6", "UDPv6", "IPv6_EX", "TCPv6_EX", "UDPv6_EX" };

static const uint8_t key[40] = {
    0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
    0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

static uint32_t toeplitz_table[36][256];
static uint8_t indirection[TABLE_SIZE];
static int queues = 4;
static int fd;
static uint64_t file_size, data_start;
static uint32_t segment_count;
static atomic_uint next_segment;
static int64_t *first_block, *block_end; /* per segment; -1: not reached */

struct counts {
    uint64_t packets[MAX_QUEUES], bytes[MAX_QUEUES], types[TYPES];
    uint32_t hash_sums[MAX_QUEUES]; /* per queue, the sum of the packets' hashes: a digest of every decision */
    uint8_t flows[MAX_QUEUES + 1][1u << HLL_BITS]; /* HyperLogLog registers per queue, the last over all */
    uint64_t connections[CONNECTIONS];
    uint32_t connection_count;
    int failed;
};

static void fail(const char *why)
{
    fprintf(stderr, "capture_peer: %s\n", why);
    exit(2);
}

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* The table form of the Toeplitz hash: byte i with value v contributes the XOR of the 32-bit key windows at bit
 * 8i + b for each set bit b of v. */
static void prepare_toeplitz(void)
{
    for (int i = 0; i < 36; i++)
        for (int v = 0; v < 256; v++) {
            uint32_t h = 0;
            for (int b = 0; b < 8; b++)
                if (v & (0x80 >> b)) {
                    int bit = 8 * i + b;
                    uint64_t window = 0;
                    for (int k = 0; k < 8; k++)
                        window = window << 8 | key[(bit / 8 + k) % 40];
                    h ^= (uint32_t)(window >> (32 - bit % 8));
                }
            toeplitz_table[i][v] = h;
        }
}

static uint32_t toeplitz(const uint8_t *input, int length)
{
    uint32_t h = 0;
    for (int i = 0; i < length; i++)
        h ^= toeplitz_table[i][input[i]];
    return h;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static void count_flow(uint8_t *registers, uint64_t flow)
{
    unsigned index = flow >> (64 - HLL_BITS);
    uint64_t rest = flow << HLL_BITS | 1ull << (HLL_BITS - 1);
    uint8_t rank = (uint8_t)(__builtin_clzll(rest) + 1);
    if (rank > registers[index])
        registers[index] = rank;
}

static void count_connection(struct counts *c, uint64_t connection, int queue)
{
    uint64_t entry = (connection >> 8 << 8) | (uint64_t)(queue + 1);
    for (uint32_t i = connection & (CONNECTIONS - 1);; i = (i + 1) & (CONNECTIONS - 1)) {
        if (c->connections[i] == 0) {
            if (c->connection_count < CONNECTIONS / 2) {
                c->connections[i] = entry;
                c->connection_count++;
            }
            return;
        }
        if (c->connections[i] >> 8 == connection >> 8)
            return;
    }
}

/* RFC 6275 6.3: the Home Address option (type 201, 16 bytes) in a Destination Options header, or NULL. */
static const uint8_t *find_home(const uint8_t *h, uint32_t size)
{
    uint32_t o = 2;
    for (int options = 0; options < 32 && o < size; options++) {
        if (h[o] == 0) { /* Pad1 */
            o++;
            continue;
        }
        if (o + 2 > size || o + 2 + h[o + 1] > size)
            return NULL;
        if (h[o] == 201 && h[o + 1] == 16)
            return h + o + 2;
        o += 2u + h[o + 1];
    }
    return NULL;
}

/* One Ethernet frame: its hash type and the Toeplitz input (source address, destination address, then ports), by
 * the virtio-net rules as analyze's default configuration applies them: up to 8 VLAN tags; the IP packet bounded by
 * its length field and the capture; TCP only with its 20-byte header there, UDP with its 8 bytes; IPv6 extension
 * headers (Hop-by-Hop, Routing, Fragment, Destination Options, AH, Mobility; at most 16) make the _EX types, a Fragment
 * header a fragment and the end of the walk, the first Home Address option the source and a type 2 Routing header with
 * one segment left the destination. */
static int classify(const uint8_t *f, uint32_t len, uint8_t *input, int *input_length)
{
    uint32_t l3 = 14;
    if (len < 14)
        return NONE;
    uint16_t ethertype = be16(f + 12);
    for (int tags = 0; ethertype == 0x8100 || ethertype == 0x88a8; tags++) {
        if (tags == 8 || len < l3 + 4)
            return NONE;
        ethertype = be16(f + l3 + 2);
        l3 += 4;
    }
    const uint8_t *ip = f + l3;
    if (ethertype == 0x0800) {
        if (len - l3 < 20 || ip[0] >> 4 != 4)
            return NONE;
        uint32_t ihl = (ip[0] & 15) * 4u, total = be16(ip + 2);
        if (ihl < 20 || ihl > len - l3 || total < ihl)
            return NONE;
        uint32_t end = len - l3 < total ? len : l3 + total;
        uint32_t need = ip[9] == 6 ? 20 : ip[9] == 17 ? 8 : 0;
        memcpy(input, ip + 12, 8);
        *input_length = 8;
        if ((be16(ip + 6) & 0x3fff) == 0 && need && end - (l3 + ihl) >= need) {
            memcpy(input + 8, ip + ihl, 4);
            *input_length = 12;
            return ip[9] == 6 ? TCPV4 : UDPV4;
        }
        return IPV4;
    }
    if (ethertype != 0x86dd || len - l3 < 40 || ip[0] >> 4 != 6)
        return NONE;
    uint32_t payload = be16(ip + 4);
    uint32_t end = payload == 0 || len - l3 - 40 < payload ? len : l3 + 40 + payload;
    const uint8_t *home = NULL, *routing = NULL;
    uint32_t offset = l3 + 40;
    uint8_t next = ip[6];
    int extensions = 0, transport = 1;
    for (int walked = 0; next == 0 || next == 43 || next == 44 || next == 60 || next == 51 || next == 135; walked++) {
        extensions = 1;
        if (walked == 16 || end - offset < 2) {
            transport = 0;
            break;
        }
        const uint8_t *h = f + offset;
        uint32_t size = next == 51 ? (h[1] + 2u) * 4 : next == 44 ? 8 : (h[1] + 1u) * 8;
        if (size > end - offset || next == 44) { /* cut short, or a fragment: addresses only */
            transport = 0;
            break;
        }
        if (next == 60 && !home)
            home = find_home(h, size);
        else if (next == 43 && !routing && size == 24 && h[1] == 2 && h[2] == 2 && h[3] == 1)
            routing = h + 8;
        next = h[0];
        offset += size;
    }
    memcpy(input, home ? home : ip + 8, 16);
    memcpy(input + 16, routing ? routing : ip + 24, 16);
    *input_length = 32;
    uint32_t need = next == 6 ? 20 : next == 17 ? 8 : 0;
    if (transport && need && end - offset >= need) {
        memcpy(input + 32, f + offset, 4);
        *input_length = 36;
        return extensions ? (next == 6 ? TCPV6_EX : UDPV6_EX) : (next == 6 ? TCPV6 : UDPV6);
    }
    return extensions ? IPV6_EX : IPV6;
}

static void count_packet(struct counts *c, const uint8_t *frame, uint32_t captured, uint32_t original)
{
    uint8_t input[36];
    int length = 0;
    int type = classify(frame, captured, input, &length);
    int queue = 0;
    c->types[type]++;
    if (type != NONE) {
        uint32_t hash = toeplitz(input, length);
        queue = indirection[hash & (TABLE_SIZE - 1)];
        c->hash_sums[queue] += hash;

        /* The 5-tuple as addresses and ports; the protocol is implied by the type. */
        int half = (length >= 32 ? 32 : 8) / 2;
        uint64_t s = mix((uint64_t)type << 56 ^ (length > 2 * half ? be16(input + 2 * half) : 0));
        uint64_t d = mix((uint64_t)type << 56 ^ (length > 2 * half ? be16(input + 2 * half + 2) : 0));
        for (int i = 0; i < half; i += 4) {
            s = mix(s ^ le32(input + i));
            d = mix(d ^ le32(input + half + i));
        }
        uint64_t flow = mix(s * 3 + d);
        count_flow(c->flows[queue], flow);
        count_flow(c->flows[MAX_QUEUES], flow);
        count_connection(c, mix(s < d ? s * 3 + d : d * 3 + s), queue);
    }
    c->packets[queue]++;
    c->bytes[queue] += original > captured ? original : captured;
}

/* Finds the first block of a segment: a 4-byte-aligned offset where an EPB starts whose trailer repeats its
 * length, and after which another block does the same (or the file ends). */
static int64_t find_block(const uint8_t *b, uint32_t have, uint64_t at)
{
    for (uint64_t o = (4 - (at - data_start) % 4) % 4; o + 12 <= have; o += 4) {
        uint64_t length = le32(b + o + 4);
        if (le32(b + o) != 6 || length < 32 || length % 4 || o + length > have || le32(b + o + length - 4) != length)
            continue;
        if (at + o + length == file_size)
            return (int64_t)o;
        if (o + length + 12 <= have) {
            uint64_t following = le32(b + o + length + 4);
            if (following >= 12 && following % 4 == 0 && o + length + following <= have
                && le32(b + o + length + following - 4) == following)
                return (int64_t)o;
        }
    }
    return -1;
}

/* Reads on to byte need of the segment at at, where its last block runs past the bytes read; 0 when the buffer
 * cannot hold that much or the file ends first. Reading the whole overhang every time copied a quarter of the file
 * twice: what lies past a segment is the next one's, which its own reader reads. */
static int read_on(uint8_t *buffer, ssize_t *got, uint64_t need, uint64_t at)
{
    if (need > SEGMENT + OVERHANG || at + need > file_size)
        return 0;
    ssize_t n = pread(fd, buffer + *got, need - (uint64_t)*got, (off_t)(at + (uint64_t)*got));
    if (n != (ssize_t)(need - (uint64_t)*got))
        return 0;
    *got = (ssize_t)need;
    return 1;
}

static void *count_segments(void *arg)
{
    struct counts *c = arg;
    uint8_t *buffer = aligned_alloc(4096, SEGMENT + OVERHANG);
    if (buffer == NULL)
        fail("out of memory");
    uint32_t s;
    while (!c->failed && (s = atomic_fetch_add(&next_segment, 1)) < segment_count) {
        uint64_t at = data_start + (uint64_t)s * SEGMENT;
        uint64_t want = file_size - at < SEGMENT + PAST ? file_size - at : SEGMENT + PAST;
        ssize_t got = pread(fd, buffer, want, (off_t)at);
        if (got != (ssize_t)want) {
            c->failed = 1;
            break;
        }
        int64_t o = s == 0 ? 0 : find_block(buffer, (uint32_t)got, at);
        if (o < 0) {
            /* No block starts here: the segment must lie inside a block of one before it (checked at the join). */
            first_block[s] = block_end[s] = -1;
            continue;
        }
        first_block[s] = (int64_t)at + o;
        uint32_t end = file_size - at < SEGMENT ? (uint32_t)(file_size - at) : SEGMENT;
        while ((uint64_t)o < end) {
            if (o + 12 > got && !read_on(buffer, &got, (uint64_t)o + 12, at)) {
                c->failed = 1;
                break;
            }
            uint32_t type = le32(buffer + o), length = le32(buffer + o + 4);
            if (length < 12 || length % 4 || (o + length > got && !read_on(buffer, &got, (uint64_t)o + length, at))) {
                c->failed = 1;
                break;
            }
            if (type == 6) {
                if (length < 32 || le32(buffer + o + 8) != 0)
                    fail("only Enhanced Packet Blocks of interface 0 are counted");
                uint32_t captured = le32(buffer + o + 20), original = le32(buffer + o + 24);
                if (captured > length - 32)
                    fail("an Enhanced Packet Block's captured length runs past the block");
                count_packet(c, buffer + o + 28, captured, original);
            } else if (type == 0x0a0d0d0a || type == 1) {
                fail("a new section or interface after the first packet: not supported");
            } else if (type == 2 || type == 3) {
                fail("only Enhanced Packet Blocks are counted, not Simple or obsolete Packet Blocks");
            }
            o += length;
        }
        block_end[s] = (int64_t)at + o;
    }
    free(buffer);
    return NULL;
}

/* The Section Header Block and the Interface Description Block that the first packet follows. */
static void read_header(void)
{
    uint8_t h[4096];
    ssize_t got = pread(fd, h, sizeof h, 0);
    if (got < 28 || le32(h) != 0x0a0d0d0a || le32(h + 8) != 0x1a2b3c4d)
        fail("not a little-endian pcapng file");
    uint32_t offset = le32(h + 4);
    while (offset + 12 <= (uint32_t)got && le32(h + offset) != 6) {
        uint32_t type = le32(h + offset), length = le32(h + offset + 4);
        if (type == 1 && (le32(h + offset + 8) & 0xffff) != 1)
            fail("the interface is not Ethernet");
        if (length < 12 || length % 4)
            fail("a damaged block before the first packet");
        offset += length;
    }
    data_start = offset;
}

int main(int argc, char **argv)
{
    int threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    threads = threads > 64 ? 64 : threads;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--queues") && i + 1 < argc)
            queues = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (argv[i][0] != '-' && !path)
            path = argv[i];
        else
            fail("usage: capture_peer FILE [--queues N] [--threads T]");
    }
    if (!path || queues < 1 || queues > MAX_QUEUES || threads < 1 || threads > 64)
        fail("usage: capture_peer FILE [--queues 1-128] [--threads 1-64]");
    fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0)
        fail("cannot open the capture");
    file_size = (uint64_t)st.st_size;
    read_header();
    prepare_toeplitz();
    for (int i = 0; i < TABLE_SIZE; i++)
        indirection[i] = (uint8_t)(i % queues);
    segment_count = (uint32_t)((file_size - data_start + SEGMENT - 1) / SEGMENT);
    first_block = malloc(segment_count * sizeof *first_block);
    block_end = malloc(segment_count * sizeof *block_end);
    if (first_block == NULL || block_end == NULL)
        fail("out of memory");

    struct counts *counts = calloc((size_t)threads, sizeof *counts);
    if (counts == NULL)
        fail("out of memory");
    /* The tables that are read before they are written (the connections, the flow registers in use) are written
     * through once, as analyze's are: calloc's fresh pages would otherwise be mapped to the shared zero page by the
     * first reads, and each first write would copy one and flush the TLB of the other threads' cores. explicit_bzero,
     * because a compiler may drop a memset of memory it knows calloc zeroed. */
    for (int t = 0; t < threads; t++) {
        explicit_bzero(counts[t].connections, sizeof counts[t].connections);
        for (int q = 0; q < queues; q++)
            explicit_bzero(counts[t].flows[q], sizeof counts[t].flows[q]);
        explicit_bzero(counts[t].flows[MAX_QUEUES], sizeof counts[t].flows[MAX_QUEUES]);
    }
    pthread_t tid[64];
    for (int t = 1; t < threads; t++)
        pthread_create(&tid[t], NULL, count_segments, &counts[t]);
    count_segments(&counts[0]);
    for (int t = 1; t < threads; t++)
        pthread_join(tid[t], NULL);

    for (int t = 0; t < threads; t++)
        if (counts[t].failed)
            fail("a segment could not be read or did not start with a block");
    /* The chain of blocks from the first packet to the end of the file: each segment's first block is where the
     * chain has reached, and a segment where no block starts lies wholly behind the chain's end. */
    int64_t reached = (int64_t)data_start;
    for (uint32_t s = 0; s < segment_count; s++) {
        int64_t segment_end = (int64_t)(data_start + (uint64_t)(s + 1) * SEGMENT);
        if (first_block[s] < 0 ? reached < (segment_end < (int64_t)file_size ? segment_end : (int64_t)file_size)
                               : first_block[s] != reached)
            fail("the segments do not join");
        if (first_block[s] >= 0)
            reached = block_end[s];
    }
    if (reached != (int64_t)file_size)
        fail("the segments do not join");

    /* Merged: sums, and each HyperLogLog register's maximum. */
    uint64_t total = 0;
    for (int q = 0; q <= queues; q++) {
        int slot = q == queues ? MAX_QUEUES : q;
        uint8_t registers[1u << HLL_BITS] = { 0 };
        uint64_t packets = 0, bytes = 0;
        for (int t = 0; t < threads; t++) {
            for (unsigned r = 0; r < 1u << HLL_BITS; r++)
                if (counts[t].flows[slot][r] > registers[r])
                    registers[r] = counts[t].flows[slot][r];
            if (q < queues) {
                packets += counts[t].packets[q];
                bytes += counts[t].bytes[q];
            }
        }
        double m = 1u << HLL_BITS, sum = 0;
        int zeros = 0;
        for (unsigned r = 0; r < 1u << HLL_BITS; r++) {
            sum += ldexp(1.0, -registers[r]);
            zeros += registers[r] == 0;
        }
        double estimate = 0.7213 / (1 + 1.079 / m) * m * m / sum;
        if (estimate <= 2.5 * m && zeros > 0)
            estimate = m * log(m / zeros);
        uint32_t digest = 0;
        for (int t = 0; q < queues && t < threads; t++)
            digest += counts[t].hash_sums[q];
        if (q < queues)
            printf("queue %d packets %llu bytes %llu flows %.0f hashsum %u\n", q, (unsigned long long)packets, (unsigned long long)bytes, estimate, digest);
        else
            printf("flows %.0f\n", estimate);
        total += packets;
    }
    for (int type = 0; type < TYPES; type++) {
        uint64_t n = 0;
        for (int t = 0; t < threads; t++)
            n += counts[t].types[type];
        if (n)
            printf("type %s packets %llu\n", type_names[type], (unsigned long long)n);
    }
    printf("packets %llu\n", (unsigned long long)total);
    free(counts);
    free(first_block);
    free(block_end);
    close(fd);
    return 0;
}
