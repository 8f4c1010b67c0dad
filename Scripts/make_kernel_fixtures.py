#!/usr/bin/env python3
"""Writes the reference-kernel fixtures of Tests/AccsimArithmeticTests/Fixtures/ from the
independent NumPy oracle Scripts/intref.py. Deterministic (fixed seed): running it again must
leave the files unchanged.

    python3 Scripts/make_kernel_fixtures.py [--check]

With --check nothing is written; the exit status says whether the committed files are current.

One JSON file per operation, `{"op": NAME, "cases": [CASE, ...]}`. A case holds:
- `name`: what it exercises;
- `attributes`: the op's attributes exactly as in a .q manifest (docs/model-format.md);
- `inputs`: tensors `{"shape", "type", "values"}` (for conv2d / fully_connected: input, weights);
- `zero_points`: one input zero point per entry of `inputs` (weights: 0, see below);
- op-specific: `weight_zero_points`, `bias` (or null), `overflow`, `output_type`,
  `output_zero_point` (leaky_relu);
- `expected` (and for conv2d / fully_connected `expected_accumulators`): `{"shape", "type", "values"}`.
Two more files check helpers rather than ops: `rounding.json` (Requantizer.round on many
accumulators, every mode) and `derivations.json` (softmax parameters and TFLite tables).
"""

import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import intref  # noqa: E402

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "AccsimArithmeticTests", "Fixtures")
SEED = 20261121


def tensor(values, type_name):
    a = np.asarray(values, dtype=np.int64)
    lo, hi = intref.TYPE_RANGE[type_name]
    assert a.size == 0 or (a.min() >= lo and a.max() <= hi), f"values outside {type_name}"
    return {"shape": list(a.shape), "type": type_name, "values": [int(v) for v in a.reshape(-1)]}


def rand(rng, shape, type_name, lo=None, hi=None):
    tlo, thi = intref.TYPE_RANGE[type_name]
    return rng.integers(tlo if lo is None else lo, (thi if hi is None else hi) + 1, size=shape, dtype=np.int64)


def rq(multipliers, shifts, rounding, zero_point=0, clamp_min=-128, clamp_max=127):
    return {
        "multipliers": [int(m) for m in multipliers], "shifts": [int(s) for s in shifts], "rounding": rounding,
        "zero_point": int(zero_point), "clamp_min": int(clamp_min), "clamp_max": int(clamp_max),
    }


def tflite_rq(reals, zero_point=0, clamp_min=-128, clamp_max=127, rounding="tflite"):
    """A requantizer from real multipliers through QuantizeMultiplier, n = 31 - shift."""
    pairs = [intref.quantize_multiplier(float(r)) for r in reals]
    return rq([m for m, _ in pairs], [31 - s for _, s in pairs], rounding, zero_point, clamp_min, clamp_max)


# --- conv2d -----------------------------------------------------------------------------------

def conv_case(name, rng, x_shape, w_shape, attrs, x_type="int8", w_type="int8", x_zp=0, w_zp=(0,),
              bias_range=(-2000, 2000), overflow="wrap", out_type="int8", x=None, w=None, bias="random"):
    x = rand(rng, x_shape, x_type) if x is None else np.asarray(x, dtype=np.int64)
    w = rand(rng, w_shape, w_type) if w is None else np.asarray(w, dtype=np.int64)
    if isinstance(bias, str):
        bias = rand(rng, (w_shape[0],), "int32", *bias_range)
    acc = intref.conv2d_accumulators(x, x_zp, w, list(w_zp), bias, attrs, overflow)
    out = intref.conv2d(x, x_zp, w, list(w_zp), bias, attrs, overflow, out_type)
    return {
        "name": name, "attributes": attrs,
        "inputs": [tensor(x, x_type), tensor(w, w_type)], "zero_points": [int(x_zp), 0],
        "weight_zero_points": [int(v) for v in w_zp],
        "bias": None if bias is None else [int(v) for v in bias],
        "overflow": overflow, "output_type": out_type,
        "expected_accumulators": tensor(acc, "int32"), "expected": tensor(out, out_type),
    }


def conv_attrs(stride=(1, 1), dilation=(1, 1), padding=(0, 0, 0, 0), groups=1, requantizer=None):
    return {"stride": list(stride), "dilation": list(dilation), "padding": list(padding), "groups": groups,
            "requantizer": requantizer}


def conv_cases(rng):
    cases = []
    per_channel = tflite_rq(rng.uniform(0.0005, 0.004, 4), zero_point=-5)
    cases.append(conv_case("3x3 pad 1 stride 1, per-channel tflite", rng, (1, 5, 5, 3), (4, 3, 3, 3),
                           conv_attrs(padding=(1, 1, 1, 1), requantizer=per_channel), x_zp=-7))
    cases.append(conv_case("3x3 pad 1 stride 2, relu clamp", rng, (2, 6, 7, 2), (3, 3, 3, 2),
                           conv_attrs(stride=(2, 2), padding=(1, 1, 1, 1),
                                      requantizer=tflite_rq([0.003], zero_point=-20, clamp_min=-20)), x_zp=3))
    cases.append(conv_case("asymmetric SAME padding, stride 2x1, tflite_half_up", rng, (1, 6, 5, 3), (2, 2, 3, 3),
                           conv_attrs(stride=(2, 1), padding=(0, 1, 1, 1),
                                      requantizer=tflite_rq([0.0021, 0.0033], rounding="tflite_half_up")), x_zp=-128))
    cases.append(conv_case("dilation 2, half_even", rng, (1, 7, 7, 2), (3, 3, 3, 2),
                           conv_attrs(dilation=(2, 2), padding=(2, 2, 2, 2),
                                      requantizer=rq([181], [17], "half_even", zero_point=4)), x_zp=1))
    cases.append(conv_case("dilation 2x3 stride 2 padding 1", rng, (1, 8, 9, 2), (2, 2, 2, 2),
                           conv_attrs(stride=(2, 2), dilation=(2, 3), padding=(1, 1, 1, 1),
                                      requantizer=rq([1, 1], [9, 10], "half_up")), x_zp=0))
    cases.append(conv_case("groups 2 (Cin 4, Cout 6), floor", rng, (1, 4, 4, 4), (6, 3, 3, 2),
                           conv_attrs(groups=2, padding=(1, 1, 1, 1), requantizer=rq([77], [15], "floor")), x_zp=2))
    cases.append(conv_case("depthwise multiplier 2 (Cin 3, Cout 6), stride 2", rng, (1, 5, 6, 3), (6, 3, 3, 1),
                           conv_attrs(stride=(2, 2), padding=(1, 1, 1, 1), groups=3,
                                      requantizer=tflite_rq(rng.uniform(0.002, 0.01, 6), zero_point=10)), x_zp=-3))
    cases.append(conv_case("depthwise multiplier 1, half_away", rng, (1, 4, 4, 5), (5, 3, 3, 1),
                           conv_attrs(padding=(1, 1, 1, 1), groups=5, requantizer=rq([3], [9], "half_away")), x_zp=0))
    cases.append(conv_case("uint8 input and weights, per-channel weight zero points, Aidge single shift", rng,
                           (1, 4, 5, 3), (3, 3, 3, 3),
                           conv_attrs(padding=(1, 1, 1, 1), requantizer=rq([1], [12], "half_up", zero_point=128,
                                                                         clamp_min=0, clamp_max=255)),
                           x_type="uint8", w_type="uint8", x_zp=128, w_zp=(120, 131, 127), out_type="uint8"))
    cases.append(conv_case("1x1 conv, no bias, tflite left shift (n < 31)", rng, (1, 3, 3, 8), (4, 1, 1, 8),
                           conv_attrs(requantizer=rq([1518500250], [29], "tflite")), x_zp=0, bias=None,
                           x=rand(rng, (1, 3, 3, 8), "int8", -3, 3), w=rand(rng, (4, 1, 1, 8), "int8", -2, 2)))
    # Overflow: int16 activations make each product about 2^22, so a 1x1 convolution over 1100
    # channels leaves the int32 range mid-accumulation (550 positive products, then 550 negative
    # ones); wrap and saturate then differ, and under saturate the order matters.
    cin = 1100
    x = np.concatenate([np.full(cin // 2, 32767), np.full(cin // 2, -32768)]).reshape(1, 1, 1, cin)
    w = np.stack([np.full(cin, 127), np.concatenate([np.full(cin // 2, 127), np.full(cin // 2, -128)]),
                  np.concatenate([np.full(cin // 2, -100), np.full(cin // 2, 90)])]).reshape(3, 1, 1, cin)
    for overflow in ("wrap", "saturate"):
        cases.append(conv_case(f"int16 1x1 adversarial accumulation, {overflow}", rng, x.shape, w.shape,
                               conv_attrs(requantizer=rq([1], [24], "half_up")), x_type="int16", x_zp=-5,
                               overflow=overflow, x=x, w=w, bias=np.array([2_000_000_000, -7, 5])))
    # The bias is added last: an accumulator near the top plus a positive bias.
    for overflow in ("wrap", "saturate"):
        cases.append(conv_case(f"bias pushes past int32, {overflow}", rng, (1, 2, 2, 2), (2, 1, 1, 2),
                               conv_attrs(requantizer=rq([1], [24], "floor")), overflow=overflow,
                               bias=np.array([2**31 - 100, -(2**31) + 100]),
                               x=np.full((1, 2, 2, 2), 100), w=np.array([[1, 1], [-1, -1]]).reshape(2, 1, 1, 2)))
    return cases


# --- fully connected ----------------------------------------------------------------------------

def fc_case(name, rng, n, d, o, rqz, x_type="int8", w_type="int8", x_zp=0, w_zp=(0,), overflow="wrap",
            out_type="int8", x=None, w=None, bias="random"):
    x = rand(rng, (n, d), x_type) if x is None else np.asarray(x, dtype=np.int64)
    w = rand(rng, (o, d), w_type) if w is None else np.asarray(w, dtype=np.int64)
    if isinstance(bias, str):
        bias = rand(rng, (o,), "int32", -5000, 5000)
    attrs = {"requantizer": rqz}
    acc = intref.fully_connected_accumulators(x, x_zp, w, list(w_zp), bias, overflow)
    out = intref.fully_connected(x, x_zp, w, list(w_zp), bias, attrs, overflow, out_type)
    return {
        "name": name, "attributes": attrs,
        "inputs": [tensor(x, x_type), tensor(w, w_type)], "zero_points": [int(x_zp), 0],
        "weight_zero_points": [int(v) for v in w_zp],
        "bias": None if bias is None else [int(v) for v in bias],
        "overflow": overflow, "output_type": out_type,
        "expected_accumulators": tensor(acc, "int32"), "expected": tensor(out, out_type),
    }


def fc_cases(rng):
    cases = [
        fc_case("per-channel tflite", rng, 2, 24, 5, tflite_rq(rng.uniform(0.0004, 0.003, 5), zero_point=-3), x_zp=-128),
        fc_case("per-tensor tflite_half_up, no bias", rng, 3, 10, 4, tflite_rq([0.0041], rounding="tflite_half_up"),
                x_zp=12, bias=None),
        fc_case("uint8 weights with zero points, half_even", rng, 1, 16, 3, rq([93], [14], "half_even", zero_point=-10),
                w_type="uint8", w_zp=(128, 120, 135), x_zp=-1),
    ]
    # 600 products of about 2^22: output 0 overflows for good, output 1 overflows after 550
    # products and comes back in range (wrap ends exact, saturate does not).
    d = 600
    x = np.full((1, d), 32767)
    w = np.stack([np.full(d, 127), np.concatenate([np.full(550, 127), np.full(50, -128)])])
    for overflow in ("wrap", "saturate"):
        cases.append(fc_case(f"int16 adversarial accumulation, {overflow}", rng, 1, d, 2, rq([1], [25], "floor"),
                             x_type="int16", x_zp=-1, overflow=overflow, x=x, w=w, bias=np.array([10, -10])))
    return cases


# --- add ----------------------------------------------------------------------------------------

def tflite_add_attrs(s1, s2, so, zo, clamp_min=-128, clamp_max=127):
    """TFLite ADD: left_shift 20, r_i = s_i / (2 max(s1, s2)), r_out = 2 max / (2^20 s_out)."""
    twice_max = 2.0 * max(s1, s2)
    return {
        "inputs": [{"left_shift": 20, "rescale": tflite_rq([s1 / twice_max])},
                   {"left_shift": 20, "rescale": tflite_rq([s2 / twice_max])}],
        "output": tflite_rq([twice_max / ((1 << 20) * so)], zero_point=zo, clamp_min=clamp_min, clamp_max=clamp_max),
    }


def add_case(name, rng, shape, attrs, zpa, zpb, overflow="wrap", a=None, b=None, type_name="int8", out_type="int8"):
    a = rand(rng, shape, type_name) if a is None else np.asarray(a, dtype=np.int64)
    b = rand(rng, shape, type_name) if b is None else np.asarray(b, dtype=np.int64)
    out = intref.add(a, zpa, b, zpb, attrs, overflow, out_type)
    return {"name": name, "attributes": attrs, "inputs": [tensor(a, type_name), tensor(b, type_name)],
            "zero_points": [int(zpa), int(zpb)], "overflow": overflow, "output_type": out_type,
            "expected": tensor(out, out_type)}


def add_cases(rng):
    aidge = {"inputs": [{"left_shift": 0, "rescale": None}, {"left_shift": 0, "rescale": None}],
             "output": rq([97], [7], "half_up", zero_point=0)}
    per_channel = {"inputs": [{"left_shift": 0, "rescale": None}, {"left_shift": 1, "rescale": rq([3], [1], "floor")}],
                   "output": rq([64, 100, 127], [7, 8, 6], "half_up", zero_point=-3)}
    overflowing = {"inputs": [{"left_shift": 24, "rescale": None}, {"left_shift": 24, "rescale": None}],
                   "output": rq([1], [25], "half_away")}
    cases = [
        add_case("TFLite scheme, scales 0.05 / 0.03 -> 0.07", rng, (1, 3, 4, 5), tflite_add_attrs(0.05, 0.03, 0.07, -4), 3, -9),
        add_case("TFLite scheme with relu clamp", rng, (2, 2, 3, 2), tflite_add_attrs(0.011, 0.0173, 0.02, -128, clamp_min=-128), -128, 5),
        add_case("Aidge scheme: int32 sum, M=97 n=7 half_up", rng, (1, 4, 4, 3), aidge, 0, 0),
        add_case("per-channel output, shifted and rescaled input", rng, (1, 2, 2, 3), per_channel, -1, 2),
    ]
    a = np.array([127, -128, 100, -100, 5]).reshape(1, 1, 1, 5)
    b = np.array([127, -128, 120, 20, -5]).reshape(1, 1, 1, 5)
    for overflow in ("wrap", "saturate"):
        cases.append(add_case(f"left shift 24 overflows the sum, {overflow}", rng, a.shape, overflowing, -1, 0,
                              overflow=overflow, a=a, b=b))
    return cases


# --- concat -------------------------------------------------------------------------------------

def concat_case(name, rng, shapes, types, zps, attrs, out_type="int8"):
    xs = [rand(rng, s, t) for s, t in zip(shapes, types)]
    out = intref.concat(xs, zps, attrs, out_type)
    return {"name": name, "attributes": attrs, "inputs": [tensor(x, t) for x, t in zip(xs, types)],
            "zero_points": [int(z) for z in zps], "output_type": out_type, "expected": tensor(out, out_type)}


def concat_cases(rng):
    return [
        concat_case("channels, copies", rng, [(1, 2, 3, 2), (1, 2, 3, 3)], ["int8", "int8"], [0, 0],
                    {"axis": 3, "input_requantizers": [None, None]}),
        concat_case("channels, second input requantized (tflite)", rng, [(1, 2, 2, 2), (1, 2, 2, 3), (1, 2, 2, 1)],
                    ["int8", "int8", "int8"], [-3, 7, 0],
                    {"axis": 3, "input_requantizers": [None, tflite_rq([0.73], zero_point=-3), rq([45], [5], "half_up", zero_point=-3)]}),
        concat_case("height axis, uint8 to int8 requantized", rng, [(1, 1, 3, 2), (1, 2, 3, 2)], ["uint8", "int8"], [128, 0],
                    {"axis": 1, "input_requantizers": [rq([1], [0], "floor", zero_point=0), None]}),
        concat_case("rank 2, last axis, half_even rescale", rng, [(2, 3), (2, 4)], ["int8", "int8"], [5, -6],
                    {"axis": 1, "input_requantizers": [rq([3], [2], "half_even", zero_point=1), rq([5], [3], "half_away", zero_point=1)]}),
        concat_case("batch axis", rng, [(1, 2, 2, 2), (2, 2, 2, 2)], ["int8", "int8"], [0, 0],
                    {"axis": 0, "input_requantizers": [None, None]}),
    ]


# --- pooling ------------------------------------------------------------------------------------

def pool_case(name, rng, op, shape, attrs, zp=0, type_name="int8", x=None):
    x = rand(rng, shape, type_name) if x is None else np.asarray(x, dtype=np.int64)
    if op == "max_pool":
        out = intref.max_pool(x, attrs)
        return {"name": name, "attributes": attrs, "inputs": [tensor(x, type_name)], "zero_points": [int(zp)],
                "expected": tensor(out, type_name)}
    out = intref.avg_pool(x, zp, attrs)
    return {"name": name, "attributes": attrs, "inputs": [tensor(x, type_name)], "zero_points": [int(zp)],
            "expected": tensor(out, type_name)}


def max_pool_cases(rng):
    def attrs(window, stride, padding=(0, 0, 0, 0), lo=-128, hi=127):
        return {"window": list(window), "stride": list(stride), "padding": list(padding), "clamp_min": lo, "clamp_max": hi}
    return [
        pool_case("2x2 stride 2", rng, "max_pool", (1, 4, 6, 3), attrs((2, 2), (2, 2))),
        pool_case("3x3 stride 2 pad 1 (ResNet stem), all negative input", rng, "max_pool", (1, 7, 7, 2),
                  attrs((3, 3), (2, 2), (1, 1, 1, 1)), x=rand(rng, (1, 7, 7, 2), "int8", -128, -60)),
        pool_case("asymmetric padding, clamp [-10, 50]", rng, "max_pool", (2, 5, 4, 2), attrs((2, 3), (1, 2), (0, 1, 2, 0), -10, 50)),
        pool_case("uint8 global window", rng, "max_pool", (1, 3, 3, 4), attrs((3, 3), (1, 1), lo=0, hi=255), type_name="uint8"),
    ]


def avg_pool_cases(rng):
    cases = []
    for include_pad in (False, True):
        for rounding in ("half_away", "half_up", "half_even", "floor"):
            attrs = {"window": [3, 3], "stride": [1, 1], "padding": [1, 1, 1, 1], "rounding": rounding,
                     "count_include_pad": include_pad, "clamp_min": -128, "clamp_max": 127}
            # Small values make rounding ties frequent for counts 4, 6 and 9.
            x = rand(rng, (1, 4, 5, 2), "int8", -6, 6)
            cases.append(pool_case(f"3x3 pad 1, count_include_pad {str(include_pad).lower()}, {rounding}", rng,
                                   "avg_pool", x.shape, attrs, zp=-3, x=x))
    cases.append(pool_case("2x2 stride 2, full range", rng, "avg_pool", (2, 4, 4, 3),
                           {"window": [2, 2], "stride": [2, 2], "padding": [0, 0, 0, 0], "rounding": "half_away",
                            "count_include_pad": False, "clamp_min": -128, "clamp_max": 127}, zp=10))
    cases.append(pool_case("3x2 window stride 2 asymmetric padding, include pad, clamp", rng, "avg_pool", (1, 5, 6, 2),
                           {"window": [3, 2], "stride": [2, 2], "padding": [1, 0, 0, 1], "rounding": "half_even",
                            "count_include_pad": True, "clamp_min": -20, "clamp_max": 20}, zp=-100))
    cases.append(pool_case("tflite rounding acts as half_away", rng, "avg_pool", (1, 3, 3, 2),
                           {"window": [2, 2], "stride": [1, 1], "padding": [0, 1, 0, 1], "rounding": "tflite",
                            "count_include_pad": False, "clamp_min": -128, "clamp_max": 127}, zp=0,
                           x=rand(rng, (1, 3, 3, 2), "int8", -5, 5)))
    cases.append(pool_case("uint8 7x7 global", rng, "avg_pool", (1, 7, 7, 2),
                           {"window": [7, 7], "stride": [1, 1], "padding": [0, 0, 0, 0], "rounding": "half_away",
                            "count_include_pad": False, "clamp_min": 0, "clamp_max": 255}, zp=128, type_name="uint8"))
    return cases


# --- mean ---------------------------------------------------------------------------------------

def tflite_mean_requantizer(s_in, s_out, n, zp_out):
    """TFLite MEAN folding: (M, sh) = QM(s_in/s_out), k = min(floor(log2 n), 32, 31 + sh),
    M' = (M 2^k) div n, sh' = sh - k; as a requantizer n_acc = 31 - sh'."""
    m, sh = intref.quantize_multiplier(s_in / s_out)
    k = min(n.bit_length() - 1, 32, 31 + sh)
    return rq([(m << k) // n], [31 - (sh - k)], "tflite", zero_point=zp_out)


def mean_case(name, rng, shape, attrs, zp, type_name="int8", out_type="int8", x=None):
    x = rand(rng, shape, type_name) if x is None else np.asarray(x, dtype=np.int64)
    out = intref.mean(x, zp, attrs, out_type)
    return {"name": name, "attributes": attrs, "inputs": [tensor(x, type_name)], "zero_points": [int(zp)],
            "output_type": out_type, "expected": tensor(out, out_type)}


def mean_cases(rng):
    return [
        mean_case("TFLite MEAN 5x5, keep_dims", rng, (1, 5, 5, 3),
                  {"requantizer": tflite_mean_requantizer(0.04, 0.02, 25, -2), "keep_dims": True}, zp=-9),
        mean_case("TFLite MEAN 7x7, no keep_dims, batch 2", rng, (2, 7, 7, 4),
                  {"requantizer": tflite_mean_requantizer(0.1, 0.1, 49, 0), "keep_dims": False}, zp=3),
        mean_case("per-channel half_up", rng, (1, 4, 4, 3),
                  {"requantizer": rq([1, 3, 5], [4, 6, 7], "half_up", zero_point=1), "keep_dims": True}, zp=0),
        mean_case("uint8 in, int8 out, half_even", rng, (1, 2, 3, 2),
                  {"requantizer": rq([43], [8], "half_even", zero_point=0), "keep_dims": True}, zp=128,
                  type_name="uint8"),
    ]


# --- elementwise ops ----------------------------------------------------------------------------

def clamp_cases(rng):
    cases = []
    for name, type_name, lo, hi in (("relu6-like int8", "int8", -20, 40), ("uint8", "uint8", 10, 200), ("int16", "int16", -1000, 999)):
        x = rand(rng, (1, 3, 4, 2), type_name)
        attrs = {"min": lo, "max": hi}
        cases.append({"name": name, "attributes": attrs, "inputs": [tensor(x, type_name)], "zero_points": [0],
                      "expected": tensor(intref.clamp(x, attrs), type_name)})
    return cases


def leaky_relu_cases(rng):
    cases = []
    x_all = np.arange(-128, 128).reshape(1, 4, 8, 8)
    for name, attrs, x_zp, out_zp in (
        ("slope 1/8 half_up", {"slope_multiplier": 1, "slope_shift": 3, "rounding": "half_up"}, 0, 0),
        ("slope 1/8 floor, zero points", {"slope_multiplier": 1, "slope_shift": 3, "rounding": "floor"}, -10, 5),
        ("slope 0.1 tflite", {"slope_multiplier": 1717986918, "slope_shift": 34, "rounding": "tflite"}, 3, -3),
        ("slope 0.2 half_even, output saturates", {"slope_multiplier": 13, "slope_shift": 6, "rounding": "half_even"}, -20, 60),
        ("slope 3/4 half_away", {"slope_multiplier": 3, "slope_shift": 2, "rounding": "half_away"}, 0, -1),
    ):
        out = intref.leaky_relu(x_all, x_zp, out_zp, attrs, "int8")
        cases.append({"name": name, "attributes": attrs, "inputs": [tensor(x_all, "int8")], "zero_points": [x_zp],
                      "output_zero_point": out_zp, "output_type": "int8", "expected": tensor(out, "int8")})
    x = rand(rng, (2, 5), "uint8")
    attrs = {"slope_multiplier": 1, "slope_shift": 2, "rounding": "half_up"}
    cases.append({"name": "uint8", "attributes": attrs, "inputs": [tensor(x, "uint8")], "zero_points": [128],
                  "output_zero_point": 128, "output_type": "uint8",
                  "expected": tensor(intref.leaky_relu(x, 128, 128, attrs, "uint8"), "uint8")})
    return cases


def lookup_table_cases(rng):
    cases = []
    x8 = np.arange(-128, 128)
    rng.shuffle(x8)
    x8 = x8.reshape(1, 4, 8, 8)
    logistic = intref.tflite_table("logistic", 0.0625, -3, 1 / 256, -128)
    attrs = {"table": logistic}
    cases.append({"name": "int8 logistic table, every input value", "attributes": attrs, "inputs": [tensor(x8, "int8")],
                  "zero_points": [-3], "output_type": "int8",
                  "expected": tensor(intref.lookup_table(x8, attrs, "int8"), "int8")})
    xu = rand(rng, (1, 3, 3, 4), "uint8")
    tanh = intref.tflite_table("tanh", 0.03, 128, 1 / 128, 128, "uint8")
    attrs = {"table": tanh}
    cases.append({"name": "uint8 tanh table", "attributes": attrs, "inputs": [tensor(xu, "uint8")],
                  "zero_points": [128], "output_type": "uint8",
                  "expected": tensor(intref.lookup_table(xu, attrs, "uint8"), "uint8")})
    table16 = [int(v) for v in rand(rng, (256,), "int16")]
    x = rand(rng, (2, 7), "int8")
    attrs = {"table": table16}
    cases.append({"name": "int8 to int16 arbitrary table", "attributes": attrs, "inputs": [tensor(x, "int8")],
                  "zero_points": [0], "output_type": "int16",
                  "expected": tensor(intref.lookup_table(x, attrs, "int8"), "int16")})
    return cases


def requantize_cases(rng):
    cases = []
    x = rand(rng, (1, 2, 3, 4), "int8")
    for mode in intref.ROUNDING_MODES:
        if mode.startswith("tflite"):
            r = tflite_rq([0.37], zero_point=4, rounding=mode)
        else:
            r = rq([19], [6], mode, zero_point=4)
        cases.append({"name": f"per tensor {mode}", "attributes": {"requantizer": r}, "inputs": [tensor(x, "int8")],
                      "zero_points": [-2], "output_type": "int8",
                      "expected": tensor(intref.requantize(x, -2, r, "int8"), "int8")})
    r = rq([1, 7, 300, 1], [1, 3, 10, 0], "half_up", zero_point=-1, clamp_min=-100, clamp_max=100)
    x = rand(rng, (1, 3, 2, 4), "int8")
    cases.append({"name": "per channel, different M and n", "attributes": {"requantizer": r}, "inputs": [tensor(x, "int8")],
                  "zero_points": [5], "output_type": "int8",
                  "expected": tensor(intref.requantize(x, 5, r, "int8"), "int8")})
    r = tflite_rq([1.7, 0.9, 3.2], zero_point=0)  # 1.7 and 3.2 need a left shift (n < 31)
    x = rand(rng, (2, 2, 3), "int8", -60, 60)
    cases.append({"name": "per channel tflite with left shifts", "attributes": {"requantizer": r},
                  "inputs": [tensor(x, "int8")], "zero_points": [0], "output_type": "int8",
                  "expected": tensor(intref.requantize(x, 0, r, "int8"), "int8")})
    r = rq([1], [0], "floor", zero_point=128, clamp_min=0, clamp_max=255)
    x = rand(rng, (3, 5), "int8")
    cases.append({"name": "int8 to uint8", "attributes": {"requantizer": r}, "inputs": [tensor(x, "int8")],
                  "zero_points": [0], "output_type": "uint8",
                  "expected": tensor(intref.requantize(x, 0, r, "uint8"), "uint8")})
    r = tflite_rq([1 / 300.0], zero_point=-1)
    x = rand(rng, (2, 6), "int16")
    cases.append({"name": "int16 to int8 tflite", "attributes": {"requantizer": r}, "inputs": [tensor(x, "int16")],
                  "zero_points": [7], "output_type": "int8",
                  "expected": tensor(intref.requantize(x, 7, r, "int8"), "int8")})
    return cases


def pad_cases(rng):
    cases = []
    for name, shape, padding, value, type_name in (
        ("NHWC spatial", (1, 2, 3, 2), [[0, 0], [1, 2], [2, 1], [0, 0]], -5, "int8"),
        ("NHWC channels too", (2, 2, 2, 3), [[0, 0], [0, 1], [1, 0], [2, 1]], 0, "int8"),
        ("rank 2", (2, 3), [[0, 0], [3, 1]], 128, "uint8"),
        ("rank 1 nothing to pad", (4,), [[0, 0]], 7, "int16"),
    ):
        x = rand(rng, shape, type_name)
        attrs = {"padding": padding, "value": value}
        cases.append({"name": name, "attributes": attrs, "inputs": [tensor(x, type_name)], "zero_points": [0],
                      "expected": tensor(intref.pad(x, attrs), type_name)})
    return cases


def softmax_cases(rng):
    cases = []
    for beta_s, name, x in (
        (0.1, "random rows, beta*s 0.1", rand(rng, (4, 10), "int8")),
        (1.0, "large spread: entries beyond diff_min -15 give -128", rand(rng, (3, 12), "int8")),
        (0.0390625, "small beta*s, narrow rows", rand(rng, (3, 9), "int8", -20, 20)),
        (0.25, "equal entries, single entry, extremes", np.array([[5, 5, 5, 5], [-128, -128, 127, 127],
                                                                   [127, -128, -128, -128], [0, 1, 2, 3]])),
        (0.5, "1000 classes", rand(rng, (1, 1000), "int8", -128, 60)),
        (3.7, "large beta*s: diff_min -4", rand(rng, (2, 16), "int8", -10, 10)),
        (1e-9, "tiny beta*s (left shift 0 extension)", rand(rng, (2, 6), "int8")),
    ):
        attrs = intref.softmax_parameters(beta_s)
        cases.append({"name": name, "attributes": attrs, "inputs": [tensor(x, "int8")], "zero_points": [0],
                      "expected": tensor(intref.softmax(x, attrs), "int8")})
    x = np.array([[3]])
    attrs = intref.softmax_parameters(0.2)
    cases.append({"name": "depth 1", "attributes": attrs, "inputs": [tensor(x, "int8")], "zero_points": [0],
                  "expected": tensor(intref.softmax(x, attrs), "int8")})
    x = np.zeros((1, 600), dtype=np.int64)
    x[0, 0] = 30
    attrs = intref.softmax_parameters(0.01)
    cases.append({"name": "exps summing past 512 (accsim extension of RDBP past 31)", "attributes": attrs,
                  "inputs": [tensor(x, "int8")], "zero_points": [0], "expected": tensor(intref.softmax(x, attrs), "int8")})
    return cases


def int16_activation_cases(rng):
    """LiteRT's int16 LOGISTIC/TANH over the whole int16 range: the power-of-two forms and
    general multipliers from several input scales (shift 0 with M up to 36864 included)."""
    x = np.concatenate([np.arange(-32768, 32768, 97), [-32768, -1, 0, 1, 32767]]).reshape(1, -1)
    cases = []
    for function in ("logistic", "tanh"):
        for scale in (2.0 ** -12, 2.0 ** -11, 1e-4, 3e-3, 0.05, 1.0, 3.0):
            attrs = intref.int16_activation_parameters(function, scale)
            cases.append({"name": f"{function}, input scale {scale:g}", "attributes": attrs,
                          "derived_from": {"input_scale": scale}, "inputs": [tensor(x, "int16")], "zero_points": [0], "output_type": "int16",
                          "expected": tensor(intref.int16_activation(x, attrs), "int16")})
    xr = rand(rng, (3, 40), "int16")
    attrs = {"function": "tanh", "input_multiplier": 65535, "input_left_shift": 31}
    cases.append({"name": "largest multiplier, shift 31", "attributes": attrs, "inputs": [tensor(xr, "int16")],
                  "zero_points": [0], "output_type": "int16", "expected": tensor(intref.int16_activation(xr, attrs), "int16")})
    return cases


def int16_softmax_cases(rng):
    """LiteRT's int16 SOFTMAX: parameters and both tables from (s_in, beta)."""
    cases = []
    for scale, beta, name, x in (
        (3e-4, 1.0, "random rows", rand(rng, (4, 30), "int16")),
        (1e-3, 0.5, "narrow rows", rand(rng, (3, 12), "int16", -2000, 2000)),
        (2e-5, 1.0, "tiny scale: right shift", rand(rng, (2, 16), "int16")),
        (0.01, 2.0, "large beta*s: most entries below exp(-10)", rand(rng, (2, 20), "int16", -300, 300)),
        (3e-4, 1.0, "equal entries, single winner, extremes",
         np.array([[7, 7, 7, 7], [-32768, -32768, 32767, 32767], [32767, -32768, -32768, -32768], [0, 1, 2, 3]])),
        (5e-4, 1.0, "1000 classes", rand(rng, (1, 1000), "int16")),
        (3e-4, 1.0, "depth 1", np.array([[123]])),
    ):
        attrs = intref.int16_softmax_parameters(scale, beta)
        cases.append({"name": name, "attributes": attrs, "derived_from": {"input_scale": scale, "beta": beta},
                      "inputs": [tensor(x, "int16")], "zero_points": [0], "output_type": "int16",
                      "expected": tensor(intref.int16_softmax(x, attrs), "int16")})
    return cases


# --- helpers: rounding and derivations ----------------------------------------------------------

def rounding_cases(rng):
    """Requantizer.round on many accumulators for each mode and a spread of (M, n)."""
    accs = [0, 1, -1, 2, -2, 3, -3, 5, -5, 6, -6, 7, -7, 2**31 - 1, -(2**31), 2**30, -(2**30), 12345, -12345]
    accs += [int(v) for v in rng.integers(-(2**31), 2**31, 20)]
    accs += [int(v) for v in rng.integers(-70000, 70000, 20)]
    cases = []
    plain = [(1, 0), (1, 1), (1, 2), (3, 2), (1, 31), (1, 32), (123, 40), (2**31 - 1, 62), (-(2**31), 62),
             (-77, 9), (int(rng.integers(1, 2**31)), int(rng.integers(0, 63)))]
    q31 = [(2**30, 31), (2**30, 32), (1518500250, 29), (1518500250, 38), (2**31 - 1, 62), (1, 62), (0, 40),
           (int(rng.integers(2**30, 2**31)), 0), (int(rng.integers(2**30, 2**31)), 45)]
    for mode in intref.ROUNDING_MODES:
        for m, n in (q31 if mode.startswith("tflite") else plain):
            expected = intref.round_scaled(accs, m, n, mode)
            cases.append({"rounding": mode, "multiplier": m, "shift": n, "accumulators": accs,
                          "expected": [int(v) for v in expected]})
    return cases


def derivation_cases(rng):
    softmax = [intref.softmax_parameters(v) for v in
               (0.1, 1.0, 0.0390625, 0.25, 3.7, 1e-9, 2.0**-26, 31.9, 1e6, 0.05 * 1.0, float(np.float32(0.17)) * float(np.float32(0.5)))]
    tables = []
    for function, in_scale, in_zp, type_name in (("logistic", 0.0625, -3, "int8"), ("tanh", 0.03, 128, "uint8"),
                                                 ("logistic", 0.1171875, 0, "uint8"), ("tanh", 0.0234375, -5, "int8")):
        in_scale = float(np.float32(in_scale))
        out = {("logistic", "int8"): (1 / 256, -128), ("logistic", "uint8"): (1 / 256, 0),
               ("tanh", "int8"): (1 / 128, 0), ("tanh", "uint8"): (1 / 128, 128)}[(function, type_name)]
        tables.append({"function": function, "input_scale": in_scale, "input_zero_point": in_zp, "type": type_name,
                       "table": intref.tflite_table(function, in_scale, in_zp, out[0], out[1], type_name)})
    multipliers = []
    for real in (0.5, 0.25, 1.0, 0.75, 2.0**-10, 3.0, 1.7, 0.3, 1e-10, 2.0**-31, 2.0**-32 * 0.9, 0.9999999999, 1 - 2.0**-33):
        m, s = intref.quantize_multiplier(real)
        multipliers.append({"real": real, "multiplier": m, "shift": s})
    return {"softmax_parameters": softmax, "tables": tables, "quantize_multiplier": multipliers}


# --- writing ------------------------------------------------------------------------------------

def render(obj):
    """Compact JSON with one case per line (diffable, small)."""
    if isinstance(obj, dict) and "cases" in obj:
        head = json.dumps({k: v for k, v in obj.items() if k != "cases"}, separators=(",", ":"))[:-1]
        body = ",\n".join(json.dumps(c, separators=(",", ":")) for c in obj["cases"])
        return head + ',"cases":[\n' + body + "\n]}\n"
    return json.dumps(obj, separators=(",", ":")) + "\n"


def build():
    rng = np.random.default_rng(SEED)
    files = {}
    for op, make in (("conv2d", conv_cases), ("fully_connected", fc_cases), ("add", add_cases),
                     ("concat", concat_cases), ("max_pool", max_pool_cases), ("avg_pool", avg_pool_cases),
                     ("mean", mean_cases), ("clamp", clamp_cases), ("leaky_relu", leaky_relu_cases),
                     ("lookup_table", lookup_table_cases), ("requantize", requantize_cases), ("pad", pad_cases),
                     ("softmax", softmax_cases)):
        files[f"{op}.json"] = render({"op": op, "cases": make(rng)})
    files["rounding.json"] = render({"op": "rounding", "cases": rounding_cases(rng)})
    files["derivations.json"] = render(derivation_cases(rng))
    # LiteRT's int16 kernels, on a generator of their own (the files above stay as they were).
    rng16 = np.random.default_rng(SEED + 16)
    for op, make in (("int16_activation", int16_activation_cases), ("int16_softmax", int16_softmax_cases)):
        files[f"{op}.json"] = render({"op": op, "cases": make(rng16)})
    return files


def main(argv):
    check = "--check" in argv
    files = build()
    stale = []
    os.makedirs(OUT_DIR, exist_ok=True)
    for name, text in sorted(files.items()):
        path = os.path.join(OUT_DIR, name)
        current = open(path).read() if os.path.exists(path) else None
        if current != text:
            stale.append(name)
            if not check:
                with open(path, "w") as f:
                    f.write(text)
    total = sum(len(t) for t in files.values())
    print(f"{len(files)} fixture files, {total} bytes; {'stale' if check else 'written'}: {stale or 'none'}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
