#!/usr/bin/env python3
"""An independent integer reference of accsim's operations, in NumPy.

Written from docs/arithmetic.md, shared ARITHMETIC.md and the parameter docs, not from the Swift
kernels, so that the two can check each other. Every function takes NumPy integer arrays (any
integer dtype; values are widened to int64 internally) and the attribute dicts exactly as they
appear in a `.q` manifest (docs/model-format.md), and returns an int64 array holding the stored
output values (the caller picks the dtype for storage).

    import intref
    y = intref.conv2d(x, x_zp, w, w_zp, bias, attrs, overflow="wrap", out_type="int8")

Conventions: activations NHWC; conv weights OHWI `[Cout, KH, KW, Cin/groups]`; FC weights
`[O, D]`; a requantizer is the manifest object
`{"multipliers", "shifts", "rounding", "zero_point", "clamp_min", "clamp_max"}` with `shifts` the
right shift n (real scale M * 2^-n). `overflow` is "wrap" or "saturate" (what an int32 sum does
when it leaves the int32 range).

Numeric care: intermediates stay below 2^63 in magnitude (|acc * M| <= 2^62, plus a rounding
constant below 2^62), so int64 NumPy arithmetic is exact; softmax and the multiplier derivations
use Python integers.
"""

import ctypes
import ctypes.util
import math

import numpy as np

__all__ = [
    "TYPE_RANGE", "ROUNDING_MODES",
    "wrap32", "saturate32", "narrow32", "add32",
    "srdhm", "rdbp", "quantize_multiplier", "round_scaled", "apply_requantizer",
    "conv2d", "conv2d_accumulators", "fully_connected", "fully_connected_accumulators",
    "add", "concat", "max_pool", "avg_pool", "divide_rounded", "mean", "clamp", "leaky_relu",
    "lookup_table", "requantize", "reshape", "pad", "softmax",
    "softmax_parameters", "tflite_table", "run_op",
    "INT16_SIGMOID_TABLE", "int16_activation", "int16_activation_parameters", "int16_lut", "int16_lookup",
    "int16_softmax", "int16_softmax_parameters",
]

INT32_MIN = -(1 << 31)
INT32_MAX = (1 << 31) - 1

TYPE_RANGE = {
    "int8": (-128, 127),
    "uint8": (0, 255),
    "int16": (-32768, 32767),
    "int32": (INT32_MIN, INT32_MAX),
}

ROUNDING_MODES = ("half_up", "tflite", "tflite_half_up", "half_away", "half_even", "floor")


def _i64(a):
    return np.asarray(a, dtype=np.int64)


# --- int32 overflow -------------------------------------------------------------------------

def wrap32(v):
    """Two's complement wrap of int64 values to int32 (the value modulo 2^32, centred)."""
    v = _i64(v)
    return ((v - INT32_MIN) & 0xFFFFFFFF) + INT32_MIN


def saturate32(v):
    """Clamp of int64 values to the int32 range."""
    return np.clip(_i64(v), INT32_MIN, INT32_MAX)


def narrow32(v, overflow):
    """An int64 value brought to int32 by the overflow mode."""
    if overflow == "wrap":
        return wrap32(v)
    if overflow == "saturate":
        return saturate32(v)
    raise ValueError(f"unknown overflow mode {overflow!r}")


def add32(a, b, overflow):
    """int32 + int32 under the overflow mode (exact sum in int64, then narrowed)."""
    return narrow32(_i64(a) + _i64(b), overflow)


# --- fixed point --------------------------------------------------------------------------

def srdhm(a, b):
    """SaturatingRoundingDoublingHighMul: floor((a*b + 2^30) / 2^31), with the one overflowing
    case a = b = -2^31 giving 2^31 - 1. (The floor form equals gemmlowp's truncating form with
    its sign-dependent nudge.)"""
    a, b = _i64(a), _i64(b)
    high = (a * b + (1 << 30)) >> 31
    return np.where((a == INT32_MIN) & (b == INT32_MIN), INT32_MAX, high)


def rdbp(x, n):
    """RoundingDivideByPOT: x / 2^n rounded to nearest, ties away from zero (n >= 0).
    Written as floor((x + 2^(n-1) - [x < 0]) / 2^n)."""
    x, n = _i64(x), _i64(n)
    half = np.where(n > 0, np.left_shift(1, np.maximum(n - 1, 0)), 0)
    bias = half - ((x < 0) & (n > 0))
    return (x + bias) >> n


def quantize_multiplier(real):
    """TFLite QuantizeMultiplier: (M, shift) with real ~= M * 2^(shift - 31), M in [2^30, 2^31),
    shift > 0 meaning a left shift; (0, 0) for zero and for values below about 2^-32."""
    if real == 0.0:
        return 0, 0
    fraction, exponent = math.frexp(real)
    scaled = fraction * (1 << 31)  # exact: a power-of-two scaling
    magnitude = math.floor(abs(scaled) + 0.5)  # round half away from zero (exact in double)
    m = magnitude if scaled >= 0 else -magnitude
    if abs(m) == (1 << 31):
        m //= 2
        exponent += 1
    if exponent < -31:
        return 0, 0
    return int(m), int(exponent)


def _floor_shift_round(p, n, mode):
    """Rounds p / 2^n (int64 arrays, n >= 0) in one of the plain modes."""
    p, n = _i64(p), _i64(n)
    floor_q = p >> n
    remainder = p - (floor_q << n)  # in [0, 2^n)
    twice = remainder << 1  # compare remainder with 2^(n-1) without a half for n = 0
    unit = np.left_shift(1, n)
    above = twice > unit
    tie = (twice == unit) & (n > 0)
    if mode == "floor":
        out = floor_q
    elif mode == "half_up":
        out = floor_q + (above | tie)
    elif mode == "half_even":
        out = floor_q + above + (tie & ((floor_q & 1) == 1))
    elif mode == "half_away":
        # a tie rounds up for a non-negative exact value, down (the floor) for a negative one
        out = floor_q + above + (tie & (floor_q >= 0))
    else:
        raise ValueError(f"not a plain rounding mode: {mode!r}")
    return np.where(n == 0, p, out)


def round_scaled(acc, multiplier, shift, mode):
    """ROUND(acc, M, n) of the requantizer (before zero point and clamp), elementwise with
    broadcasting; acc is int32-valued."""
    acc, m, n = _i64(acc), _i64(multiplier), _i64(shift)
    if mode in ("tflite", "tflite_half_up"):
        left = np.maximum(31 - n, 0)
        right = np.maximum(n - 31, 0)
        high = srdhm(wrap32(acc << left), m)
        if mode == "tflite":
            return rdbp(high, right)
        return np.where(right > 0, (high + np.left_shift(1, np.maximum(right - 1, 0))) >> right, high)
    return _floor_shift_round(acc * m, n, mode)


def apply_requantizer(acc, rq, channel_axis=-1):
    """clamp(ROUND(acc, M[c], n[c]) + zero_point, clamp_min, clamp_max); per-channel parameters
    run along `channel_axis` (the last axis by default)."""
    acc = _i64(acc)
    m = _i64(rq["multipliers"])
    n = _i64(rq["shifts"])
    if m.size > 1:
        shape = [1] * acc.ndim
        shape[channel_axis] = m.size
        m = m.reshape(shape)
        n = n.reshape(shape)
    else:
        m = m.reshape(())
        n = n.reshape(())
    y = round_scaled(acc, m, n, rq["rounding"]) + int(rq.get("zero_point", 0))
    return np.clip(y, int(rq.get("clamp_min", -128)), int(rq.get("clamp_max", 127)))


# --- convolution and fully connected --------------------------------------------------------

def _per_channel(values, count):
    """A zero-point list of 1 or `count` entries (or a scalar, or None) as a (count,) array."""
    if values is None:
        return np.zeros(count, dtype=np.int64)
    v = _i64(values).reshape(-1)
    if v.size == 0:
        return np.zeros(count, dtype=np.int64)
    if v.size == 1:
        return np.full(count, int(v[0]), dtype=np.int64)
    assert v.size == count, f"{v.size} per-channel values for {count} channels"
    return v


def _extent(size, before, after, kernel, stride, dilation):
    effective = (kernel - 1) * dilation + 1
    return (size + before + after - effective) // stride + 1


def conv2d_accumulators(x, x_zp, w, w_zp, bias, attrs, overflow="wrap"):
    """int32 accumulators [N, OH, OW, Cout] of conv2d: starting at 0, the products
    (w - zp_w[oc]) * (x - zp_x) are added in (ky, kx, ic) order under `overflow`, then the bias.
    Out-of-image taps contribute nothing (here: the input is padded with zeros after the zero
    point is subtracted, and adding a zero changes nothing in either overflow mode)."""
    x, w = _i64(x), _i64(w)
    n_, h, wd, c = x.shape
    cout, kh, kw, cg = w.shape
    sh, sw = attrs.get("stride", [1, 1])
    dh, dw = attrs.get("dilation", [1, 1])
    pt, pb, pl, pr = attrs.get("padding", [0, 0, 0, 0])
    groups = attrs.get("groups", 1)
    assert c % groups == 0 and cout % groups == 0 and cg == c // groups
    oh = _extent(h, pt, pb, kh, sh, dh)
    ow = _extent(wd, pl, pr, kw, sw, dw)
    centred = np.zeros((n_, h + pt + pb, wd + pl + pr, c), dtype=np.int64)
    centred[:, pt:pt + h, pl:pl + wd, :] = x - int(x_zp)
    weights = w - _per_channel(w_zp, cout)[:, None, None, None]
    first_channel = (np.arange(cout) // (cout // groups)) * cg  # first input channel of oc's group
    acc = np.zeros((n_, oh, ow, cout), dtype=np.int64)
    for ky in range(kh):
        for kx in range(kw):
            y0, x0 = ky * dh, kx * dw
            window = centred[:, y0:y0 + (oh - 1) * sh + 1:sh, x0:x0 + (ow - 1) * sw + 1:sw, :]
            for ic in range(cg):
                product = window[..., first_channel + ic] * weights[:, ky, kx, ic]
                assert np.all(np.abs(product) <= INT32_MAX)
                acc = add32(acc, product, overflow)
    if bias is not None:
        acc = add32(acc, _i64(bias), overflow)
    return acc


def conv2d(x, x_zp, w, w_zp, bias, attrs, overflow="wrap", out_type="int8"):
    """conv2d requantized per output channel by attrs["requantizer"]."""
    del out_type  # the requantizer's clamp already keeps the output in its type
    acc = conv2d_accumulators(x, x_zp, w, w_zp, bias, attrs, overflow)
    return apply_requantizer(acc, attrs["requantizer"])


def fully_connected_accumulators(x, x_zp, w, w_zp, bias, overflow="wrap"):
    """int32 accumulators [N, O]: products (w[o,d] - zp_w[o]) * (x[n,d] - zp_x) added in
    increasing d under `overflow`, then the bias."""
    x, w = _i64(x), _i64(w)
    n_, d = x.shape
    o, d2 = w.shape
    assert d == d2
    centred = x - int(x_zp)
    weights = w - _per_channel(w_zp, o)[:, None]
    acc = np.zeros((n_, o), dtype=np.int64)
    for k in range(d):
        acc = add32(acc, centred[:, k:k + 1] * weights[None, :, k], overflow)
    if bias is not None:
        acc = add32(acc, _i64(bias), overflow)
    return acc


def fully_connected(x, x_zp, w, w_zp, bias, attrs, overflow="wrap", out_type="int8"):
    """fully_connected requantized per output by attrs["requantizer"]."""
    del out_type
    return apply_requantizer(fully_connected_accumulators(x, x_zp, w, w_zp, bias, overflow), attrs["requantizer"])


# --- elementwise ----------------------------------------------------------------------------

def add(a, a_zp, b, b_zp, attrs, overflow="wrap", out_type="int8"):
    """Elementwise add: each input becomes v = narrow((q - zp) << left_shift), then
    narrow(ROUND(v, rescale)) when it has a rescale; the two are added under `overflow` and the
    sum goes through attrs["output"] (per channel along the last axis)."""
    del out_type
    a, b = _i64(a), _i64(b)
    assert a.shape == b.shape
    scaled = []
    for q, zp, scaling in ((a, a_zp, attrs["inputs"][0]), (b, b_zp, attrs["inputs"][1])):
        v = narrow32((q - int(zp)) * (1 << int(scaling["left_shift"])), overflow)
        rescale = scaling.get("rescale")
        if rescale is not None:
            v = narrow32(round_scaled(v, rescale["multipliers"][0], rescale["shifts"][0], rescale["rounding"]), overflow)
        scaled.append(v)
    return apply_requantizer(add32(scaled[0], scaled[1], overflow), attrs["output"])


def concat(inputs, zero_points, attrs, out_type="int8"):
    """Concatenation along attrs["axis"]; an input with a requantizer is rescaled as
    requantizer(q - zp), one without is copied."""
    del out_type
    parts = []
    for q, zp, rq in zip(inputs, zero_points, attrs["input_requantizers"]):
        q = _i64(q)
        if rq is None:
            parts.append(q)
        else:
            flat = apply_requantizer((q - int(zp)).reshape(-1), rq)
            parts.append(flat.reshape(q.shape))
    return np.concatenate(parts, axis=attrs["axis"])


def clamp(x, attrs):
    return np.clip(_i64(x), int(attrs["min"]), int(attrs["max"]))


def leaky_relu(x, x_zp, out_zp, attrs, out_type="int8"):
    """v = q - zp_in; y = v if v >= 0 else ROUND(v, slope_multiplier, slope_shift); output
    clamp(y + zp_out) to the output type."""
    v = _i64(x) - int(x_zp)
    negative = round_scaled(v, attrs["slope_multiplier"], attrs["slope_shift"], attrs["rounding"])
    y = np.where(v >= 0, v, negative) + int(out_zp)
    lo, hi = TYPE_RANGE[out_type]
    return np.clip(y, lo, hi)


def lookup_table(x, attrs, in_type="int8"):
    """table[q - min(in_type)]."""
    table = _i64(attrs["table"])
    assert table.size == 256
    return table[_i64(x) - TYPE_RANGE[in_type][0]]


def requantize(x, x_zp, rq, out_type="int8"):
    """requantizer(q - zp_in), per channel along the last axis."""
    del out_type
    return apply_requantizer(_i64(x) - int(x_zp), rq)


def reshape(x, attrs):
    """Reshape; the batch extent (1 in the file) follows the input's batch size."""
    shape = [x.shape[0]] + [int(v) for v in attrs["shape"][1:]]
    return _i64(x).reshape(shape)


def pad(x, attrs):
    """Constant padding: attrs["padding"][d] = [before, after], filled with attrs["value"]."""
    widths = [tuple(int(v) for v in pair) for pair in attrs["padding"]]
    return np.pad(_i64(x), widths, mode="constant", constant_values=int(attrs["value"]))


# --- pooling --------------------------------------------------------------------------------

def divide_rounded(total, count, mode):
    """total / count (count > 0) as an exact rational rounded by `mode`; the TFLite modes round
    half away from zero, as average pooling does in TFLite."""
    total, count = _i64(total), _i64(count)
    assert np.all(count > 0)
    if mode in ("tflite", "tflite_half_up"):
        mode = "half_away"
    if mode == "floor":
        return total // count
    if mode == "half_up":  # floor(total/count + 1/2)
        return (2 * total + count) // (2 * count)
    if mode == "half_away":
        magnitude = (2 * np.abs(total) + count) // (2 * count)
        return np.where(total < 0, -magnitude, magnitude)
    if mode == "half_even":
        q, r = np.divmod(total, count)  # floor quotient, 0 <= r < count
        up = (2 * r > count) | ((2 * r == count) & (q % 2 == 1))
        return q + up
    raise ValueError(f"unknown rounding mode {mode!r}")


def _pool_windows(shape, attrs):
    _, h, w, _ = shape
    kh, kw = attrs["window"]
    sh, sw = attrs["stride"]
    pt, pb, pl, pr = attrs.get("padding", [0, 0, 0, 0])
    oh = _extent(h, pt, pb, kh, sh, 1)
    ow = _extent(w, pl, pr, kw, sw, 1)
    for oy in range(oh):
        for ox in range(ow):
            y0, x0 = oy * sh - pt, ox * sw - pl
            ys = range(max(y0, 0), min(y0 + kh, h))
            xs = range(max(x0, 0), min(x0 + kw, w))
            yield oy, ox, ys, xs, (oh, ow)


def max_pool(x, attrs):
    """Maximum over the in-image taps of each window, clamped to [clamp_min, clamp_max]."""
    x = _i64(x)
    n_, h, w, c = x.shape
    out = None
    for oy, ox, ys, xs, (oh, ow) in _pool_windows(x.shape, attrs):
        if out is None:
            out = np.zeros((n_, oh, ow, c), dtype=np.int64)
        region = x[:, ys.start:ys.stop, xs.start:xs.stop, :]
        out[:, oy, ox, :] = region.max(axis=(1, 2))
    return np.clip(out, attrs.get("clamp_min", -128), attrs.get("clamp_max", 127))


def avg_pool(x, x_zp, attrs):
    """Sum of the raw stored values of the in-image taps, divided by the in-image tap count
    (count_include_pad false) or by KH*KW with each padded tap adding the zero point (true),
    rounded by attrs["rounding"], clamped."""
    x = _i64(x)
    n_, h, w, c = x.shape
    kh, kw = attrs["window"]
    include_pad = bool(attrs.get("count_include_pad", False))
    out = None
    for oy, ox, ys, xs, (oh, ow) in _pool_windows(x.shape, attrs):
        if out is None:
            out = np.zeros((n_, oh, ow, c), dtype=np.int64)
        region = x[:, ys.start:ys.stop, xs.start:xs.stop, :]
        taps = len(ys) * len(xs)
        total = region.sum(axis=(1, 2))
        if include_pad:
            total = total + (kh * kw - taps) * int(x_zp)
            taps = kh * kw
        out[:, oy, ox, :] = divide_rounded(total, np.full_like(total, taps), attrs.get("rounding", "half_away"))
    return np.clip(out, attrs.get("clamp_min", -128), attrs.get("clamp_max", 127))


def mean(x, x_zp, attrs, out_type="int8"):
    """Mean over H and W: requantizer(wrap32(sum(q) - zp*H*W)) per channel; [N,1,1,C] with
    keep_dims (default), else [N,C]."""
    del out_type
    x = _i64(x)
    n_, h, w, c = x.shape
    total = wrap32(x.sum(axis=(1, 2)) - int(x_zp) * h * w)  # [N, C]
    y = apply_requantizer(total, attrs["requantizer"])
    if attrs.get("keep_dims", True):
        y = y.reshape(n_, 1, 1, c)
    return y


# --- softmax (gemmlowp fixed point, Python integers) ----------------------------------------

def _w32(v):
    """Python int wrapped to int32."""
    return ((v - INT32_MIN) & 0xFFFFFFFF) + INT32_MIN


def _mul(a, b):
    """gemmlowp fixed-point product of raws (SRDHM)."""
    if a == INT32_MIN and b == INT32_MIN:
        return INT32_MAX
    return (a * b + (1 << 30)) >> 31


def _rdbp(x, n):
    if n == 0:
        return x
    return (x + (1 << (n - 1)) - (1 if x < 0 else 0)) >> n


def _pot(x, exponent):
    """gemmlowp SaturatingRoundingMultiplyByPOT."""
    if exponent > 0:
        limit = (1 << (31 - exponent)) - 1
        if x > limit:
            return INT32_MAX
        if x < -limit:
            return INT32_MIN
        return x << exponent
    return _rdbp(x, -exponent)


_EXP_BARREL = {-2: 1672461947, -1: 1302514674, 0: 790015084, 1: 290630308, 2: 39332535, 3: 720401, 4: 242}


def _exp_quarter(a):
    """exp(a), a in [-1/4, 0) in Q0.31: Taylor polynomial around -1/8."""
    c = 1895147668  # exp(-1/8), Q0.31
    third = 715827883  # 1/3, Q0.31
    x = _w32(a + (1 << 28))
    x2 = _mul(x, x)
    x3 = _mul(x2, x)
    x4 = _mul(x2, x2)
    tail = _pot(_w32(_mul(_w32(_pot(x4, -2) + x3), third) + x2), -1)
    return _w32(c + _mul(c, _w32(x + tail)))


def _exp_negative(a, integer_bits):
    """exp(a) for a <= 0 with `integer_bits` integer bits, result Q0.31."""
    frac = 31 - integer_bits
    quarter = 1 << (frac - 2)
    residual = _w32((a & (quarter - 1)) - quarter)
    result = _exp_quarter(_pot(residual, integer_bits))
    k = _w32(residual - a)
    for e in range(-2, 5):
        if integer_bits > e and (k >> (frac + e)) & 1:
            result = _mul(result, _EXP_BARREL[e])
    if integer_bits > 5 and a < -(1 << (36 - integer_bits)):
        result = 0
    if a == 0:
        result = INT32_MAX
    return result


def _one_over_one_plus(a):
    """1 / (1 + a) for a in [0, 1), Q0.31 in and out (Newton-Raphson in Q2.29)."""
    total = a + INT32_MAX  # RoundingHalfSum(a, 1.0): (a + b) / 2, ties away from zero
    half_den = _w32((total + 1) // 2 if total >= 0 else -((-total + 1) // 2))
    x = _w32(1515870810 + _mul(half_den, -1010580540))
    one_q2 = 1 << 29
    for _ in range(3):
        err = _w32(one_q2 - _mul(half_den, x))
        x = _w32(x + _pot(_mul(x, err), 2))
    return _pot(x, 1)


def softmax(x, attrs):
    """TFLite int8 softmax over the last axis; output int8 with scale 1/256, zero point -128.
    Rows whose exps add up to 512 or more need a shift past 31; the result there is 0 before
    the -128 offset (accsim's extension of RoundingDivideByPOT)."""
    x = _i64(x)
    flat = x.reshape(-1, x.shape[-1])
    mult = int(attrs["input_multiplier"])
    left = int(attrs["input_left_shift"])
    diff_min = int(attrs["diff_min"])
    out = np.full(flat.shape, -128, dtype=np.int64)
    for r, row in enumerate(flat):
        top = int(row.max())
        exps = {}
        total = 0
        for i, q in enumerate(row):
            diff = int(q) - top
            if diff < diff_min:
                continue
            z = _mul(_w32(diff << left), mult)
            exps[i] = _exp_negative(z, 5)
            total = _w32(total + _rdbp(exps[i], 12))
        unsigned = total & 0xFFFFFFFF
        clz = 32 - unsigned.bit_length()
        bits_over_unit = 12 - clz
        normalised = _w32(((unsigned << clz) & 0xFFFFFFFF) - (1 << 31))
        scale = _one_over_one_plus(normalised)
        exponent = bits_over_unit + 31 - 8
        for i, e in exps.items():
            p = _mul(scale, e)
            y = _rdbp(p, exponent) if exponent <= 31 else 0
            out[r, i] = min(max(y - 128, -128), 127)
    return out.reshape(x.shape)


def softmax_parameters(beta_times_input_scale):
    """TFLite's PreprocessSoftmaxScaling (5 integer bits) and CalculateInputRadius: returns the
    softmax attribute dict. For a product too small for a left shift (TFLite rejects it), the
    shift is 0 and the multiplier round(r * 2^31)."""
    real = min(beta_times_input_scale * float(1 << 26), float(INT32_MAX))
    m, shift = quantize_multiplier(real)
    if shift < 0:
        m, shift = min(math.floor(real * float(1 << 31) + 0.5), INT32_MAX), 0
    radius = math.floor(31.0 * float(1 << 26) / float(1 << shift))
    return {
        "beta_times_input_scale": beta_times_input_scale,
        "input_multiplier": m,
        "input_left_shift": shift,
        "diff_min": -radius,
    }


# --- TFLite LOGISTIC / TANH tables ------------------------------------------------------------

_libm = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
_libm.expf.restype = ctypes.c_float
_libm.expf.argtypes = [ctypes.c_float]
_libm.tanhf.restype = ctypes.c_float
_libm.tanhf.argtypes = [ctypes.c_float]


def _round_half_away_f32(v):
    """C's roundf: nearest, ties away from zero (computed in double, where |v| + 0.5 is exact
    for every float32 below 2^23; larger floats are integers already)."""
    v = float(np.float32(v))
    if abs(v) >= 2.0 ** 23:
        return np.float32(v)
    magnitude = math.floor(abs(v) + 0.5)
    return np.float32(-magnitude if v < 0 else magnitude)


def tflite_table(function, in_scale, in_zp, out_scale, out_zp, type_name="int8"):
    """The 256-entry table TFLite builds for LOGISTIC or TANH, in float32 throughout, with the C
    library's expf/tanhf (as TFLite calls them)."""
    lo, hi = TYPE_RANGE[type_name]
    inverse = np.float32(1.0) / np.float32(out_scale)
    table = []
    for v in range(lo, hi + 1):
        xv = np.float32(in_scale) * np.float32(v - in_zp)
        if function == "logistic":
            f = np.float32(1.0) / (np.float32(1.0) + np.float32(_libm.expf(float(-xv))))
        elif function == "tanh":
            f = np.float32(_libm.tanhf(float(xv)))
        else:
            raise ValueError(function)
        rescaled = _round_half_away_f32(np.float32(f * inverse))
        q = int(np.float32(rescaled + np.float32(out_zp)))
        table.append(min(max(q, lo), hi))
    return table


# --- LiteRT int16 LOGISTIC / TANH / SOFTMAX ------------------------------------------------------

# LiteRT's sigmoid(i / 24) table in unsigned Q0.16 (data: it is not the plain rounded function;
# Tests/AccsimImportTests/Fixtures/tflite16/tanh_probe16 reads it back out of LiteRT).
INT16_SIGMOID_TABLE = [
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
    43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
    51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
    61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
    63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
    64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
    65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
    65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
    65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
    65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
    65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
]


def int16_activation_parameters(function, in_scale):
    """LiteRT's Prepare for int16 LOGISTIC/TANH: a power-of-two scale (log2 within 1e-3 of an
    integer k, in float32) with 12 + k = 0 (LOGISTIC) or 0/1 (TANH) gives multiplier 0 and shift
    12 + k; otherwise double(s) * 4096 * 3 doubled while <= 32767/2 (at most 31 times), truncated."""
    s = np.float32(in_scale)
    log2 = np.float32(np.float32(math.log(float(s))) * np.float32(1.0 / math.log(2.0)))
    k = math.floor(abs(float(log2)) + 0.5) * (1 if log2 >= 0 else -1)
    allowed = (0,) if function == "logistic" else (0, 1)
    if abs(float(log2) - k) < 1e-3 and 12 + k in allowed:
        return {"function": function, "input_multiplier": 0, "input_left_shift": 12 + k}
    m, shift = float(s) * 4096.0 * 3.0, 0
    while m <= 32767.0 / 2.0 and shift <= 30:
        m, shift = m * 2.0, shift + 1
    return {"function": function, "input_multiplier": int(m), "input_left_shift": shift}


def int16_activation(x, attrs):
    """LiteRT's int16 LOGISTIC/TANH: rescale to 3*4096 per unit, interpolate the sigmoid table
    (TANH on a grid twice as fine, 2*sigmoid(2x) - 1); output int16 at scale 2^-15."""
    m, s = int(attrs["input_multiplier"]), int(attrs["input_left_shift"])
    if m == 0:
        m, s = 3 << s, 0
    r = (1 << (s - 1)) if s > 0 else 0
    t = INT16_SIGMOID_TABLE
    logistic = attrs["function"] == "logistic"
    step_bits = 9 if logistic else 8
    out = []
    for q in _i64(x).reshape(-1):
        v_in = (int(q) * m + r) >> s
        a = abs(v_in)
        h, frac = a >> step_bits, a & ((1 << step_bits) - 1)
        if h >= 255:
            v = (0x7FFF << 10) if logistic else (0xFFFF << 8)
        else:
            v = (t[h] << step_bits) + frac * (t[h + 1] - t[h])
        if logistic:
            v = v + 512 if v_in >= 0 else (1 << 25) - v + 511
            out.append(v >> 10)
        else:
            v = v - (1 << 23) + 128 if v_in >= 0 else -v + (1 << 23) + 127
            out.append(v >> 8)
    return np.array(out, dtype=np.int64).reshape(np.shape(x))


def int16_lut(function, in_scale, in_zp, out_scale):
    """TFLite's LUTPopulate<int16> in double: 513 entries over the int16 input range, each
    sample lowered by half the interpolation error at its step's midpoint."""
    def rnd(v):
        return math.floor(abs(v) + 0.5) * (1.0 if v >= 0 else -1.0)
    x_min, x_max = in_scale * (-32768 - in_zp), in_scale * (32767 - in_zp)
    step = (x_max - x_min) / 512
    inv = 65536.0 / (out_scale * 32767 - out_scale * -32768)
    table = []
    for i in range(512):
        sample = rnd(function(x_min + i * step) * inv)
        interp = rnd((function(x_min + (i + 1) * step) * inv + sample) / 2)
        mid = rnd(function(x_min + i * step + step / 2) * inv)
        table.append(int(min(max(sample - rnd((interp - mid) / 2), -32768.0), 32767.0)))
    table.append(int(min(max(rnd(function(x_max) * inv), -32768.0), 32767.0)))
    return table


def int16_lookup(v, lut):
    """TFLite's int16 LUT lookup with linear interpolation between lut[256 + (v >> 7)] and the next."""
    i, o = 256 + (v >> 7), v & 0x7F
    slope = ((lut[i + 1] - lut[i] + 32768) & 0xFFFF) - 32768
    y = lut[i] + ((slope * o + 64) >> 7)
    return ((y + 32768) & 0xFFFF) - 32768


def int16_softmax_parameters(in_scale, beta):
    """LiteRT's int16 SOFTMAX Prepare: float32 s_in * beta over 10/65535 through QuantizeMultiplier;
    exp on [-10, 0] and 1/(1+x) on [0, 1] tables, output scale 2/65535."""
    m, shift = quantize_multiplier(float(np.float32(np.float32(in_scale) * np.float32(beta))) / (10.0 / 65535.0))
    return {"input_multiplier": m, "input_shift": shift,
            "exp_table": int16_lut(math.exp, 10.0 / 65535, 32767, 2.0 / 65535),
            "reciprocal_table": int16_lut(lambda v: 1.0 / (1.0 + v), 1.0 / 65535, -32768, 2.0 / 65535)}


def int16_softmax(x, attrs):
    """LiteRT's SoftmaxInt16 over the last axis: int16 in and out (scale 2^-15)."""
    x = _i64(x)
    flat = x.reshape(-1, x.shape[-1])
    m, shift = int(attrs["input_multiplier"]), int(attrs["input_shift"])
    left, right = max(shift, 0), max(-shift, 0)
    out = np.zeros(flat.shape, dtype=np.int64)
    for r, row in enumerate(flat):
        top = int(row.max())
        exps = []
        for q in row:
            scaled = _rdbp(_mul(_w32((int(q) - top) << left), m), right)
            exps.append(int16_lookup(min(max(scaled + 32767, -32768), 32767), attrs["exp_table"]))
        total = sum(exps)
        headroom = 32 - total.bit_length()
        normalised = ((total << (headroom - 1)) + (1 << 13)) >> 14
        recip = int16_lookup(min(max(normalised - (1 << 15) - (1 << 16), -32768), 32767), attrs["reciprocal_table"])
        shift_out = 31 - headroom
        for c, e in enumerate(exps):
            out[r, c] = min(max((e * recip + (1 << (shift_out - 1))) >> shift_out, 0), 32767)
    return out.reshape(x.shape)


# --- one entry point per manifest node ----------------------------------------------------------

def run_op(op, inputs, attrs, zero_points, output_zero_point=0, output_type="int8", input_types=None,
           overflow="wrap"):
    """Runs one `.q` node: `op` and `attrs` as in the manifest, `inputs` the operand arrays in
    manifest order (for conv2d / fully_connected: x, weights[, bias]), `zero_points` one entry per
    operand (for weights: a list of 1 or Cout zero points; for the bias: ignored). Returns the
    output as int64."""
    input_types = input_types or ["int8"] * len(inputs)
    if op in ("conv2d", "fully_connected"):
        bias = inputs[2] if len(inputs) > 2 else None
        w_zp = zero_points[1] if len(zero_points) > 1 else [0]
        kernel = conv2d if op == "conv2d" else fully_connected
        return kernel(inputs[0], zero_points[0], inputs[1], w_zp, bias, attrs, overflow, output_type)
    if op == "add":
        return add(inputs[0], zero_points[0], inputs[1], zero_points[1], attrs, overflow, output_type)
    if op == "concat":
        return concat(inputs, zero_points, attrs, output_type)
    if op == "max_pool":
        return max_pool(inputs[0], attrs)
    if op == "avg_pool":
        return avg_pool(inputs[0], zero_points[0], attrs)
    if op == "mean":
        return mean(inputs[0], zero_points[0], attrs, output_type)
    if op == "clamp":
        return clamp(inputs[0], attrs)
    if op == "leaky_relu":
        return leaky_relu(inputs[0], zero_points[0], output_zero_point, attrs, output_type)
    if op == "lookup_table":
        return lookup_table(inputs[0], attrs, input_types[0])
    if op == "requantize":
        return requantize(inputs[0], zero_points[0], attrs["requantizer"], output_type)
    if op == "reshape":
        return reshape(inputs[0], attrs)
    if op == "pad":
        return pad(inputs[0], attrs)
    if op == "softmax":
        return softmax(inputs[0], attrs)
    if op == "int16_activation":
        return int16_activation(inputs[0], attrs)
    if op == "int16_softmax":
        return int16_softmax(inputs[0], attrs)
    raise ValueError(f"unknown op {op!r}")
