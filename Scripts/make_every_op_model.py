#!/usr/bin/env python3
"""Builds `Models/every_op.q`: a small hand-made int8 graph that uses every accsim operation.

    python3 Scripts/make_every_op_model.py            # writes Models/every_op*

Nothing is trained: weights, biases and per-channel gains are seeded random integers, and every
activation's quantization is calibrated (min/max) on the 8 test inputs so that each layer's values
are spread over the int8 range. The graph (input int8 [1, 6, 6, 4], one output `probabilities`
int8 [1, 10]) runs, in this order:

     1 conv_stem   conv2d 4->8, 3x3, pad [1,1,1,1], bias, per-channel `tflite`, fused ReLU6
     2 dw_conv     conv2d depthwise (groups 8, depth multiplier 2) 8->16, 3x3, dilation 2,
                   pad [2,2,2,2], bias, per-channel `tflite_half_up`, no activation
     3 group_conv  conv2d grouped (groups 4) 16->8, 3x3, pad [1,1,1,1], NO bias, per-channel
                   `floor` (16-bit multipliers), fused ReLU
     4 add_tflite  add stem + grp, TFLite scheme (left_shift 20, `tflite` rescales and output)
     5 max_pool    max_pool 3x3, stride 1, pad [1,1,1,1], clamp_max at the 95th percentile
     6 conv_s2     conv2d 8->8, 3x3, stride 2, asymmetric pad [1,0,0,1], bias, Aidge single-shift
                   requantizer: M = 1, per-channel shifts, `half_up`, zero point 0
     7 leaky       leaky_relu slope 1/8 (multiplier 1, shift 3), `half_away`, output zero point
                   -20 (input's 0)
     8 sigmoid     lookup_table: TFLite LOGISTIC table (float32 + expf), output (1/256, -128)
     9 avg_pool_a  avg_pool of dw, 3x3, stride 2, pad [1,0,1,0], count_include_pad false,
                   `half_away`
    10 concat      concat on channels: sigmoid requantized (`half_away`, M = 4, n = 6) +
                   avg_pool_a copied -> 24 channels in dw's quantization
    11 avg_pool_b  avg_pool 2x2, stride 1, pad [1,0,1,0], count_include_pad true, `half_even`
    12 add_aidge   add avg_pool_b + concat, Aidge scheme (left_shift 0, no rescale, output
                   M = 93 with `half_up`, zero point 0)
    13 requant     requantize, per-channel gains (factors 0.15..0.45), `tflite`
    14 clamp       clamp to the 5th..92nd percentile of the stored values
    15 pad         pad H [1,1], W [2,0] with the zero point
    16 conv_post   conv2d grouped (groups 2) 24->8, 3x3, valid, bias, per-channel `half_away`
                   (weights in [-2, 2], 3-bit multipliers: frequent rounding ties)
    17 mean        mean over H, W (keep_dims true), TFLite's folded multiplier, `tflite`
    18 flatten     reshape [1,1,1,8] -> [1,8]
    19 fc          fully_connected 8->10, bias, per-channel `half_even` (weights in [-3, 3],
                   3-bit multipliers)
    20 softmax     softmax (beta 1), output (1/256, -128) -> `probabilities`

All six rounding modes appear in per-channel requantizers. The script prints per-layer statistics
and, per node, how many outputs would change under another rounding mode with the same M and n
(how well the data tells the modes apart). It asserts at least 8 distinct values per layer.

Expected outputs come from Scripts/intref.py (an independent NumPy integer reference), run on the
model as read back from disk, one sample at a time with batch-1 shapes (and checked against a
batched run). Outputs (deterministic: re-running gives byte-identical files):

    Models/every_op.q              the model
    Models/every_op_input.npy      int8 [8, 6, 6, 4]  seeded random inputs over the full int8 range
    Models/every_op_expected.npy   int8 [8, 10]       expected `probabilities`
    Models/every_op_layers.npz     every node's output for sample 0, key = output tensor name,
                                   int8 at the tensor's batch-1 shape (an uncompressed .npz with
                                   fixed zip timestamps)
"""

import argparse
import io
import math
import os
import sys
import zipfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import intref  # noqa: E402
import qmodel  # noqa: E402

SEED = 20250611
BATCH = 8
INPUT_SHAPE = [1, 6, 6, 4]
CLASSES = 10
MIN_DISTINCT = 8
AIDGE_M = 93  # the Aidge add's output multiplier
LOGIT_RANGE = (1.0, 3.0)  # per-class real range of the logits (keeps the softmax spread)


def f32(value):
    """A Python float holding the float32 nearest to `value` (TFLite keeps scales in float32)."""
    return float(np.float32(value))


def round_half_away(value):
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


# --- requantizer construction ---------------------------------------------------------------

def requantizer(multipliers, shifts, rounding, zero_point, clamp_min=-128, clamp_max=127):
    assert rounding in intref.ROUNDING_MODES
    assert len(multipliers) == len(shifts) >= 1
    for m, n in zip(multipliers, shifts):
        assert 0 <= n <= 62, (m, n)
        assert 0 <= m <= (1 << 31) - 1, (m, n)
    assert -128 <= clamp_min <= clamp_max <= 127
    return {"multipliers": [int(m) for m in multipliers], "shifts": [int(n) for n in shifts],
            "rounding": rounding, "zero_point": int(zero_point),
            "clamp_min": int(clamp_min), "clamp_max": int(clamp_max)}


def tflite_multiplier(real):
    """TFLite QuantizeMultiplier as accsim's (M, n): n = 31 - shift."""
    m, shift = intref.quantize_multiplier(real)
    assert m > 0, real
    return m, 31 - shift


def plain_multiplier(real, bits):
    """(M, n) with M in [2^(bits-1), 2^bits) and M * 2^-n ~= real (for the plain rounding modes)."""
    assert real > 0
    _, exponent = math.frexp(real)  # real = f * 2^exponent, 0.5 <= f < 1
    n = bits - exponent
    m = round_half_away(real * 2.0 ** n)
    if m == 1 << bits:
        m, n = m >> 1, n - 1
    return m, n


def requantizer_for(reals, rounding, zero_point, clamp_min=-128, clamp_max=127, bits=16):
    pairs = [tflite_multiplier(r) if rounding in ("tflite", "tflite_half_up") else plain_multiplier(r, bits)
             for r in reals]
    return requantizer([m for m, _ in pairs], [n for _, n in pairs], rounding, zero_point, clamp_min, clamp_max)


# --- calibration ------------------------------------------------------------------------------

def calibrate(real):
    """Asymmetric int8 (scale, zero point) covering [min(real, 0), max(real, 0)] (min/max)."""
    lo = min(float(np.min(real)), 0.0)
    hi = max(float(np.max(real)), 0.0)
    scale = f32((hi - lo) / 255.0)
    zero_point = int(np.clip(round_half_away(-128.0 - lo / scale), -128, 127))
    return scale, zero_point


def relu_range(zero_point):
    return max(-128, zero_point), 127


def relu6_range(scale, zero_point):
    six = round_half_away(float(np.float32(6.0) / np.float32(scale)))  # TFLite: division in float32
    return max(-128, zero_point), min(127, zero_point + six)


# --- the graph builder ------------------------------------------------------------------------

class Builder:
    """Collects tensors, constants and nodes, and evaluates each node on the calibration batch as
    soon as it is added (with the same interpreter that later produces the expected outputs)."""

    def __init__(self):
        self.tensors = []
        self.info = {}
        self.constants = {}
        self.nodes = []
        self.values = {}  # tensor name -> batch values (int64), activations only

    def activation(self, name, shape, scale, zero_point):
        tensor = {"name": name, "shape": list(shape), "type": "int8",
                  "quantization": {"scales": [f32(scale)], "zero_points": [int(zero_point)]}}
        self.tensors.append(tensor)
        self.info[name] = tensor
        return name

    def constant(self, name, values, type_name, scales, zero_points, axis=0):
        values = np.asarray(values)
        tensor = {"name": name, "shape": list(values.shape), "type": type_name,
                  "quantization": {"scales": [f32(s) for s in scales], "zero_points": [int(z) for z in zero_points]}}
        if len(scales) > 1:
            tensor["quantization"]["axis"] = axis
        self.tensors.append(tensor)
        self.info[name] = tensor
        self.constants[name] = values.astype({"int8": np.int8, "int32": np.int32}[type_name])
        return name

    def scale(self, name):
        return self.info[name]["quantization"]["scales"][0]

    def zp(self, name):
        return self.info[name]["quantization"]["zero_points"][0]

    def shape(self, name):
        return self.info[name]["shape"]

    def node(self, name, op, inputs, output, attributes):
        node = {"name": name, "op": op, "inputs": list(inputs), "outputs": [output], "attributes": attributes}
        self.nodes.append(node)
        y = eval_node(node, self.values, self.info, self.constants)
        expected = [y.shape[0]] + self.shape(output)[1:]
        assert list(y.shape) == expected, (name, y.shape, expected)
        self.values[output] = y
        return output


# --- the interpreter (intref.py, node by node) ------------------------------------------------

def _zero_point(info, name):
    q = info[name].get("quantization")
    return q["zero_points"][0] if q else 0


def _weight_zero_points(info, name):
    q = info[name].get("quantization")
    return q["zero_points"] if q else [0]


def eval_node(node, live, info, constants):
    """One node's output (int64 values) by `intref.run_op`; `live` maps tensor names to values.
    A reshape target gets the input's batch size in place of the file's 1."""
    op, ins, attrs = node["op"], node["inputs"], node["attributes"]
    out = node["outputs"][0]
    inputs = [constants[name] if name in constants else live[name] for name in ins]
    zero_points = [_zero_point(info, name) for name in ins]
    if op in ("conv2d", "fully_connected"):
        zero_points[1] = _weight_zero_points(info, ins[1])
    if op == "reshape":
        attrs = dict(attrs, shape=[inputs[0].shape[0]] + list(attrs["shape"][1:]))
    out_type = info[out]["type"]
    y = intref.run_op(op, inputs, attrs, zero_points, output_zero_point=_zero_point(info, out),
                      output_type=out_type, input_types=[info[name]["type"] for name in ins], overflow="wrap")
    y = np.asarray(y, dtype=np.int64)
    lo, hi = intref.TYPE_RANGE[out_type]
    assert y.min() >= lo and y.max() <= hi, (node["name"], y.min(), y.max())
    return y


def check_consistency(manifest):
    """The quantization invariants the model promises: every requantizer's zero point is its output
    tensor's zero point; ops that move stored values (pools, clamp, pad, reshape) keep their
    input's type and quantization; activations are per-tensor int8."""
    info = {t["name"]: t for t in manifest["tensors"]}
    consts = {c["tensor"] for c in manifest["constants"]}
    for t in manifest["tensors"]:
        if t["name"] not in consts:
            assert t["type"] == "int8" and len(t["quantization"]["scales"]) == 1, t["name"]
    for node in manifest["nodes"]:
        a, out = node["attributes"], info[node["outputs"][0]]
        rqs = [a.get("requantizer"), a.get("output")] + list(a.get("input_requantizers", []))
        for rq in rqs:
            if rq is not None:
                assert rq["zero_point"] == out["quantization"]["zero_points"][0], node["name"]
        if node["op"] in ("max_pool", "avg_pool", "clamp", "pad", "reshape"):
            src = info[node["inputs"][0]]
            assert src["type"] == out["type"] and src["quantization"] == out["quantization"], node["name"]
        if node["op"] == "pad":
            assert a["value"] == out["quantization"]["zero_points"][0], node["name"]
        if node["op"] == "concat":
            for name, rq in zip(node["inputs"], a["input_requantizers"]):
                if rq is None:
                    assert info[name]["quantization"] == out["quantization"], node["name"]


def run_graph(manifest, constants, x):
    """Runs the manifest's nodes on input batch `x`; returns every tensor's values."""
    info = {t["name"]: t for t in manifest["tensors"]}
    live = {manifest["inputs"][0]: np.asarray(x, dtype=np.int64)}
    for node in manifest["nodes"]:
        live[node["outputs"][0]] = eval_node(node, live, info, constants)
    return live


# --- layers ---------------------------------------------------------------------------------

def random_weights(rng, shape, levels=None):
    """Symmetric int8 weights in [-127, 127], each output channel with its own magnitude; with
    `levels`, uniform small integers in [-levels, levels] instead (low-precision weights keep the
    accumulators small, so the requantizer's rounding ties are frequent)."""
    if levels is not None:
        return rng.integers(-levels, levels + 1, size=shape).astype(np.int8)
    magnitude = rng.uniform(20.0, 70.0, size=(shape[0],) + (1,) * (len(shape) - 1))
    return np.clip(np.rint(rng.standard_normal(shape) * magnitude), -127, 127).astype(np.int8)


def add_conv(b, rng, name, x, out, cout, kernel, *, stride=(1, 1), dilation=(1, 1), padding=(0, 0, 0, 0),
             groups=1, bias=True, rounding="tflite", activation=None, bits=16, target=(2.0, 8.0), levels=None):
    """A conv2d with random weights; weight scales chosen so that channel c's real outputs span
    about +-target_c, then the output quantization calibrated (min/max, before the activation)."""
    cin = b.shape(x)[3]
    w = random_weights(rng, (cout, kernel[0], kernel[1], cin // groups), levels)
    attrs = {"stride": list(stride), "dilation": list(dilation), "padding": list(padding), "groups": groups}
    acc = intref.conv2d_accumulators(b.values[x], b.zp(x), w, 0, None, attrs)
    bias_values = None
    if bias:
        spread = acc.reshape(-1, cout).std(axis=0) + 1.0
        bias_values = np.rint(rng.standard_normal(cout) * 0.5 * spread).astype(np.int64)
        acc = acc + bias_values
    s_in = b.scale(x)
    peak = np.abs(acc.reshape(-1, cout)).max(axis=0) + 1
    targets = rng.uniform(target[0], target[1], size=cout)
    s_w = [f32(targets[c] / (s_in * float(peak[c]))) for c in range(cout)]
    real = acc * np.array([s_in * s for s in s_w])
    s_out, zp_out = calibrate(real)
    lo, hi = -128, 127
    if activation == "relu":
        lo, hi = relu_range(zp_out)
    elif activation == "relu6":
        lo, hi = relu6_range(s_out, zp_out)
    reals = [s_in * s_w[c] / s_out for c in range(cout)]  # double from float32 scales, left to right
    attrs["requantizer"] = requantizer_for(reals, rounding, zp_out, lo, hi, bits=bits)
    wname = b.constant(f"{name}_w", w, "int8", s_w, [0] * cout)
    inputs = [x, wname]
    if bias:
        inputs.append(b.constant(f"{name}_b", bias_values, "int32", [s_in * s for s in s_w], [0] * cout))
    sh, sw = stride
    dh, dw = dilation
    h, wd = b.shape(x)[1:3]
    oh = (h + padding[0] + padding[1] - ((kernel[0] - 1) * dh + 1)) // sh + 1
    ow = (wd + padding[2] + padding[3] - ((kernel[1] - 1) * dw + 1)) // sw + 1
    b.activation(out, [1, oh, ow, cout], s_out, zp_out)
    return b.node(name, "conv2d", inputs, out, attrs)


def build(x_batch):
    rng = np.random.default_rng([SEED, 1])
    b = Builder()
    b.activation("input", INPUT_SHAPE, 0.02, 5)
    b.values["input"] = np.asarray(x_batch, dtype=np.int64)

    # 1-3: convolutions with TFLite-style per-channel requantizers.
    add_conv(b, rng, "conv_stem", "input", "stem", 8, (3, 3), padding=(1, 1, 1, 1),
             rounding="tflite", activation="relu6", target=(3.0, 10.0))
    add_conv(b, rng, "dw_conv", "stem", "dw", 16, (3, 3), dilation=(2, 2), padding=(2, 2, 2, 2), groups=8,
             rounding="tflite_half_up", target=(2.0, 8.0))
    add_conv(b, rng, "group_conv", "dw", "grp", 8, (3, 3), padding=(1, 1, 1, 1), groups=4, bias=False,
             rounding="floor", activation="relu", bits=16, target=(2.0, 6.0))

    # 4: TFLite ADD: left shift 20; the input factors s/(2 max s) and the output factor
    #    2 max s / (2^20 s_out) through QuantizeMultiplier, all `tflite`. Both inputs are
    #    non-negative (ReLU6, ReLU), so the calibrated zero point is -128.
    s_a, s_b = b.scale("stem"), b.scale("grp")
    real = s_a * (b.values["stem"] - b.zp("stem")) + s_b * (b.values["grp"] - b.zp("grp"))
    s_res, zp_res = calibrate(real)
    twice_max = 2 * max(s_a, s_b)
    rescale_a = requantizer_for([s_a / twice_max], "tflite", 0)
    rescale_b = requantizer_for([s_b / twice_max], "tflite", 0)
    out_rq = requantizer_for([twice_max / ((1 << 20) * s_res)], "tflite", zp_res)
    b.activation("res", b.shape("stem"), s_res, zp_res)
    b.node("add_tflite", "add", ["stem", "grp"], "res",
           {"inputs": [{"left_shift": 20, "rescale": rescale_a}, {"left_shift": 20, "rescale": rescale_b}],
            "output": out_rq})

    # 5: max pooling with padding; the clamp caps the top 5 % (a ReLU-N fused into the pool).
    top = int(np.percentile(b.values["res"], 95))
    b.activation("mp", b.shape("res"), s_res, zp_res)
    b.node("max_pool", "max_pool", ["res"], "mp",
           {"window": [3, 3], "stride": [1, 1], "padding": [1, 1, 1, 1], "clamp_min": max(-128, zp_res),
            "clamp_max": min(top, 126)})

    # 6: Aidge-style single-shift conv: M = 1, a right shift per channel, half_up, zero point 0.
    #    Each channel's scale is rounded up to a power of two (the ratio folded into the weight
    #    scale, as Aidge folds it into the weights), stride 2, asymmetric padding.
    w = random_weights(rng, (8, 3, 3, 8))
    attrs = {"stride": [2, 2], "dilation": [1, 1], "padding": [1, 0, 0, 1], "groups": 1}
    acc = intref.conv2d_accumulators(b.values["mp"], zp_res, w, 0, None, attrs)
    spread = acc.reshape(-1, 8).std(axis=0) + 1.0
    bias_values = np.rint(rng.standard_normal(8) * 0.5 * spread).astype(np.int64)
    acc = acc + bias_values
    peak = np.abs(acc.reshape(-1, 8)).max(axis=0)
    shifts = [max(0, math.ceil(math.log2(float(p) / 127.0))) for p in peak]
    s_s2 = f32(0.045)
    s_w = [f32(s_s2 / (s_res * 2.0 ** n)) for n in shifts]
    attrs["requantizer"] = requantizer([1] * 8, shifts, "half_up", 0)
    b.constant("conv_s2_w", w, "int8", s_w, [0] * 8)
    b.constant("conv_s2_b", bias_values, "int32", [s_res * s for s in s_w], [0] * 8)
    b.activation("s2", [1, 3, 3, 8], s_s2, 0)
    b.node("conv_s2", "conv2d", ["mp", "conv_s2_w", "conv_s2_b"], "s2", attrs)

    # 7: leaky ReLU, slope 1/8 (multiplier 1, shift 3), same scale, another zero point.
    b.activation("lrelu", [1, 3, 3, 8], s_s2, -20)
    b.node("leaky", "leaky_relu", ["s2"], "lrelu", {"slope_multiplier": 1, "slope_shift": 3, "rounding": "half_away"})

    # 8: sigmoid as TFLite's LOGISTIC table (float32, expf), output (1/256, -128).
    table = intref.tflite_table("logistic", s_s2, -20, 1.0 / 256.0, -128, "int8")
    b.activation("sig", [1, 3, 3, 8], 1.0 / 256.0, -128)
    b.node("sigmoid", "lookup_table", ["lrelu"], "sig", {"table": table})

    # 9: average pooling of the (signed) depthwise output, TFLite style: in-image taps only,
    #    half away from zero.
    s_dw, zp_dw = b.scale("dw"), b.zp("dw")
    b.activation("ap", [1, 3, 3, 16], s_dw, zp_dw)
    b.node("avg_pool_a", "avg_pool", ["dw"], "ap",
           {"window": [3, 3], "stride": [2, 2], "padding": [1, 0, 1, 0], "rounding": "half_away",
            "count_include_pad": False, "clamp_min": -128, "clamp_max": 127})

    # 10: concat on channels in the pooled branch's quantization: the sigmoid branch requantized
    #     (a 3-bit multiplier, like Aidge's branch multipliers: frequent ties), the other copied.
    cat_rq = requantizer_for([f32(1.0 / 256.0) / s_dw], "half_away", zp_dw, bits=3)
    b.activation("cat", [1, 3, 3, 24], s_dw, zp_dw)
    b.node("concat", "concat", ["sig", "ap"], "cat", {"axis": 3, "input_requantizers": [cat_rq, None]})

    # 11: average pooling counting the padding (padded taps add the zero point), half_even.
    b.activation("ap2", [1, 3, 3, 24], s_dw, zp_dw)
    b.node("avg_pool_b", "avg_pool", ["cat"], "ap2",
           {"window": [2, 2], "stride": [1, 1], "padding": [1, 0, 1, 0], "rounding": "half_even",
            "count_include_pad": True, "clamp_min": -128, "clamp_max": 127})

    # 12: Aidge ADD: raw int32 sum of (q - zp), then M = AIDGE_M with half_up, zero point 0.
    total = (b.values["ap2"] - zp_dw) + (b.values["cat"] - zp_dw)
    n_aidge = math.ceil(math.log2(AIDGE_M * float(np.abs(total).max()) / 127.0))
    s_sum = f32(s_dw * 2.0 ** n_aidge / AIDGE_M)
    b.activation("sum2", [1, 3, 3, 24], s_sum, 0)
    b.node("add_aidge", "add", ["ap2", "cat"], "sum2",
           {"inputs": [{"left_shift": 0, "rescale": None}, {"left_shift": 0, "rescale": None}],
            "output": requantizer([AIDGE_M], [n_aidge], "half_up", 0)})

    # 13: requantize with a per-channel gain (a folded per-channel scale), `tflite`. The factors
    #     lie in [0.15, 0.45] (TFLite shift -1 or -2), so the RDBP after SRDHM really rounds.
    s_rq = f32(s_sum / 0.3)
    zp_rq = -10
    gains = rng.uniform(0.5, 1.5, size=24)
    b.activation("rq", [1, 3, 3, 24], s_rq, zp_rq)
    b.node("requant", "requantize", ["sum2"], "rq",
           {"requantizer": requantizer_for([s_sum * float(g) / s_rq for g in gains], "tflite", zp_rq)})

    # 14: clamp to an inner range of the stored values.
    lo = int(np.percentile(b.values["rq"], 5))
    hi = int(np.percentile(b.values["rq"], 92))
    b.activation("clp", [1, 3, 3, 24], s_rq, zp_rq)
    b.node("clamp", "clamp", ["rq"], "clp", {"min": lo, "max": hi})

    # 15: constant padding with the zero point, asymmetric in W.
    b.activation("padded", [1, 5, 5, 24], s_rq, zp_rq)
    b.node("pad", "pad", ["clp"], "padded", {"padding": [[0, 0], [1, 1], [2, 0], [0, 0]], "value": zp_rq})

    # 16: grouped valid conv, half_away; weights in [-2, 2] and 3-bit multipliers, so that the
    #     accumulators are small and rounding ties (of both signs) are frequent.
    add_conv(b, rng, "conv_post", "padded", "post", 8, (3, 3), groups=2, rounding="half_away", bits=3,
             target=(2.0, 5.0), levels=2)

    # 17: global average pooling, TFLite MEAN: (M, shift) = QuantizeMultiplier(s_in / s_out),
    #     k = min(floor(log2 n), 32, 31 + shift), M' = (M * 2^k) div n, shift' = shift - k.
    s_post, zp_post = b.scale("post"), b.zp("post")
    count = 3 * 3
    s_gap, zp_gap = calibrate(s_post * (b.values["post"].mean(axis=(1, 2)) - zp_post))
    m, shift = intref.quantize_multiplier(s_post / s_gap)
    k = min(count.bit_length() - 1, 32, 31 + shift)
    mean_rq = requantizer([(m << k) // count], [31 - (shift - k)], "tflite", zp_gap)
    b.activation("gap", [1, 1, 1, 8], s_gap, zp_gap)
    b.node("mean", "mean", ["post"], "gap", {"requantizer": mean_rq, "keep_dims": True})

    # 18: flatten for the fully connected layer.
    b.activation("flat", [1, 8], s_gap, zp_gap)
    b.node("flatten", "reshape", ["gap"], "flat", {"shape": [1, 8]})

    # 19: fully connected, per-channel half_even; weights in [-3, 3] and 3-bit multipliers (ties).
    w = random_weights(rng, (CLASSES, 8), levels=3)
    acc = intref.fully_connected_accumulators(b.values["flat"], zp_gap, w, 0, None)
    spread = acc.std(axis=0) + 1.0
    bias_values = np.rint(rng.standard_normal(CLASSES) * 0.7 * spread).astype(np.int64)
    acc = acc + bias_values
    peak = np.abs(acc).max(axis=0) + 1
    targets = rng.uniform(LOGIT_RANGE[0], LOGIT_RANGE[1], size=CLASSES)
    s_w = [f32(targets[o] / (s_gap * float(peak[o]))) for o in range(CLASSES)]
    s_logit, zp_logit = calibrate(acc * np.array([s_gap * s for s in s_w]))
    b.constant("fc_w", w, "int8", s_w, [0] * CLASSES)
    b.constant("fc_b", bias_values, "int32", [s_gap * s for s in s_w], [0] * CLASSES)
    b.activation("logits", [1, CLASSES], s_logit, zp_logit)
    b.node("fc", "fully_connected", ["flat", "fc_w", "fc_b"], "logits",
           {"requantizer": requantizer_for([s_gap * s / s_logit for s in s_w], "half_even", zp_logit, bits=3)})

    # 20: softmax, beta = 1. Integer parameters as TFLite's int8 reference kernel prepares them
    #     (intref.softmax_parameters): (input_multiplier, input_left_shift) =
    #     QuantizeMultiplier(min(beta * s_in * 2^26, 2^31 - 1)), diff_min =
    #     -floor(31 * 2^26 / 2^input_left_shift) (CalculateInputRadius with 5 integer bits).
    b.activation("probabilities", [1, CLASSES], 1.0 / 256.0, -128)
    b.node("softmax", "softmax", ["logits"], "probabilities", intref.softmax_parameters(1.0 * s_logit))
    return b


# --- statistics and files -------------------------------------------------------------------

def _with_rounding(attributes, mode):
    """A copy of a node's attributes with every rounding mode replaced by `mode`."""
    if isinstance(attributes, dict):
        return {k: (mode if k == "rounding" else _with_rounding(v, mode)) for k, v in attributes.items()}
    if isinstance(attributes, list):
        return [_with_rounding(v, mode) for v in attributes]
    return attributes


def rounding_sensitivity(manifest, constants, values):
    """For each node with a rounding mode: how many of its outputs on the batch change when the
    same multipliers and shifts are rounded in another mode (given the same inputs). A count of 0
    means the data cannot tell the two modes apart at that node."""
    info = {t["name"]: t for t in manifest["tensors"]}
    lines = []
    for node in manifest["nodes"]:
        used = set()

        def collect(v):
            if isinstance(v, dict):
                for key, item in v.items():
                    if key == "rounding":
                        used.add(item)
                    else:
                        collect(item)
            elif isinstance(v, list):
                for item in v:
                    collect(item)

        collect(node["attributes"])
        if not used:
            continue
        actual = values[node["outputs"][0]]
        counts = []
        for mode in intref.ROUNDING_MODES:
            if mode in used or (node["op"] == "avg_pool" and mode.startswith("tflite")):
                continue
            other = dict(node, attributes=_with_rounding(node["attributes"], mode))
            counts.append(f"{mode} {int(np.sum(eval_node(other, values, info, constants) != actual))}")
        lines.append(f"{node['name']:<11} {'/'.join(sorted(used)):<15} outputs changed by another mode: "
                     + ", ".join(counts))
    return lines


def stats_lines(manifest, values):
    lines = [f"{'node':<11} {'op':<15} {'output':<14} {'shape':<13} {'min':>5} {'max':>5} {'distinct':>8} "
             f"{'at clamp':>8}"]
    for node in manifest["nodes"]:
        out = node["outputs"][0]
        y = values[out]
        a = node["attributes"]
        rq = a.get("requantizer") or a.get("output")
        lo, hi = (rq["clamp_min"], rq["clamp_max"]) if rq else (a.get("clamp_min", a.get("min", -128)),
                                                              a.get("clamp_max", a.get("max", 127)))
        at_clamp = float(np.mean((y == lo) | (y == hi)))
        shape = "x".join(str(d) for d in y.shape)
        lines.append(f"{node['name']:<11} {node['op']:<15} {out:<14} {shape:<13} {int(y.min()):>5} {int(y.max()):>5} "
                     f"{len(np.unique(y)):>8} {at_clamp:>8.1%}")
    return lines


def atomic_write(path, data):
    tmp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def npy_bytes(array):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return buffer.getvalue()


def npz_bytes(arrays):
    """An uncompressed .npz (what np.savez writes) with fixed timestamps, for byte-identical files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, array in arrays:
            entry = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_STORED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, npy_bytes(array))
    return buffer.getvalue()


def main(argv=None):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", default=os.path.join(root, "Models"))
    args = parser.parse_args(argv)
    out = args.out_dir
    os.makedirs(out, exist_ok=True)

    x = np.random.default_rng([SEED, 0]).integers(-128, 128, size=[BATCH] + INPUT_SHAPE[1:], dtype=np.int8)
    b = build(x)

    ops = {node["op"] for node in b.nodes}
    assert ops == qmodel.OPS, f"ops not used: {sorted(qmodel.OPS - ops)}"
    modes = set()
    for node in b.nodes:
        a = node["attributes"]
        for rq in [a.get("requantizer"), a.get("output")] + [i.get("rescale") for i in a.get("inputs", [])] \
                + list(a.get("input_requantizers", [])):
            if rq:
                modes.add(rq["rounding"])
    assert modes == set(intref.ROUNDING_MODES), sorted(modes)

    model_path = os.path.join(out, "every_op.q")
    metadata = {
        "producer": "Scripts/make_every_op_model.py",
        "source_model": (f"hand-built graph using every accsim operation; seeded random weights (seed {SEED}), "
                         f"activation ranges calibrated (min/max) on Models/every_op_input.npy"),
        "semantics": "accsim",
    }
    size = qmodel.write_model(model_path, "every_op", b.tensors, b.constants, b.nodes, ["input"],
                              ["probabilities"], metadata, overwrite=True)
    assert size < 20 * 1024, size

    # Expected outputs from the file as read back, one sample at a time (batch-1 shapes).
    manifest, constants = qmodel.read_model(model_path)
    check_consistency(manifest)
    per_sample = [run_graph(manifest, constants, x[i:i + 1]) for i in range(BATCH)]
    batched = run_graph(manifest, constants, x)
    names = [node["outputs"][0] for node in manifest["nodes"]]
    for name in names:  # the batch and the per-sample runs agree, and match the build-time values
        stacked = np.concatenate([s[name] for s in per_sample], axis=0)
        assert np.array_equal(stacked, batched[name]) and np.array_equal(stacked, b.values[name]), name
        assert len(np.unique(stacked)) >= MIN_DISTINCT, f"{name}: only {len(np.unique(stacked))} distinct values"
    expected = np.concatenate([s["probabilities"] for s in per_sample], axis=0).astype(np.int8)
    assert expected.shape == (BATCH, CLASSES)

    atomic_write(os.path.join(out, "every_op_input.npy"), npy_bytes(x))
    atomic_write(os.path.join(out, "every_op_expected.npy"), npy_bytes(expected))
    atomic_write(os.path.join(out, "every_op_layers.npz"),
                 npz_bytes([(name, per_sample[0][name].astype(np.int8)) for name in names]))

    print(f"wrote {model_path} ({size} bytes), every_op_input.npy {list(x.shape)}, "
          f"every_op_expected.npy {list(expected.shape)}, every_op_layers.npz ({len(names)} tensors) in {out}")
    print(f"per-layer statistics over the batch of {BATCH}:")
    for line in stats_lines(manifest, batched):
        print("  " + line)
    print("rounding-mode sensitivity (same M and n, another rounding; counts over the batch):")
    for line in rounding_sensitivity(manifest, constants, batched):
        print("  " + line)
    print("probabilities (sample 0):", expected[0].tolist())
    return 0


if __name__ == "__main__":
    sys.exit(main())
