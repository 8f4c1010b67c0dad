// The AVX2 reference GEMM of `accsim bench` (see CAccsimBenchReference.h).
//
// Per pair of k: two loads of 16 int16 weights pairs (16 columns), six 32-bit broadcasts of an A
// row's pair, twelve vpmaddwd (int16 × int16 pairs summed into int32, exact) and twelve vpaddd.
// The loop order keeps one 16-column B panel (k·64 bytes) hot while the 6-row A panels stream.

#include "CAccsimBenchReference.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#include <string.h>

#define AVX2_TARGET __attribute__((target("avx2")))

int accsim_reference_gemm_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
}

void accsim_reference_gemm_pack_a(const uint8_t *a, size_t m, size_t k, int16_t *packed) {
    for (size_t i0 = 0; i0 < m; i0 += 6)
        for (size_t p = 0; p < k / 2; p++)
            for (size_t r = 0; r < 6; r++) {
                *packed++ = a[(i0 + r) * k + 2 * p];
                *packed++ = a[(i0 + r) * k + 2 * p + 1];
            }
}

void accsim_reference_gemm_pack_b(const int8_t *b, size_t k, size_t n, int16_t *packed) {
    for (size_t j0 = 0; j0 < n; j0 += 16)
        for (size_t p = 0; p < k / 2; p++)
            for (size_t j = 0; j < 16; j++) {
                *packed++ = b[(2 * p) * n + j0 + j];
                *packed++ = b[(2 * p + 1) * n + j0 + j];
            }
}

AVX2_TARGET void accsim_reference_gemm(const int16_t *a, const int16_t *b, int32_t *c, size_t m, size_t n, size_t k) {
    const size_t pairs = k / 2;
    for (size_t j0 = 0; j0 < n; j0 += 16) {
        const int16_t *bp = b + j0 * k;
        for (size_t i0 = 0; i0 < m; i0 += 6) {
            const int16_t *ap = a + i0 * k;
            __m256i c00 = _mm256_setzero_si256(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
            __m256i c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
            for (size_t p = 0; p < pairs; p++) {
                const __m256i b0 = _mm256_loadu_si256((const __m256i *)(bp + p * 32));
                const __m256i b1 = _mm256_loadu_si256((const __m256i *)(bp + p * 32 + 16));
                const int32_t *ar = (const int32_t *)(ap + p * 12);
                __m256i x;
                x = _mm256_set1_epi32(ar[0]);
                c00 = _mm256_add_epi32(c00, _mm256_madd_epi16(x, b0));
                c01 = _mm256_add_epi32(c01, _mm256_madd_epi16(x, b1));
                x = _mm256_set1_epi32(ar[1]);
                c10 = _mm256_add_epi32(c10, _mm256_madd_epi16(x, b0));
                c11 = _mm256_add_epi32(c11, _mm256_madd_epi16(x, b1));
                x = _mm256_set1_epi32(ar[2]);
                c20 = _mm256_add_epi32(c20, _mm256_madd_epi16(x, b0));
                c21 = _mm256_add_epi32(c21, _mm256_madd_epi16(x, b1));
                x = _mm256_set1_epi32(ar[3]);
                c30 = _mm256_add_epi32(c30, _mm256_madd_epi16(x, b0));
                c31 = _mm256_add_epi32(c31, _mm256_madd_epi16(x, b1));
                x = _mm256_set1_epi32(ar[4]);
                c40 = _mm256_add_epi32(c40, _mm256_madd_epi16(x, b0));
                c41 = _mm256_add_epi32(c41, _mm256_madd_epi16(x, b1));
                x = _mm256_set1_epi32(ar[5]);
                c50 = _mm256_add_epi32(c50, _mm256_madd_epi16(x, b0));
                c51 = _mm256_add_epi32(c51, _mm256_madd_epi16(x, b1));
            }
            int32_t *cr = c + i0 * n + j0;
            _mm256_storeu_si256((__m256i *)(cr + 0 * n), c00);
            _mm256_storeu_si256((__m256i *)(cr + 0 * n + 8), c01);
            _mm256_storeu_si256((__m256i *)(cr + 1 * n), c10);
            _mm256_storeu_si256((__m256i *)(cr + 1 * n + 8), c11);
            _mm256_storeu_si256((__m256i *)(cr + 2 * n), c20);
            _mm256_storeu_si256((__m256i *)(cr + 2 * n + 8), c21);
            _mm256_storeu_si256((__m256i *)(cr + 3 * n), c30);
            _mm256_storeu_si256((__m256i *)(cr + 3 * n + 8), c31);
            _mm256_storeu_si256((__m256i *)(cr + 4 * n), c40);
            _mm256_storeu_si256((__m256i *)(cr + 4 * n + 8), c41);
            _mm256_storeu_si256((__m256i *)(cr + 5 * n), c50);
            _mm256_storeu_si256((__m256i *)(cr + 5 * n + 8), c51);
        }
    }
}

#else

int accsim_reference_gemm_available(void) { return 0; }
void accsim_reference_gemm_pack_a(const uint8_t *a, size_t m, size_t k, int16_t *packed) {
    (void)a; (void)m; (void)k; (void)packed;
}
void accsim_reference_gemm_pack_b(const int8_t *b, size_t k, size_t n, int16_t *packed) {
    (void)b; (void)k; (void)n; (void)packed;
}
void accsim_reference_gemm(const int16_t *a, const int16_t *b, int32_t *c, size_t m, size_t n, size_t k) {
    (void)a; (void)b; (void)c; (void)m; (void)n; (void)k;
}

#endif
