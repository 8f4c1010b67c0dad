#!/usr/bin/env python3
"""Writes per-layer precision variants of the digits model to Models/precision/.

    .venv-tf/bin/pip install -r Scripts/requirements.txt     # numpy, scikit-learn (see there)
    .venv-tf/bin/python Scripts/make_precision_variants.py    # retrains (deterministic), writes

The float CNN of Scripts/train_digits.py is retrained with the same seed (the run is
deterministic: the all-int8 variant is checked to equal Models/digits.q byte for byte) and
quantized again with chosen layers at other widths, in TFLite's styles:

- a layer "at 16 bits" produces int16 activations (symmetric, zero point 0, scale max|r|/32767, as
  TFLite's 16x8 mode) that the next layer reads: int16 x int8 products on int8 weights, int32
  accumulators (|x·w| ≤ 2^22 over at most 288 products);
- a layer "at 4 bits" has int4 weights (symmetric per channel in [-7, 7]).

The input stays int8 (its 17 pixel levels are exact in int8), so every variant reads
Models/digits_test_x.npy. Each variant is run by train_digits.run_reference (an independent NumPy
integer interpreter) on the 360 held-out images; `Models/precision/variants.json` records its
layers' widths, the reference top-1 and the logits' CRC-32 (the Swift tests check accsim against
both). Sweep them as a model dimension (README, "Per-layer precision").
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import json  # noqa: E402
import sys  # noqa: E402
import zlib  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qmodel  # noqa: E402
import train_digits as td  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Models", "precision")

# name -> (layers whose output activations are int16, layers whose weights are int4)
VARIANTS = {
    "a8w8": ((), ()),
    "first16": (("conv1",), ()),
    "last16": (("mean", "fc"), ()),
    "first_last16": (("conv1", "mean", "fc"), ()),
    "all16": (("conv1", "conv2", "mean", "fc"), ()),
    "body_w4": ((), ("conv2",)),
    "all_w4": ((), ("conv1", "conv2", "fc")),
}


def activation16(rmin, rmax):
    """TFLite 16x8 activations: symmetric int16, zero point 0."""
    amax = np.float32(max(abs(float(rmin)), abs(float(rmax))))
    return float(np.float32(amax / np.float32(32767))), 0


def weights4(w):
    """Symmetric per-output-channel int4 in [-7, 7], float32 scales."""
    w32 = w.astype(np.float32)
    flat = w32.reshape(w32.shape[0], -1)
    amax = np.abs(flat).max(axis=1)
    scales = np.where(amax > 0, amax / np.float32(7), np.float32(1.0)).astype(np.float32)
    q = td.np_round_half_away(flat * (np.float32(1.0) / scales)[:, None])
    return np.clip(q, -7, 7).astype(np.int8).reshape(w.shape), [float(s) for s in scales]


def build(params, x_train, act16, w4):
    """train_digits.build_model with the chosen layers at other widths."""
    tensors, constants, nodes = td.build_model(params, x_train)
    if not act16 and not w4:
        return tensors, constants, nodes
    act = td.forward(params, x_train)
    by_name = {t["name"]: t for t in tensors}
    by_node = {n["name"]: n for n in nodes}
    ranges = {"conv1": ("a1", ["conv1_out", "pool1_out"]), "conv2": ("a2", ["conv2_out"]),
              "mean": ("m", ["mean_out"]), "fc": ("logits", ["logits"])}
    for layer in act16:
        key, names = ranges[layer]
        scale, zp = activation16(act[key].min(), act[key].max())
        for name in names:
            by_name[name]["type"] = "int16"
            by_name[name]["quantization"] = {"scales": [scale], "zero_points": [zp]}
    weight_of = {"conv1": ("conv1_w", "w1"), "conv2": ("conv2_w", "w2"), "fc": ("fc_w", "w3")}
    for layer in w4:
        tensor, key = weight_of[layer]
        q, scales = weights4(params[key])
        constants[tensor] = q
        by_name[tensor]["type"] = "int4"
        by_name[tensor]["quantization"]["scales"] = scales

    def scale(name):
        return by_name[name]["quantization"]["scales"][0]

    def zp(name):
        return by_name[name]["quantization"]["zero_points"][0]

    def bounds(name):
        return (-32768, 32767) if by_name[name]["type"] == "int16" else (-128, 127)

    # Biases and requantizers from the (possibly new) scales.
    weighted = {"conv1": ("input", "conv1_w", "conv1_b", "conv1_out", "b1", True),
                "conv2": ("pool1_out", "conv2_w", "conv2_b", "conv2_out", "b2", True),
                "fc": ("mean_out", "fc_w", "fc_b", "logits", "b3", False)}
    for layer, (x, w, b, y, bias_key, relu) in weighted.items():
        s_w = by_name[w]["quantization"]["scales"]
        constants[b] = td.bias_quantization(params[bias_key], scale(x), s_w)
        lo, hi = bounds(y)
        rq = td.per_channel_requantizer(scale(x), s_w, scale(y), zp(y), clamp_min=max(lo, zp(y)) if relu else lo)
        rq["clamp_max"] = hi
        by_node[layer]["attributes"]["requantizer"] = rq
    lo, hi = bounds("pool1_out")
    by_node["pool1"]["attributes"]["clamp_min"], by_node["pool1"]["attributes"]["clamp_max"] = lo, hi
    rq = td.mean_requantizer(scale("conv2_out"), scale("mean_out"), 16, zp("mean_out"))
    rq["clamp_min"], rq["clamp_max"] = bounds("mean_out")
    by_node["mean"]["attributes"]["requantizer"] = rq
    return tensors, constants, nodes


def main():
    os.makedirs(OUT, exist_ok=True)
    p_train, p_test, y_train, y_test = td.load_split()
    x_train = p_train / 16.0
    print(f"training float CNN ({td.EPOCHS} epochs, seed {td.SEED})")
    params = td.train(x_train, y_train)
    q_test = td.quantize_pixels(p_test)
    summary = {"test_samples": len(y_test), "variants": []}
    for name, (act16, w4) in VARIANTS.items():
        tensors, constants, nodes = build(params, x_train, act16, w4)
        path = os.path.join(OUT, f"digits_{name}.q")
        metadata = {"producer": "Scripts/make_precision_variants.py", "semantics": "tflite",
                    "source_model": f"Scripts/train_digits.py CNN; int16 activations after {list(act16)}, "
                                    f"int4 weights in {list(w4)}"}
        qmodel.write_model(path, f"digits_{name}", tensors, constants, nodes, ["input"], ["logits"], metadata,
                           overwrite=True)
        manifest, stored = qmodel.read_model(path)
        logits = td.run_reference(manifest, stored, q_test)["logits"]
        correct = int((logits.argmax(axis=1) == y_test).sum())
        dtype = np.int16 if manifest["tensors"][-1]["type"] == "int16" else np.int8
        crc = zlib.crc32(logits.astype(dtype).tobytes())
        summary["variants"].append({"name": name, "model": f"digits_{name}.q", "int16_outputs": list(act16),
                                    "int4_weights": list(w4), "reference_correct": correct,
                                    "logits_crc32": f"{crc:08x}"})
        print(f"{name:>13}: top-1 {correct}/{len(y_test)}, logits crc32 {crc:08x}")
    # The all-int8 variant is Models/digits.q (only the metadata differs): retraining reproduced it.
    base_manifest, base_constants = qmodel.read_model(os.path.join(ROOT, "Models", "digits.q"))
    again_manifest, again_constants = qmodel.read_model(os.path.join(OUT, "digits_a8w8.q"))
    assert base_manifest["tensors"] == again_manifest["tensors"] and base_manifest["nodes"] == again_manifest["nodes"]
    assert all(np.array_equal(base_constants[k], again_constants[k]) for k in base_constants)
    with open(os.path.join(OUT, "variants.json"), "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
