#ifndef RAG_BLOCK_LAYOUTS_H
#define RAG_BLOCK_LAYOUTS_H

// Field readers of ggml's quantised blocks shared by the C kernels (internal: not part of the module's header).

#include <stdint.h>
#include <string.h>
#include <immintrin.h>

/// An f16 field as a float.
static inline float half_to_float(const void *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return _cvtsh_ss(h);
}

/// The 6-bit scales (`scale`) and mins (`min`) of a Q4_K block's eight sub-blocks, unpacked from 12 bytes.
static inline void q4_K_scales(const uint8_t *packed, uint8_t scale[8], uint8_t min[8]) {
    for (int j = 0; j < 4; j++) {
        scale[j] = packed[j] & 63;
        min[j] = packed[j + 4] & 63;
        scale[j + 4] = (packed[j + 8] & 0x0F) | ((packed[j] >> 6) << 4);
        min[j + 4] = (packed[j + 8] >> 4) | ((packed[j + 4] >> 6) << 4);
    }
}

/// 16 bytes of nibbles as 32 bytes 0-15: the low nibbles first (weights 0-15 of a Q4_0/Q5_0 block), then the high.
static inline __m256i nibbles(const uint8_t *bytes) {
    const __m128i packed = _mm_loadu_si128((const __m128i *)bytes), low = _mm_set1_epi8(0x0F);
    return _mm256_set_m128i(_mm_and_si128(_mm_srli_epi16(packed, 4), low), _mm_and_si128(packed, low));
}

#endif
