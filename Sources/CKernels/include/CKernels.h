#ifndef RAG_CKERNELS_H
#define RAG_CKERNELS_H

// Int8 dot products of quantised weight blocks with 8-bit activation blocks, written with x86 intrinsics
// because Swift cannot express `vpdpbusd` / `vpmaddubsw` (shared PERF.md §4: pure-Swift int8 reaches ~50% of
// C). Everything else stays in Swift; each function has a Swift reference in the Kernels target and a test
// comparing the two.
//
// Activations are ggml Q8_0 blocks split into two arrays: `values` (32 int8 per block, -127...127) and
// `scales` (one f32 per block). Weight rows are the raw ggml blocks.

#include <stdint.h>

/// 1 when this build has the kernels below (AVX-512 VNNI, or AVX2), 0 when callers must use their own code.
int rag_int8_kernels_available(void);

/// Σ over `count` Q5_0 blocks (22 bytes: f16 d, u32 fifth bits, 16 nibble bytes) of d·dx·Σ w·x.
float rag_q5_0_q8_0_dot(const void *blocks, int count, const int8_t *values, const float *scales);

/// Σ over `count` Q8_0 blocks (34 bytes: f16 d, 32 int8) of d·dx·Σ w·x.
float rag_q8_0_q8_0_dot(const void *blocks, int count, const int8_t *values, const float *scales);

#endif
