#!/usr/bin/env python3
"""Trains the accsim example model on scikit-learn's 8x8 digits and writes it as an int8 `.q` file.

    pip install -r Scripts/requirements.txt
    python3 Scripts/train_digits.py            # writes Models/digits*.{q,npy,json}

1. Loads `sklearn.datasets.load_digits` (bundled, offline) and splits it 1437 train / 360 test,
   stratified, `random_state=0`.
2. Trains a small CNN in plain NumPy (float64, Adam, fixed seed), NHWC:
       input [N,8,8,1] -> conv 3x3 16ch pad 1 + ReLU -> max_pool 2x2 -> conv 3x3 32ch pad 1 + ReLU
       -> mean over H,W -> fully_connected 10 -> logits
3. Quantizes it post-training the way TFLite full-integer quantization does: activation ranges
   calibrated (min/max) on the training set, int8 asymmetric activations, int8 symmetric
   per-output-channel weights (zero point 0, range [-127, 127]), int32 biases at s_in*s_w[c],
   requantizers from QuantizeMultiplier with rounding `tflite`, fused ReLU as the clamp range
   [max(-128, zp), 127], MEAN with TFLite's folded multiplier.
   The input's real value is pixel/16 in [0, 1]; it is stored losslessly as q = 15*pixel - 128
   (scale 1/240, zero point -128), so the 17 pixel levels map to -128, -113, ..., 112.
4. Writes the model with Scripts/qmodel.py, reads it back, and runs an independent NumPy integer
   reference of exactly the semantics the file declares on the 360 held-out samples.

Outputs (all deterministic: running the script twice gives byte-identical files):
    Models/digits.q                        the int8 model (batch 1 in the file)
    Models/digits_test_x.npy               int8  [360, 8, 8, 1] quantized held-out inputs
    Models/digits_test_y.npy               int32 [360] labels
    Models/digits_expected_logits.npy      int8  [360, 10] integer-reference logits
    Models/digits_expected_predictions.npy int32 [360] argmax of those logits (first index on ties)
    Models/digits_accuracy.json            float and int8 top-1 on the test set
"""

import os

# Single-threaded BLAS so that float training is reproducible bit for bit (set before numpy loads).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qmodel  # noqa: E402

SEED = 0
TEST_SAMPLES = 360
C1, C2, CLASSES = 16, 32, 10
EPOCHS, BATCH, LEARNING_RATE = 60, 32, 3e-3
INPUT_SCALE_DENOMINATOR = 240  # real = pixel/16, q = 15*pixel - 128 => scale 1/240
INPUT_ZERO_POINT = -128


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------

def load_split():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    pixels = digits.images.astype(np.int64)  # [1797, 8, 8], values 0..16
    assert pixels.min() >= 0 and pixels.max() <= 16
    p_train, p_test, y_train, y_test = train_test_split(
        pixels, digits.target.astype(np.int64), test_size=TEST_SAMPLES, stratify=digits.target,
        random_state=SEED)
    return p_train[..., None], p_test[..., None], y_train, y_test


def quantize_pixels(pixels):
    """int8 input: q = 15*pixel - 128 (exact; real value (q + 128)/240 = pixel/16)."""
    return (15 * pixels - 128).astype(np.int8)


# --------------------------------------------------------------------------------------------
# Float model (NumPy, NHWC, OHWI weights)
# --------------------------------------------------------------------------------------------

def im2col3x3(x):
    """[N,H,W,C] -> [N*H*W, 9*C] patches of a 3x3, stride 1, pad 1 window, ordered (ky, kx, c)."""
    n, h, w, c = x.shape
    xp = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    cols = np.stack([xp[:, ky:ky + h, kx:kx + w, :] for ky in range(3) for kx in range(3)], axis=3)
    return cols.reshape(n * h * w, 9 * c)


def col2im3x3(dcols, shape):
    n, h, w, c = shape
    dcols = dcols.reshape(n, h, w, 9, c)
    dxp = np.zeros((n, h + 2, w + 2, c))
    for k in range(9):
        ky, kx = divmod(k, 3)
        dxp[:, ky:ky + h, kx:kx + w, :] += dcols[:, :, :, k, :]
    return dxp[:, 1:-1, 1:-1, :]


def init_params(rng):
    def he(shape, fan_in):
        return rng.standard_normal(shape) * math.sqrt(2.0 / fan_in)

    return {
        "w1": he((C1, 3, 3, 1), 9), "b1": np.zeros(C1),
        "w2": he((C2, 3, 3, C1), 9 * C1), "b2": np.zeros(C2),
        "w3": rng.standard_normal((CLASSES, C2)) * math.sqrt(1.0 / C2), "b3": np.zeros(CLASSES),
    }


def forward(params, x):
    """Float forward pass; returns every activation (x is the real input, pixel/16)."""
    n = x.shape[0]
    c1 = im2col3x3(x)
    z1 = (c1 @ params["w1"].reshape(C1, -1).T + params["b1"]).reshape(n, 8, 8, C1)
    a1 = np.maximum(z1, 0.0)
    p1 = a1.reshape(n, 4, 2, 4, 2, C1).max(axis=(2, 4))
    c2 = im2col3x3(p1)
    z2 = (c2 @ params["w2"].reshape(C2, -1).T + params["b2"]).reshape(n, 4, 4, C2)
    a2 = np.maximum(z2, 0.0)
    m = a2.mean(axis=(1, 2))
    logits = m @ params["w3"].T + params["b3"]
    return {"c1": c1, "z1": z1, "a1": a1, "p1": p1, "c2": c2, "z2": z2, "a2": a2, "m": m,
            "logits": logits}


def loss_and_grads(params, x, labels):
    act = forward(params, x)
    n = x.shape[0]
    logits = act["logits"]
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    prob = e / e.sum(axis=1, keepdims=True)
    loss = -np.log(prob[np.arange(n), labels]).mean()
    dl = prob
    dl[np.arange(n), labels] -= 1.0
    dl /= n
    g = {"w3": dl.T @ act["m"], "b3": dl.sum(axis=0)}
    dm = dl @ params["w3"]
    da2 = np.broadcast_to(dm[:, None, None, :] / 16.0, act["a2"].shape)
    dz2 = (da2 * (act["z2"] > 0)).reshape(-1, C2)
    g["w2"] = (dz2.T @ act["c2"]).reshape(params["w2"].shape)
    g["b2"] = dz2.sum(axis=0)
    dp1 = col2im3x3(dz2 @ params["w2"].reshape(C2, -1), act["p1"].shape)
    up = np.repeat(np.repeat(act["p1"], 2, axis=1), 2, axis=2)
    da1 = (act["a1"] == up) * np.repeat(np.repeat(dp1, 2, axis=1), 2, axis=2)
    dz1 = (da1 * (act["z1"] > 0)).reshape(-1, C1)
    g["w1"] = (dz1.T @ act["c1"]).reshape(params["w1"].shape)
    g["b1"] = dz1.sum(axis=0)
    return loss, g


def train(x_train, y_train):
    rng = np.random.default_rng(SEED)
    params = init_params(rng)
    m1 = {k: np.zeros_like(v) for k, v in params.items()}
    m2 = {k: np.zeros_like(v) for k, v in params.items()}
    step = 0
    for epoch in range(EPOCHS):
        lr = LEARNING_RATE * 0.5 * (1.0 + math.cos(math.pi * epoch / EPOCHS))  # cosine decay
        order = rng.permutation(len(x_train))
        for start in range(0, len(order), BATCH):
            idx = order[start:start + BATCH]
            loss, g = loss_and_grads(params, x_train[idx], y_train[idx])
            step += 1
            for k in params:  # Adam
                m1[k] = 0.9 * m1[k] + 0.1 * g[k]
                m2[k] = 0.999 * m2[k] + 0.001 * g[k] ** 2
                mhat = m1[k] / (1.0 - 0.9 ** step)
                vhat = m2[k] / (1.0 - 0.999 ** step)
                params[k] = params[k] - lr * mhat / (np.sqrt(vhat) + 1e-8)
        if epoch % 10 == 9 or epoch == EPOCHS - 1:
            print(f"  epoch {epoch + 1:3d}  last batch loss {loss:.4f}")
    return params


# --------------------------------------------------------------------------------------------
# TFLite-style post-training quantization
# --------------------------------------------------------------------------------------------

def round_half_away(x):
    return math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)


def np_round_half_away(x):
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


def quantize_multiplier(r):
    """TFLite QuantizeMultiplier: r ~ M * 2^(shift - 31), M in [2^30, 2^31); shift > 0 is left."""
    if r == 0.0:
        return 0, 0
    f, e = math.frexp(r)
    m = round_half_away(f * (1 << 31))
    if m == (1 << 31):
        m //= 2
        e += 1
    if e < -31:
        return 0, 0
    assert (1 << 30) <= m < (1 << 31)
    return m, e


def requantizer(multipliers_shifts, zero_point, clamp_min=-128, clamp_max=127):
    """Manifest requantizer from TFLite (M, shift) pairs: our right shift n = 31 - shift."""
    shifts = [31 - shift for _, shift in multipliers_shifts]
    assert all(0 <= n <= 62 for n in shifts), shifts
    return {"multipliers": [int(m) for m, _ in multipliers_shifts], "shifts": shifts,
            "rounding": "tflite", "zero_point": int(zero_point),
            "clamp_min": int(clamp_min), "clamp_max": int(clamp_max)}


def activation_quantization(rmin, rmax):
    """TFLite GetAsymmetricQuantizationParams for int8 (float32 arithmetic)."""
    qmin, qmax = -128, 127
    rmin = np.float32(min(float(rmin), 0.0))
    rmax = np.float32(max(float(rmax), 0.0))
    scale = np.float32((rmax - rmin) / np.float32(qmax - qmin))
    assert scale > 0
    zp_from_min = np.float32(qmin) - rmin / scale
    if zp_from_min < qmin:
        zp = qmin
    elif zp_from_min > qmax:
        zp = qmax
    else:
        zp = int(round_half_away(float(zp_from_min)))
    return float(scale), zp


def weight_quantization(w):
    """Symmetric per-output-channel (axis 0) int8 in [-127, 127], float32 scales."""
    w32 = w.astype(np.float32)
    flat = w32.reshape(w32.shape[0], -1)
    amax = np.abs(flat).max(axis=1)
    scales = np.where(amax > 0, amax / np.float32(127), np.float32(1.0)).astype(np.float32)
    q = np_round_half_away(flat * (np.float32(1.0) / scales)[:, None])
    q = np.clip(q, -127, 127).astype(np.int8).reshape(w.shape)
    return q, [float(s) for s in scales]


def bias_quantization(b, input_scale, weight_scales):
    scales = np.array([float(np.float32(input_scale) * np.float32(s)) for s in weight_scales])
    q = np_round_half_away(b / scales)
    q = np.clip(q, -(2 ** 31), 2 ** 31 - 1).astype(np.int32)
    return q


def per_channel_requantizer(s_in, s_w, s_out, zero_point, clamp_min):
    pairs = [quantize_multiplier(float(s_in) * float(s) / float(s_out)) for s in s_w]
    return requantizer(pairs, zero_point, clamp_min=clamp_min)


def mean_requantizer(s_in, s_out, count, zero_point):
    """TFLite MEAN's folded multiplier for a mean over `count` elements."""
    m, sh = quantize_multiplier(float(s_in) / float(s_out))
    k = min(int(math.floor(math.log2(count))), 32, 31 + sh)
    folded = (m << k) // count if k >= 0 else m // (count << -k)
    return requantizer([(folded, sh - k)], zero_point)


def build_model(params, x_train):
    """Calibrates on the training set and returns (tensors, constants, nodes)."""
    act = forward(params, x_train)
    s_x = float(np.float32(1.0 / INPUT_SCALE_DENOMINATOR))
    zp_x = INPUT_ZERO_POINT
    s_a1, zp_a1 = activation_quantization(act["a1"].min(), act["a1"].max())
    s_a2, zp_a2 = activation_quantization(act["a2"].min(), act["a2"].max())
    s_m, zp_m = activation_quantization(act["m"].min(), act["m"].max())
    s_o, zp_o = activation_quantization(act["logits"].min(), act["logits"].max())

    w1, s_w1 = weight_quantization(params["w1"])
    w2, s_w2 = weight_quantization(params["w2"])
    w3, s_w3 = weight_quantization(params["w3"])
    b1 = bias_quantization(params["b1"], s_x, s_w1)
    b2 = bias_quantization(params["b2"], s_a1, s_w2)
    b3 = bias_quantization(params["b3"], s_m, s_w3)

    def q(scales, zps, axis=None):
        out = {"scales": list(scales), "zero_points": list(zps)}
        if axis is not None:
            out["axis"] = axis
        return out

    tensors = [
        {"name": "input", "shape": [1, 8, 8, 1], "type": "int8", "quantization": q([s_x], [zp_x])},
        {"name": "conv1_w", "shape": [C1, 3, 3, 1], "type": "int8", "quantization": q(s_w1, [0] * C1, 0)},
        {"name": "conv1_b", "shape": [C1], "type": "int32"},
        {"name": "conv1_out", "shape": [1, 8, 8, C1], "type": "int8", "quantization": q([s_a1], [zp_a1])},
        {"name": "pool1_out", "shape": [1, 4, 4, C1], "type": "int8", "quantization": q([s_a1], [zp_a1])},
        {"name": "conv2_w", "shape": [C2, 3, 3, C1], "type": "int8", "quantization": q(s_w2, [0] * C2, 0)},
        {"name": "conv2_b", "shape": [C2], "type": "int32"},
        {"name": "conv2_out", "shape": [1, 4, 4, C2], "type": "int8", "quantization": q([s_a2], [zp_a2])},
        {"name": "mean_out", "shape": [1, C2], "type": "int8", "quantization": q([s_m], [zp_m])},
        {"name": "fc_w", "shape": [CLASSES, C2], "type": "int8", "quantization": q(s_w3, [0] * CLASSES, 0)},
        {"name": "fc_b", "shape": [CLASSES], "type": "int32"},
        {"name": "logits", "shape": [1, CLASSES], "type": "int8", "quantization": q([s_o], [zp_o])},
    ]
    constants = {"conv1_w": w1, "conv1_b": b1, "conv2_w": w2, "conv2_b": b2, "fc_w": w3, "fc_b": b3}
    conv_common = {"stride": [1, 1], "dilation": [1, 1], "padding": [1, 1, 1, 1], "groups": 1}
    nodes = [
        {"name": "conv1", "op": "conv2d", "inputs": ["input", "conv1_w", "conv1_b"], "outputs": ["conv1_out"],
         "attributes": dict(conv_common, requantizer=per_channel_requantizer(
             s_x, s_w1, s_a1, zp_a1, clamp_min=max(-128, zp_a1)))},  # fused ReLU
        {"name": "pool1", "op": "max_pool", "inputs": ["conv1_out"], "outputs": ["pool1_out"],
         "attributes": {"window": [2, 2], "stride": [2, 2], "padding": [0, 0, 0, 0],
                        "clamp_min": -128, "clamp_max": 127}},
        {"name": "conv2", "op": "conv2d", "inputs": ["pool1_out", "conv2_w", "conv2_b"], "outputs": ["conv2_out"],
         "attributes": dict(conv_common, requantizer=per_channel_requantizer(
             s_a1, s_w2, s_a2, zp_a2, clamp_min=max(-128, zp_a2)))},  # fused ReLU
        {"name": "mean", "op": "mean", "inputs": ["conv2_out"], "outputs": ["mean_out"],
         "attributes": {"requantizer": mean_requantizer(s_a2, s_m, 4 * 4, zp_m), "keep_dims": False}},
        {"name": "fc", "op": "fully_connected", "inputs": ["mean_out", "fc_w", "fc_b"], "outputs": ["logits"],
         "attributes": {"requantizer": per_channel_requantizer(s_m, s_w3, s_o, zp_o, clamp_min=-128)}},
    ]
    return tensors, constants, nodes


# --------------------------------------------------------------------------------------------
# Integer reference: an interpreter of the model file's semantics (rounding `tflite` only)
# --------------------------------------------------------------------------------------------

INT32_MIN, INT32_MAX = -(2 ** 31), 2 ** 31 - 1


def srdhm(a, b):
    """SaturatingRoundingDoublingHighMul, elementwise on int64 arrays holding int32 values."""
    p = a * b
    h = (p + (1 << 30)) >> 31  # = (p + nudge) / 2^31 truncated, ties up
    return np.where((a == INT32_MIN) & (b == INT32_MIN), INT32_MAX, h)


def rdbp(x, n):
    """RoundingDivideByPOT: x / 2^n, ties away from zero (n is an array of 0..31)."""
    mask = (np.int64(1) << n) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (x < 0)
    return (x >> n) + (remainder > threshold)


def apply_requantizer(acc, rq, channel_axis=-1):
    """out = clamp(ROUND(acc, M[c], n[c]) + zp, lo, hi) for rounding `tflite`."""
    if rq["rounding"] != "tflite":
        raise NotImplementedError(f"rounding {rq['rounding']!r}")
    acc = np.asarray(acc, dtype=np.int64)
    assert acc.min() >= INT32_MIN and acc.max() <= INT32_MAX, "accumulator overflows int32"
    multipliers = np.array(rq["multipliers"], dtype=np.int64)
    n = np.array(rq["shifts"], dtype=np.int64)
    if len(multipliers) > 1:
        shape = [1] * acc.ndim
        shape[channel_axis] = len(multipliers)
        multipliers, n = multipliers.reshape(shape), n.reshape(shape)
    left = np.maximum(31 - n, 0)
    right = np.maximum(n - 31, 0)
    assert (right <= 31).all()
    shifted = acc << left
    assert shifted.min() >= INT32_MIN and shifted.max() <= INT32_MAX, "left shift overflows int32"
    out = rdbp(srdhm(shifted, multipliers), right) + rq["zero_point"]
    return np.clip(out, rq["clamp_min"], rq["clamp_max"])


def sliding_windows(x, window, stride, dilation, padding, pad_value):
    """[N,H,W,C] -> [N,OH,OW,KH,KW,C] of the (padded) input."""
    (kh, kw), (sh, sw), (dh, dw) = window, stride, dilation
    top, bottom, left, right = padding
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=pad_value)
    oh = (xp.shape[1] - ((kh - 1) * dh + 1)) // sh + 1
    ow = (xp.shape[2] - ((kw - 1) * dw + 1)) // sw + 1
    taps = [[xp[:, ky * dh:ky * dh + (oh - 1) * sh + 1:sh, kx * dw:kx * dw + (ow - 1) * sw + 1:sw, :]
             for kx in range(kw)] for ky in range(kh)]
    return np.stack([np.stack(row, axis=3) for row in taps], axis=3)


def run_reference(manifest, constants, x):
    """Runs the integer graph on int8 input batch x; returns every tensor (int64 arrays)."""
    tensors = {t["name"]: t for t in manifest["tensors"]}

    def zero_point(name):
        return tensors[name]["quantization"]["zero_points"][0]

    env = {name: np.asarray(value, dtype=np.int64) for name, value in constants.items()}
    env[manifest["inputs"][0]] = x.astype(np.int64)
    batch = x.shape[0]
    for node in manifest["nodes"]:
        op, attrs = node["op"], node["attributes"]
        inp = env[node["inputs"][0]]
        if op == "conv2d":
            assert attrs["groups"] == 1
            w = env[node["inputs"][1]]
            assert all(z == 0 for z in tensors[node["inputs"][1]]["quantization"]["zero_points"])
            centered = inp - zero_point(node["inputs"][0])  # padding with zp_in contributes 0
            win = sliding_windows(centered, w.shape[1:3], attrs["stride"], attrs["dilation"],
                                  attrs["padding"], 0)
            acc = np.einsum("nyxhwc,ohwc->nyxo", win, w)
            if len(node["inputs"]) > 2:
                acc = acc + env[node["inputs"][2]]
            out = apply_requantizer(acc, attrs["requantizer"])
        elif op == "max_pool":
            win = sliding_windows(inp, attrs["window"], attrs["stride"], [1, 1], attrs["padding"],
                                  np.iinfo(np.int64).min)  # padding never wins
            out = np.clip(win.max(axis=(3, 4)), attrs["clamp_min"], attrs["clamp_max"])
        elif op == "mean":
            count = inp.shape[1] * inp.shape[2]
            acc = inp.sum(axis=(1, 2)) - zero_point(node["inputs"][0]) * count
            out = apply_requantizer(acc, attrs["requantizer"])
            if attrs["keep_dims"]:
                out = out[:, None, None, :]
        elif op == "reshape":
            out = inp.reshape([batch] + list(attrs["shape"][1:]))
        elif op == "fully_connected":
            w = env[node["inputs"][1]]
            assert inp.ndim == 2 and all(z == 0 for z in tensors[node["inputs"][1]]["quantization"]["zero_points"])
            acc = (inp - zero_point(node["inputs"][0])) @ w.T
            if len(node["inputs"]) > 2:
                acc = acc + env[node["inputs"][2]]
            out = apply_requantizer(acc, attrs["requantizer"])
        else:
            raise NotImplementedError(f"op {op!r}")
        info = tensors[node["outputs"][0]]
        assert list(out.shape[1:]) == info["shape"][1:], (node["name"], out.shape, info["shape"])
        _, _, lo, hi, _ = qmodel.TYPES[info["type"]]
        assert out.min() >= lo and out.max() <= hi
        env[node["outputs"][0]] = out
    return env


# --------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default_out = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Models")
    parser.add_argument("--out-dir", default=default_out, help="where to write digits* (default: Models/)")
    args = parser.parse_args()
    out = args.out_dir
    os.makedirs(out, exist_ok=True)

    p_train, p_test, y_train, y_test = load_split()
    x_train, x_test = p_train / 16.0, p_test / 16.0
    print(f"digits: {len(y_train)} train / {len(y_test)} test samples")
    print(f"training float CNN ({EPOCHS} epochs, Adam, seed {SEED})")
    params = train(x_train, y_train)
    float_pred = forward(params, x_test)["logits"].argmax(axis=1)
    float_top1 = float((float_pred == y_test).mean())
    print(f"float test top-1: {float_top1:.4f} ({int((float_pred == y_test).sum())}/{len(y_test)})")

    tensors, constants, nodes = build_model(params, x_train)
    model_path = os.path.join(out, "digits.q")
    metadata = {
        "producer": "Scripts/train_digits.py",
        "source_model": (f"NumPy CNN: conv3x3 {C1}ch pad1 + ReLU, max_pool 2x2, conv3x3 {C2}ch pad1 + ReLU, "
                         f"mean (global average), fully_connected {CLASSES}; float64 Adam {EPOCHS} epochs, "
                         f"seed {SEED}; TFLite-style full-integer PTQ calibrated on the training set"),
        "dataset": (f"sklearn.datasets.load_digits (8x8, pixels 0..16), stratified train_test_split "
                    f"{len(y_train)} train / {len(y_test)} test, random_state={SEED}; "
                    f"input q = 15*pixel - 128 (real value pixel/16)"),
        "semantics": "tflite",
    }
    size = qmodel.write_model(model_path, "digits_cnn", tensors, constants, nodes, ["input"], ["logits"],
                              metadata, overwrite=True)

    # Integer reference on the model as read back from disk.
    manifest, stored = qmodel.read_model(model_path)
    q_test = quantize_pixels(p_test)
    env = run_reference(manifest, stored, q_test)
    logits = env["logits"].astype(np.int8)
    pred = logits.argmax(axis=1).astype(np.int32)
    int8_top1 = float((pred == y_test).mean())
    print(f"int8 test top-1:  {int8_top1:.4f} ({int((pred == y_test).sum())}/{len(y_test)}); "
          f"agrees with float on {int((pred == float_pred).sum())}/{len(y_test)}")
    # Batch independence: running sample by sample gives the same logits.
    for i in (0, len(q_test) - 1):
        assert (run_reference(manifest, stored, q_test[i:i + 1])["logits"] == env["logits"][i:i + 1]).all()

    np.save(os.path.join(out, "digits_test_x.npy"), q_test)
    np.save(os.path.join(out, "digits_test_y.npy"), y_test.astype(np.int32))
    np.save(os.path.join(out, "digits_expected_logits.npy"), logits)
    np.save(os.path.join(out, "digits_expected_predictions.npy"), pred)
    with open(os.path.join(out, "digits_accuracy.json"), "w") as f:
        json.dump({"float_top1": float_top1, "int8_top1": int8_top1, "test_samples": len(y_test)}, f, indent=2)
        f.write("\n")
    print(f"wrote {model_path} ({size} bytes) and digits_test_x/y, digits_expected_logits/predictions "
          f".npy, digits_accuracy.json in {out}")


if __name__ == "__main__":
    main()
