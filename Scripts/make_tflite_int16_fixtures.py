#!/usr/bin/env python3
"""Builds the TFLite int16x8 importer fixtures of Tests/AccsimImportTests/Fixtures/tflite16/.

    python3 -m venv .venv-tf && .venv-tf/bin/pip install -r Scripts/requirements-fixtures.txt
    .venv-tf/bin/python Scripts/make_tflite_int16_fixtures.py            # rebuild
    .venv-tf/bin/python Scripts/make_tflite_int16_fixtures.py --check    # re-run LiteRT, compare

The sibling of Scripts/make_tflite_fixtures.py (same Keras models where the op exists in TFLite's
16x8 mode, same seeds and layout): each model is converted with
`OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8` (int16 activations, symmetric
int8 weights, int64 biases), int16 input and output, then run by LiteRT with its optimized
(`BUILTIN_WITHOUT_DEFAULT_DELEGATES`) and reference (`BUILTIN_REF`) kernels on seeded int16
inputs. Files per fixture NAME: `NAME.tflite`, `NAME.input.npy` (int16 `[S, ...]`),
`NAME.output<k>.{optimized,reference}.npy` (int16, or int8 after a QUANTIZE to int8), and
`manifest.json`. Some models are edited after conversion or written directly (the mixed
int16/int8 model, one-operator probes; see MODELS); `--only NAME...` rebuilds just those.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

import make_tflite_fixtures as base  # noqa: E402

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "AccsimImportTests", "Fixtures", "tflite16")
SEED = 20261203
SAMPLES = 16


def add_model(keras):
    """ADD (plain and with a fused RELU) of branches with different scales."""
    L = keras.layers
    x = keras.Input((8, 8, 4), batch_size=1, name="image")
    a = L.Conv2D(6, 1, name="branch_a")(x)
    b = L.Conv2D(6, 3, padding="same", name="branch_b")(x)
    s = L.Add(name="add_plain")([a, b])
    c = L.Conv2D(6, 3, padding="same", name="branch_c_x4")(x)
    t = L.ReLU(name="add_relu_act")(L.Add(name="add_relu")([s, c]))
    model = keras.Model(x, [s, t], name="add")
    return model, lambda rng: rng.uniform(-1.0, 1.0, (1, 8, 8, 4))


def fc_model(keras):
    """RESHAPE (Flatten) and FULLY_CONNECTED (plain, fused RELU, logits), two outputs."""
    L = keras.layers
    x = keras.Input((4, 4, 3), batch_size=1, name="image")
    f = L.Flatten(name="flatten")(x)
    h = L.Dense(40, name="fc_plain")(f)
    h2 = L.Dense(24, activation="relu", name="fc_relu")(h)
    logits = L.Dense(20, name="fc_logits")(h2)
    model = keras.Model(x, [h, logits], name="fc")
    return model, lambda rng: rng.normal(0.0, 1.0, (1, 4, 4, 3))


def mixed_model(keras):
    """CONV_2D and TANH at int16; `edit_mixed` then appends QUANTIZE int16 → int8 (with a zero
    point) feeding an int8 LOGISTIC, QUANTIZE int16 → int16 (a rescale) and QUANTIZE int16 → int8
    of the TANH: a model whose head runs at 16 bits and whose tail runs at 8. 7 channels make
    flattened sizes that are not multiples of 16 (a SIMD tail, were there one)."""
    L = keras.layers
    x = keras.Input((6, 6, 4), batch_size=1, name="image")
    c = L.Conv2D(7, 3, padding="same", name="conv")(x)
    t = L.Activation("tanh", name="tanh")(c)
    model = keras.Model(x, [c, t], name="mixed")
    return model, lambda rng: rng.uniform(-1.0, 1.0, (1, 6, 6, 4))


def edit_mixed(model, schema):
    graph = model.subgraphs[0]
    conv_out, tanh_out = (int(i) for i in graph.outputs)
    shape = list(graph.tensors[conv_out].shape)
    s_conv = float(graph.tensors[conv_out].quantization.scale[0])
    q8 = add_tensor(model, schema, "conv_int8", shape, schema.TensorType.INT8, s_conv * 200.0, 3)
    l8 = add_tensor(model, schema, "logistic_int8", shape, schema.TensorType.INT8, 1.0 / 256, -128)
    r16 = add_tensor(model, schema, "tanh_rescaled_int16", shape, schema.TensorType.INT16, 2.5 / 32768, 0)
    t8 = add_tensor(model, schema, "tanh_int8", shape, schema.TensorType.INT8, 2.0 / 255, -1)
    add_op(model, schema, schema.BuiltinOperator.QUANTIZE, [conv_out], [q8])
    add_op(model, schema, schema.BuiltinOperator.LOGISTIC, [q8], [l8])
    add_op(model, schema, schema.BuiltinOperator.QUANTIZE, [tanh_out], [r16])
    add_op(model, schema, schema.BuiltinOperator.QUANTIZE, [tanh_out], [t8])
    graph.outputs = [conv_out, q8, l8, r16, t8]


# One-operator models written directly (no Keras), built by `single_op_model`: the input is
# int16 (or int8) [1, 256]; (type, scale, zero point) of input and outputs; the operators.
#  - tanh_probe16: TANH whose input scale float32(1/48) makes LiteRT's grid step exactly one entry
#    of its sigmoid table: input i = 0..254 outputs entry i − 32768 (sample 0 is 0..255);
#  - pot16: LOGISTIC and TANH with the power-of-two input scale 2^-12, where LiteRT's optimized
#    kernels use gemmlowp fixed point and its reference kernels the table;
#  - quantize_8to16: QUANTIZE int8 (zero point 2) → int16;
#  - softmax16: SOFTMAX with β = 1 and β = 0.3 over rows of 256 (input range about ±9.8).
SINGLE_OP = {
    "tanh_probe16": ("int16", float(np.float32(1.0 / 48)), [("TANH", "int16", 1.0 / 32768, 0)]),
    "pot16": ("int16", 2.0**-12, [("LOGISTIC", "int16", 1.0 / 32768, 0), ("TANH", "int16", 1.0 / 32768, 0)]),
    "quantize_8to16": ("int8", 0.05, [("QUANTIZE", "int16", 0.001, 0)]),
    "softmax16": ("int16", 3e-4, [("SOFTMAX", "int16", 1.0 / 32768, 0), ("SOFTMAX_BETA_0.3", "int16", 1.0 / 32768, 0)]),
}


def add_tensor(model, schema, name, shape, type_, scale, zero_point):
    graph = model.subgraphs[0]
    t = schema.TensorT()
    t.name = name.encode()
    t.shape = np.array(shape, dtype=np.int32)
    t.type = type_
    model.buffers.append(schema.BufferT())
    t.buffer = len(model.buffers) - 1
    q = schema.QuantizationParametersT()
    q.scale = [float(scale)]
    q.zeroPoint = [int(zero_point)]
    t.quantization = q
    graph.tensors.append(t)
    return len(graph.tensors) - 1


def add_op(model, schema, builtin, inputs, outputs):
    for index, code in enumerate(model.operatorCodes):
        if max(code.builtinCode, code.deprecatedBuiltinCode) == builtin:
            break
    else:
        code = schema.OperatorCodeT()
        code.builtinCode = builtin
        code.deprecatedBuiltinCode = min(builtin, 127)
        code.version = 1
        model.operatorCodes.append(code)
        index = len(model.operatorCodes) - 1
    op = schema.OperatorT()
    op.opcodeIndex = index
    op.inputs = np.array(inputs, dtype=np.int32)
    op.outputs = np.array(outputs, dtype=np.int32)
    model.subgraphs[0].operators.append(op)


def pack(model):
    import flatbuffers

    builder = flatbuffers.Builder(1 << 16)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def edited(model_bytes, edit):
    from tensorflow.lite.python import schema_py_generated as schema

    model = schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(model_bytes, 0))
    edit(model, schema)
    return pack(model)


def single_op_model(name):
    from tensorflow.lite.python import schema_py_generated as schema

    in_type, in_scale, ops = SINGLE_OP[name]
    types = {"int8": schema.TensorType.INT8, "int16": schema.TensorType.INT16}
    model = schema.ModelT()
    model.version = 3
    model.description = f"accsim fixture {name}".encode()
    model.operatorCodes, model.buffers = [], [schema.BufferT()]
    graph = schema.SubGraphT()
    graph.tensors, graph.operators = [], []
    model.subgraphs = [graph]
    x = add_tensor(model, schema, "x", [1, 256], types[in_type], in_scale, 2 if in_type == "int8" else 0)
    outputs = []
    for k, (op, out_type, out_scale, out_zero_point) in enumerate(ops):
        y = add_tensor(model, schema, f"y{k}_{op.lower()}", [1, 256], types[out_type], out_scale, out_zero_point)
        builtin, _, beta = op.partition("_BETA_")
        add_op(model, schema, getattr(schema.BuiltinOperator, builtin), [x], [y])
        if builtin == "SOFTMAX":
            options = schema.SoftmaxOptionsT()
            options.beta = float(beta or 1.0)
            graph.operators[-1].builtinOptionsType = schema.BuiltinOptions.SoftmaxOptions
            graph.operators[-1].builtinOptions = options
        outputs.append(y)
    graph.inputs = np.array([x], dtype=np.int32)
    graph.outputs = np.array(outputs, dtype=np.int32)
    return pack(model)


# Every model accsim imports bit-exactly (the Swift tests compare all outputs), except pot16 with
# the optimized kernels, which accsim refuses (the manifest records how many elements the two
# LiteRT variants disagree on).
MODELS = {
    "conv16": base.conv_model,
    "fc16": fc_model,
    "fc_softmax16": base.fc_softmax_model,
    "pool16": base.pool_model,
    "add16": add_model,
    "mean16": base.mean_model,
    "logistic_tanh16": base.logistic_tanh_model,
    "mixed16": mixed_model,
    "tanh_probe16": None,
    "pot16": None,
    "quantize_8to16": None,
    "softmax16": None,
}
EDITS = {"mixed16": edit_mixed}


def model_bytes_for(name, seed):
    if MODELS[name] is None:
        return single_op_model(name)
    model_bytes = convert(MODELS[name], seed)
    return edited(model_bytes, EDITS[name]) if name in EDITS else model_bytes


def convert(builder, seed):
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    model, sampler = builder(keras)
    for layer in model.layers:
        weights = layer.get_weights()
        if len(weights) == 2:
            rng = np.random.default_rng(seed + len(layer.name))
            kernel = weights[0] * (4.0 if layer.name.endswith("_x4") else 1.0)
            layer.set_weights([kernel, rng.normal(0.0, 0.1, weights[1].shape).astype(np.float32)])

    def representative():
        rng = np.random.default_rng(seed)
        for _ in range(base.CALIBRATION_SAMPLES):
            yield [sampler(rng).astype(np.float32)]

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = representative
    converter.target_spec.supported_ops = [tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
    converter.inference_input_type = tf.int16
    converter.inference_output_type = tf.int16
    return converter.convert()


def make_inputs(name, shape, seed):
    rng = np.random.default_rng(seed + 1)
    if name == "quantize_8to16":
        return rng.integers(-128, 128, size=(SAMPLES,) + tuple(shape[1:]), dtype=np.int64).astype(np.int8)
    inputs = rng.integers(-32768, 32768, size=(SAMPLES,) + tuple(shape[1:]), dtype=np.int64)
    if name in ("logistic_tanh16", "pot16"):
        inputs[0] = np.arange(-32768, 32768, 256)  # 256 values spread over the whole int16 range
    if name == "tanh_probe16":
        inputs[0] = np.arange(256)
    return inputs.astype(np.int16)


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
    return [np.stack(o) for o in outputs]


def build(out_dir, only=None):
    """Writes every fixture, or with `only` just those (merged into the existing manifest)."""
    os.makedirs(out_dir, exist_ok=True)
    manifest = {"seed": SEED, "samples": SAMPLES, "versions": base.versions(), "fixtures": []}
    if only:
        with open(os.path.join(out_dir, "manifest.json")) as f:
            manifest["fixtures"] = [e for e in json.load(f)["fixtures"] if e["name"] not in only]
    for index, name in enumerate(MODELS):
        if only and name not in only:
            continue
        seed = SEED + 1000 * index
        model_bytes = model_bytes_for(name, seed)
        with open(os.path.join(out_dir, name + ".tflite"), "wb") as f:
            f.write(model_bytes)
        inputs = make_inputs(name, base.input_shape(model_bytes), seed)
        base.save_npy(os.path.join(out_dir, name + ".input.npy"), inputs)
        entry = {"name": name, "model": name + ".tflite", "input": name + ".input.npy", "outputs": []}
        try:
            results = {resolver: run_litert(model_bytes, inputs, resolver) for resolver in base.RESOLVERS}
        except (RuntimeError, ValueError) as error:
            entry["litert_refuses"] = str(error).strip().splitlines()[0]
            manifest["fixtures"].append(entry)
            print(f"{name}: LiteRT refuses the model: {entry['litert_refuses']}")
            continue
        for k in range(len(results["optimized"])):
            files = {}
            for resolver in base.RESOLVERS:
                file = f"{name}.output{k}.{resolver}.npy"
                base.save_npy(os.path.join(out_dir, file), results[resolver][k])
                files[resolver] = file
            differing = int(np.count_nonzero(results["optimized"][k] != results["reference"][k]))
            entry["outputs"].append(dict(files, elements_differing_between_resolvers=differing))
        manifest["fixtures"].append(entry)
        print(f"{name}: {len(model_bytes)} bytes, {len(entry['outputs'])} outputs, "
              f"optimized vs reference differ in {[o['elements_differing_between_resolvers'] for o in entry['outputs']]} elements")
    order = list(MODELS)
    manifest["fixtures"].sort(key=lambda e: order.index(e["name"]))
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")


def check(out_dir):
    with open(os.path.join(out_dir, "manifest.json")) as f:
        manifest = json.load(f)
    ok = True
    for entry in manifest["fixtures"]:
        if "litert_refuses" in entry:
            continue
        with open(os.path.join(out_dir, entry["model"]), "rb") as f:
            model_bytes = f.read()
        inputs = np.load(os.path.join(out_dir, entry["input"]))
        for resolver in base.RESOLVERS:
            for k, got in enumerate(run_litert(model_bytes, inputs, resolver)):
                if not np.array_equal(got, np.load(os.path.join(out_dir, entry["outputs"][k][resolver]))):
                    ok = False
                    print(f"{entry['name']} output {k} ({resolver}): LiteRT now gives other values", file=sys.stderr)
    print("fixtures current" if ok else "fixtures differ from LiteRT")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="re-run LiteRT on the committed fixtures and compare")
    parser.add_argument("--out", default=OUT_DIR, help="fixture directory")
    parser.add_argument("--only", nargs="+", choices=list(MODELS), help="rebuild just these fixtures")
    args = parser.parse_args()
    if args.check:
        sys.exit(0 if check(args.out) else 1)
    build(args.out, args.only)


if __name__ == "__main__":
    main()
