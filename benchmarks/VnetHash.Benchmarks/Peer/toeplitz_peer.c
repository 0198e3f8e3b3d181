/*
 * C measuring sticks for the Toeplitz benchmarks: what the machine does for one tuple in plain C, built with
 * gcc -O3 -march=native beside the benchmark program and timed by the same harness (one call per pass of tuples,
 * so the call costs nothing per hash).
 *
 * - Per-byte tables: table[n][v] is what byte value v at input position n contributes; one load and one XOR per
 *   input byte.
 * - GFNI (the method of DPDK's rte_thash_gfni): one 8 x 8 bit matrix per key byte, applied with VGF2P8AFFINEQB to
 *   qword lanes that each hold the 4 input bytes one matrix maps into the hash (spread there with VPERMB from a
 *   masked load of the tuple), then the lanes XOR-reduced. One tuple per call, the call inlined into the loop as a
 *   static inline library function is, with the tuple length a constant.
 *
 * Every function is checked against the bitwise definition by the harness before it is timed.
 */
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#define MAX_INPUT 60
#define GFNI_BLOCKS ((MAX_INPUT + 3 + 7) / 8)

static uint32_t table[MAX_INPUT][256];
static uint64_t matrices[GFNI_BLOCKS * 8];
static uint8_t spread[GFNI_BLOCKS][64];
static int max_input;

static int key_bit(const uint8_t *key, int key_len, int bit)
{
    return bit < 0 || bit >= key_len * 8 ? 0 : (key[bit >> 3] >> (7 - (bit & 7))) & 1;
}

static uint32_t window(const uint8_t *key, int key_len, int start)
{
    uint32_t w = 0;
    for (int i = 0; i < 32; i++)
        w = (w << 1) | (uint32_t)key_bit(key, key_len, start + i);
    return w;
}

/* Prepares the tables and matrices of one key; returns the longest input it can hash, or -1. */
int vh_peer_prepare(const uint8_t *key, int key_len)
{
    max_input = key_len - 4;
    if (max_input < 1 || max_input > MAX_INPUT)
        return -1;
    memset(table, 0, sizeof table);
    for (int n = 0; n < max_input; n++)
        for (int v = 0; v < 256; v++)
            for (int b = 0; b < 8; b++)
                if (v & (0x80 >> b))
                    table[n][v] ^= window(key, key_len, 8 * n + b);

    /* Matrix i, byte j: key bits 8i + j .. 8i + j + 7, the first as the most significant bit. VGF2P8AFFINEQB makes
     * output bit k of byte x the parity of (matrix byte 7 - k AND x), so matrix n + q maps input byte n to its
     * share of hash byte q (q = 0 the most significant). */
    for (int i = 0; i < GFNI_BLOCKS * 8; i++) {
        uint64_t m = 0;
        for (int j = 0; j < 8; j++) {
            unsigned row = 0;
            for (int c = 0; c < 8; c++)
                row = (row << 1) | (unsigned)key_bit(key, key_len, 8 * i + j + c);
            m |= (uint64_t)row << (8 * j);
        }
        matrices[i] = m;
    }

    /* Lane j of block c uses matrix 8c + j and holds input bytes 8c + j - 3 .. 8c + j in its low dword, so that
     * dword ends as a little-endian share of the hash. Indices outside the input point at byte 63, which the
     * masked load leaves zero. */
    for (int c = 0; c < GFNI_BLOCKS; c++)
        for (int j = 0; j < 8; j++)
            for (int k = 0; k < 8; k++) {
                int source = 8 * c + j + k - 3;
                spread[c][8 * j + k] = (uint8_t)(k < 4 && source >= 0 ? source : 63);
            }
    return max_input;
}

int vh_peer_gfni_supported(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("gfni") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi");
}

static inline uint32_t table_hash(const uint8_t *t, int len)
{
    uint32_t h = 0;
    for (int n = 0; n < len; n++)
        h ^= table[n][t[n]];
    return h;
}

__attribute__((target("avx512f,avx512bw,avx512vbmi,gfni,bmi2")))
static inline uint32_t gfni_hash(const uint8_t *t, int len)
{
    __m512i data = _mm512_maskz_loadu_epi8(_bzhi_u64(~0ULL, (unsigned)len), t);
    __m512i sum = _mm512_setzero_si512();
    for (int c = 0; c < (len + 3 + 7) / 8; c++) {
        __m512i lanes = _mm512_permutexvar_epi8(_mm512_loadu_si512(spread[c]), data);
        sum = _mm512_xor_si512(sum, _mm512_gf2p8affine_epi64_epi8(lanes, _mm512_loadu_si512(&matrices[8 * c]), 0));
    }
    __m256i half = _mm256_xor_si256(_mm512_castsi512_si256(sum), _mm512_extracti64x4_epi64(sum, 1));
    __m128i quarter = _mm_xor_si128(_mm256_castsi256_si128(half), _mm256_extracti128_si256(half, 1));
    return (uint32_t)(_mm_cvtsi128_si64(quarter) ^ _mm_extract_epi64(quarter, 1));
}

uint32_t vh_peer_table_hash(const uint8_t *t, int len)
{
    return table_hash(t, len);
}

__attribute__((target("avx512f,avx512bw,avx512vbmi,gfni,bmi2")))
uint32_t vh_peer_gfni_hash(const uint8_t *t, int len)
{
    return gfni_hash(t, len);
}

/* XOR of the hashes of count tuples of len bytes packed back to back; len 12 and 36 with a constant length. */
uint32_t vh_peer_table_each(const uint8_t *packed, int len, int count)
{
    uint32_t sum = 0;
    switch (len) {
    case 12:
        for (int i = 0; i < count; i++)
            sum ^= table_hash(packed + 12 * i, 12);
        break;
    case 36:
        for (int i = 0; i < count; i++)
            sum ^= table_hash(packed + 36 * i, 36);
        break;
    default:
        for (int i = 0; i < count; i++)
            sum ^= table_hash(packed + (long)len * i, len);
    }
    return sum;
}

__attribute__((target("avx512f,avx512bw,avx512vbmi,gfni,bmi2")))
uint32_t vh_peer_gfni_each(const uint8_t *packed, int len, int count)
{
    uint32_t sum = 0;
    switch (len) {
    case 12:
        for (int i = 0; i < count; i++)
            sum ^= gfni_hash(packed + 12 * i, 12);
        break;
    case 36:
        for (int i = 0; i < count; i++)
            sum ^= gfni_hash(packed + 36 * i, 36);
        break;
    default:
        for (int i = 0; i < count; i++)
            sum ^= gfni_hash(packed + (long)len * i, len);
    }
    return sum;
}
