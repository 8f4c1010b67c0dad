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
`NAME.output<k>.{optimized,reference}.npy` (int16), and `manifest.json`.
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


# Models accsim imports bit-exactly; `logistic_tanh16` and `fc_softmax16` hold int16 operators it
# refuses (their LiteRT kernels are interpolated 16-bit tables, not modelled yet): the Swift tests
# check the error message.
MODELS = {
    "conv16": base.conv_model,
    "fc16": fc_model,
    "fc_softmax16": base.fc_softmax_model,
    "pool16": base.pool_model,
    "add16": add_model,
    "mean16": base.mean_model,
    "logistic_tanh16": base.logistic_tanh_model,
}


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
    inputs = rng.integers(-32768, 32768, size=(SAMPLES,) + tuple(shape[1:]), dtype=np.int64)
    if name == "logistic_tanh16":
        inputs[0] = np.arange(-32768, 32768, 256)  # 256 values spread over the whole int16 range
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
    return [np.stack(o).astype(np.int16) for o in outputs]


def build(out_dir, only=None):
    os.makedirs(out_dir, exist_ok=True)
    manifest = {"seed": SEED, "samples": SAMPLES, "versions": base.versions(), "fixtures": []}
    for index, (name, builder) in enumerate(MODELS.items()):
        seed = SEED + 1000 * index
        model_bytes = convert(builder, seed)
        with open(os.path.join(out_dir, name + ".tflite"), "wb") as f:
            f.write(model_bytes)
        inputs = make_inputs(name, base.input_shape(model_bytes), seed)
        base.save_npy(os.path.join(out_dir, name + ".input.npy"), inputs)
        entry = {"name": name, "model": name + ".tflite", "input": name + ".input.npy", "outputs": []}
        results = {resolver: run_litert(model_bytes, inputs, resolver) for resolver in base.RESOLVERS}
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
    args = parser.parse_args()
    if args.check:
        sys.exit(0 if check(args.out) else 1)
    build(args.out)


if __name__ == "__main__":
    main()
