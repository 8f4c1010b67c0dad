#!/usr/bin/env python3
"""Builds the TFLite importer fixtures of Tests/AccsimImportTests/Fixtures/tflite/.

    pip install -r Scripts/requirements-fixtures.txt      # TensorFlow (CPU) and LiteRT, pinned
    python3 Scripts/make_tflite_fixtures.py               # rebuild models, inputs and outputs
    python3 Scripts/make_tflite_fixtures.py --check       # re-run LiteRT on the committed files

Each fixture is a small Keras model, full-integer quantized by the TFLite converter (int8 inputs
and outputs, weights int8 symmetric per channel, a seeded representative dataset), then run by
LiteRT on seeded int8 inputs with two op resolvers:

- `optimized`: `BUILTIN_WITHOUT_DEFAULT_DELEGATES`, LiteRT's default (optimized) CPU kernels
  without XNNPACK;
- `reference`: `BUILTIN_REF`, LiteRT's reference kernels.

Files per fixture NAME (all `.npy` are int8, first axis = sample; samples run one at a time, the
models have batch 1):

- `NAME.tflite` — the converted model;
- `NAME.input.npy` — the inputs `[S, ...]`;
- `NAME.output<k>.optimized.npy`, `NAME.output<k>.reference.npy` — LiteRT's outputs, `k` the
  position in the subgraph's output list.

`manifest.json` lists the fixtures with their input and output files and records the versions
used. Only the `.tflite`, `.npy` and manifest files are committed; the Swift tests
(Tests/AccsimImportTests) need no TensorFlow. `--check` needs only LiteRT (`ai-edge-litert`): it
re-runs both resolvers on the committed models and inputs and compares with the committed outputs.
"""

import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "AccsimImportTests", "Fixtures", "tflite")
SEED = 20261121
SAMPLES = 24
TIES_SAMPLES = 128
CALIBRATION_SAMPLES = 64
RESOLVERS = ("optimized", "reference")


# --- models ---------------------------------------------------------------------------------------
#
# Each builder returns (keras model, calibration input sampler). Layers without an activation are
# there on purpose: a ReLU clamps every negative value, which hides how ties of negative values
# are rounded.


def conv_model(keras):
    """CONV_2D (SAME, VALID, stride 2, dilation 2, fused RELU) and DEPTHWISE_CONV_2D
    (depth multiplier 2 and 1, fused RELU6), with a second output before any activation."""
    L = keras.layers
    x = keras.Input((16, 16, 4), batch_size=1, name="image")
    a = L.Conv2D(12, 3, padding="same", name="conv_same")(x)
    b = L.DepthwiseConv2D(3, strides=2, padding="same", depth_multiplier=2, name="dw_stride2_dm2")(a)
    c = L.Conv2D(10, 3, dilation_rate=2, padding="valid", activation="relu", name="conv_dilated_relu")(b)
    d = L.DepthwiseConv2D(3, padding="same", activation="relu6", name="dw_relu6")(c)
    e = L.Conv2D(6, 2, strides=2, padding="valid", name="conv_stride2_valid")(b)
    model = keras.Model(x, [b, d, e], name="conv")
    return model, lambda rng: rng.uniform(-0.5, 1.5, (1, 16, 16, 4))


def pool_model(keras):
    """MAX_POOL_2D and AVERAGE_POOL_2D with SAME (border windows count only in-image taps) and
    VALID padding, on an odd-sized input with 20 channels (LiteRT's SIMD loop and scalar tail)."""
    L = keras.layers
    x = keras.Input((7, 8, 20), batch_size=1, name="features")
    a = L.MaxPooling2D(3, strides=2, padding="same", name="max_same")(x)
    b = L.AveragePooling2D(3, strides=2, padding="same", name="avg_same")(x)
    c = L.AveragePooling2D(2, strides=1, padding="valid", name="avg_valid")(x)
    d = L.MaxPooling2D(2, strides=2, padding="valid", name="max_valid")(x)
    model = keras.Model(x, [a, b, c, d], name="pool")
    return model, lambda rng: rng.normal(0.3, 1.0, (1, 7, 8, 20))


def add_concat_model(keras):
    """ADD (with and without a fused RELU) of branches with different scales, and CONCATENATION.
    The converter gives concatenated tensors one shared quantization; the LOGISTIC branch has a
    fixed output scale, so it reaches the concatenation through a QUANTIZE (int8 -> int8)."""
    L = keras.layers
    x = keras.Input((8, 8, 4), batch_size=1, name="image")
    a = L.Conv2D(6, 1, name="branch_a")(x)
    b = L.Conv2D(6, 3, padding="same", name="branch_b")(x)
    s = L.Add(name="add_plain")([a, b])
    c = L.Conv2D(6, 3, padding="same", name="branch_c_x4")(x)
    t = L.Add(name="add_relu")([s, c])
    t = L.ReLU(name="add_relu_act")(t)
    g = L.Activation("sigmoid", name="gate")(b)
    k = L.Concatenate(axis=-1, name="concat")([t, a, x, g])
    model = keras.Model(x, [s, k], name="add_concat")
    return model, lambda rng: rng.uniform(-1.0, 1.0, (1, 8, 8, 4))


def fc_softmax_model(keras):
    """RESHAPE (Flatten), FULLY_CONNECTED (plain and fused RELU) and SOFTMAX, with the logits as a
    second output."""
    L = keras.layers
    x = keras.Input((4, 4, 3), batch_size=1, name="image")
    f = L.Flatten(name="flatten")(x)
    h = L.Dense(40, name="fc_plain")(f)
    h2 = L.Dense(24, activation="relu", name="fc_relu")(h)
    logits = L.Dense(20, name="fc_logits")(h2)
    probs = L.Softmax(name="softmax")(logits)
    model = keras.Model(x, [h, logits, probs], name="fc_softmax")
    return model, lambda rng: rng.normal(0.0, 1.0, (1, 4, 4, 3))


def logistic_tanh_model(keras):
    """LOGISTIC and TANH on the input itself (sample 0 holds all 256 int8 values) and on a
    FULLY_CONNECTED output with another scale."""
    L = keras.layers
    x = keras.Input((256,), batch_size=1, name="values")
    s = L.Activation("sigmoid", name="sigmoid_in")(x)
    t = L.Activation("tanh", name="tanh_in")(x)
    h = L.Dense(32, name="fc")(x)
    s2 = L.Activation("sigmoid", name="sigmoid_fc")(h)
    t2 = L.Activation("tanh", name="tanh_fc")(h)
    model = keras.Model(x, [s, t, s2, t2], name="logistic_tanh")
    return model, lambda rng: rng.uniform(-5.0, 3.0, (1, 256))


def mean_model(keras):
    """MEAN over H and W (GlobalAveragePooling2D) with and without keep_dims, over a 7x5 (non power
    of two) window: after a convolution (8 channels, no keep_dims), on the input (6 channels, keep_dims)
    and after a wider convolution (32 channels, keep_dims: LiteRT's vectorised path)."""
    L = keras.layers
    x = keras.Input((7, 5, 6), batch_size=1, name="image")
    a = L.Conv2D(8, 3, padding="same", name="conv")(x)
    g = L.GlobalAveragePooling2D(name="gap")(a)
    k = L.GlobalAveragePooling2D(keepdims=True, name="gap_keepdims")(x)
    b = L.Conv2D(32, 1, name="conv_wide")(x)
    w = L.GlobalAveragePooling2D(keepdims=True, name="gap_keepdims_wide")(b)
    model = keras.Model(x, [g, k, w], name="mean")
    return model, lambda rng: rng.uniform(-1.0, 2.0, (1, 7, 5, 6))


def pad_model(keras):
    """PAD (asymmetric, filled with the zero point) feeding a VALID convolution, and RESHAPE to a
    non-flat shape."""
    L = keras.layers
    x = keras.Input((6, 7, 3), batch_size=1, name="image")
    p = L.ZeroPadding2D(((1, 2), (2, 1)), name="pad")(x)
    c = L.Conv2D(5, 3, padding="valid", name="conv_valid")(p)
    r = L.Reshape((7 * 8, 5), name="reshape")(c)
    model = keras.Model(x, [p, r], name="pad")
    return model, lambda rng: rng.uniform(-0.25, 1.75, (1, 6, 7, 3))


# --- tie-rich variants -----------------------------------------------------------------------------
#
# With calibrated scales the real multipliers have full 53-bit mantissas, and exact rounding ties
# (which is where LiteRT's kernels differ from each other) are rare. These models are converted
# like the others and then get exactly representable scales, chosen so that ties are frequent:
# `retune(tensor)` returns new scales for a tensor (or None to keep them); the int32 bias scales
# are then set to s_in * s_w again, as TFLite requires. Integer values are never changed.

P = 2.0 ** -23  # one float32 ulp at 1.0


def fc_ties_model(keras):
    """FULLY_CONNECTED with per-channel weights, r = 2^-8 (1 - 2^-46) and 0.75 * 2^-8 (1 - 2^-46):
    QuantizeMultiplier rounds both to multipliers with r' = 2^-8 and 0.75 * 2^-8 exactly, so a
    double-precision requantizer with r and a fixed-point one with r' disagree on every tie; then
    FULLY_CONNECTED with per-tensor weights on the same input, r = 0.75 * 2^-8 (1 - 2^-46)."""
    L = keras.layers
    x = keras.Input((16,), batch_size=1, name="values")
    h = L.Dense(48, name="fc_per_channel")(x)
    y = L.Dense(20, name="fc_per_tensor")(x)
    model = keras.Model(x, [h, y], name="fc_ties")

    def retune(t):
        if t["input"]:
            return [2.0 ** -4 * (1 + P)]
        weights = t["consumer"] is not None and t["consumer"][0] == "FULLY_CONNECTED" and t["consumer"][2] == 1
        if weights and t["shape"][0] == 48:
            return [2.0 ** -6 * (1 - P) * (1.0 if c % 2 == 0 else 0.75) for c in range(48)]
        if weights and t["shape"][0] == 20:
            return [0.75 * 2.0 ** -6 * (1 - P)]
        if t["producer"] is not None and t["producer"][0] == "FULLY_CONNECTED":
            return [2.0 ** -2]
        return None

    return model, lambda rng: rng.normal(0.0, 1.0, (1, 16)), retune


def add_ties_model(keras):
    """ADD of the input (s = 1/4) and a per-tensor 1x1 convolution (s = 1/2, r = 2^-7) into
    s = 1: the sum is d1/4 + d2/2, half of its values are ties."""
    L = keras.layers
    x = keras.Input((8, 8, 4), batch_size=1, name="image")
    a = L.Conv2D(4, 1, name="conv_per_tensor")(x)
    s = L.Add(name="add")([x, a])
    model = keras.Model(x, [a, s], name="add_ties")

    def retune(t):
        if t["input"]:
            return [0.25]
        if t["consumer"] == ("CONV_2D", 0, 1):
            return [2.0 ** -6]
        if t["producer"] == ("CONV_2D", 0):
            return [0.5]
        if t["producer"] == ("ADD", 0):
            return [1.0]
        return None

    return model, lambda rng: rng.uniform(-1.0, 1.0, (1, 8, 8, 4)), retune


def quantize_ties_model(keras):
    """QUANTIZE int8 -> int8 from LOGISTIC's fixed 1/256 and TANH's fixed 1/128 to 2^-5 (r = 1/8
    and 1/4: every eighth or fourth value is a tie), feeding a CONCATENATION with the input; 144
    elements, whole SIMD blocks."""
    L = keras.layers
    x = keras.Input((6, 6, 4), batch_size=1, name="image")
    a = L.Conv2D(4, 1, name="conv")(x)
    g = L.Activation("sigmoid", name="gate")(a)
    t = L.Activation("tanh", name="squash")(a)
    k = L.Concatenate(axis=-1, name="concat")([g, t, x])
    model = keras.Model(x, [k], name="quantize_ties")

    def retune(t):
        if t["constant"] or t["producer"] in (("CONV_2D", 0), ("LOGISTIC", 0), ("TANH", 0)):
            return None
        return [2.0 ** -5]

    return model, lambda rng: rng.uniform(-1.0, 3.0, (1, 6, 6, 4)), retune


def mean_ties_model(keras):
    """MEAN over a 2x2 window with equal input and output scales (r = 1/4): a quarter of the sums
    are ties, with and without keep_dims (16 channels: LiteRT's vectorised path), and with
    keep_dims on 8 channels (its scalar path)."""
    L = keras.layers
    x = keras.Input((2, 2, 16), batch_size=1, name="image")
    g = L.GlobalAveragePooling2D(name="gap")(x)
    k = L.GlobalAveragePooling2D(keepdims=True, name="gap_keepdims")(x)
    c = L.Conv2D(8, 1, name="conv")(x)
    n = L.GlobalAveragePooling2D(keepdims=True, name="gap_keepdims_narrow")(c)
    model = keras.Model(x, [g, k, n], name="mean_ties")

    def retune(t):
        return None if t["constant"] else [2.0 ** -4]

    return model, lambda rng: rng.uniform(-1.0, 1.0, (1, 2, 2, 16)), retune


def tails_ties_model(keras):
    """The documented exceptions of the optimized kernels: DEPTHWISE_CONV_2D over 13 channels
    (channels 8..12 rounded by LiteRT's scalar code), QUANTIZE of 52 elements (elements 48..51)
    and MEAN with keep_dims over 20 channels (channels 16..19), all with tie-rich scales."""
    L = keras.layers
    x = keras.Input((2, 2, 13), batch_size=1, name="image")
    d = L.DepthwiseConv2D(3, padding="same", name="dw")(x)
    t = L.Activation("tanh", name="squash")(x)
    k = L.Concatenate(axis=-1, name="concat")([t, x])
    c = L.Conv2D(20, 1, name="conv")(x)
    m = L.GlobalAveragePooling2D(keepdims=True, name="gap_keepdims")(c)
    model = keras.Model(x, [d, k, m], name="tails_ties")

    def retune(t):
        if t["constant"] or t["producer"] == ("TANH", 0):
            return None
        return [2.0 ** -5]

    return model, lambda rng: rng.uniform(-2.0, 2.0, (1, 2, 2, 13)), retune


MODELS = {
    "conv": conv_model,
    "pool": pool_model,
    "add_concat": add_concat_model,
    "fc_softmax": fc_softmax_model,
    "logistic_tanh": logistic_tanh_model,
    "mean": mean_model,
    "pad": pad_model,
    "fc_ties": fc_ties_model,
    "add_ties": add_ties_model,
    "quantize_ties": quantize_ties_model,
    "mean_ties": mean_ties_model,
    "tails_ties": tails_ties_model,
}


# --- conversion and LiteRT runs --------------------------------------------------------------------


def convert(name, builder, seed):
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    model, sampler, *rest = builder(keras)
    # Random but non-trivial biases, so that bias handling is exercised; layers named `*_x4` get
    # four times larger weights (an ADD operand with a much larger scale than the other).
    for layer in model.layers:
        weights = layer.get_weights()
        if len(weights) == 2:
            rng = np.random.default_rng(seed + len(layer.name))
            kernel = weights[0] * (4.0 if layer.name.endswith("_x4") else 1.0)
            layer.set_weights([kernel, rng.normal(0.0, 0.1, weights[1].shape).astype(np.float32)])

    def representative():
        rng = np.random.default_rng(seed)
        for _ in range(CALIBRATION_SAMPLES):
            yield [sampler(rng).astype(np.float32)]

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = representative
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = tf.int8
    converter.inference_output_type = tf.int8
    model_bytes = converter.convert()
    return retuned(model_bytes, rest[0]) if rest else model_bytes


def retuned(model_bytes, retune):
    """The model with the scales `retune` asks for, and every bias scale set to s_in * s_w.

    `retune` returns scales, or a tuple (scales, zero points), or None; it sees each tensor as a dict: `name`, `shape`, `constant` (has data), `input` (a graph
    input), `producer` (op name, index among the ops of that name) or None, and for constants
    `consumer` (op name, index among the ops of that name, input slot) of the first consumer."""
    import flatbuffers
    from tensorflow.lite.python import schema_py_generated as schema

    model = schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(model_bytes, 0))
    names = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}
    graph = model.subgraphs[0]
    producer, consumer, ops = {}, {}, []
    seen = {}
    for op in graph.operators:
        code = model.operatorCodes[op.opcodeIndex]
        name = names[max(code.builtinCode, code.deprecatedBuiltinCode)]
        ordinal = seen.get(name, 0)
        seen[name] = ordinal + 1
        ops.append((name, op))
        for t in op.outputs:
            producer[int(t)] = (name, ordinal)
        for slot, t in enumerate(op.inputs):
            consumer.setdefault(int(t), (name, ordinal, slot))
    for index, tensor in enumerate(graph.tensors):
        data = model.buffers[tensor.buffer].data if tensor.buffer < len(model.buffers) else None
        view = {
            "name": tensor.name.decode(), "shape": [int(d) for d in tensor.shape],
            "constant": data is not None and len(data) > 0, "input": index in [int(i) for i in graph.inputs],
            "producer": producer.get(index), "consumer": consumer.get(index),
        }
        scales = retune(view)
        if scales is None or tensor.type == schema.TensorType.INT32:
            continue
        zero_points = None
        if isinstance(scales, tuple):
            scales, zero_points = scales
        q = tensor.quantization
        if zero_points is None and len(scales) != len(q.scale):
            zero_points = [int(q.zeroPoint[0])] * len(scales)
        if zero_points is not None:
            q.zeroPoint = [int(z) for z in zero_points]
        q.scale = [float(v) for v in scales]
    for name, op in ops:
        if name in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED") and len(op.inputs) > 2 and op.inputs[2] >= 0:
            s_in = np.float64(np.float32(graph.tensors[op.inputs[0]].quantization.scale[0]))
            s_w = [np.float64(np.float32(v)) for v in graph.tensors[op.inputs[1]].quantization.scale]
            bias = graph.tensors[op.inputs[2]].quantization
            count = len(bias.scale)
            bias.scale = [float(np.float32(s_in * s_w[c if len(s_w) > 1 else 0])) for c in range(count)]
    builder = flatbuffers.Builder(len(model_bytes) + 1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def make_inputs(name, shape, seed):
    rng = np.random.default_rng(seed + 1)
    samples = TIES_SAMPLES if name.endswith("_ties") else SAMPLES
    inputs = rng.integers(-128, 128, size=(samples,) + tuple(shape[1:]), dtype=np.int64)
    if name == "logistic_tanh":
        inputs[0] = np.arange(-128, 128)
    return inputs.astype(np.int8)


def run_litert(model_bytes, inputs, resolver):
    from ai_edge_litert import interpreter as litert

    kind = {
        "optimized": litert.OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES,
        "reference": litert.OpResolverType.BUILTIN_REF,
    }[resolver]
    interpreter = litert.Interpreter(model_content=model_bytes, experimental_op_resolver_type=kind)
    interpreter.allocate_tensors()
    (input_detail,) = interpreter.get_input_details()
    output_indices = [int(d["index"]) for d in interpreter.get_output_details()]
    outputs = [[] for _ in output_indices]
    for sample in inputs:
        interpreter.set_tensor(input_detail["index"], sample[np.newaxis])
        interpreter.invoke()
        for k, index in enumerate(output_indices):
            outputs[k].append(interpreter.get_tensor(index)[0])
    return [np.stack(o).astype(np.int8) for o in outputs]


def input_shape(model_bytes):
    from ai_edge_litert import interpreter as litert

    interpreter = litert.Interpreter(model_content=model_bytes)
    (detail,) = interpreter.get_input_details()
    return [int(d) for d in detail["shape"]]


def versions():
    import ai_edge_litert

    found = {"ai_edge_litert": getattr(ai_edge_litert, "__version__", "unknown"), "numpy": np.__version__}
    try:
        import tensorflow as tf

        found["tensorflow"] = tf.__version__
    except ImportError:
        pass
    return found


def save_npy(path, array):
    with open(path, "wb") as f:
        np.save(f, array, allow_pickle=False)


def build(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    manifest = {"seed": SEED, "samples": SAMPLES, "versions": versions(), "fixtures": []}
    for index, (name, builder) in enumerate(MODELS.items()):
        seed = SEED + 1000 * index
        model_bytes = convert(name, builder, seed)
        with open(os.path.join(out_dir, name + ".tflite"), "wb") as f:
            f.write(model_bytes)
        inputs = make_inputs(name, input_shape(model_bytes), seed)
        save_npy(os.path.join(out_dir, name + ".input.npy"), inputs)
        entry = {"name": name, "model": name + ".tflite", "input": name + ".input.npy", "outputs": []}
        results = {resolver: run_litert(model_bytes, inputs, resolver) for resolver in RESOLVERS}
        for k in range(len(results["optimized"])):
            files = {}
            for resolver in RESOLVERS:
                file = f"{name}.output{k}.{resolver}.npy"
                save_npy(os.path.join(out_dir, file), results[resolver][k])
                files[resolver] = file
            differing = int(np.count_nonzero(results["optimized"][k] != results["reference"][k]))
            entry["outputs"].append(dict(files, elements_differing_between_resolvers=differing))
        manifest["fixtures"].append(entry)
        print(f"{name}: {len(model_bytes)} bytes, {len(entry['outputs'])} outputs, "
              f"optimized vs reference differ in {[o['elements_differing_between_resolvers'] for o in entry['outputs']]} elements")
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")


def check(out_dir):
    with open(os.path.join(out_dir, "manifest.json")) as f:
        manifest = json.load(f)
    ok = True
    for entry in manifest["fixtures"]:
        with open(os.path.join(out_dir, entry["model"]), "rb") as f:
            model_bytes = f.read()
        inputs = np.load(os.path.join(out_dir, entry["input"]))
        for resolver in RESOLVERS:
            results = run_litert(model_bytes, inputs, resolver)
            for k, files in enumerate(entry["outputs"]):
                expected = np.load(os.path.join(out_dir, files[resolver]))
                if not np.array_equal(results[k], expected):
                    ok = False
                    print(f"{entry['name']} output {k} ({resolver}): LiteRT now gives other values", file=sys.stderr)
    print("fixtures current" if ok else "fixtures differ from LiteRT")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="re-run LiteRT on the committed fixtures and compare")
    parser.add_argument("--out", default=OUT_DIR, help="fixture directory")
    args = parser.parse_args()
    if args.check:
        sys.exit(0 if check(args.out) else 1)
    build(args.out)


if __name__ == "__main__":
    main()
