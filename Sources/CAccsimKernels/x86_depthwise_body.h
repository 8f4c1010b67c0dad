// The body of the x86 depthwise kernel (see `accsim_depthwise_pairs_avx2` in CAccsimKernels.h),
// included by x86_depthwise.c once per instruction set with these macros defined:
//   DW_NAME(x)            the function name for `x` of this instruction set
//   DW_TARGET             the target attribute
//   DW_VEC, DW_LANES      the vector type and its count of int32 lanes
//   dw_load(p), dw_store(p, v), dw_set1(x)
//   dw_load_partial(p, lanes, fill)   the first `lanes` int32 of p, the other lanes `fill`
//   dw_pair(lo, hi)       per lane: the low 16 bits of lo, the low 16 bits of hi above them
//   dw_dot(acc, a, b)     acc + a.lo·b.lo + a.hi·b.hi per int32 lane (int16 halves), wrapping
//
// One output row at a time. The input rows it needs are turned into "pair rows" (`build_row`):
// word j, channel c holds x(ix, c) in its low half and x(ix + dilation, c) in its high half, for
// ix = j − pad_left, the image's zero point where ix is outside the image. A pair row serves every
// output row that reads that input row; a ring of `ring_rows` of them (the kernel's vertical span)
// keeps the ones the next output rows need. Each output then costs `kernel_height ·
// ceil(kernel_width / 2)` dot instructions per vector of channels.

DW_TARGET static void DW_NAME(build_row)(
    const int32_t *row, const accsim_depthwise_pairs_geometry *g, int32_t *pairs) {
    const size_t channels = g->channels, cp = g->cp, full = channels / DW_LANES * DW_LANES;
    const DW_VEC zp = dw_set1(g->zero_point), zp_pair = dw_pair(zp, zp);
    for (size_t j = 0; j < g->pair_width; j++) {
        const ptrdiff_t ix0 = (ptrdiff_t)j - (ptrdiff_t)g->pad_left, ix1 = ix0 + (ptrdiff_t)g->dilation_width;
        const int32_t *p0 = ix0 >= 0 && ix0 < (ptrdiff_t)g->width ? row + (size_t)ix0 * channels : NULL;
        const int32_t *p1 = ix1 >= 0 && ix1 < (ptrdiff_t)g->width ? row + (size_t)ix1 * channels : NULL;
        int32_t *out = pairs + j * cp;
        size_t c = 0;
        if (p0 && p1) {
            for (; c < full; c += DW_LANES) dw_store(out + c, dw_pair(dw_load(p0 + c), dw_load(p1 + c)));
        } else if (p0) {
            for (; c < full; c += DW_LANES) dw_store(out + c, dw_pair(dw_load(p0 + c), zp));
        } else if (p1) {
            for (; c < full; c += DW_LANES) dw_store(out + c, dw_pair(zp, dw_load(p1 + c)));
        }
        if (c < channels) {
            const size_t lanes = channels - c;
            const DW_VEC lo = p0 ? dw_load_partial(p0 + c, lanes, zp) : zp;
            const DW_VEC hi = p1 ? dw_load_partial(p1 + c, lanes, zp) : zp;
            dw_store(out + c, dw_pair(lo, hi));
            c += DW_LANES;
        }
        for (; c < cp; c += DW_LANES) dw_store(out + c, zp_pair);
    }
}

// Loop order: groups of four output pixels outside, channels inside, so that every stream of
// loads and stores (pair words, weights, outputs) is contiguous. Channels outside would walk
// each stream with a stride of cp words, which for 256 channels (1 KiB) maps every access to the
// same few L1 sets and thrashes the cache.

// 3×3, stride 1, dilation 1 (most depthwise layers): four outputs read six pair words of each
// kernel row (outputs i and i + 2 share one).
DW_TARGET static void DW_NAME(compute_3x3_unit)(
    const int32_t *const *rows, const int32_t *w, const int32_t *bias, int32_t *out, size_t ow, size_t cp) {
    size_t ox = 0;
    for (; ox + 4 <= ow; ox += 4) {
        const int32_t *r0 = rows[0] + ox * cp, *r1 = rows[1] + ox * cp, *r2 = rows[2] + ox * cp;
        int32_t *o = out + ox * cp;
        for (size_t c = 0; c < cp; c += DW_LANES) {
            const DW_VEC b = dw_load(bias + c);
            DW_VEC a0 = b, a1 = b, a2 = b, a3 = b;
#define DW_ROW(R, K)                                                                         \
    {                                                                                        \
        const DW_VEC w0 = dw_load(w + 2 * (K) * cp + c), w1 = dw_load(w + (2 * (K) + 1) * cp + c); \
        const DW_VEC x0 = dw_load(R + c), x1 = dw_load(R + cp + c), x2 = dw_load(R + 2 * cp + c); \
        const DW_VEC x3 = dw_load(R + 3 * cp + c), x4 = dw_load(R + 4 * cp + c);             \
        const DW_VEC x5 = dw_load(R + 5 * cp + c);                                           \
        a0 = dw_dot(dw_dot(a0, x0, w0), x2, w1);                                             \
        a1 = dw_dot(dw_dot(a1, x1, w0), x3, w1);                                             \
        a2 = dw_dot(dw_dot(a2, x2, w0), x4, w1);                                             \
        a3 = dw_dot(dw_dot(a3, x3, w0), x5, w1);                                             \
    }
            DW_ROW(r0, 0)
            DW_ROW(r1, 1)
            DW_ROW(r2, 2)
#undef DW_ROW
            dw_store(o + c, a0);
            dw_store(o + cp + c, a1);
            dw_store(o + 2 * cp + c, a2);
            dw_store(o + 3 * cp + c, a3);
        }
    }
    for (; ox < ow; ox++) {
        const int32_t *r0 = rows[0] + ox * cp, *r1 = rows[1] + ox * cp, *r2 = rows[2] + ox * cp;
        for (size_t c = 0; c < cp; c += DW_LANES) {
            DW_VEC a = dw_load(bias + c);
            a = dw_dot(dw_dot(a, dw_load(r0 + c), dw_load(w + c)), dw_load(r0 + 2 * cp + c), dw_load(w + cp + c));
            a = dw_dot(dw_dot(a, dw_load(r1 + c), dw_load(w + 2 * cp + c)), dw_load(r1 + 2 * cp + c),
                dw_load(w + 3 * cp + c));
            a = dw_dot(dw_dot(a, dw_load(r2 + c), dw_load(w + 4 * cp + c)), dw_load(r2 + 2 * cp + c),
                dw_load(w + 5 * cp + c));
            dw_store(out + ox * cp + c, a);
        }
    }
}

// Any kernel, stride and dilation: two output pixels per step, the weights of a tap pair read
// once for both.
DW_TARGET static void DW_NAME(compute_any)(
    const int32_t *const *rows, const int32_t *w, const int32_t *bias, int32_t *out, size_t ow, size_t sw,
    size_t dw, size_t cp, size_t kh, size_t qw) {
    size_t ox = 0;
    for (; ox + 2 <= ow; ox += 2) {
        for (size_t c = 0; c < cp; c += DW_LANES) {
            const DW_VEC b = dw_load(bias + c);
            DW_VEC a0 = b, a1 = b;
            for (size_t ky = 0; ky < kh; ky++) {
                const int32_t *r = rows[ky] + ox * sw * cp + c;
                const int32_t *wk = w + ky * qw * cp + c;
                for (size_t q = 0; q < qw; q++) {
                    const DW_VEC wq = dw_load(wk + q * cp);
                    const int32_t *x = r + 2 * q * dw * cp;
                    a0 = dw_dot(a0, dw_load(x), wq);
                    a1 = dw_dot(a1, dw_load(x + sw * cp), wq);
                }
            }
            dw_store(out + ox * cp + c, a0);
            dw_store(out + (ox + 1) * cp + c, a1);
        }
    }
    for (; ox < ow; ox++) {
        for (size_t c = 0; c < cp; c += DW_LANES) {
            DW_VEC a = dw_load(bias + c);
            for (size_t ky = 0; ky < kh; ky++) {
                const int32_t *r = rows[ky] + ox * sw * cp + c;
                const int32_t *wk = w + ky * qw * cp + c;
                for (size_t q = 0; q < qw; q++) a = dw_dot(a, dw_load(r + 2 * q * dw * cp), dw_load(wk + q * cp));
            }
            dw_store(out + ox * cp + c, a);
        }
    }
}

DW_TARGET void DW_NAME(accsim_depthwise_pairs)(
    const int32_t *input, const int32_t *pairs, const int32_t *bias, const accsim_depthwise_pairs_geometry *g,
    size_t row, int32_t *ring, int64_t *tags, const int32_t *pad_row, int32_t *out) {
    const size_t kh = g->kernel_height, qw = (g->kernel_width + 1) / 2, cp = g->cp;
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
            DW_NAME(build_row)(input + (size_t)key * g->width * g->channels, g, slot);
            tags[(size_t)iy % g->ring_rows] = key;
        }
        rows[ky] = slot;
    }
    const size_t ow = g->out_width, sw = g->stride_width, dw = g->dilation_width;
    if (kh == 3 && g->kernel_width == 3 && sw == 1 && dw == 1) {
        DW_NAME(compute_3x3_unit)(rows, pairs, bias, out, ow, cp);
    } else {
        DW_NAME(compute_any)(rows, pairs, bias, out, ow, sw, dw, cp, kh, qw);
    }
}
