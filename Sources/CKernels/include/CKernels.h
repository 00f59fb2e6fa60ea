#ifndef RAG_CKERNELS_H
#define RAG_CKERNELS_H

// Int8 dot products of quantised weight blocks with 8-bit activation blocks, written with x86 intrinsics
// because Swift cannot express `vpdpbusd` / `vpmaddubsw` (shared PERF.md §4: pure-Swift int8 reaches ~50% of
// C). Everything else stays in Swift; each function has a Swift reference in the Kernels target and a test
// comparing the two.
//
// Activations are 8-bit blocks split into arrays: `values` (int8, -127...127), `scales` (one f32 per block:
// Q8_0 blocks of 32 for Q5_0/Q8_0 weights, Q8_K blocks of 256 for the K-quants). Weight rows are raw ggml blocks.

#include <stdint.h>

/// A spin-wait hint (`pause` on x86): lets the other hyperthread run and saves power while a worker polls.
static inline void rag_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/// 1 when this build has the kernels below (AVX-512 VNNI, or AVX2), 0 when callers must use their own code.
int rag_int8_kernels_available(void);

/// Σ over `count` Q5_0 blocks (22 bytes: f16 d, u32 fifth bits, 16 nibble bytes) of d·dx·Σ w·x.
float rag_q5_0_q8_0_dot(const void *blocks, int count, const int8_t *values, const float *scales);

/// Σ over `count` Q8_0 blocks (34 bytes: f16 d, 32 int8) of d·dx·Σ w·x.
float rag_q8_0_q8_0_dot(const void *blocks, int count, const int8_t *values, const float *scales);

/// The Q5_0 and Q8_0 products of one weight row with `vectors` activation vectors at once (vector t's values at
/// t·32·count, its scales at t·count), into `out[t]`: each bit-identical to the single-vector function's result.
void rag_q5_0_q8_0_dots(const void *blocks, int count, int vectors, const int8_t *values, const float *scales, float *out);
void rag_q8_0_q8_0_dots(const void *blocks, int count, int vectors, const int8_t *values, const float *scales, float *out);

/// Σ over `count` Q4_K blocks (144 bytes: f16 d, f16 dmin, 12 bytes of 6-bit scales and mins, 128 nibble
/// bytes) against Q8_K activation blocks: 256 `values`, one f32 `scales` entry, and `sums16`, the sum of
/// each 16 consecutive values (16 per block).
float rag_q4_K_q8_K_dot(const void *blocks, int count, const int8_t *values, const float *scales, const int16_t *sums16);

/// The same for Q6_K blocks (210 bytes: 128 low-nibble bytes, 64 bytes of high bit pairs, 16 int8 scales, f16 d).
float rag_q6_K_q8_K_dot(const void *blocks, int count, const int8_t *values, const float *scales, const int16_t *sums16);

/// The Q4_K and Q6_K products of one weight row with `vectors` Q8_K activation vectors at once (vector t's values
/// at t·256·count, its scales at t·count, its sums at t·16·count), into `out[t]`: each bit-identical to the
/// single-vector function's result.
void rag_q4_K_q8_K_dots(const void *blocks, int count, int vectors, const int8_t *values, const float *scales,
                        const int16_t *sums16, float *out);
void rag_q6_K_q8_K_dots(const void *blocks, int count, int vectors, const int8_t *values, const float *scales,
                        const int16_t *sums16, float *out);

// The int8 GEMM of prefill (Int8Gemm.c): AVX-512 VNNI, or AVX2 for every type but Q8_0.
//
// Weights: each row unpacked once per panel into signed bytes `values` (w = scale·value − offset per block of
// `rag_int8_block_weights(type)` weights: 32, or 16 for Q6_K), `scales` and `offsets` per block (offsets are
// Q4_K's mins, 0 for the others) and `sums`, each block's Σ value.
// Activations: per token, bytes u + 128 of a block quantisation x ≈ d·u (−127 ≤ u ≤ 127), packed in groups of 16
// tokens as [column / 4][token][4] (16·columns bytes per group); per group `dx` [block][token], the token's scale
// for each weight block, and `sx` [block][token], d·Σu over the block (for offsets).

enum { RAG_TYPE_Q4_0 = 2, RAG_TYPE_Q5_0 = 6, RAG_TYPE_Q8_0 = 8, RAG_TYPE_Q4_K = 12, RAG_TYPE_Q6_K = 14 };

/// 1 when this build has the int8 GEMM (AVX-512 VNNI or AVX2), 0 when callers must use the f32 GEMM.
int rag_int8_gemm_available(void);

/// 1 when this build's int8 GEMM takes weights of ggml `type`.
int rag_int8_gemm_supports(int type);

/// Weights per scale block of `type` in the unpacked form.
int rag_int8_block_weights(int type);

/// Unpacks one row of `columns` weights of ggml `type` (one of RAG_TYPE_*); 0 if the type has no int8 form.
/// `offsets` may be NULL except for Q4_K.
int rag_int8_unpack_row(int type, const void *row, int columns, int8_t *values, float *scales, int32_t *sums,
                        float *offsets);

/// out[r·32 + t] = row r's product with token t, for 4 unpacked rows (`columns` apart, their scales, sums and
/// offsets `columns / block_weights` apart; `offsets` and `sx` NULL when the rows have none) and two
/// consecutive activation groups (32 tokens).
void rag_int8_gemm_4x32(const int8_t *values, int columns, int block_weights, const float *scales,
                        const int32_t *sums, const float *offsets, const uint8_t *x, const float *dx,
                        const float *sx, float *out);

#endif
