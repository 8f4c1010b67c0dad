// The quad-tap body of the x86 depthwise kernel (see `accsim_depthwise_quads_avx512vnni` in
// CAccsimKernels.h), included by x86_depthwise.c once per instruction set with the macros of
// x86_depthwise_body.h and these:
//   DQ_NAME(x)                  the function name for `x` of this instruction set
//   dw_srli(v, n), dw_slli(v, n), dw_or(a, b), dw_xor(a, b)   per int32 lane
//   DQ_WEIGHT, dq_weight(v)     a weight vector prepared for dq_dot
//   dq_dot(acc, q, w)           acc + Σ_t q.byte_t (unsigned) · w.byte_t (signed) per int32 lane,
//                               wrapping (vpdpbusd, or its exact vpmaddwd emulation on AVX2)
//
// A quad row of an input row: word j, channel c holds the bytes u(ix), u(ix + 1), u(ix + 2),
// u(ix + 3) (low to high) for ix = j − pad_left, u = x + 128 for int8 (x for uint8), the shifted
// zero point X0 outside the image. One dq_dot multiplies four horizontal taps of a kernel row:
// 3×3 costs three per output and vector of channels where tap pairs cost six. The weights are
// int8 quads (w(ky, 4q + t) − zp_w, 0 past the kernel row) and the caller folds X0 into the bias
// (bias − X0 · Σ w). Unit dilation only: a word is the previous one shifted right by a byte with
// the next byte on top, so a row costs one load per word and vector of channels.

DW_TARGET static inline DW_VEC DQ_NAME(top_byte)(
    const int32_t *row, const accsim_depthwise_pairs_geometry *g, ptrdiff_t ix, size_t c, DW_VEC flip, DW_VEC pad) {
    if (ix < 0 || ix >= (ptrdiff_t)g->width || c >= g->channels) return pad;
    const int32_t *p = row + (size_t)ix * g->channels + c;
    const size_t lanes = g->channels - c;
    const DW_VEC v = lanes >= DW_LANES ? dw_load(p) : dw_load_partial(p, lanes, dw_set1(0));
    return dw_xor(dw_slli(v, 24), flip);
}

DW_TARGET static void DQ_NAME(build_quads)(
    const int32_t *row, const accsim_depthwise_pairs_geometry *g, int32_t *quads) {
    const size_t cp = g->cp, words = g->pair_width;
    const DW_VEC flip = dw_set1((int32_t)((uint32_t)g->byte_flip << 24));
    const DW_VEC pad = dw_set1((int32_t)((uint32_t)g->pad_byte << 24));
    const ptrdiff_t left = (ptrdiff_t)g->pad_left;
    // Channels outside: each 64-byte line of the input row is read once, so the stride of `cp`
    // words between the words of one vector costs nothing here.
    for (size_t c = 0; c < cp; c += DW_LANES) {
        DW_VEC q = dw_set1(0);
        for (ptrdiff_t t = 0; t < 3; t++) q = dw_or(dw_srli(q, 8), DQ_NAME(top_byte)(row, g, t - left, c, flip, pad));
        for (size_t j = 0; j < words; j++) {
            q = dw_or(dw_srli(q, 8), DQ_NAME(top_byte)(row, g, (ptrdiff_t)j + 3 - left, c, flip, pad));
            dw_store(quads + j * cp + c, q);
        }
    }
}

// 3×3 (or any kernel of width ≤ 4) with stride 1: one quad per kernel row, eight outputs per
// step (eight independent accumulator chains of kernel_height dots).
DW_TARGET static void DQ_NAME(compute_narrow_unit)(
    const int32_t *const *rows, const int32_t *w, const int32_t *bias, int32_t *out, size_t ow, size_t cp, size_t kh) {
    size_t ox = 0;
    if (kh == 3) {
        for (; ox + 8 <= ow; ox += 8) {
            const int32_t *r0 = rows[0] + ox * cp, *r1 = rows[1] + ox * cp, *r2 = rows[2] + ox * cp;
            int32_t *o = out + ox * cp;
            for (size_t c = 0; c < cp; c += DW_LANES) {
                const DQ_WEIGHT w0 = dq_weight(dw_load(w + c)), w1 = dq_weight(dw_load(w + cp + c));
                const DQ_WEIGHT w2 = dq_weight(dw_load(w + 2 * cp + c));
                const DW_VEC b = dw_load(bias + c);
#define DQ_OUT(I)                                                                                         \
    {                                                                                                     \
        DW_VEC a = dq_dot(b, dw_load(r0 + (I) * cp + c), w0);                                             \
        a = dq_dot(a, dw_load(r1 + (I) * cp + c), w1);                                                    \
        dw_store(o + (I) * cp + c, dq_dot(a, dw_load(r2 + (I) * cp + c), w2));                            \
    }
                DQ_OUT(0) DQ_OUT(1) DQ_OUT(2) DQ_OUT(3) DQ_OUT(4) DQ_OUT(5) DQ_OUT(6) DQ_OUT(7)
#undef DQ_OUT
            }
        }
    }
    for (; ox < ow; ox++) {
        for (size_t c = 0; c < cp; c += DW_LANES) {
            DW_VEC a = dw_load(bias + c);
            for (size_t ky = 0; ky < kh; ky++) a = dq_dot(a, dw_load(rows[ky] + ox * cp + c), dq_weight(dw_load(w + ky * cp + c)));
            dw_store(out + ox * cp + c, a);
        }
    }
}

// Any kernel and stride: four outputs per step, the weights of a quad read once for all four.
DW_TARGET static void DQ_NAME(compute_quads_any)(
    const int32_t *const *rows, const int32_t *w, const int32_t *bias, int32_t *out, size_t ow, size_t sw, size_t cp,
    size_t kh, size_t qw) {
    size_t ox = 0;
    for (; ox + 4 <= ow; ox += 4) {
        for (size_t c = 0; c < cp; c += DW_LANES) {
            const DW_VEC b = dw_load(bias + c);
            DW_VEC a0 = b, a1 = b, a2 = b, a3 = b;
            for (size_t ky = 0; ky < kh; ky++) {
                const int32_t *r = rows[ky] + ox * sw * cp + c;
                for (size_t q = 0; q < qw; q++) {
                    const DQ_WEIGHT wq = dq_weight(dw_load(w + (ky * qw + q) * cp + c));
                    const int32_t *x = r + 4 * q * cp;
                    a0 = dq_dot(a0, dw_load(x), wq);
                    a1 = dq_dot(a1, dw_load(x + sw * cp), wq);
                    a2 = dq_dot(a2, dw_load(x + 2 * sw * cp), wq);
                    a3 = dq_dot(a3, dw_load(x + 3 * sw * cp), wq);
                }
            }
            dw_store(out + ox * cp + c, a0);
            dw_store(out + (ox + 1) * cp + c, a1);
            dw_store(out + (ox + 2) * cp + c, a2);
            dw_store(out + (ox + 3) * cp + c, a3);
        }
    }
    for (; ox < ow; ox++) {
        for (size_t c = 0; c < cp; c += DW_LANES) {
            DW_VEC a = dw_load(bias + c);
            for (size_t ky = 0; ky < kh; ky++) {
                const int32_t *r = rows[ky] + ox * sw * cp + c;
                for (size_t q = 0; q < qw; q++) {
                    a = dq_dot(a, dw_load(r + 4 * q * cp), dq_weight(dw_load(w + (ky * qw + q) * cp + c)));
                }
            }
            dw_store(out + ox * cp + c, a);
        }
    }
}

DW_TARGET void DQ_NAME(accsim_depthwise_quads)(
    const int32_t *input, const int32_t *quads, const int32_t *bias, const accsim_depthwise_pairs_geometry *g,
    size_t row, int32_t *ring, int64_t *tags, const int32_t *pad_row, int32_t *out) {
    const size_t kh = g->kernel_height, qw = (g->kernel_width + 3) / 4, cp = g->cp;
    const size_t b = row / g->out_height, oy = row % g->out_height, row_words = g->pair_width * cp;
    const int32_t *rows[kh];
    for (size_t ky = 0; ky < kh; ky++) {
        const ptrdiff_t iy = (ptrdiff_t)(oy * g->stride_height + ky * g->dilation_height) - (ptrdiff_t)g->pad_top;
        if (iy < 0 || iy >= (ptrdiff_t)g->height) {
            rows[ky] = pad_row;
            continue;
        }
        const int64_t key = (int64_t)(b * g->height + (size_t)iy);
        int32_t *slot = ring + ((size_t)iy % g->ring_rows) * row_words;
        if (tags[(size_t)iy % g->ring_rows] != key) {
            DQ_NAME(build_quads)(input + (size_t)key * g->width * g->channels, g, slot);
            tags[(size_t)iy % g->ring_rows] = key;
        }
        rows[ky] = slot;
    }
    if (qw == 1 && g->stride_width == 1) {
        DQ_NAME(compute_narrow_unit)(rows, quads, bias, out, g->out_width, cp, kh);
    } else {
        DQ_NAME(compute_quads_any)(rows, quads, bias, out, g->out_width, g->stride_width, cp, kh, qw);
    }
}
