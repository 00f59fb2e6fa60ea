// Int8 block dot products; see include/CKernels.h for the contract. Two builds of each kernel:
// AVX-512 VNNI (vpdpbusd: 32 u8×s8 products summed into 8 int32 lanes in one instruction) and AVX2
// (vpmaddubsw + vpmaddwd, the same sums in two). Both multiply |w| by x·sign(w), which keeps the unsigned
// operand non-negative as the instructions require; |w| ≤ 128 and |x| ≤ 127 cannot overflow the int16
// pair sums of the AVX2 path (2·128·127 < 32768).

#include "CKernels.h"
#include <string.h>

#if defined(__AVX2__) && defined(__F16C__) && defined(__FMA__)
#include "BlockLayouts.h"
#define RAG_HAVE_INT8 1
#else
#define RAG_HAVE_INT8 0
#endif

int rag_int8_kernels_available(void) { return RAG_HAVE_INT8; }

#if RAG_HAVE_INT8

/// Eight int32 lanes of Σ w·x over 32 signed byte pairs, given |w| (`magnitude`) as well as w.
static inline __m256i pair_sums_of(__m256i magnitude, __m256i w, __m256i x) {
    const __m256i signed_x = _mm256_sign_epi8(x, w);
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    return _mm256_dpbusd_epi32(_mm256_setzero_si256(), magnitude, signed_x);
#else
    return _mm256_madd_epi16(_mm256_maddubs_epi16(magnitude, signed_x), _mm256_set1_epi16(1));
#endif
}

/// Eight int32 lanes of Σ w·x over 32 signed byte pairs.
static inline __m256i pair_sums(__m256i w, __m256i x) {
    return pair_sums_of(_mm256_sign_epi8(w, w), w, x);
}

static inline float horizontal_sum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// One accumulator, blocks in order, and the same lane grouping and final reduction as ggml's x86 code: the
// sums come out bit-identical to llama.cpp's for the same integers, which keeps greedy decoding on its path
// at near-ties (a second accumulator measured no faster: the loop is bound by its ~12 instructions per block).

float rag_q5_0_q8_0_dot(const void *blocks, int count, const int8_t *values, const float *scales) {
    const uint8_t *block = (const uint8_t *)blocks;
    __m256 acc = _mm256_setzero_ps();
    for (int b = 0; b < count; b++, block += 22) {
        const __m256i sums = pair_sums(q5_0_weights(block), _mm256_loadu_si256((const __m256i *)(values + 32 * b)));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(half_to_float(block) * scales[b]), _mm256_cvtepi32_ps(sums), acc);
    }
    return horizontal_sum(acc);
}

float rag_q8_0_q8_0_dot(const void *blocks, int count, const int8_t *values, const float *scales) {
    const uint8_t *block = (const uint8_t *)blocks;
    __m256 acc = _mm256_setzero_ps();
    for (int b = 0; b < count; b++, block += 34) {
        const __m256i sums = pair_sums(_mm256_loadu_si256((const __m256i *)(block + 2)),
                                       _mm256_loadu_si256((const __m256i *)(values + 32 * b)));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(half_to_float(block) * scales[b]), _mm256_cvtepi32_ps(sums), acc);
    }
    return horizontal_sum(acc);
}

// The same products for several activation vectors, each accumulated exactly as the kernels above accumulate
// one (same integer sums, same fused multiply-adds in the same order, same reduction), so every result is
// bit-identical to a single-vector call; the weight block is loaded and decoded once for all of them.

/// The body shared by the Q5_0 and Q8_0 several-vector kernels; `weights(block)` gives a block's 32 signed bytes.
#define RAG_DOTS_BODY(block_bytes, weights)                                                              \
    const uint8_t *first = (const uint8_t *)blocks;                                                       \
    for (int t0 = 0; t0 < vectors; t0 += RAG_DOTS_MAX_VECTORS) {                                          \
        const int n = vectors - t0 < RAG_DOTS_MAX_VECTORS ? vectors - t0 : RAG_DOTS_MAX_VECTORS;          \
        __m256 acc[RAG_DOTS_MAX_VECTORS];                                                                 \
        for (int t = 0; t < n; t++) acc[t] = _mm256_setzero_ps();                                         \
        const uint8_t *block = first;                                                                     \
        for (int b = 0; b < count; b++, block += (block_bytes)) {                                         \
            const __m256i w = weights(block);                                                             \
            const __m256i magnitude = _mm256_sign_epi8(w, w);                                             \
            const float d = half_to_float(block);                                                         \
            for (int t = 0; t < n; t++) {                                                                 \
                const int v = t0 + t;                                                                     \
                const __m256i x = _mm256_loadu_si256((const __m256i *)(values + (size_t)v * 32 * count + 32 * b)); \
                const __m256i sums = pair_sums_of(magnitude, w, x);                                       \
                acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(d * scales[(size_t)v * count + b]),                \
                                         _mm256_cvtepi32_ps(sums), acc[t]);                               \
            }                                                                                             \
        }                                                                                                 \
        for (int t = 0; t < n; t++) out[t0 + t] = horizontal_sum(acc[t]);                                 \
    }

#define RAG_DOTS_MAX_VECTORS 8

static inline __m256i q8_0_weights(const uint8_t *block) { return _mm256_loadu_si256((const __m256i *)(block + 2)); }

void rag_q5_0_q8_0_dots(const void *blocks, int count, int vectors, const int8_t *values, const float *scales, float *out) {
    RAG_DOTS_BODY(22, q5_0_weights)
}

void rag_q8_0_q8_0_dots(const void *blocks, int count, int vectors, const int8_t *values, const float *scales, float *out) {
    RAG_DOTS_BODY(34, q8_0_weights)
}

// K-quant weights are unsigned (Q4_K nibbles 0-15, Q6_K 0-63) and go straight into vpmaddubsw against the
// signed activations; the offsets (Q4_K's mins, Q6_K's -32) are applied once per sub-block through the
// activation's 16-value sums. Pair sums stay within int16: 2·63·127 < 32768.

/// Σ min[s]·(sums[2s] + sums[2s+1]) over a Q4_K block's eight sub-blocks (each min applies to 32 activations,
/// two of the 16-value sums): one `vpmaddwd` on the paired sums instead of eight scalar products.
static inline int32_t q4_K_minimum(uint64_t mins, const int16_t *sums) {
    const __m256i s = _mm256_loadu_si256((const __m256i *)sums);
    const __m128i paired = _mm_hadd_epi16(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
    __m128i products = _mm_madd_epi16(_mm_cvtepu8_epi16(_mm_cvtsi64_si128((long long)mins)), paired);
    products = _mm_add_epi32(products, _mm_shuffle_epi32(products, 0x4E));
    products = _mm_add_epi32(products, _mm_shuffle_epi32(products, 0xB1));
    return _mm_cvtsi128_si32(products);
}

float rag_q4_K_q8_K_dot(const void *blocks, int count, const int8_t *values, const float *scales, const int16_t *sums16) {
    const uint8_t *block = (const uint8_t *)blocks;
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    // Byte pairs (2j, 2j+1) of a 16-bit vector, repeated: picks sub-block j's scale into every lane.
    __m256i pick[8];
    for (int j = 0; j < 8; j++) pick[j] = _mm256_set1_epi16((short)(((2 * j + 1) << 8) | (2 * j)));
    __m256 acc = _mm256_setzero_ps();
    float offsets = 0;
    for (int b = 0; b < count; b++, block += 144) {
        const int8_t *x = values + 256 * b;
        uint64_t scale_bytes, min_bytes;
        q4_K_scale_words(block + 4, &scale_bytes, &min_bytes);
        const int32_t minimum = q4_K_minimum(min_bytes, sums16 + 16 * b);
        const __m256i scale = _mm256_broadcastsi128_si256(_mm_cvtepu8_epi16(_mm_cvtsi64_si128((long long)scale_bytes)));
        __m256i total = _mm256_setzero_si256();
        for (int g = 0; g < 4; g++) {
            const __m256i q = _mm256_loadu_si256((const __m256i *)(block + 16 + 32 * g));
            const __m256i low = _mm256_maddubs_epi16(_mm256_and_si256(q, nibble), _mm256_loadu_si256((const __m256i *)(x + 64 * g)));
            const __m256i high = _mm256_maddubs_epi16(_mm256_and_si256(_mm256_srli_epi16(q, 4), nibble),
                                                      _mm256_loadu_si256((const __m256i *)(x + 64 * g + 32)));
            total = _mm256_add_epi32(total, _mm256_madd_epi16(low, _mm256_shuffle_epi8(scale, pick[2 * g])));
            total = _mm256_add_epi32(total, _mm256_madd_epi16(high, _mm256_shuffle_epi8(scale, pick[2 * g + 1])));
        }
        const float dx = scales[b];
        acc = _mm256_fmadd_ps(_mm256_set1_ps(half_to_float(block) * dx), _mm256_cvtepi32_ps(total), acc);
        offsets += half_to_float(block + 2) * dx * (float)minimum;
    }
    return horizontal_sum(acc) - offsets;
}

/// Sixteen int16 lanes: `a` in the low eight, `b` in the high eight (one scale per 16 weights).
static inline __m256i two_scales(int8_t a, int8_t b) {
    return _mm256_set_m128i(_mm_set1_epi16(b), _mm_set1_epi16(a));
}

float rag_q6_K_q8_K_dot(const void *blocks, int count, const int8_t *values, const float *scales, const int16_t *sums16) {
    const uint8_t *block = (const uint8_t *)blocks;
    const __m256i nibble = _mm256_set1_epi8(0x0F), pair = _mm256_set1_epi8(3);
    __m256 acc = _mm256_setzero_ps();
    float offsets = 0;
    for (int b = 0; b < count; b++, block += 210) {
        const int8_t *x = values + 256 * b;
        const int16_t *sums = sums16 + 16 * b;
        const int8_t *scale = (const int8_t *)(block + 192);
        int32_t offset = 0;
        for (int s = 0; s < 16; s++) offset += scale[s] * sums[s];
        __m256i total = _mm256_setzero_si256();
        for (int half = 0; half < 2; half++) {
            const uint8_t *ql = block + 64 * half, *qh = block + 128 + 32 * half;
            const int8_t *sc = scale + 8 * half, *xh = x + 128 * half;
            const __m256i low0 = _mm256_loadu_si256((const __m256i *)ql);
            const __m256i low1 = _mm256_loadu_si256((const __m256i *)(ql + 32));
            const __m256i high = _mm256_loadu_si256((const __m256i *)qh);
            // Weights 0-31, 32-63, 64-95 and 96-127 of this half: a nibble plus two high bits shifted to bit 4.
            const __m256i q1 = _mm256_or_si256(_mm256_and_si256(low0, nibble), _mm256_slli_epi16(_mm256_and_si256(high, pair), 4));
            const __m256i q2 = _mm256_or_si256(_mm256_and_si256(low1, nibble),
                                               _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 2), pair), 4));
            const __m256i q3 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(low0, 4), nibble),
                                               _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 4), pair), 4));
            const __m256i q4 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(low1, 4), nibble),
                                               _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 6), pair), 4));
            const __m256i p1 = _mm256_maddubs_epi16(q1, _mm256_loadu_si256((const __m256i *)xh));
            const __m256i p2 = _mm256_maddubs_epi16(q2, _mm256_loadu_si256((const __m256i *)(xh + 32)));
            const __m256i p3 = _mm256_maddubs_epi16(q3, _mm256_loadu_si256((const __m256i *)(xh + 64)));
            const __m256i p4 = _mm256_maddubs_epi16(q4, _mm256_loadu_si256((const __m256i *)(xh + 96)));
            total = _mm256_add_epi32(total, _mm256_madd_epi16(p1, two_scales(sc[0], sc[1])));
            total = _mm256_add_epi32(total, _mm256_madd_epi16(p2, two_scales(sc[2], sc[3])));
            total = _mm256_add_epi32(total, _mm256_madd_epi16(p3, two_scales(sc[4], sc[5])));
            total = _mm256_add_epi32(total, _mm256_madd_epi16(p4, two_scales(sc[6], sc[7])));
        }
        const float d = half_to_float(block + 208) * scales[b];
        acc = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(total), acc);
        offsets += d * 32.0f * (float)offset;
    }
    return horizontal_sum(acc) - offsets;
}


// The several-vector K-quant kernels: each block's scales and weights are unpacked once, then every vector
// takes exactly the single-vector kernel's steps (same integer sums, same float operations in the same order).

/// The body of both; `q6` (a constant in each caller) picks Q6_K's block layout over Q4_K's.
static inline __attribute__((always_inline)) void k_quant_dots(const int q6, const void *blocks, int count, int vectors,
                                                               const int8_t *values, const float *scales,
                                                               const int16_t *sums16, float *out) {
    const __m256i nibble = _mm256_set1_epi8(0x0F), pair = _mm256_set1_epi8(3);
    const int block_bytes = q6 ? 210 : 144;
    for (int t0 = 0; t0 < vectors; t0 += RAG_DOTS_MAX_VECTORS) {
        const int n = vectors - t0 < RAG_DOTS_MAX_VECTORS ? vectors - t0 : RAG_DOTS_MAX_VECTORS;
        __m256 acc[RAG_DOTS_MAX_VECTORS];
        float offsets[RAG_DOTS_MAX_VECTORS];
        for (int t = 0; t < n; t++) { acc[t] = _mm256_setzero_ps(); offsets[t] = 0; }
        const uint8_t *block = (const uint8_t *)blocks;
        for (int b = 0; b < count; b++, block += block_bytes) {
            // q[k]: weights 32k ..< 32k + 32 as unsigned bytes; sc[k]: their scales as 16 int16 lanes.
            __m256i q[8], sc[8];
            uint8_t scale[8];
            uint64_t min_bytes = 0;
            const int8_t *scale6 = (const int8_t *)(block + 192);
            float d, dmin = 0;
            if (q6) {
                for (int half = 0; half < 2; half++) {
                    const uint8_t *ql = block + 64 * half, *qh = block + 128 + 32 * half;
                    const int8_t *s = scale6 + 8 * half;
                    const __m256i low0 = _mm256_loadu_si256((const __m256i *)ql);
                    const __m256i low1 = _mm256_loadu_si256((const __m256i *)(ql + 32));
                    const __m256i high = _mm256_loadu_si256((const __m256i *)qh);
                    q[4 * half] = _mm256_or_si256(_mm256_and_si256(low0, nibble), _mm256_slli_epi16(_mm256_and_si256(high, pair), 4));
                    q[4 * half + 1] = _mm256_or_si256(_mm256_and_si256(low1, nibble),
                                                      _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 2), pair), 4));
                    q[4 * half + 2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(low0, 4), nibble),
                                                      _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 4), pair), 4));
                    q[4 * half + 3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(low1, 4), nibble),
                                                      _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 6), pair), 4));
                    for (int k = 0; k < 4; k++) sc[4 * half + k] = two_scales(s[2 * k], s[2 * k + 1]);
                }
                d = half_to_float(block + 208);
            } else {
                uint64_t scale_bytes;
                q4_K_scale_words(block + 4, &scale_bytes, &min_bytes);
                memcpy(scale, &scale_bytes, 8);
                for (int g = 0; g < 4; g++) {
                    const __m256i raw = _mm256_loadu_si256((const __m256i *)(block + 16 + 32 * g));
                    q[2 * g] = _mm256_and_si256(raw, nibble);
                    q[2 * g + 1] = _mm256_and_si256(_mm256_srli_epi16(raw, 4), nibble);
                    sc[2 * g] = _mm256_set1_epi16(scale[2 * g]);
                    sc[2 * g + 1] = _mm256_set1_epi16(scale[2 * g + 1]);
                }
                d = half_to_float(block);
                dmin = half_to_float(block + 2);
            }
            for (int t = 0; t < n; t++) {
                const size_t v = (size_t)(t0 + t);
                const int8_t *x = values + v * 256 * count + 256 * b;
                const int16_t *sums = sums16 + v * 16 * count + 16 * b;
                int32_t offset = 0;
                if (q6) {
                    for (int s = 0; s < 16; s++) offset += scale6[s] * sums[s];
                } else {
                    offset = q4_K_minimum(min_bytes, sums);
                }
                __m256i total = _mm256_setzero_si256();
                for (int k = 0; k < 8; k++) {
                    const __m256i p = _mm256_maddubs_epi16(q[k], _mm256_loadu_si256((const __m256i *)(x + 32 * k)));
                    total = _mm256_add_epi32(total, _mm256_madd_epi16(p, sc[k]));
                }
                const float dx = scales[v * count + b], scaled = d * dx;
                acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(scaled), _mm256_cvtepi32_ps(total), acc[t]);
                // Two statements, as in the single-vector kernels, so the compiler fuses each the same way.
                if (q6) {
                    offsets[t] += scaled * 32.0f * (float)offset;
                } else {
                    offsets[t] += dmin * dx * (float)offset;
                }
            }
        }
        for (int t = 0; t < n; t++) out[t0 + t] = horizontal_sum(acc[t]) - offsets[t];
    }
}

void rag_q4_K_q8_K_dots(const void *blocks, int count, int vectors, const int8_t *values, const float *scales,
                        const int16_t *sums16, float *out) {
    k_quant_dots(0, blocks, count, vectors, values, scales, sums16, out);
}

void rag_q6_K_q8_K_dots(const void *blocks, int count, int vectors, const int8_t *values, const float *scales,
                        const int16_t *sums16, float *out) {
    k_quant_dots(1, blocks, count, vectors, values, scales, sums16, out);
}

#else

float rag_q5_0_q8_0_dot(const void *blocks, int count, const int8_t *values, const float *scales) {
    (void)blocks; (void)count; (void)values; (void)scales;
    return 0;  // unreachable: rag_int8_kernels_available() is 0 and callers take their Swift path
}

float rag_q8_0_q8_0_dot(const void *blocks, int count, const int8_t *values, const float *scales) {
    (void)blocks; (void)count; (void)values; (void)scales;
    return 0;
}

float rag_q4_K_q8_K_dot(const void *blocks, int count, const int8_t *values, const float *scales, const int16_t *sums16) {
    (void)blocks; (void)count; (void)values; (void)scales; (void)sums16;
    return 0;
}

float rag_q6_K_q8_K_dot(const void *blocks, int count, const int8_t *values, const float *scales, const int16_t *sums16) {
    (void)blocks; (void)count; (void)values; (void)scales; (void)sums16;
    return 0;
}

void rag_q5_0_q8_0_dots(const void *blocks, int count, int vectors, const int8_t *values, const float *scales, float *out) {
    (void)blocks; (void)count; (void)vectors; (void)values; (void)scales; (void)out;
}

void rag_q8_0_q8_0_dots(const void *blocks, int count, int vectors, const int8_t *values, const float *scales, float *out) {
    (void)blocks; (void)count; (void)vectors; (void)values; (void)scales; (void)out;
}

void rag_q4_K_q8_K_dots(const void *blocks, int count, int vectors, const int8_t *values, const float *scales,
                        const int16_t *sums16, float *out) {
    (void)blocks; (void)count; (void)vectors; (void)values; (void)scales; (void)sums16; (void)out;
}

void rag_q6_K_q8_K_dots(const void *blocks, int count, int vectors, const int8_t *values, const float *scales,
                        const int16_t *sums16, float *out) {
    (void)blocks; (void)count; (void)vectors; (void)values; (void)scales; (void)sums16; (void)out;
}

#endif
