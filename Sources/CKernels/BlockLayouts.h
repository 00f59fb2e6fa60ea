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

/// The 6-bit scales and mins of a Q4_K block's eight sub-blocks, unpacked from 12 bytes as two words of eight
/// bytes each (sub-block j in byte j). Bytes 0-3 hold the low 6 bits of scales 0-3 and, in their top 2 bits, the
/// high bits of scales 4-7; bytes 4-7 the same for the mins; bytes 8-11 the low 4 bits of scales (low nibble) and
/// mins (high nibble) 4-7. Four bytes at a time, so a dot product's per-block unpacking is a dozen instructions.
static inline void q4_K_scale_words(const uint8_t *packed, uint64_t *scales, uint64_t *mins) {
    uint32_t a, b, c;
    memcpy(&a, packed, 4); memcpy(&b, packed + 4, 4); memcpy(&c, packed + 8, 4);
    const uint32_t six = 0x3F3F3F3Fu, four = 0x0F0F0F0Fu, two = 0x03030303u;
    const uint32_t high_scales = (c & four) | (((a >> 6) & two) << 4);
    const uint32_t high_mins = ((c >> 4) & four) | (((b >> 6) & two) << 4);
    *scales = (uint64_t)(a & six) | ((uint64_t)high_scales << 32);
    *mins = (uint64_t)(b & six) | ((uint64_t)high_mins << 32);
}

/// The same as arrays: `scale[j]` and `min[j]` for sub-block j.
static inline void q4_K_scales(const uint8_t *packed, uint8_t scale[8], uint8_t min[8]) {
    uint64_t scales, mins;
    q4_K_scale_words(packed, &scales, &mins);
    memcpy(scale, &scales, 8);
    memcpy(min, &mins, 8);
}

/// 16 bytes of nibbles as 32 bytes 0-15: the low nibbles first (weights 0-15 of a Q4_0/Q5_0 block), then the high.
static inline __m256i nibbles(const uint8_t *bytes) {
    // Both halves hold the 16 bytes; the upper half's 64-bit lanes shift right by 4, so after the mask each of
    // its bytes keeps its own high nibble (the bits shifted in from the next byte are masked off).
    const __m256i both = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)bytes));
    return _mm256_and_si256(_mm256_srlv_epi64(both, _mm256_set_epi64x(4, 4, 0, 0)), _mm256_set1_epi8(0x0F));
}

#if !(defined(__AVX512BW__) && defined(__AVX512VL__))
/// 0xFF in byte i where bit i of `bits` is set, else 0 (AVX2 only: AVX-512 builds use the bits as a mask register).
static inline __m256i byte_mask_from_bits(uint32_t bits) {
    // Byte i takes byte i/8 of `bits` (the shuffle works within 128-bit lanes, each holding all four bytes),
    // then keeps only its own bit i%8.
    const __m256i which_byte = _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202,
                                                 0x0101010101010101, 0x0000000000000000);
    const __m256i own_bit = _mm256_set1_epi64x((long long)0x8040201008040201ULL);
    const __m256i spread = _mm256_shuffle_epi8(_mm256_set1_epi32((int)bits), which_byte);
    return _mm256_cmpeq_epi8(_mm256_and_si256(spread, own_bit), own_bit);
}
#endif

/// The 32 weights of a Q5_0 block as signed bytes -16...15, in order (low nibbles are weights 0-15).
static inline __m256i q5_0_weights(const uint8_t *block) {
    uint32_t fifth;
    memcpy(&fifth, block + 2, 4);
    const __m256i q = nibbles(block + 6);
#if defined(__AVX512BW__) && defined(__AVX512VL__)
    // w = q + 16·fifth − 16: q where the fifth bit is set, q − 16 where it is clear, in one masked subtract.
    return _mm256_mask_sub_epi8(q, (__mmask32)~fifth, q, _mm256_set1_epi8(16));
#else
    const __m256i high = _mm256_and_si256(byte_mask_from_bits(fifth), _mm256_set1_epi8(0x10));
    return _mm256_sub_epi8(_mm256_or_si256(q, high), _mm256_set1_epi8(16));
#endif
}

#endif
