/*
 * tap_reader: VnetHash's C yardstick for reading a TAP, and the flood sender all TAP read measurements share.
 * Run as root inside a network namespace (benchmarks/tap-read/measure.sh does it all).
 *
 *   tap_reader read --ifname IF [--queues N] [--io poll|uring] [--hdr BYTES]
 *       Creates an N-queue TAP (IFF_TAP|IFF_NO_PI|IFF_MULTI_QUEUE|IFF_VNET_HDR, vnet header BYTES, default 20),
 *       turns IPv6 off on it, sets it up, prints "ready" on stderr, and reads every queue on one thread until
 *       SIGINT or SIGTERM; then prints {"frames": total, "queues": [per queue]} on stdout.
 *       poll:  read until EAGAIN, then poll(2) on every queue fd: one system call per frame.
 *       uring: io_uring, one IORING_OP_READ_MULTISHOT per queue into its own provided-buffer ring
 *              (Linux 6.7), re-armed whenever a completion comes without IORING_CQE_F_MORE.
 *   tap_reader flood --ifname IF [--seconds S] [--batch B]
 *       Sends 8192 distinct 60-80-byte frames (IPv4/IPv6, TCP/UDP) out of IF through an AF_PACKET socket past
 *       the qdisc, sendmmsg batches of B (default 32), as fast as it can for S seconds (default 5); prints
 *       {"accepted": frames the device queued, "refused": frames it dropped, "seconds": S}.
 *
 * Build: gcc -O2 -Wall -o tap_reader tap_reader.c -luring   (Debian: liburing-dev)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>

/* Debian 12's liburing 2.3 predates the multishot read; the kernel's number is fixed (Linux 6.7). */
#define OP_READ_MULTISHOT 49

#define MAX_QUEUES 16
#define POOL_FRAMES 8192
#define FRAME_BYTES 96
#define RING_BUFFERS 1024
#define BUFFER_BYTES 2048

static volatile sig_atomic_t stopping;

static void on_signal(int signal)
{
	(void)signal;
	stopping = 1;
}

static void fail(const char *what)
{
	fprintf(stderr, "tap_reader: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double seconds_now(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* ---- the device ------------------------------------------------------------------------------------- */

static int open_queues(const char *name, int queues, int header, int *fds)
{
	for (int q = 0; q < queues; q++) {
		struct ifreq request = { 0 };
		fds[q] = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (fds[q] < 0)
			fail("open /dev/net/tun");
		snprintf(request.ifr_name, IFNAMSIZ, "%s", name);
		request.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE | IFF_VNET_HDR;
		if (ioctl(fds[q], TUNSETIFF, &request) < 0)
			fail("TUNSETIFF");
		if (ioctl(fds[q], TUNSETVNETHDRSZ, &header) < 0)
			fail("TUNSETVNETHDRSZ");
	}
	return queues;
}

static void bring_up(const char *name)
{
	char path[96];
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", name);
	int sysctl = open(path, O_WRONLY | O_CLOEXEC);
	if (sysctl >= 0) {
		if (write(sysctl, "1", 1) != 1)
			fail("disable_ipv6");
		close(sysctl);
	}
	int control = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq request = { 0 };
	snprintf(request.ifr_name, IFNAMSIZ, "%s", name);
	if (control < 0 || ioctl(control, SIOCGIFFLAGS, &request) < 0)
		fail("SIOCGIFFLAGS");
	request.ifr_flags |= IFF_UP;
	if (ioctl(control, SIOCSIFFLAGS, &request) < 0)
		fail("SIOCSIFFLAGS");
	close(control);
}

/* ---- poll + read -------------------------------------------------------------------------------------- */

static void read_polling(int *fds, int queues, long *frames)
{
	static unsigned char buffer[65536 + 256];
	struct pollfd waits[MAX_QUEUES];
	for (int q = 0; q < queues; q++)
		waits[q] = (struct pollfd){ .fd = fds[q], .events = POLLIN };
	while (!stopping) {
		if (poll(waits, (nfds_t)queues, 100) <= 0)
			continue;
		for (int q = 0; q < queues; q++) {
			if (!(waits[q].revents & POLLIN))
				continue;
			while (read(fds[q], buffer, sizeof(buffer)) >= 0)
				frames[q]++;
		}
	}
}

/* ---- io_uring multishot reads ------------------------------------------------------------------------- */

struct queue_ring {
	struct io_uring_buf_ring *ring;
	unsigned char *memory;
};

static void arm_read(struct io_uring *uring, int fd, int queue)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(uring);
	io_uring_prep_rw(OP_READ_MULTISHOT, sqe, fd, NULL, 0, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = (unsigned short)(queue + 1);
	io_uring_sqe_set_data64(sqe, (uint64_t)queue);
}

static void read_uring(int *fds, int queues, long *frames)
{
	struct io_uring uring;
	struct io_uring_params parameters = { .flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_CQSIZE, .cq_entries = 4096 };
	if (io_uring_queue_init_params(64, &uring, &parameters) < 0)
		fail("io_uring_queue_init_params");
	struct queue_ring rings[MAX_QUEUES];
	for (int q = 0; q < queues; q++) {
		rings[q].ring = aligned_alloc(4096, RING_BUFFERS * sizeof(struct io_uring_buf));
		struct io_uring_buf_reg registration = { .ring_addr = (unsigned long)rings[q].ring, .ring_entries = RING_BUFFERS, .bgid = (unsigned short)(q + 1) };
		int error = io_uring_register_buf_ring(&uring, &registration, 0);
		if (error < 0) {
			errno = -error;
			fail("IORING_REGISTER_PBUF_RING");
		}
		io_uring_buf_ring_init(rings[q].ring);
		rings[q].memory = aligned_alloc(4096, (size_t)RING_BUFFERS * BUFFER_BYTES);
		for (int b = 0; b < RING_BUFFERS; b++)
			io_uring_buf_ring_add(rings[q].ring, rings[q].memory + (size_t)b * BUFFER_BYTES, BUFFER_BYTES, (unsigned short)b,
					      io_uring_buf_ring_mask(RING_BUFFERS), b);
		io_uring_buf_ring_advance(rings[q].ring, RING_BUFFERS);
		arm_read(&uring, fds[q], q);
	}
	struct __kernel_timespec tick = { .tv_sec = 0, .tv_nsec = 100 * 1000 * 1000 };
	while (!stopping) {
		struct io_uring_cqe *cqe;
		if (io_uring_submit_and_wait_timeout(&uring, &cqe, 1, &tick, NULL) < 0)
			continue;
		unsigned head, seen = 0, returned[MAX_QUEUES] = { 0 };
		int rearm[MAX_QUEUES] = { 0 };
		io_uring_for_each_cqe(&uring, head, cqe) {
			int q = (int)cqe->user_data;
			seen++;
			if (cqe->flags & IORING_CQE_F_BUFFER) {
				unsigned short id = (unsigned short)(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
				if (cqe->res > 0)
					frames[q]++;
				io_uring_buf_ring_add(rings[q].ring, rings[q].memory + (size_t)id * BUFFER_BYTES, BUFFER_BYTES, id,
						      io_uring_buf_ring_mask(RING_BUFFERS), (int)returned[q]++);
			}
			if (!(cqe->flags & IORING_CQE_F_MORE))
				rearm[q] = 1;
		}
		io_uring_cq_advance(&uring, seen);
		for (int q = 0; q < queues; q++) {
			if (returned[q])
				io_uring_buf_ring_advance(rings[q].ring, (int)returned[q]);
			if (rearm[q])
				arm_read(&uring, fds[q], q);
		}
	}
}

static void read_mode(const char *name, int queues, const char *io, int header)
{
	int fds[MAX_QUEUES];
	long frames[MAX_QUEUES] = { 0 };
	open_queues(name, queues, header, fds);
	bring_up(name);
	fprintf(stderr, "ready\n");
	if (strcmp(io, "uring") == 0)
		read_uring(fds, queues, frames);
	else
		read_polling(fds, queues, frames);
	long total = 0;
	printf("{\"reader\": \"c-%s\", \"queues\": [", io);
	for (int q = 0; q < queues; q++) {
		printf("%s%ld", q ? ", " : "", frames[q]);
		total += frames[q];
	}
	printf("], \"frames\": %ld}\n", total);
}

/* ---- the flood ------------------------------------------------------------------------------------------ */

static unsigned char pool[POOL_FRAMES][FRAME_BYTES];
static size_t pool_length[POOL_FRAMES];

static void put16(unsigned char *at, unsigned value)
{
	at[0] = (unsigned char)(value >> 8);
	at[1] = (unsigned char)value;
}

static unsigned checksum(const unsigned char *bytes, size_t length)
{
	unsigned sum = 0;
	for (size_t i = 0; i + 1 < length; i += 2)
		sum += (unsigned)bytes[i] << 8 | bytes[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* Frame i: IPv4 or IPv6 by bit 1, TCP or UDP by bit 0; distinct source address and port for every i. */
static size_t build_frame(unsigned char *frame, unsigned i)
{
	static const unsigned char macs[12] = { 0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02 };
	int ipv6 = (i & 2) != 0, tcp = (i & 1) == 0;
	size_t l4 = ipv6 ? 54 : 34, length = l4 + (tcp ? 20 : 8) + 6; /* 6 bytes of payload */
	memset(frame, 0, FRAME_BYTES);
	memcpy(frame, macs, sizeof(macs));
	if (!ipv6) {
		put16(frame + 12, 0x0800);
		unsigned char *ip = frame + 14;
		ip[0] = 0x45;
		put16(ip + 2, (unsigned)(length - 14));
		ip[8] = 64;
		ip[9] = tcp ? 6 : 17;
		ip[12] = 10; ip[13] = (unsigned char)(1 + (i >> 16)); ip[14] = (unsigned char)(i >> 8); ip[15] = (unsigned char)i;
		ip[16] = 192; ip[17] = 168; ip[18] = 7; ip[19] = (unsigned char)(1 + i % 200);
		put16(ip + 10, checksum(ip, 20));
	} else {
		put16(frame + 12, 0x86dd);
		unsigned char *ip = frame + 14;
		ip[0] = 0x60;
		put16(ip + 4, (unsigned)(length - 54));
		ip[6] = tcp ? 6 : 17;
		ip[7] = 64;
		ip[8] = 0x20; ip[9] = 0x01; ip[10] = 0x0d; ip[11] = 0xb8; ip[15] = 1;
		ip[20] = (unsigned char)(i >> 24); ip[21] = (unsigned char)(i >> 16); ip[22] = (unsigned char)(i >> 8); ip[23] = (unsigned char)i;
		ip[24] = 0x20; ip[25] = 0x01; ip[26] = 0x0d; ip[27] = 0xb8; ip[31] = 2; ip[39] = (unsigned char)(1 + i % 200);
	}
	unsigned char *transport = frame + l4;
	put16(transport, 1024 + (i * 7919u) % 60000);
	put16(transport + 2, tcp ? 443 : 4791);
	if (tcp) {
		transport[12] = 5 << 4;
		transport[13] = 0x10;
		put16(transport + 14, 65535);
	} else {
		put16(transport + 4, (unsigned)(length - l4));
	}
	return length < 60 ? 60 : length;
}

static void flood_mode(const char *name, double seconds, int batch)
{
	for (unsigned i = 0; i < POOL_FRAMES; i++)
		pool_length[i] = build_frame(pool[i], i);
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	struct sockaddr_ll address = { .sll_family = AF_PACKET, .sll_ifindex = (int)if_nametoindex(name) };
	int one = 1;
	if (fd < 0 || address.sll_ifindex == 0 || bind(fd, (struct sockaddr *)&address, sizeof(address)) < 0)
		fail("AF_PACKET socket");
	if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) < 0)
		fail("PACKET_QDISC_BYPASS");
	struct mmsghdr messages[64];
	struct iovec vectors[64];
	long accepted = 0, refused = 0;
	unsigned next = 0;
	double start = seconds_now(), end = start + seconds;
	while (seconds_now() < end) {
		for (int b = 0; b < batch; b++) {
			unsigned k = (next + (unsigned)b) % POOL_FRAMES;
			vectors[b] = (struct iovec){ .iov_base = pool[k], .iov_len = pool_length[k] };
			messages[b] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &vectors[b], .msg_iovlen = 1 } };
		}
		int sent = sendmmsg(fd, messages, (unsigned)batch, 0);
		if (sent < 0)
			sent = 0;
		/* sendmmsg stops at the first frame the device refused. */
		int dropped = sent < batch ? 1 : 0;
		accepted += sent;
		refused += dropped;
		next += (unsigned)(sent + dropped);
	}
	printf("{\"accepted\": %ld, \"refused\": %ld, \"seconds\": %.3f}\n", accepted, refused, seconds_now() - start);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "", *name = "vnhread0", *io = "poll";
	int queues = 1, header = 20, batch = 32;
	double seconds = 5;
	for (int i = 2; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--ifname")) name = argv[i + 1];
		else if (!strcmp(argv[i], "--queues")) queues = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--io")) io = argv[i + 1];
		else if (!strcmp(argv[i], "--hdr")) header = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--seconds")) seconds = atof(argv[i + 1]);
		else if (!strcmp(argv[i], "--batch")) batch = atoi(argv[i + 1]);
		else { fprintf(stderr, "tap_reader: unknown option %s\n", argv[i]); return 2; }
	}
	if (queues < 1 || queues > MAX_QUEUES || batch < 1 || batch > 64 || (strcmp(io, "poll") && strcmp(io, "uring"))) {
		fprintf(stderr, "usage: tap_reader read --ifname IF [--queues 1-16] [--io poll|uring] [--hdr BYTES]\n"
				"       tap_reader flood --ifname IF [--seconds S] [--batch 1-64]\n");
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!strcmp(mode, "read"))
		read_mode(name, queues, io, header);
	else if (!strcmp(mode, "flood"))
		flood_mode(name, seconds, batch);
	else {
		fprintf(stderr, "tap_reader: the mode is read or flood\n");
		return 2;
	}
	return 0;
}
