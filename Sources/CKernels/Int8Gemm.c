// The int8 matrix multiply of prefill: weight rows unpacked once per panel into signed bytes with a scale per
// block (and, for Q4_K, an offset), activations quantised per block to unsigned bytes (value + 128), and a
// register-blocked micro-kernel of 4 weight rows × 32 tokens: on AVX-512 VNNI one `vpdpbusd` does 64 byte
// products; on AVX2 `vpmaddubsw` + `vpmaddwd` do 32. See include/CKernels.h for the layouts.

#include "CKernels.h"
#include <string.h>

#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VNNI__) && defined(__F16C__)
#define RAG_INT8_GEMM_VNNI 1
#define RAG_HAVE_INT8_GEMM 1
#elif defined(__AVX2__) && defined(__FMA__) && defined(__F16C__)
#define RAG_INT8_GEMM_VNNI 0
#define RAG_HAVE_INT8_GEMM 1
#else
#define RAG_INT8_GEMM_VNNI 0
#define RAG_HAVE_INT8_GEMM 0
#endif

#if RAG_HAVE_INT8_GEMM
#include "BlockLayouts.h"
#endif

int rag_int8_gemm_available(void) { return RAG_HAVE_INT8_GEMM; }

int rag_int8_gemm_supports(int type) {
    switch (type) {
    case RAG_TYPE_Q4_0: case RAG_TYPE_Q5_0: case RAG_TYPE_Q4_K: case RAG_TYPE_Q6_K:
        return RAG_HAVE_INT8_GEMM;
    case RAG_TYPE_Q8_0:
        // vpmaddubsw sums two byte products in 16 bits: 2·255·127 overflows, so AVX2 leaves Q8_0 to the f32 GEMM.
        return RAG_INT8_GEMM_VNNI;
    default:
        return 0;
    }
}

int rag_int8_block_weights(int type) { return type == RAG_TYPE_Q6_K ? 16 : 32; }

#if RAG_HAVE_INT8_GEMM

int rag_int8_unpack_row(int type, const void *row, int columns, int8_t *values, float *scales, int32_t *sums,
                        float *offsets) {
    const uint8_t *block = (const uint8_t *)row;
    switch (type) {
    case RAG_TYPE_Q4_0:
        for (int b = 0; b < columns / 32; b++, block += 18) {
            scales[b] = half_to_float(block);
            _mm256_storeu_si256((__m256i *)(values + 32 * b), _mm256_sub_epi8(nibbles(block + 2), _mm256_set1_epi8(8)));
        }
        break;
    case RAG_TYPE_Q5_0:
        for (int b = 0; b < columns / 32; b++, block += 22) {
            scales[b] = half_to_float(block);
            _mm256_storeu_si256((__m256i *)(values + 32 * b), q5_0_weights(block));
        }
        break;
    case RAG_TYPE_Q8_0:
        for (int b = 0; b < columns / 32; b++, block += 34) {
            scales[b] = half_to_float(block);
            memcpy(values + 32 * b, block + 2, 32);
        }
        break;
    case RAG_TYPE_Q4_K:
        for (int s = 0; s < columns / 256; s++, block += 144) {
            const float d = half_to_float(block), dmin = half_to_float(block + 2);
            uint8_t scale[8], min[8];
            q4_K_scales(block + 4, scale, min);
            int8_t *v = values + 256 * s;
            for (int g = 0; g < 4; g++) {
                const uint8_t *q = block + 16 + 32 * g;
                for (int j = 0; j < 32; j++) {
                    v[64 * g + j] = (int8_t)(q[j] & 0x0F);
                    v[64 * g + 32 + j] = (int8_t)(q[j] >> 4);
                }
            }
            for (int j = 0; j < 8; j++) {
                scales[8 * s + j] = d * (float)scale[j];
                offsets[8 * s + j] = dmin * (float)min[j];
            }
        }
        break;
    case RAG_TYPE_Q6_K:
        for (int s = 0; s < columns / 256; s++, block += 210) {
            const float d = half_to_float(block + 208);
            const int8_t *scale = (const int8_t *)(block + 192);
            int8_t *v = values + 256 * s;
            for (int half = 0; half < 2; half++) {
                const uint8_t *ql = block + 64 * half, *qh = block + 128 + 32 * half;
                int8_t *out = v + 128 * half;
                for (int j = 0; j < 32; j++) {
                    out[j] = (int8_t)(((ql[j] & 0x0F) | ((qh[j] & 3) << 4)) - 32);
                    out[j + 32] = (int8_t)(((ql[j + 32] & 0x0F) | (((qh[j] >> 2) & 3) << 4)) - 32);
                    out[j + 64] = (int8_t)(((ql[j] >> 4) | (((qh[j] >> 4) & 3) << 4)) - 32);
                    out[j + 96] = (int8_t)(((ql[j + 32] >> 4) | (((qh[j] >> 6) & 3) << 4)) - 32);
                }
            }
            for (int j = 0; j < 16; j++) scales[16 * s + j] = d * (float)scale[j];
        }
        break;
    default:
        return 0;
    }
    const int weights = rag_int8_block_weights(type);
    for (int b = 0; b < columns / weights; b++) {
        int32_t sum = 0;
        for (int j = 0; j < weights; j++) sum += values[weights * b + j];
        sums[b] = sum;
        if (type != RAG_TYPE_Q4_K && offsets) offsets[b] = 0;
    }
    return 1;
}

#if RAG_INT8_GEMM_VNNI

void rag_int8_gemm_4x32(const int8_t *values, int columns, int block_weights, const float *scales,
                        const int32_t *sums, const float *offsets, const uint8_t *x, const float *dx,
                        const float *sx, float *out) {
    const int blocks = columns / block_weights, steps = block_weights / 4;
    const int8_t *w0 = values, *w1 = values + columns, *w2 = values + 2 * columns, *w3 = values + 3 * columns;
    const uint8_t *xa = x, *xb = x + 16 * columns;            // the two groups of 16 tokens
    const float *dxa = dx, *dxb = dx + 16 * blocks;
    const float *sxa = sx, *sxb = sx ? sx + 16 * blocks : 0;
    __m512 acc[4][2];
    for (int r = 0; r < 4; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
    for (int b = 0; b < blocks; b++) {
        __m512i p[4][2];
        for (int r = 0; r < 4; r++) p[r][0] = p[r][1] = _mm512_setzero_si512();
        const int c0 = b * block_weights;
        for (int s = 0; s < steps; s++) {
            const int c = c0 + 4 * s;
            // 16 tokens × 4 consecutive activation bytes, against each row's same 4 weights broadcast.
            const __m512i a = _mm512_loadu_si512((const void *)(xa + 16 * c));
            const __m512i bb = _mm512_loadu_si512((const void *)(xb + 16 * c));
            int32_t q0, q1, q2, q3;
            memcpy(&q0, w0 + c, 4); memcpy(&q1, w1 + c, 4); memcpy(&q2, w2 + c, 4); memcpy(&q3, w3 + c, 4);
            const __m512i v0 = _mm512_set1_epi32(q0), v1 = _mm512_set1_epi32(q1);
            const __m512i v2 = _mm512_set1_epi32(q2), v3 = _mm512_set1_epi32(q3);
            p[0][0] = _mm512_dpbusd_epi32(p[0][0], a, v0); p[0][1] = _mm512_dpbusd_epi32(p[0][1], bb, v0);
            p[1][0] = _mm512_dpbusd_epi32(p[1][0], a, v1); p[1][1] = _mm512_dpbusd_epi32(p[1][1], bb, v1);
            p[2][0] = _mm512_dpbusd_epi32(p[2][0], a, v2); p[2][1] = _mm512_dpbusd_epi32(p[2][1], bb, v2);
            p[3][0] = _mm512_dpbusd_epi32(p[3][0], a, v3); p[3][1] = _mm512_dpbusd_epi32(p[3][1], bb, v3);
        }
        const __m512 da = _mm512_loadu_ps(dxa + 16 * b), db = _mm512_loadu_ps(dxb + 16 * b);
        for (int r = 0; r < 4; r++) {
            // Σ w·x = Σ w·(x + 128) − 128·Σ w, then the block's two scales.
            const __m512i correction = _mm512_set1_epi32(128 * sums[r * blocks + b]);
            const __m512 scale = _mm512_set1_ps(scales[r * blocks + b]);
            const __m512 fa = _mm512_cvtepi32_ps(_mm512_sub_epi32(p[r][0], correction));
            const __m512 fb = _mm512_cvtepi32_ps(_mm512_sub_epi32(p[r][1], correction));
            acc[r][0] = _mm512_fmadd_ps(_mm512_mul_ps(fa, da), scale, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(_mm512_mul_ps(fb, db), scale, acc[r][1]);
        }
        if (offsets) {
            // Q4_K's mins: w = scale·q − offset, so Σ w·x loses offset·Σ x.
            const __m512 sa = _mm512_loadu_ps(sxa + 16 * b), sb = _mm512_loadu_ps(sxb + 16 * b);
            for (int r = 0; r < 4; r++) {
                const __m512 offset = _mm512_set1_ps(offsets[r * blocks + b]);
                acc[r][0] = _mm512_fnmadd_ps(offset, sa, acc[r][0]);
                acc[r][1] = _mm512_fnmadd_ps(offset, sb, acc[r][1]);
            }
        }
    }
    for (int r = 0; r < 4; r++) {
        _mm512_storeu_ps(out + 32 * r, acc[r][0]);
        _mm512_storeu_ps(out + 32 * r + 16, acc[r][1]);
    }
}

#else

/// 4 rows × 8 tokens (one 32-byte lane of each 64-byte step of a group) into out[r·32 + t], `out` already offset
/// to the tokens' first column. 16 ymm registers hold 4 block sums, 4 running totals, two activation steps and
/// their temporaries; every type this path takes keeps two steps' pair sums within 16 bits (|w| ≤ 32:
/// 2·2·255·32 < 32768), so one `vpmaddwd` serves two `vpmaddubsw`.
static void int8_gemm_4x8(const int8_t *values, int columns, int block_weights, const float *scales,
                          const int32_t *sums, const float *offsets, const uint8_t *x, const float *dx,
                          const float *sx, float *out) {
    const int blocks = columns / block_weights, steps = block_weights / 4;
    const int8_t *w[4] = {values, values + columns, values + 2 * columns, values + 3 * columns};
    const __m256i ones = _mm256_set1_epi16(1);
    __m256 acc[4];
    for (int r = 0; r < 4; r++) acc[r] = _mm256_setzero_ps();
    for (int b = 0; b < blocks; b++) {
        __m256i p[4];
        for (int r = 0; r < 4; r++) p[r] = _mm256_setzero_si256();
        const int c0 = b * block_weights;
        for (int s = 0; s < steps; s += 2) {
            const int c = c0 + 4 * s;
            const __m256i a0 = _mm256_loadu_si256((const __m256i *)(x + 16 * c));
            const __m256i a1 = _mm256_loadu_si256((const __m256i *)(x + 16 * (c + 4)));
            for (int r = 0; r < 4; r++) {
                int32_t q0, q1;
                memcpy(&q0, w[r] + c, 4); memcpy(&q1, w[r] + c + 4, 4);
                const __m256i pairs = _mm256_add_epi16(_mm256_maddubs_epi16(a0, _mm256_set1_epi32(q0)),
                                                       _mm256_maddubs_epi16(a1, _mm256_set1_epi32(q1)));
                p[r] = _mm256_add_epi32(p[r], _mm256_madd_epi16(pairs, ones));
            }
        }
        const __m256 d = _mm256_loadu_ps(dx + 16 * b);
        for (int r = 0; r < 4; r++) {
            const __m256i correction = _mm256_set1_epi32(128 * sums[r * blocks + b]);
            const __m256 f = _mm256_cvtepi32_ps(_mm256_sub_epi32(p[r], correction));
            acc[r] = _mm256_fmadd_ps(_mm256_mul_ps(f, d), _mm256_set1_ps(scales[r * blocks + b]), acc[r]);
        }
        if (offsets) {
            const __m256 sum = _mm256_loadu_ps(sx + 16 * b);
            for (int r = 0; r < 4; r++) acc[r] = _mm256_fnmadd_ps(_mm256_set1_ps(offsets[r * blocks + b]), sum, acc[r]);
        }
    }
    for (int r = 0; r < 4; r++) _mm256_storeu_ps(out + 32 * r, acc[r]);
}

void rag_int8_gemm_4x32(const int8_t *values, int columns, int block_weights, const float *scales,
                        const int32_t *sums, const float *offsets, const uint8_t *x, const float *dx,
                        const float *sx, float *out) {
    const int blocks = columns / block_weights;
    for (int group = 0; group < 2; group++) {
        const uint8_t *gx = x + group * 16 * columns;
        const float *gdx = dx + group * 16 * blocks, *gsx = sx ? sx + group * 16 * blocks : 0;
        for (int half = 0; half < 2; half++) {
            // Tokens 8·half … 8·half + 7 of the group: the second 32 bytes of each 64-byte step, and of each
            // block's 16 scales.
            int8_gemm_4x8(values, columns, block_weights, scales, sums, offsets, gx + 32 * half, gdx + 8 * half,
                          gsx ? gsx + 8 * half : 0, out + 16 * group + 8 * half);
        }
    }
}

#endif

#else

int rag_int8_unpack_row(int type, const void *row, int columns, int8_t *values, float *scales, int32_t *sums,
                        float *offsets) {
    (void)type; (void)row; (void)columns; (void)values; (void)scales; (void)sums; (void)offsets;
    return 0;  // unreachable: rag_int8_gemm_available() is 0 and callers take the f32 GEMM
}

void rag_int8_gemm_4x32(const int8_t *values, int columns, int block_weights, const float *scales,
                        const int32_t *sums, const float *offsets, const uint8_t *x, const float *dx,
                        const float *sx, float *out) {
    (void)values; (void)columns; (void)block_weights; (void)scales; (void)sums; (void)offsets;
    (void)x; (void)dx; (void)sx; (void)out;
}

#endif
