/* How much CPU reading a file costs as `vnethash analyze` reads it, by read size: THREADS threads take segments of
 * 4 MiB in turn, read each with pread(2) in pieces of CHUNK KiB into a buffer of their own, and load one word every 64
 * bytes of what they read (the bytes a reader then looks at, without the looking). With RING_KIB (a multiple of
 * CHUNK_KIB) the buffer holds that much and the reads land in it in turn, as analyze's four reads do; without it, every
 * read lands at its start. Prints the wall and CPU time.
 *
 *   gcc -O2 -o read_chunks benchmarks/read-chunks/read_chunks.c -lpthread
 *   ./read_chunks FILE CHUNK_KIB THREADS [RING_KIB]
 *
 * Read the file once before timing, so that it comes from the page cache. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SEGMENT (4u << 20)

static int fd;
static size_t chunk, ring, size;
static atomic_size_t next_segment;

static void *read_segments(void *arg)
{
    (void)arg;
    uint8_t *buffer = aligned_alloc(4096, ring);
    size_t into = 0;
    uint64_t sum = 0;
    if (!buffer)
        return NULL;
    for (;;) {
        size_t start = atomic_fetch_add(&next_segment, 1) * (size_t)SEGMENT;
        if (start >= size)
            break;
        size_t stop = start + SEGMENT < size ? start + SEGMENT : size;
        for (size_t at = start; at < stop; at += chunk) {
            size_t want = stop - at < chunk ? stop - at : chunk;
            ssize_t got = pread(fd, buffer + into, want, (off_t)at);
            if (got <= 0)
                break;
            for (ssize_t i = 0; i + 8 <= got; i += 64)
                sum += *(volatile uint64_t *)(buffer + into + i);
            into = into + 2 * chunk <= ring ? into + chunk : 0;
        }
    }
    free(buffer);
    return (void *)(uintptr_t)sum;
}

static double ms(struct timespec t) { return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: %s FILE CHUNK_KIB THREADS [RING_KIB]\n", argv[0]);
        return 2;
    }
    struct stat st;
    fd = open(argv[1], O_RDONLY);
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror(argv[1]);
        return 1;
    }
    size = (size_t)st.st_size;
    chunk = (size_t)atoi(argv[2]) * 1024;
    int threads = atoi(argv[3]);
    ring = argc == 5 ? (size_t)atoi(argv[4]) * 1024 : chunk;
    if (chunk == 0 || chunk > SEGMENT || threads < 1 || threads > 64 || ring < chunk || ring % chunk != 0) {
        fprintf(stderr, "CHUNK_KIB must be 1 to 4096, THREADS 1 to 64, RING_KIB a multiple of CHUNK_KIB\n");
        return 2;
    }

    pthread_t ids[64];
    struct timespec begin, end, cpu;
    clock_gettime(CLOCK_MONOTONIC, &begin);
    for (int i = 0; i < threads; i++)
        pthread_create(&ids[i], NULL, read_segments, NULL);
    for (int i = 0; i < threads; i++)
        pthread_join(ids[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &end);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    printf("%zu KiB reads into %zu KiB, %d threads: wall %.1f ms, cpu %.1f ms\n", chunk / 1024, ring / 1024, threads,
           ms(end) - ms(begin), ms(cpu));
    return 0;
}
