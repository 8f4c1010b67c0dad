// CAccsimKernels: the one place accsim uses SIMD intrinsics Swift cannot reach portably, one file
// per instruction set behind run-time CPU detection (`accsim_cpu_features`, cpu.c):
// - x86_avx512.c: the avx512vnni path (512-bit vpdpbusd GEMM, AVX-512 requantizer, Add, max pool);
// - x86_avx2.c: the avxvnni GEMM (256-bit vpdpbusd), the exact avx2 GEMM (vpmaddwd), AVX2
//   requantizer, Add and max pool;
// - x86_depthwise.c (+ x86_depthwise_body.h): the depthwise kernel of the three x86 paths;
// - arm_neon.c: the neon path (SDOT / USDOT GEMM, NEON depthwise).
// Every kernel has one contract (the comments below) and a pure Swift equivalent in
// AccsimArithmetic/FastKernels; the tests compare every path the machine runs with the reference.
//
// Build: the files are compiled for the baseline target; only functions carrying
// `__attribute__((target(...)))` use an extension, and the Swift side calls them only when the
// feature was detected. Functions of another architecture are not compiled at all (their
// declarations stay, so the Swift side compiles everywhere; it never calls them).

#ifndef CACCSIM_KERNELS_H
#define CACCSIM_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// CPU features the kernels use (bits of `accsim_cpu_features`), each reported only when the
/// operating system also saves the registers involved.
enum {
    ACCSIM_CPU_AVX2 = 1 << 0,          // the avx2 path
    ACCSIM_CPU_AVX_VNNI = 1 << 1,      // the avxvnni path: AVX2 + 256-bit VEX vpdpbusd
    ACCSIM_CPU_AVX512_VNNI = 1 << 2,   // the avx512vnni path: AVX-512 F, BW, DQ, VL and VNNI
    ACCSIM_CPU_NEON = 1 << 8,          // AArch64 Advanced SIMD (always on AArch64)
    ACCSIM_CPU_NEON_DOTPROD = 1 << 9,  // the neon path: SDOT/UDOT (Armv8.2 DotProd)
    ACCSIM_CPU_NEON_I8MM = 1 << 10,    // USDOT (Armv8.6 I8MM), used by the neon path when present
};

/// The features of this CPU and operating system (`ACCSIM_CPU_*` bits).
unsigned accsim_cpu_features(void);

/// One spin-wait hint (`pause` on x86, `yield` on AArch64, nothing elsewhere): what the kernels'
/// thread pool executes while its idle threads spin waiting for work.
void accsim_spin_pause(void);

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

/// `accsim_gemm_u8s8_vnni` on AVX2 (needs `ACCSIM_CPU_AVX2`), same operands and packed layout:
/// exact through 16-bit widening and vpmaddwd.
void accsim_gemm_u8s8_avx2(
    const uint8_t *a, size_t lda, const int8_t *b, size_t kp, const int32_t *offsets,
    int32_t *c, size_t ldc, size_t m, size_t n);

/// `accsim_gemm_u8s8_vnni` on AVX-VNNI (needs `ACCSIM_CPU_AVX_VNNI`), same operands and layout.
void accsim_gemm_u8s8_avxvnni(
    const uint8_t *a, size_t lda, const int8_t *b, size_t kp, const int32_t *offsets,
    int32_t *c, size_t ldc, size_t m, size_t n);

/// `accsim_gemm_u8s8_vnni` on AArch64 NEON with DotProd (needs `ACCSIM_CPU_NEON_DOTPROD`; uses
/// USDOT when `use_i8mm` is 1, which needs `ACCSIM_CPU_NEON_I8MM`), same operands and layout.
/// Without I8MM it multiplies `a − 128` (signed) with SDOT and adds `128·Σ_k b[k][j]`, which the
/// caller passes as `column_sums128[j]` (ignored with I8MM; may then be NULL).
void accsim_gemm_u8s8_neon(
    const uint8_t *a, size_t lda, const int8_t *b, size_t kp, const int32_t *offsets,
    const int32_t *column_sums128, int32_t *c, size_t ldc, size_t m, size_t n, int use_i8mm);

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

/// `accsim_requantize_avx512` on AVX2 (4 int64 lanes per step), same arguments and results.
void accsim_requantize_avx2(
    int mode, const int32_t *src, size_t src_stride, int32_t *dst, size_t dst_stride, size_t rows, size_t columns,
    const int64_t *multiplier, const int64_t *shift, const int64_t *aux, int per_channel, int64_t zero_point,
    int64_t lower, int64_t upper);

/// The TFLite modes (`half_up` 0: ACCSIM_ROUND_TFLITE, 1: ACCSIM_ROUND_TFLITE_HALF_UP) on 8 int32
/// lanes: `accsim_requantize_avx2`'s results when every M is in 0 ... 2^31 − 1, with int32
/// constants (`right` = max(n − 31, 0), `left` = max(31 − n, 0)) and the clamp bounds given minus
/// the zero point (the caller checks they fit int32).
void accsim_requantize_tflite32_avx2(
    int half_up, const int32_t *src, size_t src_stride, int32_t *dst, size_t dst_stride, size_t rows, size_t columns,
    const int32_t *multiplier, const int32_t *right, const int32_t *left, int per_channel, int32_t zero_point,
    int32_t lower_minus_zero_point, int32_t upper_minus_zero_point);

/// Single-shift requantizers (every M = 1) in `half_up` (`half_up` 1) or `floor` (0) on 8 int32
/// lanes: `accsim_requantize_avx2`'s results, with the shifts as int32 and the clamp bounds minus
/// the zero point (the caller checks they fit int32).
void accsim_requantize_shift32_avx2(
    int half_up, const int32_t *src, size_t src_stride, int32_t *dst, size_t dst_stride, size_t rows, size_t columns,
    const int32_t *shift, int per_channel, int32_t zero_point, int32_t lower_minus_zero_point,
    int32_t upper_minus_zero_point);

/// One input (or, for `output`, the output requantizer) of `accsim_add_tflite32_avx2`.
typedef struct {
    int32_t zero_point, left_shift, has_rescale;  // inputs: `(q − zero_point) << left_shift` (0 ... 31)
    int32_t multiplier, right, left;             // the rescale / output constants (TFLite modes)
    int32_t lower_minus_zero_point, upper_minus_zero_point;  // output only
} accsim_add_input32;

/// The fused Add of `accsim_add_avx2` on 8 int32 lanes, for the TFLite modes under `wrap`
/// (every narrowing is then the 32-bit wrap itself): the same results.
void accsim_add_tflite32_avx2(
    int half_up, const int32_t *a, const accsim_add_input32 *input_a, const int32_t *b, const accsim_add_input32 *input_b,
    int32_t *dst, size_t count, const accsim_add_input32 *output);

/// `accsim_add_avx512` on AVX2, same arguments and results.
void accsim_add_avx2(
    int mode, int saturate, const int32_t *a, const accsim_add_input *input_a, const int32_t *b,
    const accsim_add_input *input_b, int32_t *dst, size_t count, int64_t out_multiplier, int64_t out_shift,
    int64_t out_aux, int64_t zero_point, int64_t lower, int64_t upper);

/// `accsim_max_pool_avx512` on AVX2, same arguments and results.
void accsim_max_pool_avx2(
    const int32_t *src, int32_t *dst, const accsim_pool_geometry *geometry, size_t first_row, size_t rows,
    int32_t lower, int32_t upper);

/// The geometry of a depthwise convolution (one output channel per input channel) over an NHWC
/// int16 tensor whose channels are padded to `channels`, a multiple of 16.
typedef struct {
    size_t height, width, channels;
    size_t out_height, out_width;
    size_t kernel_height, kernel_width;
    size_t stride_height, stride_width;
    size_t dilation_height, dilation_width;
    size_t pad_top, pad_left;
} accsim_depthwise_geometry;

/// The geometry of the x86 depthwise kernel: an NHWC int32 input of `channels` channels
/// (values of an 8-bit type) with zero point `zero_point`; `cp` is `channels` rounded up to a
/// multiple of 16. `pair_width` = (out_width − 1)·stride_width + (kernel_width − 1)·dilation_width
/// + 1 words per pair row, `ring_rows` = (kernel_height − 1)·dilation_height + 1 pair rows.
typedef struct {
    size_t height, width, channels, cp;
    size_t out_height, out_width;
    size_t kernel_height, kernel_width;
    size_t stride_height, stride_width;
    size_t dilation_height, dilation_width;
    size_t pad_top, pad_left;
    size_t pair_width, ring_rows;
    int32_t zero_point;
    /// The quad kernels: 0x80 for int8 inputs (a byte holds x + 128), 0 for uint8; the byte of
    /// the zero point, X0 = zero_point + 128 (int8) or zero_point (uint8).
    int32_t byte_flip, pad_byte;
} accsim_depthwise_pairs_geometry;

/// Packs depthwise weights `[tap][cp]` (int16, `w − zp_w`, taps row-major over kh × kw) for
/// `accsim_depthwise_pairs_*`: `packed[(ky·ceil(kw/2) + q)·cp + c]` holds w(ky, 2q) in its low
/// and w(ky, 2q + 1) (0 past the row) in its high 16 bits.
void accsim_depthwise_pack_pairs(const int16_t *weights, size_t kh, size_t kw, size_t cp, int32_t *packed);

/// Packs depthwise weights `[tap][cp]` (int16 `w − zp_w`, each in −128 … 127) for
/// `accsim_depthwise_quads_*`: `packed[(ky·ceil(kw/4) + q)·cp + c]` holds the int8 bytes
/// w(ky, 4q + t), t = 0…3 from the low byte, 0 past the kernel row.
void accsim_depthwise_pack_quads(const int16_t *weights, size_t kh, size_t kw, size_t cp, int32_t *packed);

/// The depthwise accumulators of output row `row` on quads of taps, dilation_width 1:
/// `out[ox·cp + c] = bias[c] + Σ_taps u(tap, c) · w(tap, c)` in wrapping int32, u the input's
/// bytes (x ^ byte_flip: x + 128 for int8, `pad_byte` outside the image) and w the int8 weights
/// of `accsim_depthwise_pack_quads`; with `bias[c]` = the layer's bias − pad_byte · Σ_taps w these
/// are the reference's accumulators. The geometry's `pair_width` is the words of a quad row,
/// (out_width − 1)·stride_width + 4·(ceil(kernel_width / 4) − 1) + 1; `pad_row` holds
/// pair_width · cp words of pad_byte in all four bytes; the scratch as for the pair kernels.
/// `_avx512vnni` (vpdpbusd, 16 channels) and `_avxvnni` (VEX vpdpbusd, 8) need their CPU feature;
/// `_avx2` (ACCSIM_CPU_AVX2) emulates vpdpbusd exactly with vpmaddwd, to check the layout on
/// CPUs without VNNI (the avx2 path runs the pair kernel).
void accsim_depthwise_quads_avx2(
    const int32_t *input, const int32_t *quads, const int32_t *bias, const accsim_depthwise_pairs_geometry *geometry,
    size_t row, int32_t *ring, int64_t *tags, const int32_t *pad_row, int32_t *out);
void accsim_depthwise_quads_avxvnni(
    const int32_t *input, const int32_t *quads, const int32_t *bias, const accsim_depthwise_pairs_geometry *geometry,
    size_t row, int32_t *ring, int64_t *tags, const int32_t *pad_row, int32_t *out);
void accsim_depthwise_quads_avx512vnni(
    const int32_t *input, const int32_t *quads, const int32_t *bias, const accsim_depthwise_pairs_geometry *geometry,
    size_t row, int32_t *ring, int64_t *tags, const int32_t *pad_row, int32_t *out);

/// The depthwise accumulators of output row `row` (batch · out_height + output y):
/// `out[ox·cp + c] = bias[c] + Σ_taps x(tap, c) · w(tap, c)` in wrapping int32, x the input
/// values (taps outside the image read `zero_point`), w the weights packed by
/// `accsim_depthwise_pack_pairs`. With `bias[c]` = the layer's bias − zero_point · Σ_taps w(tap, c)
/// these are the reference's accumulators Σ (x − zp)·w + bias. Scratch, kept across the calls of one
/// worker (whose rows should come in increasing order): `ring` (ring_rows · pair_width · cp
/// words), `tags` (ring_rows values, −1 before the first call), `pad_row` (pair_width · cp words,
/// each zero_point in both halves). `out` holds out_width · cp words. The suffix names the path
/// and the CPU feature it needs: `_avx2` (ACCSIM_CPU_AVX2), `_avxvnni` (ACCSIM_CPU_AVX_VNNI),
/// `_avx512vnni` (ACCSIM_CPU_AVX512_VNNI).
void accsim_depthwise_pairs_avx2(
    const int32_t *input, const int32_t *pairs, const int32_t *bias, const accsim_depthwise_pairs_geometry *geometry,
    size_t row, int32_t *ring, int64_t *tags, const int32_t *pad_row, int32_t *out);
void accsim_depthwise_pairs_avxvnni(
    const int32_t *input, const int32_t *pairs, const int32_t *bias, const accsim_depthwise_pairs_geometry *geometry,
    size_t row, int32_t *ring, int64_t *tags, const int32_t *pad_row, int32_t *out);
void accsim_depthwise_pairs_avx512vnni(
    const int32_t *input, const int32_t *pairs, const int32_t *bias, const accsim_depthwise_pairs_geometry *geometry,
    size_t row, int32_t *ring, int64_t *tags, const int32_t *pad_row, int32_t *out);

/// The NEON depthwise kernel (needs `ACCSIM_CPU_NEON`): accumulators of output pixels
/// `first_row ..< first_row + rows` (flattened over batch, output row and column),
/// `out[(row − first_row)·cp + c] = bias[c] + Σ_taps x[tap][c] · w[tap][c]` in wrapping int32, where
/// `x` is the input minus its zero point (int16, channels padded to `cp` = `geometry.channels`; taps
/// outside the image contribute nothing) and `w` the weights `[tap][cp]` (int16, `w − zp_w`).
void accsim_depthwise_neon(
    const int16_t *x, const int16_t *weights, const int32_t *bias, int32_t *out, const accsim_depthwise_geometry *geometry,
    size_t first_row, size_t rows);

/// Register-only throughput probes of the other paths (see `accsim_vnni_peak_probe`), each
/// `iterations` rounds: AVX2 6 × (vpmaddwd + vpaddd) = 96 MACs per round; AVX-VNNI 12 × 256-bit
/// vpdpbusd = 384; NEON 12 × SDOT = 192. Call only when the CPU has the feature.
int64_t accsim_avx2_peak_probe(int64_t iterations);
int64_t accsim_avxvnni_peak_probe(int64_t iterations);
int64_t accsim_neon_peak_probe(int64_t iterations);

/// The throughput probe of `accsim bench`: `iterations` rounds of 24 independent 512-bit
/// `vpdpbusd` (24·64 = 1536 int8 MACs per round) from registers only — the instruction's peak on
/// this core. Returns a checksum so the work cannot be optimised away. Call only when
/// `accsim_cpu_has_avx512_vnni()` is 1.
int64_t accsim_vnni_peak_probe(int64_t iterations);

#ifdef __cplusplus
}
#endif

#endif
