// The avx512vnni path (see CAccsimKernels.h): int8 GEMM, requantizer rows, fused Add and max pool
// on AVX-512.
//
// The register tile is 6 rows × 4 blocks of 16 int32 columns (24 zmm accumulators); each step of
// 4 k values loads 4 packed weight vectors, broadcasts 4 bytes of each A row and issues 24
// `vpdpbusd`. `vpdpbusd` (not the saturating `vpdpbusds`) adds the four u8·s8 products (each at
// most 255·128, their sum < 2^17) to the int32 lane with wrap-around, so the result is the exact
// sum modulo 2^32 whatever the order: the reference kernels' result under `wrap`.

#include "CAccsimKernels.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define ACCSIM_HAVE_X86_VNNI 1
#include <immintrin.h>
#define ACCSIM_VNNI_TARGET __attribute__((target("avx512f,avx512bw,avx512vnni")))
#define ACCSIM_AVX512_TARGET __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))
#else
#define ACCSIM_HAVE_X86_VNNI 0
#endif

#if ACCSIM_HAVE_X86_VNNI

enum { MAX_ROWS = 6, MAX_BLOCKS = 4 };

// One register tile: `rows` (1...6) rows × `blocks` (1...4) blocks of 16 columns over all of K.
// Always inlined with constant `rows` and `blocks`, so every (rows, blocks) pair gets its own
// fully unrolled code and the accumulators stay in registers.
static inline ACCSIM_VNNI_TARGET __attribute__((always_inline)) void tile(
    const int rows, const int blocks, const uint8_t *a, size_t lda, const int8_t *b, size_t blockStride,
    size_t quads, const int32_t *offsets, int32_t *c, size_t ldc, __mmask16 lastMask) {
    __m512i acc[MAX_ROWS][MAX_BLOCKS];
    for (int j = 0; j < blocks; j++) {
        __mmask16 mask = (j == blocks - 1) ? lastMask : (__mmask16)0xFFFF;
        __m512i start = offsets ? _mm512_maskz_loadu_epi32(mask, offsets + 16 * j) : _mm512_setzero_si512();
        for (int i = 0; i < rows; i++) acc[i][j] = start;
    }
    for (size_t q = 0; q < quads; q++) {
        __m512i weights[MAX_BLOCKS];
        for (int j = 0; j < blocks; j++) weights[j] = _mm512_loadu_si512((const void *)(b + j * blockStride + q * 64));
        for (int i = 0; i < rows; i++) {
            int32_t word;
            memcpy(&word, a + i * lda + 4 * q, sizeof word);
            __m512i activations = _mm512_set1_epi32(word);
            for (int j = 0; j < blocks; j++) acc[i][j] = _mm512_dpbusd_epi32(acc[i][j], activations, weights[j]);
        }
    }
    for (int i = 0; i < rows; i++) {
        for (int j = 0; j < blocks; j++) {
            __mmask16 mask = (j == blocks - 1) ? lastMask : (__mmask16)0xFFFF;
            _mm512_mask_storeu_epi32(c + i * ldc + 16 * j, mask, acc[i][j]);
        }
    }
}

#define ACCSIM_TILE(R, B) \
    case (R) * 8 + (B): tile(R, B, ap, lda, bp, blockStride, quads, op, cp, ldc, lastMask); break;

ACCSIM_VNNI_TARGET void accsim_gemm_u8s8_vnni(
    const uint8_t *a, size_t lda, const int8_t *b, size_t kp, const int32_t *offsets,
    int32_t *c, size_t ldc, size_t m, size_t n) {
    const size_t quads = kp / 4, blockStride = kp * 16, totalBlocks = (n + 15) / 16;
    for (size_t block0 = 0; block0 < totalBlocks; block0 += MAX_BLOCKS) {
        const int blocks = (int)(totalBlocks - block0 < MAX_BLOCKS ? totalBlocks - block0 : MAX_BLOCKS);
        const size_t lastColumns = n - (block0 + (size_t)blocks - 1) * 16;
        const __mmask16 lastMask = lastColumns >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << lastColumns) - 1);
        const int8_t *bp = b + block0 * blockStride;
        const int32_t *op = offsets ? offsets + block0 * 16 : NULL;
        for (size_t row0 = 0; row0 < m; row0 += MAX_ROWS) {
            const int rows = (int)(m - row0 < MAX_ROWS ? m - row0 : MAX_ROWS);
            const uint8_t *ap = a + row0 * lda;
            int32_t *cp = c + row0 * ldc + block0 * 16;
            switch (rows * 8 + blocks) {
                ACCSIM_TILE(1, 1) ACCSIM_TILE(1, 2) ACCSIM_TILE(1, 3) ACCSIM_TILE(1, 4)
                ACCSIM_TILE(2, 1) ACCSIM_TILE(2, 2) ACCSIM_TILE(2, 3) ACCSIM_TILE(2, 4)
                ACCSIM_TILE(3, 1) ACCSIM_TILE(3, 2) ACCSIM_TILE(3, 3) ACCSIM_TILE(3, 4)
                ACCSIM_TILE(4, 1) ACCSIM_TILE(4, 2) ACCSIM_TILE(4, 3) ACCSIM_TILE(4, 4)
                ACCSIM_TILE(5, 1) ACCSIM_TILE(5, 2) ACCSIM_TILE(5, 3) ACCSIM_TILE(5, 4)
                ACCSIM_TILE(6, 1) ACCSIM_TILE(6, 2) ACCSIM_TILE(6, 3) ACCSIM_TILE(6, 4)
                default: break;
            }
        }
    }
}

// ---- Requantization: 8 lanes of int64 per step (vpmullq, vpsravq), the exact formulas of
// accsim's Requantizer (see FastRequantizer.swift for the scalar twin).

// SaturatingRoundingDoublingHighMul of (int32)(acc << left) and M, as int64 lanes, for
// 0 <= M < 2^31 (the caller guarantees it, as valid TFLite requantizers do): then the one
// saturating case (both operands INT32_MIN) cannot occur. gemmlowp's nudge-and-truncate equals
// floor((p + 2^30) / 2^31) for both signs of the product p (see FastRequantizer.swift).
static inline ACCSIM_AVX512_TARGET __attribute__((always_inline)) __m512i doubling_high_mul(
    __m512i acc, __m512i multiplier, __m512i left) {
    // vpmuldq multiplies the low 32 bits of each lane as signed int32: that is (int32)(acc << left)
    // and M (< 2^31), exactly, in one fast instruction (vpmullq would take several).
    __m512i product = _mm512_mul_epi32(_mm512_sllv_epi64(acc, left), multiplier);
    return _mm512_srai_epi64(_mm512_add_epi64(product, _mm512_set1_epi64(1LL << 30)), 31);
}

static inline ACCSIM_AVX512_TARGET __attribute__((always_inline)) __m512i round_lanes(
    const int mode, __m512i acc, __m512i multiplier, __m512i shift, __m512i aux) {
    const __m512i one = _mm512_set1_epi64(1);
    switch (mode) {
    case ACCSIM_ROUND_HALF_UP:
        return _mm512_srav_epi64(_mm512_add_epi64(_mm512_mullo_epi64(acc, multiplier), aux), shift);
    case ACCSIM_ROUND_FLOOR:
        return _mm512_srav_epi64(_mm512_mullo_epi64(acc, multiplier), shift);
    case ACCSIM_ROUND_HALF_AWAY: {
        __m512i product = _mm512_mullo_epi64(acc, multiplier);
        __m512i sign = _mm512_srai_epi64(product, 63);
        __m512i magnitude = _mm512_sub_epi64(_mm512_xor_si512(product, sign), sign);
        magnitude = _mm512_srav_epi64(_mm512_add_epi64(magnitude, aux), shift);
        return _mm512_sub_epi64(_mm512_xor_si512(magnitude, sign), sign);
    }
    case ACCSIM_ROUND_HALF_EVEN: {
        __m512i product = _mm512_mullo_epi64(acc, multiplier);
        __m512i floorBit = _mm512_and_si512(_mm512_srav_epi64(product, shift), one);
        __m512i rounded = _mm512_srav_epi64(
            _mm512_add_epi64(_mm512_add_epi64(product, _mm512_sub_epi64(aux, one)), floorBit), shift);
        __mmask8 noShift = _mm512_cmpeq_epi64_mask(shift, _mm512_setzero_si512());
        return _mm512_mask_mov_epi64(rounded, noShift, product);
    }
    case ACCSIM_ROUND_TFLITE: {
        // RoundingDivideByPOT: (x + 2^(right-1) - [x < 0 and right > 0]) >> right.
        __m512i x = doubling_high_mul(acc, multiplier, aux);
        __m512i half = _mm512_srli_epi64(_mm512_sllv_epi64(one, shift), 1);
        __m512i negative = _mm512_and_si512(_mm512_srli_epi64(x, 63), _mm512_min_epu64(half, one));
        return _mm512_srav_epi64(_mm512_sub_epi64(_mm512_add_epi64(x, half), negative), shift);
    }
    default: {  // ACCSIM_ROUND_TFLITE_HALF_UP
        __m512i high = doubling_high_mul(acc, multiplier, aux);
        __m512i half = _mm512_srli_epi64(_mm512_sllv_epi64(one, shift), 1);
        return _mm512_srav_epi64(_mm512_add_epi64(high, half), shift);
    }
    }
}

static inline ACCSIM_AVX512_TARGET __attribute__((always_inline)) void requantize_mode(
    const int mode, const int32_t *src, size_t src_stride, int32_t *dst, size_t dst_stride, size_t rows,
    size_t columns, const int64_t *multiplier, const int64_t *shift, const int64_t *aux, int per_channel,
    int64_t zero_point, int64_t lower, int64_t upper) {
    const __m512i zp = _mm512_set1_epi64(zero_point), lo = _mm512_set1_epi64(lower), hi = _mm512_set1_epi64(upper);
    const __m512i m0 = _mm512_set1_epi64(multiplier[0]), s0 = _mm512_set1_epi64(shift[0]), x0 = _mm512_set1_epi64(aux[0]);
    for (size_t r = 0; r < rows; r++) {
        const int32_t *in = src + r * src_stride;
        int32_t *out = dst + r * dst_stride;
        for (size_t j = 0; j < columns; j += 8) {
            const size_t lanes = columns - j < 8 ? columns - j : 8;
            const __mmask8 mask = (__mmask8)((1u << lanes) - 1);
            __m512i acc = _mm512_cvtepi32_epi64(_mm256_maskz_loadu_epi32(mask, in + j));
            __m512i m = m0, s = s0, x = x0;
            if (per_channel) {
                m = _mm512_maskz_loadu_epi64(mask, multiplier + j);
                s = _mm512_maskz_loadu_epi64(mask, shift + j);
                x = _mm512_maskz_loadu_epi64(mask, aux + j);
            }
            __m512i value = _mm512_add_epi64(round_lanes(mode, acc, m, s, x), zp);
            value = _mm512_min_epi64(_mm512_max_epi64(value, lo), hi);
            _mm256_mask_storeu_epi32(out + j, mask, _mm512_cvtepi64_epi32(value));
        }
    }
}

#define ACCSIM_REQUANTIZE_CASE(MODE)                                                                   \
    case MODE:                                                                                         \
        requantize_mode(MODE, src, src_stride, dst, dst_stride, rows, columns, multiplier, shift, aux, \
            per_channel, zero_point, lower, upper);                                                    \
        break;

ACCSIM_AVX512_TARGET void accsim_requantize_avx512(
    int mode, const int32_t *src, size_t src_stride, int32_t *dst, size_t dst_stride, size_t rows, size_t columns,
    const int64_t *multiplier, const int64_t *shift, const int64_t *aux, int per_channel, int64_t zero_point,
    int64_t lower, int64_t upper) {
    switch (mode) {
        ACCSIM_REQUANTIZE_CASE(ACCSIM_ROUND_HALF_UP)
        ACCSIM_REQUANTIZE_CASE(ACCSIM_ROUND_FLOOR)
        ACCSIM_REQUANTIZE_CASE(ACCSIM_ROUND_HALF_AWAY)
        ACCSIM_REQUANTIZE_CASE(ACCSIM_ROUND_HALF_EVEN)
        ACCSIM_REQUANTIZE_CASE(ACCSIM_ROUND_TFLITE)
        ACCSIM_REQUANTIZE_CASE(ACCSIM_ROUND_TFLITE_HALF_UP)
        default: __builtin_trap();
    }
}

// ---- Fused Add: both inputs brought to the common scale, summed and requantized in one pass.

static inline ACCSIM_AVX512_TARGET __attribute__((always_inline)) __m512i narrow_lanes(const int saturate, __m512i v) {
    if (saturate) {
        return _mm512_min_epi64(_mm512_max_epi64(v, _mm512_set1_epi64(INT32_MIN)), _mm512_set1_epi64(INT32_MAX));
    }
    return _mm512_srai_epi64(_mm512_slli_epi64(v, 32), 32);
}

static inline ACCSIM_AVX512_TARGET __attribute__((always_inline)) __m512i add_input_lanes(
    const int mode, const int saturate, const int32_t *q, __mmask8 mask, const accsim_add_input *in) {
    __m512i v = _mm512_cvtepi32_epi64(_mm256_maskz_loadu_epi32(mask, q));
    v = _mm512_sub_epi64(v, _mm512_set1_epi64(in->zero_point));
    v = narrow_lanes(saturate, _mm512_sllv_epi64(v, _mm512_set1_epi64(in->left_shift)));
    if (in->has_rescale) {
        v = round_lanes(mode, v, _mm512_set1_epi64(in->multiplier), _mm512_set1_epi64(in->shift), _mm512_set1_epi64(in->aux));
        v = narrow_lanes(saturate, v);
    }
    return v;
}

static inline ACCSIM_AVX512_TARGET __attribute__((always_inline)) void add_mode(
    const int mode, const int saturate, const int32_t *a, const accsim_add_input *ia, const int32_t *b,
    const accsim_add_input *ib, int32_t *dst, size_t count, int64_t out_multiplier, int64_t out_shift, int64_t out_aux,
    int64_t zero_point, int64_t lower, int64_t upper) {
    const __m512i m = _mm512_set1_epi64(out_multiplier), s = _mm512_set1_epi64(out_shift), x = _mm512_set1_epi64(out_aux);
    const __m512i zp = _mm512_set1_epi64(zero_point), lo = _mm512_set1_epi64(lower), hi = _mm512_set1_epi64(upper);
    for (size_t j = 0; j < count; j += 8) {
        const size_t lanes = count - j < 8 ? count - j : 8;
        const __mmask8 mask = (__mmask8)((1u << lanes) - 1);
        __m512i sum = _mm512_add_epi64(add_input_lanes(mode, saturate, a + j, mask, ia), add_input_lanes(mode, saturate, b + j, mask, ib));
        sum = narrow_lanes(saturate, sum);
        __m512i value = _mm512_add_epi64(round_lanes(mode, sum, m, s, x), zp);
        value = _mm512_min_epi64(_mm512_max_epi64(value, lo), hi);
        _mm256_mask_storeu_epi32(dst + j, mask, _mm512_cvtepi64_epi32(value));
    }
}

#define ACCSIM_ADD_CASE(MODE)                                                                              \
    case MODE:                                                                                             \
        if (saturate) add_mode(MODE, 1, a, input_a, b, input_b, dst, count, out_multiplier, out_shift, out_aux, zero_point, lower, upper); \
        else add_mode(MODE, 0, a, input_a, b, input_b, dst, count, out_multiplier, out_shift, out_aux, zero_point, lower, upper); \
        break;

ACCSIM_AVX512_TARGET void accsim_add_avx512(
    int mode, int saturate, const int32_t *a, const accsim_add_input *input_a, const int32_t *b,
    const accsim_add_input *input_b, int32_t *dst, size_t count, int64_t out_multiplier, int64_t out_shift,
    int64_t out_aux, int64_t zero_point, int64_t lower, int64_t upper) {
    switch (mode) {
        ACCSIM_ADD_CASE(ACCSIM_ROUND_HALF_UP)
        ACCSIM_ADD_CASE(ACCSIM_ROUND_FLOOR)
        ACCSIM_ADD_CASE(ACCSIM_ROUND_HALF_AWAY)
        ACCSIM_ADD_CASE(ACCSIM_ROUND_HALF_EVEN)
        ACCSIM_ADD_CASE(ACCSIM_ROUND_TFLITE)
        ACCSIM_ADD_CASE(ACCSIM_ROUND_TFLITE_HALF_UP)
        default: __builtin_trap();
    }
}

// ---- Max pooling: 16 int32 channels per vpmaxsd, the running maximum kept in registers.

ACCSIM_AVX512_TARGET void accsim_max_pool_avx512(
    const int32_t *src, int32_t *dst, const accsim_pool_geometry *g, size_t first_row, size_t rows,
    int32_t lower, int32_t upper) {
    const __m512i lo = _mm512_set1_epi32(lower), hi = _mm512_set1_epi32(upper);
    const size_t channels = g->channels;
    // One slot per window position, allocated once per call (not per output).
    const int32_t **taps = malloc(sizeof(*taps) * (g->window_height * g->window_width + 1));
    if (taps == NULL) __builtin_trap();
    for (size_t row = first_row; row < first_row + rows; row++) {
        const size_t ox = row % g->out_width, oy = (row / g->out_width) % g->out_height;
        const size_t b = row / (g->out_width * g->out_height);
        int32_t *out = dst + row * channels;
        // The in-image taps, in (ky, kx) order (the order does not matter for a maximum).
        size_t count = 0;
        for (size_t ky = 0; ky < g->window_height; ky++) {
            const ptrdiff_t iy = (ptrdiff_t)(oy * g->stride_height + ky) - (ptrdiff_t)g->pad_top;
            if (iy < 0 || iy >= (ptrdiff_t)g->height) continue;
            for (size_t kx = 0; kx < g->window_width; kx++) {
                const ptrdiff_t ix = (ptrdiff_t)(ox * g->stride_width + kx) - (ptrdiff_t)g->pad_left;
                if (ix < 0 || ix >= (ptrdiff_t)g->width) continue;
                taps[count++] = src + ((b * g->height + (size_t)iy) * g->width + (size_t)ix) * channels;
            }
        }
        if (count == 0) {
            for (size_t c = 0; c < channels; c++) out[c] = lower;
            continue;
        }
        for (size_t c = 0; c < channels; c += 16) {
            const size_t lanes = channels - c < 16 ? channels - c : 16;
            const __mmask16 mask = (__mmask16)((1u << lanes) - 1);
            __m512i best = _mm512_maskz_loadu_epi32(mask, taps[0] + c);
            for (size_t t = 1; t < count; t++) best = _mm512_max_epi32(best, _mm512_maskz_loadu_epi32(mask, taps[t] + c));
            _mm512_mask_storeu_epi32(out + c, mask, _mm512_min_epi32(_mm512_max_epi32(best, lo), hi));
        }
    }
    free(taps);
}

ACCSIM_VNNI_TARGET int64_t accsim_vnni_peak_probe(int64_t iterations) {
    enum { CHAINS = 24 };
    __m512i acc[CHAINS];
    __m512i x = _mm512_set1_epi32(0x01010101), w = _mm512_set1_epi32(0x02020202);
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_setzero_si512();
    for (int64_t round = 0; round < iterations; round++) {
        for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_dpbusd_epi32(acc[i], x, w);
        __asm__ volatile("" : "+v"(x));  // keep the compiler from hoisting or folding the rounds
    }
    __m512i sum = acc[0];
    for (int i = 1; i < CHAINS; i++) sum = _mm512_add_epi32(sum, acc[i]);
    return (int64_t)_mm512_reduce_add_epi32(sum);
}

#endif
