#!/usr/bin/env python3
"""Writes the ONNX importer fixtures: Tests/AccsimImportTests/Fixtures/onnx/.

Small float models are built with the `onnx.helper` API, quantized with
`onnxruntime.quantization.quantize_static` (QDQ and QOperator forms, int8 and uint8 activations,
per-channel and per-tensor weights) on seeded calibration data, and run with onnxruntime's CPU
execution provider (default graph optimizations, one thread). For each model the fixture holds

- `NAME.onnx`: the quantized model;
- `NAME.input.npy`: the int8/uint8 values its first QuantizeLinear produces for the seeded float
  inputs (MLAS's `clamp(rint(x / s) + zp)` in float32), in accsim's NHWC layout;
- `NAME.output.npy`: onnxruntime's int8/uint8 output, i.e. the input of the last
  DequantizeLinear, recovered exactly from the float output (`rint(y / s) + zp`; the script checks
  that dequantizing it gives the float output bit for bit), NHWC for rank-4 outputs;

plus hand-built models: `ties` (QLinearConv/QLinearAdd with scales chosen so that onnxruntime's
float32 requantization rounds exact and near ties) and the error-case models. `manifest.json`
lists them. The Swift tests need none of onnx, onnxruntime or numpy.

    python3 -m venv VENV && VENV/bin/pip install -r Scripts/requirements-fixtures.txt
    VENV/bin/python Scripts/make_onnx_fixtures.py            # rewrite the fixtures
    VENV/bin/python Scripts/make_onnx_fixtures.py --check    # do the committed files match?
"""

import argparse
import json
import os
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "AccsimImportTests", "Fixtures", "onnx")
OPSET = 13
f32 = np.float32


def make_model(nodes, inputs, outputs, initializers, opsets=None):
    graph = helper.make_graph(nodes, "g", inputs, outputs, initializers)
    model = helper.make_model(graph, opset_imports=opsets or [helper.make_opsetid("", OPSET)], producer_name="accsim make_onnx_fixtures")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def residual_model(rng):
    """Conv+ReLU → MaxPool → Conv+Clip(0,6) → Add (residual) → AveragePool → Conv(depthwise) →
    GlobalAveragePool → Flatten → Gemm, NCHW [N, 3, 16, 16] → [N, 10]."""
    w0 = rng.normal(0, 0.35, (8, 3, 3, 3)).astype(f32)
    b0 = rng.normal(0, 0.1, (8,)).astype(f32)
    w1 = rng.normal(0, 0.2, (8, 8, 3, 3)).astype(f32)
    b1 = rng.normal(0, 0.1, (8,)).astype(f32)
    w2 = rng.normal(0, 0.5, (8, 1, 3, 3)).astype(f32)
    b2 = rng.normal(0, 0.1, (8,)).astype(f32)
    w3 = rng.normal(0, 0.4, (10, 8)).astype(f32)
    b3 = rng.normal(0, 0.1, (10,)).astype(f32)
    nodes = [
        helper.make_node("Conv", ["x", "w0", "b0"], ["c0"], name="conv0", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c0"], ["r0"], name="relu0"),
        helper.make_node("MaxPool", ["r0"], ["p0"], name="pool0", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p0", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Clip", ["c1", "lo", "hi"], ["r1"], name="relu6"),
        helper.make_node("Add", ["r1", "p0"], ["a0"], name="residual"),
        helper.make_node("AveragePool", ["a0"], ["p1"], name="avgpool", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["p1", "w2", "b2"], ["c2"], name="depthwise", pads=[1, 1, 1, 1], group=8, strides=[1, 1]),
        helper.make_node("GlobalAveragePool", ["c2"], ["g0"], name="gap"),
        helper.make_node("Flatten", ["g0"], ["f0"], name="flatten"),
        helper.make_node("Gemm", ["f0", "w3", "b3"], ["y"], name="fc", transB=1),
    ]
    inits = [init("w0", w0), init("b0", b0), init("w1", w1), init("b1", b1), init("w2", w2), init("b2", b2),
             init("w3", w3), init("b3", b3), init("lo", f32(0)), init("hi", f32(6))]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 16, 16])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 10])
    return make_model(nodes, [x], [y], inits), (3, 16, 16)


def branch_model(rng):
    """Conv → {Sigmoid, Conv} → Concat → Pad → Conv (valid, stride 2) → Flatten (H·W > 1) →
    MatMul, NCHW [N, 4, 12, 12] → [N, 6]."""
    w0 = rng.normal(0, 0.3, (6, 4, 3, 3)).astype(f32)
    b0 = rng.normal(0, 0.1, (6,)).astype(f32)
    w1 = rng.normal(0, 0.25, (4, 6, 1, 1)).astype(f32)
    b1 = rng.normal(0, 0.1, (4,)).astype(f32)
    w2 = rng.normal(0, 0.2, (5, 10, 3, 3)).astype(f32)
    b2 = rng.normal(0, 0.1, (5,)).astype(f32)
    w3 = rng.normal(0, 0.3, (5 * 6 * 6, 6)).astype(f32)
    nodes = [
        helper.make_node("Conv", ["x", "w0", "b0"], ["c0"], name="conv0", pads=[1, 1, 1, 1]),
        helper.make_node("Sigmoid", ["c0"], ["s0"], name="sigmoid"),
        helper.make_node("Conv", ["c0", "w1", "b1"], ["c1"], name="pointwise"),
        helper.make_node("Concat", ["s0", "c1"], ["cat"], name="concat", axis=1),
        helper.make_node("Pad", ["cat", "pads"], ["padded"], name="pad", mode="constant"),
        helper.make_node("Conv", ["padded", "w2", "b2"], ["c2"], name="conv2", strides=[2, 2]),
        helper.make_node("Flatten", ["c2"], ["f0"], name="flatten"),
        helper.make_node("MatMul", ["f0", "w3"], ["y"], name="matmul"),
    ]
    pads = np.array([0, 0, 1, 1, 0, 0, 1, 1], dtype=np.int64)
    inits = [init("w0", w0), init("b0", b0), init("w1", w1), init("b1", b1), init("w2", w2), init("b2", b2), init("w3", w3), init("pads", pads)]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 4, 12, 12])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 6])
    return make_model(nodes, [x], [y], inits), (4, 12, 12)


class Reader(CalibrationDataReader):
    def __init__(self, batches):
        self.batches = iter(batches)

    def get_next(self):
        return next(self.batches, None)


def session(model_bytes):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])


def initializer_value(model, name):
    for tensor in model.graph.initializer:
        if tensor.name == name:
            return numpy_helper.to_array(tensor)
    raise KeyError(name)


def edge_quantization(model):
    """(scale, zero point) of the first QuantizeLinear (graph input) and the last DequantizeLinear
    (graph output)."""
    input_name = model.graph.input[0].name
    output_name = model.graph.output[0].name
    q = next(n for n in model.graph.node if n.op_type == "QuantizeLinear" and n.input[0] == input_name)
    dq = next(n for n in model.graph.node if n.op_type == "DequantizeLinear" and n.output[0] == output_name)
    get = lambda node: (f32(initializer_value(model, node.input[1])), initializer_value(model, node.input[2]))
    return get(q), get(dq)


def quantize_like_mlas(x, scale, zero_point):
    info = np.iinfo(zero_point.dtype)
    q = np.rint((x.astype(f32) / scale).astype(f32)) + int(zero_point)
    return np.clip(q, info.min, info.max).astype(zero_point.dtype)


def nhwc(array):
    return array.transpose(0, 2, 3, 1).copy() if array.ndim == 4 else array


def quantized_fixture(name, builder, seed, fmt, activation_type, per_channel, samples=24):
    rng = np.random.default_rng(seed)
    model, shape = builder(rng)
    calibration = [{"x": rng.normal(0, 1, (1,) + shape).astype(f32)} for _ in range(16)]
    with tempfile.TemporaryDirectory() as tmp:
        float_path = os.path.join(tmp, "float.onnx")
        quant_path = os.path.join(tmp, "quant.onnx")
        onnx.save(model, float_path)
        quantize_static(
            float_path, quant_path, Reader(calibration), quant_format=fmt, per_channel=per_channel,
            activation_type=activation_type, weight_type=QuantType.QInt8,
            extra_options={"ActivationSymmetric": False, "WeightSymmetric": True})
        quantized = onnx.load(quant_path)
    quantized.producer_name = "onnxruntime.quantization " + ort.__version__
    data = quantized.SerializeToString()
    x = rng.normal(0, 1.2, (samples,) + shape).astype(f32)
    y = session(data).run(None, {"x": x})[0]
    (s_in, zp_in), (s_out, zp_out) = edge_quantization(quantized)
    q_in = quantize_like_mlas(x, s_in, zp_in)
    q_out = quantize_like_mlas(y, s_out, zp_out)
    back = ((q_out.astype(np.int32) - int(zp_out)).astype(f32) * s_out).astype(f32)
    assert np.array_equal(back.view(np.uint32), y.astype(f32).view(np.uint32)), f"{name}: the output does not round-trip"
    return name, data, nhwc(q_in), nhwc(q_out), {
        "form": "qdq" if fmt == QuantFormat.QDQ else "qoperator",
        "activations": "int8" if activation_type == QuantType.QInt8 else "uint8",
        "weights": "per_channel" if per_channel else "per_tensor",
    }


def near_tie_accumulators(scale, low, high):
    """Accumulators whose exact product with the float32 `scale` rounds (half to even) to an
    integer in [low, high] other than onnxruntime's `rint(float32(float32(acc) · scale))`: the
    float32 product lands on (or across) a tie."""
    scale = f32(scale)
    mantissa, exponent = np.frexp(np.float64(scale))
    m, e = int(mantissa * 2**24), int(exponent) - 24
    reach = int(max(abs(low), abs(high)) / float(scale)) + 2
    acc = np.arange(-reach, reach + 1, dtype=np.int64)
    theirs = np.rint((acc.astype(f32) * scale).astype(f32)).astype(np.int64)
    numerator, denominator = acc * m, 2 ** -e
    quotient = np.floor_divide(numerator, denominator)
    remainder = numerator - quotient * denominator
    exact = np.where(remainder * 2 > denominator, quotient + 1, np.where(remainder * 2 < denominator, quotient, quotient + (quotient & 1)))
    hits = (exact >= low) & (exact <= high) & (theirs != exact)
    return acc[hits]


def ties_fixture():
    """QOperator, int8: a 1×1 QLinearConv whose float32 scales make onnxruntime's requantization
    meet exact ties (scale 2^−2: half_even and tflite differ) and near ties (a float32 scale whose
    product rounds onto a tie, where an exact integer requantizer differs from onnxruntime), then
    a QLinearAdd with ratios ¼ and an odd output zero point (exact ties rounded on the stored
    value)."""
    near_scale = f32(1.0191694855166133e-05)
    zero_y = 3
    targets = near_tie_accumulators(near_scale, -128 - zero_y, 127 - zero_y)
    picks = [int(targets[len(targets) // 5]), int(targets[2 * len(targets) // 5]), int(targets[3 * len(targets) // 5]), int(targets[-2])]
    scales_w = np.array([0.25, 0.25] + [near_scale] * 4, dtype=f32)  # s_x = s_y = 1
    # Each channel's bias moves the accumulator window (q ∈ [−128, 127]) over the chosen accumulator.
    bias = np.array([0, 301] + picks, dtype=np.int32)
    channels = len(bias)
    w = np.ones((channels, 1, 1, 1), dtype=np.int8)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "sx", "zx"], ["xq"]),
        helper.make_node("QLinearConv", ["xq", "sx", "zx", "w", "sw", "zw", "sy", "zy", "b"], ["c"], name="conv_ties"),
        helper.make_node("QLinearAdd", ["c", "sy", "zy", "c", "sy", "zy", "sz", "zz"], ["a"], name="add_ties", domain="com.microsoft"),
        helper.make_node("DequantizeLinear", ["a", "sz", "zz"], ["y"]),
    ]
    inits = [init("sx", f32(1)), init("zx", np.int8(0)), init("w", w), init("sw", scales_w), init("zw", np.zeros(channels, np.int8)),
             init("sy", f32(1)), init("zy", np.int8(zero_y)), init("b", bias), init("sz", f32(4)), init("zz", np.int8(-5))]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, 16, 16])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", channels, 16, 16])
    model = make_model(nodes, [x], [y], inits, [helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)])
    model.producer_name = "accsim make_onnx_fixtures (hand-built)"
    values = np.arange(-128, 128, dtype=np.int16).reshape(1, 1, 16, 16).astype(f32)
    data = model.SerializeToString()
    y = session(data).run(None, {"x": values})[0]
    q_out = quantize_like_mlas(y, f32(4), np.int8(-5))
    return "ties", data, nhwc(values.astype(np.int8)), nhwc(q_out), {"form": "qoperator", "activations": "int8", "weights": "per_channel"}


def error_models():
    """Models the importer must reject, each with the message fragment the tests expect."""
    models = {}
    # An unsupported operator between DequantizeLinear and QuantizeLinear.
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "s", "z"], ["xq"]),
        helper.make_node("DequantizeLinear", ["xq", "s", "z"], ["xd"]),
        helper.make_node("Tanh", ["xd"], ["t"], name="the_tanh"),
        helper.make_node("QuantizeLinear", ["t", "s", "z"], ["tq"]),
        helper.make_node("DequantizeLinear", ["tq", "s", "z"], ["y"]),
    ]
    vi = lambda n: helper.make_tensor_value_info(n, TensorProto.FLOAT, ["N", 2, 4, 4])
    models["unsupported_op"] = make_model(nodes, [vi("x")], [vi("y")], [init("s", f32(0.05)), init("z", np.int8(0))])
    # Per-channel quantization of an activation.
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "s", "z"], ["xq"], axis=1),
        helper.make_node("DequantizeLinear", ["xq", "s", "z"], ["y"], axis=1),
    ]
    models["per_channel_activation"] = make_model(
        nodes, [vi("x")], [vi("y")], [init("s", np.array([0.05, 0.1], f32)), init("z", np.zeros(2, np.int8))])
    return {name: model.SerializeToString() for name, model in models.items()}


def npy_bytes(array):
    import io
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def build():
    files = {}
    fixtures = []
    specs = [
        ("residual_qdq_s8_pc", residual_model, 11, QuantFormat.QDQ, QuantType.QInt8, True),
        ("residual_qdq_u8_pt", residual_model, 11, QuantFormat.QDQ, QuantType.QUInt8, False),
        ("residual_qop_s8_pt", residual_model, 11, QuantFormat.QOperator, QuantType.QInt8, False),
        ("residual_qop_u8_pc", residual_model, 11, QuantFormat.QOperator, QuantType.QUInt8, True),
        ("branch_qdq_s8_pt", branch_model, 23, QuantFormat.QDQ, QuantType.QInt8, False),
        ("branch_qdq_u8_pc", branch_model, 23, QuantFormat.QDQ, QuantType.QUInt8, True),
        ("branch_qop_s8_pc", branch_model, 23, QuantFormat.QOperator, QuantType.QInt8, True),
        ("branch_qop_u8_pt", branch_model, 23, QuantFormat.QOperator, QuantType.QUInt8, False),
    ]
    results = [quantized_fixture(*spec) for spec in specs] + [ties_fixture()]
    for name, data, q_in, q_out, info in results:
        files[name + ".onnx"] = data
        files[name + ".input.npy"] = npy_bytes(q_in)
        files[name + ".output.npy"] = npy_bytes(q_out)
        fixtures.append(dict(name=name, model=name + ".onnx", input=name + ".input.npy", output=name + ".output.npy", **info))
    for name, data in error_models().items():
        files[name + ".onnx"] = data
    manifest = {
        "generator": "Scripts/make_onnx_fixtures.py",
        "onnx": onnx.__version__,
        "onnxruntime": ort.__version__,
        "numpy": np.__version__,
        "layout": "inputs and rank-4 outputs are NHWC (accsim's layout); onnxruntime ran NCHW",
        "fixtures": fixtures,
        "errors": sorted(error_models().keys()),
    }
    files["manifest.json"] = (json.dumps(manifest, indent=2) + "\n").encode()
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files instead of writing them")
    args = parser.parse_args()
    files = build()
    if args.check:
        stale = [name for name, data in files.items()
                 if not os.path.exists(os.path.join(OUT, name)) or open(os.path.join(OUT, name), "rb").read() != data]
        if stale:
            print("stale or missing:", ", ".join(sorted(stale)))
            return 1
        print(f"all {len(files)} fixture files are current")
        return 0
    os.makedirs(OUT, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(OUT, name), "wb") as handle:
            handle.write(data)
    total = sum(len(d) for d in files.values())
    print(f"wrote {len(files)} files ({total} bytes) to {os.path.relpath(OUT, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
