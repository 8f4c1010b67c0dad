// CAccsimBenchReference: the yardstick of `accsim bench` — a plain, hand-written exact AVX2 int8
// GEMM as one would write it without accsim's constraints (operands packed ahead of time as
// int16 pairs, a 6 × 16 register tile of vpmaddwd + vpaddd, one thread). accsim's own GEMM path is
// measured against it in the same run. Not used by the simulator.

#ifndef CACCSIM_BENCH_REFERENCE_H
#define CACCSIM_BENCH_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU runs the reference (AVX2), else 0.
int accsim_reference_gemm_available(void);

/// Packs A (`m × k` unsigned bytes, row-major, `m` a multiple of 6, `k` even) into panels of 6
/// rows: for each pair of k, the 6 rows' (a[2p], a[2p+1]) as int16 pairs (`m·k` int16 in all).
void accsim_reference_gemm_pack_a(const uint8_t *a, size_t m, size_t k, int16_t *packed);

/// Packs B (`k × n` signed bytes, row-major, `n` a multiple of 16, `k` even) into panels of 16
/// columns: for each pair of k, the 16 columns' (b[2p][j], b[2p+1][j]) as int16 pairs.
void accsim_reference_gemm_pack_b(const int8_t *b, size_t k, size_t n, int16_t *packed);

/// C[m × n] (row-major int32) = A · B from the packed operands: exact, wrapping int32.
void accsim_reference_gemm(const int16_t *a, const int16_t *b, int32_t *c, size_t m, size_t n, size_t k);

#ifdef __cplusplus
}
#endif

#endif
