// The depthwise kernel of the x86 paths (see `accsim_depthwise_pairs_avx2` in CAccsimKernels.h):
// one body (x86_depthwise_body.h) instantiated for AVX2 (vpmaddwd + vpaddd on 8 channels),
// AVX-VNNI (vpdpwssd on 8 channels) and AVX-512 VNNI (vpdpwssd on 16 channels). Each int16 pair
// product sum is exact (|x| ≤ 255, |w| < 2^15) and the int32 accumulation wraps, as the reference's.

#include "CAccsimKernels.h"

#include <stddef.h>

void accsim_depthwise_pack_pairs(const int16_t *weights, size_t kh, size_t kw, size_t cp, int32_t *packed) {
    const size_t qw = (kw + 1) / 2;
    for (size_t ky = 0; ky < kh; ky++) {
        for (size_t q = 0; q < qw; q++) {
            const int16_t *w0 = weights + (ky * kw + 2 * q) * cp;
            const int16_t *w1 = 2 * q + 1 < kw ? w0 + cp : NULL;
            int32_t *out = packed + (ky * qw + q) * cp;
            for (size_t c = 0; c < cp; c++) {
                const uint32_t lo = (uint16_t)w0[c], hi = w1 ? (uint16_t)w1[c] : 0;
                out[c] = (int32_t)(lo | hi << 16);
            }
        }
    }
}

void accsim_depthwise_pack_quads(const int16_t *weights, size_t kh, size_t kw, size_t cp, int32_t *packed) {
    const size_t qw = (kw + 3) / 4;
    for (size_t ky = 0; ky < kh; ky++) {
        for (size_t q = 0; q < qw; q++) {
            int32_t *out = packed + (ky * qw + q) * cp;
            for (size_t c = 0; c < cp; c++) {
                uint32_t word = 0;
                for (size_t t = 0; t < 4 && 4 * q + t < kw; t++) {
                    word |= (uint32_t)(uint8_t)(int8_t)weights[(ky * kw + 4 * q + t) * cp + c] << (8 * t);
                }
                out[c] = (int32_t)word;
            }
        }
    }
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

// ---- AVX2 and AVX-VNNI: 8 int32 lanes.

#define DW_VEC __m256i
#define DW_LANES 8
#define dw_load(p) _mm256_loadu_si256((const __m256i *)(p))
#define dw_store(p, v) _mm256_storeu_si256((__m256i *)(p), (v))
#define dw_set1(x) _mm256_set1_epi32(x)
#define dw_pair(lo, hi) _mm256_blend_epi16((lo), _mm256_slli_epi32((hi), 16), 0xAA)

static inline __attribute__((always_inline, target("avx2"))) __m256i dw_load_partial256(
    const int32_t *p, size_t lanes, __m256i fill) {
    const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)lanes), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    return _mm256_blendv_epi8(fill, _mm256_maskload_epi32((const int *)p, mask), mask);
}
#define dw_load_partial(p, lanes, fill) dw_load_partial256((p), (lanes), (fill))

#define DW_NAME(x) x##_avx2
#define DW_TARGET __attribute__((target("avx2")))
#define dw_dot(acc, a, b) _mm256_add_epi32((acc), _mm256_madd_epi16((a), (b)))
#include "x86_depthwise_body.h"
#undef dw_dot

#define dw_srli(v, n) _mm256_srli_epi32((v), (n))
#define dw_slli(v, n) _mm256_slli_epi32((v), (n))
#define dw_or(a, b) _mm256_or_si256((a), (b))
#define dw_xor(a, b) _mm256_xor_si256((a), (b))

// vpdpbusd emulated exactly on AVX2 (bytes 0, 2 and 1, 3 as int16 pairs into vpmaddwd): the quad
// kernel's layout and corrections checked bit for bit on CPUs without VNNI; the avx2 path itself
// runs the pair kernel, which needs fewer instructions there.
typedef struct {
    __m256i even, odd;
} dq_weight_avx2;
static inline __attribute__((always_inline, target("avx2"))) dq_weight_avx2 dq_weight_split(__m256i w) {
    const dq_weight_avx2 split = {_mm256_srai_epi16(_mm256_slli_epi16(w, 8), 8), _mm256_srai_epi16(w, 8)};
    return split;
}
static inline __attribute__((always_inline, target("avx2"))) __m256i dq_dot_emulated(
    __m256i acc, __m256i q, dq_weight_avx2 w) {
    const __m256i even = _mm256_madd_epi16(_mm256_and_si256(q, _mm256_set1_epi32(0x00FF00FF)), w.even);
    return _mm256_add_epi32(_mm256_add_epi32(acc, even), _mm256_madd_epi16(_mm256_srli_epi16(q, 8), w.odd));
}
#define DQ_NAME(x) x##_avx2
#define DQ_WEIGHT dq_weight_avx2
#define dq_weight(v) dq_weight_split(v)
#define dq_dot(acc, q, w) dq_dot_emulated((acc), (q), (w))
#include "x86_depthwise_quads.h"
#undef DQ_NAME
#undef DQ_WEIGHT
#undef dq_weight
#undef dq_dot
#undef DW_NAME
#undef DW_TARGET

#define DW_NAME(x) x##_avxvnni
#define DW_TARGET __attribute__((target("avx2,avxvnni")))
#define dw_dot(acc, a, b) _mm256_dpwssd_avx_epi32((acc), (a), (b))
#include "x86_depthwise_body.h"
#define DQ_NAME(x) x##_avxvnni
#define DQ_WEIGHT __m256i
#define dq_weight(v) (v)
#define dq_dot(acc, q, w) _mm256_dpbusd_avx_epi32((acc), (q), (w))
#include "x86_depthwise_quads.h"
#undef DQ_NAME
#undef DQ_WEIGHT
#undef dq_weight
#undef dq_dot
#undef DW_NAME
#undef DW_TARGET
#undef dw_dot
#undef dw_srli
#undef dw_slli
#undef dw_or
#undef dw_xor

#undef DW_VEC
#undef DW_LANES
#undef dw_load
#undef dw_store
#undef dw_set1
#undef dw_pair
#undef dw_load_partial

// ---- AVX-512 VNNI: 16 int32 lanes.

#define DW_VEC __m512i
#define DW_LANES 16
#define dw_load(p) _mm512_loadu_si512((const void *)(p))
#define dw_store(p, v) _mm512_storeu_si512((void *)(p), (v))
#define dw_set1(x) _mm512_set1_epi32(x)
#define dw_pair(lo, hi) _mm512_mask_blend_epi16(0xAAAAAAAAu, (lo), _mm512_slli_epi32((hi), 16))
#define dw_load_partial(p, lanes, fill) \
    _mm512_mask_loadu_epi32((fill), (__mmask16)((1u << (lanes)) - 1u), (const void *)(p))
#define DW_NAME(x) x##_avx512vnni
#define DW_TARGET __attribute__((target("avx512f,avx512bw,avx512vnni")))
#define dw_dot(acc, a, b) _mm512_dpwssd_epi32((acc), (a), (b))
#include "x86_depthwise_body.h"

#define dw_srli(v, n) _mm512_srli_epi32((v), (n))
#define dw_slli(v, n) _mm512_slli_epi32((v), (n))
#define dw_or(a, b) _mm512_or_si512((a), (b))
#define dw_xor(a, b) _mm512_xor_si512((a), (b))
#define DQ_NAME(x) x##_avx512vnni
#define DQ_WEIGHT __m512i
#define dq_weight(v) (v)
#define dq_dot(acc, q, w) _mm512_dpbusd_epi32((acc), (q), (w))
#include "x86_depthwise_quads.h"

#endif
