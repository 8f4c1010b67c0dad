// The avx2 and avxvnni paths (see CAccsimKernels.h): the int8 GEMM on 256-bit registers, AVX2
// requantizer rows, fused Add and max pool on 64-bit lanes.
//
// The AVX2 GEMM is exact: it widens both operands to 16 bits (vpmovzxbw / vpmovsxbw) and
// multiplies adjacent pairs with vpmaddwd, whose int32 pair sums (at most 2·255·128) cannot
// overflow. vpmaddubsw, the usual AVX2 u8·s8 instruction, saturates its int16 pair sums and would
// differ from the reference. AVX-VNNI has the 256-bit vpdpbusd (VEX encoding) and uses the same
// packed weights as AVX-512 VNNI.

#include "CAccsimKernels.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define AVX2_TARGET __attribute__((target("avx2")))
#define AVXVNNI_TARGET __attribute__((target("avx2,avxvnni")))
#define INLINE static inline __attribute__((always_inline))

// ---- GEMM, AVX2: tiles of up to 6 rows × 8 columns (one half of a packed 16-column block).
//
// For one group of 4 k, the 32 bytes of the half hold columns 0-7 × k0..k3. Each 16-byte half
// widened to int16 is 4 columns × 4 k; the A row's 4 bytes widened and repeated (a0 a1 a2 a3 ×4)
// make vpmaddwd produce, per column, two int32 lanes (k0+k1 and k2+k3). Two accumulators (columns
// 0-3 and 4-7) per row; vphaddd + vpermq fold the lane pairs at the end.

enum { AVX2_ROWS = 6 };

INLINE AVX2_TARGET __m256i column_mask(size_t columns) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)columns), lanes);
}

INLINE AVX2_TARGET void avx2_tile(
    const int rows, const uint8_t *a, size_t lda, const int8_t *b, size_t quads, const int32_t *offsets,
    int32_t *c, size_t ldc, size_t columns) {
    __m256i lo[AVX2_ROWS], hi[AVX2_ROWS];
    for (int i = 0; i < rows; i++) lo[i] = hi[i] = _mm256_setzero_si256();
    for (size_t q = 0; q < quads; q++) {
        const __m256i w_lo = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(b + q * 64)));
        const __m256i w_hi = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(b + q * 64 + 16)));
        for (int i = 0; i < rows; i++) {
            int32_t word;
            memcpy(&word, a + i * lda + 4 * q, sizeof word);
            const __m256i x = _mm256_cvtepu8_epi16(_mm_set1_epi32(word));
            lo[i] = _mm256_add_epi32(lo[i], _mm256_madd_epi16(x, w_lo));
            hi[i] = _mm256_add_epi32(hi[i], _mm256_madd_epi16(x, w_hi));
        }
    }
    const __m256i mask = column_mask(columns);
    const __m256i start = offsets ? _mm256_maskload_epi32(offsets, mask) : _mm256_setzero_si256();
    for (int i = 0; i < rows; i++) {
        // hadd: [c0 c1 c4 c5 | c2 c3 c6 c7]; vpermq 0xD8 puts the 64-bit pairs in column order.
        __m256i sums = _mm256_permute4x64_epi64(_mm256_hadd_epi32(lo[i], hi[i]), 0xD8);
        _mm256_maskstore_epi32(c + i * ldc, mask, _mm256_add_epi32(sums, start));
    }
}

AVX2_TARGET void accsim_gemm_u8s8_avx2(
    const uint8_t *a, size_t lda, const int8_t *b, size_t kp, const int32_t *offsets,
    int32_t *c, size_t ldc, size_t m, size_t n) {
    const size_t quads = kp / 4, blockStride = kp * 16;
    for (size_t column = 0; column < n; column += 8) {
        const int8_t *bp = b + (column / 16) * blockStride + (column % 16 ? 32 : 0);
        const size_t columns = n - column < 8 ? n - column : 8;
        const int32_t *op = offsets ? offsets + column : NULL;
        for (size_t row0 = 0; row0 < m; row0 += AVX2_ROWS) {
            const int rows = (int)(m - row0 < AVX2_ROWS ? m - row0 : AVX2_ROWS);
            const uint8_t *ap = a + row0 * lda;
            int32_t *cp = c + row0 * ldc + column;
            switch (rows) {
            case 1: avx2_tile(1, ap, lda, bp, quads, op, cp, ldc, columns); break;
            case 2: avx2_tile(2, ap, lda, bp, quads, op, cp, ldc, columns); break;
            case 3: avx2_tile(3, ap, lda, bp, quads, op, cp, ldc, columns); break;
            case 4: avx2_tile(4, ap, lda, bp, quads, op, cp, ldc, columns); break;
            case 5: avx2_tile(5, ap, lda, bp, quads, op, cp, ldc, columns); break;
            default: avx2_tile(6, ap, lda, bp, quads, op, cp, ldc, columns); break;
            }
        }
    }
}

// ---- GEMM, AVX-VNNI: tiles of up to 6 rows × one packed block of 16 columns (two ymm halves).

INLINE AVXVNNI_TARGET void avxvnni_tile(
    const int rows, const uint8_t *a, size_t lda, const int8_t *b, size_t quads, const int32_t *offsets,
    int32_t *c, size_t ldc, size_t columns) {
    __m256i acc[AVX2_ROWS][2];
    for (int i = 0; i < rows; i++) acc[i][0] = acc[i][1] = _mm256_setzero_si256();
    for (size_t q = 0; q < quads; q++) {
        const __m256i w0 = _mm256_loadu_si256((const __m256i *)(b + q * 64));
        const __m256i w1 = _mm256_loadu_si256((const __m256i *)(b + q * 64 + 32));
        for (int i = 0; i < rows; i++) {
            int32_t word;
            memcpy(&word, a + i * lda + 4 * q, sizeof word);
            const __m256i x = _mm256_set1_epi32(word);
            acc[i][0] = _mm256_dpbusd_avx_epi32(acc[i][0], x, w0);
            acc[i][1] = _mm256_dpbusd_avx_epi32(acc[i][1], x, w1);
        }
    }
    const __m256i mask0 = column_mask(columns), mask1 = column_mask(columns > 8 ? columns - 8 : 0);
    const __m256i start0 = offsets ? _mm256_maskload_epi32(offsets, mask0) : _mm256_setzero_si256();
    const __m256i start1 = offsets ? _mm256_maskload_epi32(offsets + 8, mask1) : _mm256_setzero_si256();
    for (int i = 0; i < rows; i++) {
        _mm256_maskstore_epi32(c + i * ldc, mask0, _mm256_add_epi32(acc[i][0], start0));
        _mm256_maskstore_epi32(c + i * ldc + 8, mask1, _mm256_add_epi32(acc[i][1], start1));
    }
}

AVXVNNI_TARGET void accsim_gemm_u8s8_avxvnni(
    const uint8_t *a, size_t lda, const int8_t *b, size_t kp, const int32_t *offsets,
    int32_t *c, size_t ldc, size_t m, size_t n) {
    const size_t quads = kp / 4, blockStride = kp * 16;
    for (size_t column = 0; column < n; column += 16) {
        const int8_t *bp = b + (column / 16) * blockStride;
        const size_t columns = n - column < 16 ? n - column : 16;
        const int32_t *op = offsets ? offsets + column : NULL;
        for (size_t row0 = 0; row0 < m; row0 += AVX2_ROWS) {
            const int rows = (int)(m - row0 < AVX2_ROWS ? m - row0 : AVX2_ROWS);
            const uint8_t *ap = a + row0 * lda;
            int32_t *cp = c + row0 * ldc + column;
            switch (rows) {
            case 1: avxvnni_tile(1, ap, lda, bp, quads, op, cp, ldc, columns); break;
            case 2: avxvnni_tile(2, ap, lda, bp, quads, op, cp, ldc, columns); break;
            case 3: avxvnni_tile(3, ap, lda, bp, quads, op, cp, ldc, columns); break;
            case 4: avxvnni_tile(4, ap, lda, bp, quads, op, cp, ldc, columns); break;
            case 5: avxvnni_tile(5, ap, lda, bp, quads, op, cp, ldc, columns); break;
            default: avxvnni_tile(6, ap, lda, bp, quads, op, cp, ldc, columns); break;
            }
        }
    }
}

// ---- Requantization on 4 int64 lanes: the formulas of x86_avx512.c with AVX2's missing 64-bit
// operations (arithmetic shifts, min/max, narrowing) built from the ones it has.

// x >> n (arithmetic, per lane): shift the value with its sign flipped logically, flip back.
INLINE AVX2_TARGET __m256i sra64(__m256i x, __m256i n) {
    const __m256i sign = _mm256_cmpgt_epi64(_mm256_setzero_si256(), x);
    return _mm256_xor_si256(_mm256_srlv_epi64(_mm256_xor_si256(x, sign), n), sign);
}

INLINE AVX2_TARGET __m256i max64(__m256i a, __m256i b) { return _mm256_blendv_epi8(a, b, _mm256_cmpgt_epi64(b, a)); }
INLINE AVX2_TARGET __m256i min64(__m256i a, __m256i b) { return _mm256_blendv_epi8(a, b, _mm256_cmpgt_epi64(a, b)); }

// SRDHM of (int32)(acc << left) and M (0 <= M < 2^31): vpmuldq reads the low 32 bits as signed.
INLINE AVX2_TARGET __m256i avx2_doubling_high_mul(__m256i acc, __m256i multiplier, __m256i left) {
    const __m256i product = _mm256_mul_epi32(_mm256_sllv_epi64(acc, left), multiplier);
    return sra64(_mm256_add_epi64(product, _mm256_set1_epi64x(1LL << 30)), _mm256_set1_epi64x(31));
}

INLINE AVX2_TARGET __m256i avx2_round(const int mode, __m256i acc, __m256i multiplier, __m256i shift, __m256i aux) {
    const __m256i one = _mm256_set1_epi64x(1), zero = _mm256_setzero_si256();
    switch (mode) {
    case ACCSIM_ROUND_HALF_UP:
        return sra64(_mm256_add_epi64(_mm256_mul_epi32(acc, multiplier), aux), shift);
    case ACCSIM_ROUND_FLOOR:
        return sra64(_mm256_mul_epi32(acc, multiplier), shift);
    case ACCSIM_ROUND_HALF_AWAY: {
        const __m256i product = _mm256_mul_epi32(acc, multiplier);
        const __m256i sign = _mm256_cmpgt_epi64(zero, product);
        __m256i magnitude = _mm256_sub_epi64(_mm256_xor_si256(product, sign), sign);
        magnitude = _mm256_srlv_epi64(_mm256_add_epi64(magnitude, aux), shift);
        return _mm256_sub_epi64(_mm256_xor_si256(magnitude, sign), sign);
    }
    case ACCSIM_ROUND_HALF_EVEN: {
        const __m256i product = _mm256_mul_epi32(acc, multiplier);
        const __m256i floorBit = _mm256_and_si256(_mm256_srlv_epi64(product, shift), one);
        const __m256i rounded = sra64(
            _mm256_add_epi64(_mm256_add_epi64(product, _mm256_sub_epi64(aux, one)), floorBit), shift);
        return _mm256_blendv_epi8(rounded, product, _mm256_cmpeq_epi64(shift, zero));
    }
    case ACCSIM_ROUND_TFLITE: {
        const __m256i x = avx2_doubling_high_mul(acc, multiplier, aux);
        const __m256i half = _mm256_srli_epi64(_mm256_sllv_epi64(one, shift), 1);
        const __m256i nonZeroShift = _mm256_andnot_si256(_mm256_cmpeq_epi64(half, zero), one);
        const __m256i negative = _mm256_and_si256(_mm256_srli_epi64(x, 63), nonZeroShift);
        return sra64(_mm256_sub_epi64(_mm256_add_epi64(x, half), negative), shift);
    }
    default: {  // ACCSIM_ROUND_TFLITE_HALF_UP
        const __m256i high = avx2_doubling_high_mul(acc, multiplier, aux);
        const __m256i half = _mm256_srli_epi64(_mm256_sllv_epi64(one, shift), 1);
        return sra64(_mm256_add_epi64(high, half), shift);
    }
    }
}

// The low 32 bits of each 64-bit lane, packed into 4 int32.
INLINE AVX2_TARGET __m128i low_halves(__m256i v) {
    return _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(v, _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6)));
}

INLINE AVX2_TARGET __m128i lane_mask4(size_t lanes) {
    return _mm_cmpgt_epi32(_mm_set1_epi32((int)lanes), _mm_setr_epi32(0, 1, 2, 3));
}

INLINE AVX2_TARGET __m256i lane_mask4x64(size_t lanes) {
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)lanes), _mm256_setr_epi64x(0, 1, 2, 3));
}

INLINE AVX2_TARGET void avx2_requantize_mode(
    const int mode, const int32_t *src, size_t src_stride, int32_t *dst, size_t dst_stride, size_t rows,
    size_t columns, const int64_t *multiplier, const int64_t *shift, const int64_t *aux, int per_channel,
    int64_t zero_point, int64_t lower, int64_t upper) {
    const __m256i zp = _mm256_set1_epi64x(zero_point), lo = _mm256_set1_epi64x(lower), hi = _mm256_set1_epi64x(upper);
    const __m256i m0 = _mm256_set1_epi64x(multiplier[0]), s0 = _mm256_set1_epi64x(shift[0]);
    const __m256i x0 = _mm256_set1_epi64x(aux[0]);
    for (size_t r = 0; r < rows; r++) {
        const int32_t *in = src + r * src_stride;
        int32_t *out = dst + r * dst_stride;
        for (size_t j = 0; j < columns; j += 4) {
            const size_t lanes = columns - j < 4 ? columns - j : 4;
            const __m128i mask = lane_mask4(lanes);
            const __m256i acc = _mm256_cvtepi32_epi64(
                lanes == 4 ? _mm_loadu_si128((const __m128i *)(in + j)) : _mm_maskload_epi32(in + j, mask));
            __m256i m = m0, s = s0, x = x0;
            if (per_channel) {
                const __m256i mask64 = lane_mask4x64(lanes);
                m = _mm256_maskload_epi64((const long long *)(multiplier + j), mask64);
                s = _mm256_maskload_epi64((const long long *)(shift + j), mask64);
                x = _mm256_maskload_epi64((const long long *)(aux + j), mask64);
            }
            __m256i value = _mm256_add_epi64(avx2_round(mode, acc, m, s, x), zp);
            value = min64(max64(value, lo), hi);
            if (lanes == 4) {
                _mm_storeu_si128((__m128i *)(out + j), low_halves(value));
            } else {
                _mm_maskstore_epi32(out + j, mask, low_halves(value));
            }
        }
    }
}

#define AVX2_REQUANTIZE_CASE(MODE)                                                                        \
    case MODE:                                                                                            \
        avx2_requantize_mode(MODE, src, src_stride, dst, dst_stride, rows, columns, multiplier, shift, aux, \
            per_channel, zero_point, lower, upper);                                                       \
        break;

AVX2_TARGET void accsim_requantize_avx2(
    int mode, const int32_t *src, size_t src_stride, int32_t *dst, size_t dst_stride, size_t rows, size_t columns,
    const int64_t *multiplier, const int64_t *shift, const int64_t *aux, int per_channel, int64_t zero_point,
    int64_t lower, int64_t upper) {
    switch (mode) {
        AVX2_REQUANTIZE_CASE(ACCSIM_ROUND_HALF_UP)
        AVX2_REQUANTIZE_CASE(ACCSIM_ROUND_FLOOR)
        AVX2_REQUANTIZE_CASE(ACCSIM_ROUND_HALF_AWAY)
        AVX2_REQUANTIZE_CASE(ACCSIM_ROUND_HALF_EVEN)
        AVX2_REQUANTIZE_CASE(ACCSIM_ROUND_TFLITE)
        AVX2_REQUANTIZE_CASE(ACCSIM_ROUND_TFLITE_HALF_UP)
        default: __builtin_trap();
    }
}

// ---- Fused Add on 4 int64 lanes (see accsim_add_avx512).

INLINE AVX2_TARGET __m256i avx2_narrow(const int saturate, __m256i v) {
    if (saturate) return min64(max64(v, _mm256_set1_epi64x(INT32_MIN)), _mm256_set1_epi64x(INT32_MAX));
    // Sign-extend the low 32 bits: the high dword takes the low dword's sign.
    return _mm256_blend_epi32(v, _mm256_srai_epi32(_mm256_shuffle_epi32(v, 0xA0), 31), 0xAA);
}

INLINE AVX2_TARGET __m256i avx2_add_input(
    const int mode, const int saturate, const int32_t *q, size_t lanes, const accsim_add_input *in) {
    __m256i v = _mm256_cvtepi32_epi64(
        lanes == 4 ? _mm_loadu_si128((const __m128i *)q) : _mm_maskload_epi32(q, lane_mask4(lanes)));
    v = _mm256_sub_epi64(v, _mm256_set1_epi64x(in->zero_point));
    v = avx2_narrow(saturate, _mm256_sllv_epi64(v, _mm256_set1_epi64x(in->left_shift)));
    if (in->has_rescale) {
        v = avx2_round(mode, v, _mm256_set1_epi64x(in->multiplier), _mm256_set1_epi64x(in->shift),
            _mm256_set1_epi64x(in->aux));
        v = avx2_narrow(saturate, v);
    }
    return v;
}

INLINE AVX2_TARGET void avx2_add_mode(
    const int mode, const int saturate, const int32_t *a, const accsim_add_input *ia, const int32_t *b,
    const accsim_add_input *ib, int32_t *dst, size_t count, int64_t out_multiplier, int64_t out_shift,
    int64_t out_aux, int64_t zero_point, int64_t lower, int64_t upper) {
    const __m256i m = _mm256_set1_epi64x(out_multiplier), s = _mm256_set1_epi64x(out_shift);
    const __m256i x = _mm256_set1_epi64x(out_aux), zp = _mm256_set1_epi64x(zero_point);
    const __m256i lo = _mm256_set1_epi64x(lower), hi = _mm256_set1_epi64x(upper);
    for (size_t j = 0; j < count; j += 4) {
        const size_t lanes = count - j < 4 ? count - j : 4;
        __m256i sum = _mm256_add_epi64(
            avx2_add_input(mode, saturate, a + j, lanes, ia), avx2_add_input(mode, saturate, b + j, lanes, ib));
        sum = avx2_narrow(saturate, sum);
        __m256i value = _mm256_add_epi64(avx2_round(mode, sum, m, s, x), zp);
        value = min64(max64(value, lo), hi);
        if (lanes == 4) {
            _mm_storeu_si128((__m128i *)(dst + j), low_halves(value));
        } else {
            _mm_maskstore_epi32(dst + j, lane_mask4(lanes), low_halves(value));
        }
    }
}

#define AVX2_ADD_CASE(MODE)                                                                                   \
    case MODE:                                                                                                \
        if (saturate)                                                                                         \
            avx2_add_mode(MODE, 1, a, input_a, b, input_b, dst, count, out_multiplier, out_shift, out_aux,    \
                zero_point, lower, upper);                                                                    \
        else                                                                                                  \
            avx2_add_mode(MODE, 0, a, input_a, b, input_b, dst, count, out_multiplier, out_shift, out_aux,    \
                zero_point, lower, upper);                                                                    \
        break;

AVX2_TARGET void accsim_add_avx2(
    int mode, int saturate, const int32_t *a, const accsim_add_input *input_a, const int32_t *b,
    const accsim_add_input *input_b, int32_t *dst, size_t count, int64_t out_multiplier, int64_t out_shift,
    int64_t out_aux, int64_t zero_point, int64_t lower, int64_t upper) {
    switch (mode) {
        AVX2_ADD_CASE(ACCSIM_ROUND_HALF_UP)
        AVX2_ADD_CASE(ACCSIM_ROUND_FLOOR)
        AVX2_ADD_CASE(ACCSIM_ROUND_HALF_AWAY)
        AVX2_ADD_CASE(ACCSIM_ROUND_HALF_EVEN)
        AVX2_ADD_CASE(ACCSIM_ROUND_TFLITE)
        AVX2_ADD_CASE(ACCSIM_ROUND_TFLITE_HALF_UP)
        default: __builtin_trap();
    }
}

// ---- Max pooling, 8 int32 channels per vpmaxsd.

AVX2_TARGET void accsim_max_pool_avx2(
    const int32_t *src, int32_t *dst, const accsim_pool_geometry *g, size_t first_row, size_t rows,
    int32_t lower, int32_t upper) {
    const __m256i lo = _mm256_set1_epi32(lower), hi = _mm256_set1_epi32(upper);
    const size_t channels = g->channels;
    const int32_t **taps = malloc(sizeof(*taps) * (g->window_height * g->window_width + 1));
    if (taps == NULL) __builtin_trap();
    for (size_t row = first_row; row < first_row + rows; row++) {
        const size_t ox = row % g->out_width, oy = (row / g->out_width) % g->out_height;
        const size_t b = row / (g->out_width * g->out_height);
        int32_t *out = dst + row * channels;
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
        for (size_t c = 0; c < channels; c += 8) {
            const size_t lanes = channels - c < 8 ? channels - c : 8;
            const __m256i mask = column_mask(lanes);
            __m256i best = _mm256_maskload_epi32(taps[0] + c, mask);
            for (size_t t = 1; t < count; t++) best = _mm256_max_epi32(best, _mm256_maskload_epi32(taps[t] + c, mask));
            _mm256_maskstore_epi32(out + c, mask, _mm256_min_epi32(_mm256_max_epi32(best, lo), hi));
        }
    }
    free(taps);
}

// ---- Depthwise convolution: 16 channels across the lanes, two taps per vpmaddwd.
//
// Taps are taken in pairs (t, t+1): vpunpcklwd / vpunpckhwd interleave the two taps' int16 inputs
// of 16 channels, and vpmaddwd with the weights interleaved the same way adds both products into
// one int32 lane per channel. Within each 128-bit half the unpacks take channels 0-3 (lo) and 4-7
// (hi), so the accumulators hold channels [0-3 | 8-11] and [4-7 | 12-15]; the bias is loaded and
// the sums stored through the same permutation.

// ---- Peak probes: independent chains from registers only.

// vpmaddwd + vpaddd, the exact AVX2 kernel's pair of instructions: 6 independent inputs (so no
// product can be shared) into 6 accumulators, 16 MACs per pair.
AVX2_TARGET int64_t accsim_avx2_peak_probe(int64_t iterations) {
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
    __m256i x0 = _mm256_set1_epi16(1), x1 = _mm256_set1_epi16(2), x2 = _mm256_set1_epi16(3);
    __m256i x3 = _mm256_set1_epi16(4), x4 = _mm256_set1_epi16(5), x5 = _mm256_set1_epi16(6);
    const __m256i w = _mm256_set1_epi16(7);
    for (int64_t round = 0; round < iterations; round++) {
        a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(x0, w));
        a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(x1, w));
        a2 = _mm256_add_epi32(a2, _mm256_madd_epi16(x2, w));
        a3 = _mm256_add_epi32(a3, _mm256_madd_epi16(x3, w));
        a4 = _mm256_add_epi32(a4, _mm256_madd_epi16(x4, w));
        a5 = _mm256_add_epi32(a5, _mm256_madd_epi16(x5, w));
        __asm__ volatile("" : "+x"(x0), "+x"(x1), "+x"(x2), "+x"(x3), "+x"(x4), "+x"(x5));
    }
    __m256i sum = _mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(a0, a1), _mm256_add_epi32(a2, a3)),
        _mm256_add_epi32(a4, a5));
    int32_t lanes[8];
    _mm256_storeu_si256((__m256i *)lanes, sum);
    return (int64_t)lanes[0] + lanes[7];
}

AVXVNNI_TARGET int64_t accsim_avxvnni_peak_probe(int64_t iterations) {
    enum { CHAINS = 12 };
    __m256i acc[CHAINS];
    __m256i x = _mm256_set1_epi32(0x01010101), w = _mm256_set1_epi32(0x02020202);
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_setzero_si256();
    for (int64_t round = 0; round < iterations; round++) {
        for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_dpbusd_avx_epi32(acc[i], x, w);
        __asm__ volatile("" : "+x"(x));
    }
    __m256i sum = acc[0];
    for (int i = 1; i < CHAINS; i++) sum = _mm256_add_epi32(sum, acc[i]);
    int32_t lanes[8];
    _mm256_storeu_si256((__m256i *)lanes, sum);
    return (int64_t)lanes[0] + lanes[7];
}

#endif

// ---- The TFLite modes on 8 int32 lanes (exact without 64-bit lanes).
//
// SRDHM(a, M) with a = (int32)(acc << left) and 0 <= M < 2^31: the 64-bit products of the even and
// the odd lanes (vpmuldq), plus 2^30, shifted right by 31; bits 31...62 are the same for a logical
// and an arithmetic shift, so the low dword of a logical shift is the result. RoundingDivideByPOT
// on int32 in gemmlowp's form, (x >> r) + (x & mask > (mask >> 1) + [x < 0]), and the half-up
// variant as (h >> r) + bit r−1 of h, cannot overflow. The clamp runs before the zero point is
// added, against bounds the caller shifted by it (so the sum stays in int32).

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))

INLINE AVX2_TARGET __m256i srdhm32(__m256i a, __m256i m) {
    const __m256i nudge = _mm256_set1_epi64x(1LL << 30);
    const __m256i even = _mm256_srli_epi64(_mm256_add_epi64(_mm256_mul_epi32(a, m), nudge), 31);
    const __m256i odd = _mm256_srli_epi64(
        _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(a, 32), _mm256_srli_epi64(m, 32)), nudge), 31);
    return _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
}

INLINE AVX2_TARGET __m256i tflite_round32(const int half_up, __m256i acc, __m256i m, __m256i right, __m256i left) {
    const __m256i x = srdhm32(_mm256_sllv_epi32(acc, left), m);
    const __m256i one = _mm256_set1_epi32(1), zero = _mm256_setzero_si256();
    if (half_up) {
        const __m256i positive = _mm256_cmpgt_epi32(right, zero);
        const __m256i below = _mm256_sub_epi32(right, _mm256_and_si256(positive, one));
        const __m256i bit = _mm256_and_si256(_mm256_and_si256(_mm256_srav_epi32(x, below), one), positive);
        return _mm256_add_epi32(_mm256_srav_epi32(x, right), bit);
    }
    const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, right), one);
    const __m256i remainder = _mm256_and_si256(x, mask);
    const __m256i threshold = _mm256_sub_epi32(_mm256_srai_epi32(mask, 1), _mm256_cmpgt_epi32(zero, x));
    return _mm256_sub_epi32(_mm256_srav_epi32(x, right), _mm256_cmpgt_epi32(remainder, threshold));
}

INLINE AVX2_TARGET void tflite_rows32(
    const int half_up, const int32_t *src, size_t src_stride, int32_t *dst, size_t dst_stride, size_t rows,
    size_t columns, const int32_t *multiplier, const int32_t *right, const int32_t *left, int per_channel,
    int32_t zero_point, int32_t lower, int32_t upper) {
    const __m256i zp = _mm256_set1_epi32(zero_point), lo = _mm256_set1_epi32(lower), hi = _mm256_set1_epi32(upper);
    const __m256i m0 = _mm256_set1_epi32(multiplier[0]), r0 = _mm256_set1_epi32(right[0]), l0 = _mm256_set1_epi32(left[0]);
    for (size_t r = 0; r < rows; r++) {
        const int32_t *in = src + r * src_stride;
        int32_t *out = dst + r * dst_stride;
        for (size_t j = 0; j < columns; j += 8) {
            const size_t lanes = columns - j < 8 ? columns - j : 8;
            const __m256i mask = column_mask(lanes);
            const __m256i acc = lanes == 8 ? _mm256_loadu_si256((const __m256i *)(in + j)) : _mm256_maskload_epi32(in + j, mask);
            __m256i m = m0, rs = r0, ls = l0;
            if (per_channel) {
                m = _mm256_maskload_epi32(multiplier + j, mask);
                rs = _mm256_maskload_epi32(right + j, mask);
                ls = _mm256_maskload_epi32(left + j, mask);
            }
            __m256i value = tflite_round32(half_up, acc, m, rs, ls);
            value = _mm256_add_epi32(_mm256_min_epi32(_mm256_max_epi32(value, lo), hi), zp);
            if (lanes == 8) {
                _mm256_storeu_si256((__m256i *)(out + j), value);
            } else {
                _mm256_maskstore_epi32(out + j, mask, value);
            }
        }
    }
}

AVX2_TARGET void accsim_requantize_tflite32_avx2(
    int half_up, const int32_t *src, size_t src_stride, int32_t *dst, size_t dst_stride, size_t rows, size_t columns,
    const int32_t *multiplier, const int32_t *right, const int32_t *left, int per_channel, int32_t zero_point,
    int32_t lower_minus_zero_point, int32_t upper_minus_zero_point) {
    if (half_up) {
        tflite_rows32(1, src, src_stride, dst, dst_stride, rows, columns, multiplier, right, left, per_channel,
            zero_point, lower_minus_zero_point, upper_minus_zero_point);
    } else {
        tflite_rows32(0, src, src_stride, dst, dst_stride, rows, columns, multiplier, right, left, per_channel,
            zero_point, lower_minus_zero_point, upper_minus_zero_point);
    }
}

INLINE AVX2_TARGET __m256i add_input32(const int half_up, const int32_t *q, __m256i mask, int full, const accsim_add_input32 *in) {
    __m256i v = full ? _mm256_loadu_si256((const __m256i *)q) : _mm256_maskload_epi32(q, mask);
    v = _mm256_sllv_epi32(_mm256_sub_epi32(v, _mm256_set1_epi32(in->zero_point)), _mm256_set1_epi32(in->left_shift));
    if (in->has_rescale) {
        v = tflite_round32(half_up, v, _mm256_set1_epi32(in->multiplier), _mm256_set1_epi32(in->right),
            _mm256_set1_epi32(in->left));
    }
    return v;
}

INLINE AVX2_TARGET void add32(
    const int half_up, const int32_t *a, const accsim_add_input32 *ia, const int32_t *b, const accsim_add_input32 *ib,
    int32_t *dst, size_t count, const accsim_add_input32 *out) {
    const __m256i m = _mm256_set1_epi32(out->multiplier), rs = _mm256_set1_epi32(out->right), ls = _mm256_set1_epi32(out->left);
    const __m256i zp = _mm256_set1_epi32(out->zero_point);
    const __m256i lo = _mm256_set1_epi32(out->lower_minus_zero_point), hi = _mm256_set1_epi32(out->upper_minus_zero_point);
    for (size_t j = 0; j < count; j += 8) {
        const size_t lanes = count - j < 8 ? count - j : 8;
        const __m256i mask = column_mask(lanes);
        const __m256i sum = _mm256_add_epi32(add_input32(half_up, a + j, mask, lanes == 8, ia), add_input32(half_up, b + j, mask, lanes == 8, ib));
        __m256i value = tflite_round32(half_up, sum, m, rs, ls);
        value = _mm256_add_epi32(_mm256_min_epi32(_mm256_max_epi32(value, lo), hi), zp);
        if (lanes == 8) {
            _mm256_storeu_si256((__m256i *)(dst + j), value);
        } else {
            _mm256_maskstore_epi32(dst + j, mask, value);
        }
    }
}

AVX2_TARGET void accsim_add_tflite32_avx2(
    int half_up, const int32_t *a, const accsim_add_input32 *input_a, const int32_t *b, const accsim_add_input32 *input_b,
    int32_t *dst, size_t count, const accsim_add_input32 *output) {
    if (half_up) {
        add32(1, a, input_a, b, input_b, dst, count, output);
    } else {
        add32(0, a, input_a, b, input_b, dst, count, output);
    }
}

// Single-shift requantizers (every M = 1: Aidge's, the synthetic models') in `half_up` and
// `floor` on 8 int32 lanes: acc >> n, plus bit n−1 of acc for half_up (no addend, so no
// overflow). vpsravd fills counts above 31 with the sign, which is the shift of the sign-extended
// value, so every n in 0 ... 62 is exact.
// One vector of the single-shift requantizer: half_up adds bit n − 1 of acc to acc >> n
// (exact: no addend that could overflow), then clamp and zero point.
INLINE AVX2_TARGET __m256i shift32_vector(
    const int half_up, __m256i acc, __m256i n, __m256i below, __m256i positive, __m256i lo, __m256i hi, __m256i zp) {
    __m256i value = _mm256_srav_epi32(acc, n);
    if (half_up) {
        value = _mm256_add_epi32(
            value, _mm256_and_si256(_mm256_srav_epi32(acc, below), positive));
    }
    return _mm256_add_epi32(_mm256_min_epi32(_mm256_max_epi32(value, lo), hi), zp);
}

// The rows with the mode and the per-channel choice fixed (constants at each call site, so the
// inner loop has no branch): whole vectors without masks, one masked vector for the tail.
// `below` = max(n − 1, 0) and `positive` = (n > 0 ? 1 : 0) per lane, precomputed per column
// vector for per-channel shifts.
INLINE AVX2_TARGET void shift_rows32(
    const int half_up, const int per_channel, const int32_t *src, size_t src_stride, int32_t *dst, size_t dst_stride,
    size_t rows, size_t columns, const int32_t *shift, int32_t zero_point, int32_t lower, int32_t upper) {
    const __m256i zp = _mm256_set1_epi32(zero_point), one = _mm256_set1_epi32(1), zero = _mm256_setzero_si256();
    const __m256i lo = _mm256_set1_epi32(lower), hi = _mm256_set1_epi32(upper);
    const size_t full = columns / 8 * 8, tail = columns - full;
    const __m256i tail_mask = column_mask(tail);
    const __m256i n0 = _mm256_set1_epi32(shift[0]);
    const __m256i positive0 = _mm256_and_si256(_mm256_cmpgt_epi32(n0, zero), one);
    const __m256i below0 = _mm256_sub_epi32(n0, positive0);
    for (size_t r = 0; r < rows; r++) {
        const int32_t *in = src + r * src_stride;
        int32_t *out = dst + r * dst_stride;
        size_t j = 0;
        for (; j < full; j += 8) {
            __m256i n = n0, positive = positive0, below = below0;
            if (per_channel) {
                n = _mm256_loadu_si256((const __m256i *)(shift + j));
                positive = _mm256_and_si256(_mm256_cmpgt_epi32(n, zero), one);
                below = _mm256_sub_epi32(n, positive);
            }
            const __m256i acc = _mm256_loadu_si256((const __m256i *)(in + j));
            _mm256_storeu_si256((__m256i *)(out + j), shift32_vector(half_up, acc, n, below, positive, lo, hi, zp));
        }
        if (tail) {
            __m256i n = n0, positive = positive0, below = below0;
            if (per_channel) {
                n = _mm256_maskload_epi32(shift + j, tail_mask);
                positive = _mm256_and_si256(_mm256_cmpgt_epi32(n, zero), one);
                below = _mm256_sub_epi32(n, positive);
            }
            const __m256i acc = _mm256_maskload_epi32(in + j, tail_mask);
            _mm256_maskstore_epi32(out + j, tail_mask, shift32_vector(half_up, acc, n, below, positive, lo, hi, zp));
        }
    }
}

AVX2_TARGET void accsim_requantize_shift32_avx2(
    int half_up, const int32_t *src, size_t src_stride, int32_t *dst, size_t dst_stride, size_t rows, size_t columns,
    const int32_t *shift, int per_channel, int32_t zero_point, int32_t lower_minus_zero_point,
    int32_t upper_minus_zero_point) {
#define SHIFT_ROWS(H, P) \
    shift_rows32((H), (P), src, src_stride, dst, dst_stride, rows, columns, shift, zero_point, \
        lower_minus_zero_point, upper_minus_zero_point)
    if (half_up) {
        if (per_channel) SHIFT_ROWS(1, 1); else SHIFT_ROWS(1, 0);
    } else {
        if (per_channel) SHIFT_ROWS(0, 1); else SHIFT_ROWS(0, 0);
    }
#undef SHIFT_ROWS
}

#endif
