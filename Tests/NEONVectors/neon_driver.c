// The NEON cross test's driver (Scripts/test-neon.sh): runs the neon path's C kernels on the
// vectors of vectors.bin (written by the Swift suite NEONVectorTests from the reference kernels)
// and compares every output bit for bit. The GEMM runs with SDOT and, when the CPU has I8MM,
// with USDOT. Exit status 0 only when every comparison holds.

#include "CAccsimKernels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t *cursor, *end;

static const void *take(size_t bytes) {
    if ((size_t)(end - cursor) < bytes) {
        fprintf(stderr, "neon_driver: vectors.bin is truncated\n");
        exit(2);
    }
    const void *p = cursor;
    cursor += bytes;
    return p;
}

static size_t u32(void) {
    uint32_t v;
    memcpy(&v, take(4), 4);
    return v;
}

static void *copy(size_t bytes) {
    void *out = malloc(bytes ? bytes : 1);
    if (!out) exit(2);
    memcpy(out, take(bytes), bytes);
    return out;
}

static int compare(const char *what, size_t index, const int32_t *got, const int32_t *expected, size_t count) {
    for (size_t i = 0; i < count; i++) {
        if (got[i] != expected[i]) {
            fprintf(stderr, "case %zu (%s): element %zu is %d, expected %d\n", index, what, i, got[i], expected[i]);
            return 0;
        }
    }
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: neon_driver vectors.bin\n");
        return 2;
    }
    FILE *file = fopen(argv[1], "rb");
    if (!file) {
        perror(argv[1]);
        return 2;
    }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    uint8_t *data = malloc((size_t)size);
    if (!data || fread(data, 1, (size_t)size, file) != (size_t)size) return 2;
    fclose(file);
    cursor = data;
    end = data + size;
    if (memcmp(take(4), "ACNV", 4) != 0 || u32() != 1) {
        fprintf(stderr, "neon_driver: not a version 1 vector file\n");
        return 2;
    }
    const unsigned features = accsim_cpu_features();
    const int dotprod = (features & ACCSIM_CPU_NEON_DOTPROD) != 0, i8mm = (features & ACCSIM_CPU_NEON_I8MM) != 0;
    if (!dotprod) {
        fprintf(stderr, "neon_driver: this CPU has no DotProd; the neon path needs it\n");
        return 1;
    }
    const size_t cases = u32();
    size_t passed = 0, failed = 0;
    for (size_t index = 0; index < cases; index++) {
        const size_t kind = u32();
        if (kind == 1) {
            const size_t m = u32(), n = u32(), k = u32(), kp = u32();
            (void)k;
            uint8_t *a = copy(m * kp);
            int8_t *b = copy((n + 15) / 16 * 16 * kp);
            int32_t *offsets = copy(n * 4), *sums = copy(n * 4), *expected = copy(m * n * 4);
            int32_t *c = malloc(m * n * 4 + 4);
            for (int variant = 0; variant < 1 + i8mm; variant++) {
                memset(c, 0x5A, m * n * 4);
                accsim_gemm_u8s8_neon(a, kp, b, kp, offsets, sums, c, n, m, n, variant);
                if (compare(variant ? "gemm usdot" : "gemm sdot", index, c, expected, m * n)) passed++; else failed++;
            }
            free(a); free(b); free(offsets); free(sums); free(expected); free(c);
        } else if (kind == 2) {
            accsim_depthwise_geometry g;
            const size_t batch = u32();
            g.height = u32(); g.width = u32(); g.channels = u32(); g.out_height = u32(); g.out_width = u32();
            g.kernel_height = u32(); g.kernel_width = u32(); g.stride_height = u32(); g.stride_width = u32();
            g.dilation_height = u32(); g.dilation_width = u32(); g.pad_top = u32(); g.pad_left = u32();
            const size_t cp = g.channels, taps = g.kernel_height * g.kernel_width;
            const size_t rows = batch * g.out_height * g.out_width;
            int16_t *x = copy(batch * g.height * g.width * cp * 2), *w = copy(taps * cp * 2);
            int32_t *bias = copy(cp * 4), *expected = copy(rows * cp * 4);
            int32_t *out = malloc(rows * cp * 4);
            // Two calls (rows split unevenly), as the Swift side's work items call it.
            const size_t first = rows / 3;
            accsim_depthwise_neon(x, w, bias, out, &g, 0, first);
            accsim_depthwise_neon(x, w, bias, out + first * cp, &g, first, rows - first);
            if (compare("depthwise", index, out, expected, rows * cp)) passed++; else failed++;
            free(x); free(w); free(bias); free(expected); free(out);
        } else {
            fprintf(stderr, "neon_driver: unknown case kind %zu\n", kind);
            return 2;
        }
    }
    if (cursor != end) {
        fprintf(stderr, "neon_driver: %zu trailing bytes\n", (size_t)(end - cursor));
        return 2;
    }
    printf("neon cross test (%s): %zu cases, GEMM with sdot%s, depthwise\n", i8mm ? "dotprod + i8mm" : "dotprod only",
        cases, i8mm ? " and usdot" : "");
    printf("%zu passed, %zu failed\n", passed, failed);
    free(data);
    return failed == 0 ? 0 : 1;
}
