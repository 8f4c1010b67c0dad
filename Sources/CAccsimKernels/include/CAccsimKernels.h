// CAccsimKernels: the one place accsim uses SIMD intrinsics Swift cannot reach portably — the
// AVX-512 VNNI `vpdpbusd` int8 dot product — behind run-time CPU detection. Every function here has
// a pure Swift equivalent in AccsimArithmetic/FastKernels that the tests compare it with.
//
// Build: the file is compiled for the baseline x86-64 target; only the functions carrying
// `__attribute__((target("avx512f,avx512bw,avx512vnni")))` use the extension, and the Swift side
// calls them only when `accsim_cpu_has_avx512_vnni()` returned 1. On other architectures the
// detection returns 0 and the kernels are never called.

#ifndef CACCSIM_KERNELS_H
#define CACCSIM_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU and operating system support AVX-512 F, BW, DQ, VL and VNNI (the instructions
/// of `accsim_gemm_u8s8_vnni` and `accsim_requantize_avx512`), else 0.
int accsim_cpu_has_avx512_vnni(void);

/// C[m×n] = offsets[n] + A[m×kp] · B[kp×n], exact in int32 with two's complement wrap-around.
///
/// - `a`: unsigned 8-bit rows, row `i` at `a + i·lda`, `kp` bytes each; `kp` is a multiple of 4.
/// - `b`: signed 8-bit weights packed for `vpdpbusd`: ceil(n/16) blocks of 16 columns, block `j`
///   at `b + j·kp·16`, holding for each group of 4 k values (`q = k/4`) 64 bytes: column `c` of
///   the block at bytes `q·64 + c·4 ... q·64 + c·4 + 3` (k = 4q ... 4q+3). Columns past `n` in
///   the last block are ignored (pack them as 0).
/// - `offsets`: n int32 values added to every row (NULL: none).
/// - `c`: int32 output, row `i` at `c + i·ldc`; only columns 0..<n are written.
void accsim_gemm_u8s8_vnni(
    const uint8_t *a, size_t lda, const int8_t *b, size_t kp, const int32_t *offsets,
    int32_t *c, size_t ldc, size_t m, size_t n);

/// The rounding modes of `accsim_requantize_avx512` (accsim's `RoundingMode`s that integer
/// hardware implements).
enum {
    ACCSIM_ROUND_HALF_UP = 0,
    ACCSIM_ROUND_FLOOR = 1,
    ACCSIM_ROUND_HALF_AWAY = 2,
    ACCSIM_ROUND_HALF_EVEN = 3,
    ACCSIM_ROUND_TFLITE = 4,
    ACCSIM_ROUND_TFLITE_HALF_UP = 5,
};

/// Requantizes a `rows × columns` block: dst[r·dst_stride + j] = clamp(ROUND(src[r·src_stride + j])
/// + zero_point, lower, upper), with the constants of channel c = per_channel ? j : 0 (the arrays
/// hold `columns` entries or one):
/// - plain modes: `multiplier[c]` = M, `shift[c]` = n (0...62), `aux[c]` = 2^(n−1) (0 when n = 0);
/// - TFLite modes: `shift[c]` = max(n − 31, 0) (the right shift after SRDHM), `aux[c]` =
///   max(31 − n, 0) (the left shift before it).
/// Exactly accsim's `Requantizer.apply` (for the TFLite modes when every M is in 0 ... 2^31 − 1,
/// as validation requires); `src` and `dst` may be the same.
void accsim_requantize_avx512(
    int mode, const int32_t *src, size_t src_stride, int32_t *dst, size_t dst_stride, size_t rows, size_t columns,
    const int64_t *multiplier, const int64_t *shift, const int64_t *aux, int per_channel, int64_t zero_point,
    int64_t lower, int64_t upper);

/// One input of `accsim_add_avx512`: `narrow((q − zero_point) · 2^left_shift)`, then, with
/// `has_rescale`, the rescale's rounding (constants as for `accsim_requantize_avx512`), narrowed
/// again.
typedef struct {
    int64_t zero_point;
    int64_t left_shift;  // 0 ... 31
    int64_t has_rescale;
    int64_t multiplier, shift, aux;
} accsim_add_input;

/// The fused elementwise Add of `count` elements: each input brought to the common scale (see
/// `accsim_add_input`), the two summed, then requantized per tensor (`out_*` constants as for
/// `accsim_requantize_avx512`) with `zero_point` and the clamp. `narrow` wraps to 32 bits, or with
/// `saturate` clamps to the int32 range. Every requantizer uses rounding `mode`. Exactly accsim's
/// `ReferenceKernels.add`.
void accsim_add_avx512(
    int mode, int saturate, const int32_t *a, const accsim_add_input *input_a, const int32_t *b,
    const accsim_add_input *input_b, int32_t *dst, size_t count, int64_t out_multiplier, int64_t out_shift,
    int64_t out_aux, int64_t zero_point, int64_t lower, int64_t upper);

/// The geometry of a max pooling over an NHWC int32 tensor (see `accsim_max_pool_avx512`).
typedef struct {
    size_t height, width, channels;          // input extents (per image)
    size_t out_height, out_width;            // output extents
    size_t window_height, window_width;
    size_t stride_height, stride_width;
    size_t pad_top, pad_left;
} accsim_pool_geometry;

/// Max pooling of output pixels `first_row ..< first_row + rows` (flattened over batch, output
/// row and column): each output channel is the maximum of the in-image taps of its window,
/// clamped to [lower, upper]; a window without taps gives `lower`. Exactly accsim's
/// `ReferenceKernels.maxPool`.
void accsim_max_pool_avx512(
    const int32_t *src, int32_t *dst, const accsim_pool_geometry *geometry, size_t first_row, size_t rows,
    int32_t lower, int32_t upper);

/// The throughput probe of `accsim bench`: `iterations` rounds of 24 independent 512-bit
/// `vpdpbusd` (24·64 = 1536 int8 MACs per round) from registers only — the instruction's peak on
/// this core. Returns a checksum so the work cannot be optimised away. Call only when
/// `accsim_cpu_has_avx512_vnni()` is 1.
int64_t accsim_vnni_peak_probe(int64_t iterations);

#ifdef __cplusplus
}
#endif

#endif
