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

#endif
