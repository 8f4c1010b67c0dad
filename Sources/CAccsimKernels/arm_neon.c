// The neon path (see CAccsimKernels.h): the int8 GEMM on AArch64 DotProd (SDOT, or USDOT with
// I8MM) and the depthwise kernel on plain NEON.
//
// The GEMM reads the packed weights of the x86 VNNI kernels unchanged: 16 bytes of a group of
// four k are 4 columns × 4 k, exactly the operand of one SDOT/USDOT (four int32 lanes, each the
// dot product of 4 bytes). Register tile: 6 rows × one 16-column block, 24 accumulators of the 32
// vector registers. SDOT multiplies signed bytes, so without I8MM the unsigned activations are
// flipped to `a − 128` (XOR 0x80) and the caller's `128·Σ_k b` restores them; both are exact
// modulo 2^32.

#include "CAccsimKernels.h"

#if defined(__aarch64__)

#include <arm_neon.h>
#include <stdlib.h>
#include <string.h>

#define INLINE static inline __attribute__((always_inline))
#define DOTPROD_TARGET __attribute__((target("arch=armv8.2-a+dotprod")))
#define I8MM_TARGET __attribute__((target("arch=armv8.2-a+dotprod+i8mm")))

enum { NEON_ROWS = 6 };

INLINE void store_columns(int32_t *c, const int32x4_t acc[4], const int32_t *start, size_t columns) {
    if (columns == 16) {
        for (int j = 0; j < 4; j++) vst1q_s32(c + 4 * j, vaddq_s32(acc[j], vld1q_s32(start + 4 * j)));
        return;
    }
    int32_t lanes[16];
    for (int j = 0; j < 4; j++) vst1q_s32(lanes + 4 * j, vaddq_s32(acc[j], vld1q_s32(start + 4 * j)));
    memcpy(c, lanes, columns * sizeof(int32_t));
}

INLINE DOTPROD_TARGET void sdot_tile(
    const int rows, const uint8_t *a, size_t lda, const int8_t *b, size_t quads, const int32_t *start,
    int32_t *c, size_t ldc, size_t columns) {
    int32x4_t acc[NEON_ROWS][4];
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < 4; j++) acc[i][j] = vdupq_n_s32(0);
    for (size_t q = 0; q < quads; q++) {
        int8x16_t w[4];
        for (int j = 0; j < 4; j++) w[j] = vld1q_s8(b + q * 64 + 16 * j);
        for (int i = 0; i < rows; i++) {
            uint32_t word;
            memcpy(&word, a + i * lda + 4 * q, sizeof word);
            const int8x16_t x = vreinterpretq_s8_u32(vdupq_n_u32(word ^ 0x80808080u));
            for (int j = 0; j < 4; j++) acc[i][j] = vdotq_s32(acc[i][j], w[j], x);
        }
    }
    for (int i = 0; i < rows; i++) store_columns(c + i * ldc, acc[i], start, columns);
}

INLINE I8MM_TARGET void usdot_tile(
    const int rows, const uint8_t *a, size_t lda, const int8_t *b, size_t quads, const int32_t *start,
    int32_t *c, size_t ldc, size_t columns) {
    int32x4_t acc[NEON_ROWS][4];
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < 4; j++) acc[i][j] = vdupq_n_s32(0);
    for (size_t q = 0; q < quads; q++) {
        int8x16_t w[4];
        for (int j = 0; j < 4; j++) w[j] = vld1q_s8(b + q * 64 + 16 * j);
        for (int i = 0; i < rows; i++) {
            uint32_t word;
            memcpy(&word, a + i * lda + 4 * q, sizeof word);
            const uint8x16_t x = vreinterpretq_u8_u32(vdupq_n_u32(word));
            for (int j = 0; j < 4; j++) acc[i][j] = vusdotq_s32(acc[i][j], x, w[j]);
        }
    }
    for (int i = 0; i < rows; i++) store_columns(c + i * ldc, acc[i], start, columns);
}

#define NEON_TILES(TILE)                                                          \
    switch (rows) {                                                               \
    case 1: TILE(1, ap, lda, bp, quads, start, cp, ldc, columns); break;          \
    case 2: TILE(2, ap, lda, bp, quads, start, cp, ldc, columns); break;          \
    case 3: TILE(3, ap, lda, bp, quads, start, cp, ldc, columns); break;          \
    case 4: TILE(4, ap, lda, bp, quads, start, cp, ldc, columns); break;          \
    case 5: TILE(5, ap, lda, bp, quads, start, cp, ldc, columns); break;          \
    default: TILE(6, ap, lda, bp, quads, start, cp, ldc, columns); break;         \
    }

static DOTPROD_TARGET void gemm_sdot(
    const uint8_t *a, size_t lda, const int8_t *b, size_t kp, const int32_t *offsets,
    const int32_t *column_sums128, int32_t *c, size_t ldc, size_t m, size_t n) {
    const size_t quads = kp / 4, blockStride = kp * 16;
    for (size_t column = 0; column < n; column += 16) {
        const int8_t *bp = b + (column / 16) * blockStride;
        const size_t columns = n - column < 16 ? n - column : 16;
        // The column start values: offsets + 128·Σb (the correction of the flipped activations).
        int32_t start[16] = {0};
        for (size_t j = 0; j < columns; j++) {
            start[j] = (int32_t)((uint32_t)(offsets ? offsets[column + j] : 0) + (uint32_t)column_sums128[column + j]);
        }
        for (size_t row0 = 0; row0 < m; row0 += NEON_ROWS) {
            const int rows = (int)(m - row0 < NEON_ROWS ? m - row0 : NEON_ROWS);
            const uint8_t *ap = a + row0 * lda;
            int32_t *cp = c + row0 * ldc + column;
            NEON_TILES(sdot_tile)
        }
    }
}

static I8MM_TARGET void gemm_usdot(
    const uint8_t *a, size_t lda, const int8_t *b, size_t kp, const int32_t *offsets,
    int32_t *c, size_t ldc, size_t m, size_t n) {
    const size_t quads = kp / 4, blockStride = kp * 16;
    for (size_t column = 0; column < n; column += 16) {
        const int8_t *bp = b + (column / 16) * blockStride;
        const size_t columns = n - column < 16 ? n - column : 16;
        int32_t start[16] = {0};
        for (size_t j = 0; j < columns; j++) start[j] = offsets ? offsets[column + j] : 0;
        for (size_t row0 = 0; row0 < m; row0 += NEON_ROWS) {
            const int rows = (int)(m - row0 < NEON_ROWS ? m - row0 : NEON_ROWS);
            const uint8_t *ap = a + row0 * lda;
            int32_t *cp = c + row0 * ldc + column;
            NEON_TILES(usdot_tile)
        }
    }
}

void accsim_gemm_u8s8_neon(
    const uint8_t *a, size_t lda, const int8_t *b, size_t kp, const int32_t *offsets,
    const int32_t *column_sums128, int32_t *c, size_t ldc, size_t m, size_t n, int use_i8mm) {
    if (use_i8mm) {
        gemm_usdot(a, lda, b, kp, offsets, c, ldc, m, n);
    } else {
        gemm_sdot(a, lda, b, kp, offsets, column_sums128, c, ldc, m, n);
    }
}

// ---- Depthwise: 8 channels per step, int16 × int16 widened into int32 lanes (SMLAL/SMLAL2).

void accsim_depthwise_neon(
    const int16_t *x, const int16_t *weights, const int32_t *bias, int32_t *out, const accsim_depthwise_geometry *g,
    size_t first_row, size_t rows) {
    const size_t cp = g->channels, taps = g->kernel_height * g->kernel_width;
    const int16_t **tap = malloc(sizeof(*tap) * (taps + 1));
    const int16_t **tapWeights = malloc(sizeof(*tapWeights) * (taps + 1));
    if (tap == NULL || tapWeights == NULL) __builtin_trap();
    for (size_t row = first_row; row < first_row + rows; row++) {
        const size_t ox = row % g->out_width, oy = (row / g->out_width) % g->out_height;
        const size_t b = row / (g->out_width * g->out_height);
        size_t count = 0;
        for (size_t t = 0; t < taps; t++) {
            const size_t ky = t / g->kernel_width, kx = t % g->kernel_width;
            const ptrdiff_t iy = (ptrdiff_t)(oy * g->stride_height + ky * g->dilation_height) - (ptrdiff_t)g->pad_top;
            const ptrdiff_t ix = (ptrdiff_t)(ox * g->stride_width + kx * g->dilation_width) - (ptrdiff_t)g->pad_left;
            if (iy < 0 || iy >= (ptrdiff_t)g->height || ix < 0 || ix >= (ptrdiff_t)g->width) continue;
            tap[count] = x + ((b * g->height + (size_t)iy) * g->width + (size_t)ix) * cp;
            tapWeights[count++] = weights + t * cp;
        }
        int32_t *destination = out + (row - first_row) * cp;
        for (size_t c = 0; c < cp; c += 8) {
            int32x4_t lo = vld1q_s32(bias + c), hi = vld1q_s32(bias + c + 4);
            for (size_t t = 0; t < count; t++) {
                const int16x8_t v = vld1q_s16(tap[t] + c), w = vld1q_s16(tapWeights[t] + c);
                lo = vmlal_s16(lo, vget_low_s16(v), vget_low_s16(w));
                hi = vmlal_high_s16(hi, v, w);
            }
            vst1q_s32(destination + c, lo);
            vst1q_s32(destination + c + 4, hi);
        }
    }
    free(tapWeights);
    free(tap);
}

DOTPROD_TARGET int64_t accsim_neon_peak_probe(int64_t iterations) {
    enum { CHAINS = 12 };
    int32x4_t acc[CHAINS];
    int8x16_t x = vdupq_n_s8(1), w = vdupq_n_s8(2);
    for (int i = 0; i < CHAINS; i++) acc[i] = vdupq_n_s32(0);
    for (int64_t round = 0; round < iterations; round++) {
        for (int i = 0; i < CHAINS; i++) acc[i] = vdotq_s32(acc[i], x, w);
        __asm__ volatile("" : "+w"(x));
    }
    int32x4_t sum = acc[0];
    for (int i = 1; i < CHAINS; i++) sum = vaddq_s32(sum, acc[i]);
    return (int64_t)vaddvq_s32(sum);
}

#endif
