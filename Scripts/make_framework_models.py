#!/usr/bin/env python3
"""Trains the digits CNN with a real framework and quantizes it with that framework's own tools.

Needs TensorFlow, LiteRT, scikit-learn (and, for the ONNX model, onnx + onnxruntime), none of which
CI needs — the Swift tests (Tests/AccsimCLITests/FrameworkModelTests.swift) read only the committed
files of Models/frameworks/. In a virtual environment, outside the repository:

    python3 -m venv VENV                                          # outside the repository
    VENV/bin/pip install -r Scripts/requirements-fixtures.txt     # tensorflow-cpu 2.21.0, keras 3.15.1, ai-edge-litert 2.3.0,
                                                                  # onnx 1.23.2, onnxruntime 1.31.1, numpy 2.4.6, ...
    VENV/bin/pip install -r Scripts/requirements.txt              # scikit-learn 1.9.1 (the dataset and its split)
    VENV/bin/python Scripts/make_framework_models.py              # rebuild Models/frameworks/ (about 30 s)
    VENV/bin/python Scripts/make_framework_models.py --check      # re-run LiteRT / onnxruntime on the committed files

The committed files were made with Python 3.11.7 on Linux x86-64 (AVX-512) with exactly those
versions (/root/venvs/tflfix on the development machine). `--check` needs no TensorFlow:
ai-edge-litert, onnx, onnxruntime, scikit-learn and numpy.

What it does (everything seeded; two runs give byte-identical files):

1. Loads scikit-learn's 8x8 digits with the split of Scripts/train_digits.py: stratified
   `train_test_split`, 1437 train / 360 test, `random_state=0`. Input: float pixel/16 in [0, 1],
   NHWC [N, 8, 8, 1].
2. Trains a Keras CNN (TensorFlow backend, one thread, deterministic ops):
       conv 3x3 16 SAME + ReLU -> max pool 2x2 -> conv 3x3 32 SAME + ReLU -> global average pool
       -> dense 10 (logits)
   with softmax cross-entropy on the logits. The exported models stop at the logits (no SOFTMAX
   layer): the argmax is the same, and the int8 logits can be compared element for element
   (LiteRT's optimized SOFTMAX runs in float32 and is not bit-exact, docs/import-tflite.md).
3. TFLite: the TFLite converter's full-integer quantization (`Optimize.DEFAULT`, representative
   dataset = the 1437 training images, `TFLITE_BUILTINS_INT8`, int8 input and output) of the same
   model with batch 1 -> `digits_keras_int8.tflite`; LiteRT runs the 360 test images one at a time
   with its optimized kernels (`BUILTIN_WITHOUT_DEFAULT_DELEGATES`) and its reference kernels
   (`BUILTIN_REF`).
   The int8 test inputs are what LiteRT's own QUANTIZE makes of the float images with the model's
   input quantization: the script converts the model a second time with a float32 input (the
   converter then puts a QUANTIZE in front of the same int8 graph), runs it, and reads that
   QUANTIZE's int8 output; it checks that both variants of QUANTIZE and
   `clamp(round_half_away(float32(x) / float32(scale)) + zero_point)` agree on every element, and
   that the float-input model gives the same int8 logits.
4. ONNX: the same trained weights written as an ONNX graph (NCHW, opset 13) with onnx.helper
   (Conv + Relu, MaxPool, Conv + Relu, GlobalAveragePool, Flatten, Gemm), quantized with
   `onnxruntime.quantization.quantize_static` (QDQ format, int8 activations and weights, MinMax
   calibration on the 1437 training images) -> `digits_qdq.onnx`; onnxruntime runs the test images
   one at a time (CPU execution provider, default graph optimizations, one thread).
   The int8 test inputs are what onnxruntime's QuantizeLinear makes of the images (checked against
   `clamp(rint(x / s) + zp)` in float32), transposed to accsim's NHWC; the int8 outputs are the
   input of the last DequantizeLinear, recovered from the float output (checked to dequantize back
   to it bit for bit).
5. accsim (`--accsim PATH`, or the first of .build-acc/release, .build/release, .build/debug that
   exists): `accsim run` on each model with its int8 test inputs and the labels (for LiteRT's
   reference kernels: `accsim import --tflite-kernels reference` first); records accsim's top-1,
   the command, and how many of its int8 outputs differ from the framework's (0 = bit-exact).

Files in Models/frameworks/ (labels: Models/digits_test_y.npy, which train_digits.py wrote from the
same split):

    digits_keras_int8.tflite                   the TFLite model (int8 in, int8 logits out, batch 1)
    digits_tflite_test_x.npy                   int8 [360, 8, 8, 1] test inputs as LiteRT quantizes them
    digits_keras_int8_litert_optimized.npy     int8 [360, 10] LiteRT's logits, optimized kernels
    digits_keras_int8_litert_reference.npy     int8 [360, 10] LiteRT's logits, reference kernels
    digits_qdq.onnx, digits_onnx_test_x.npy, digits_qdq_ort.npy    the ONNX model, its test inputs, ORT's int8 logits
    accuracy.json                              every top-1 (float, framework int8, accsim), the versions,
                                               the quantization parameters
"""

import os

# Deterministic, single-threaded float arithmetic (set before numpy / TensorFlow load).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "TF_NUM_INTRAOP_THREADS",
             "TF_NUM_INTEROP_THREADS"):
    os.environ[_var] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["TF_DETERMINISTIC_OPS"] = "1"
os.environ["CUDA_VISIBLE_DEVICES"] = ""
os.environ["KERAS_BACKEND"] = "tensorflow"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"  # oneDNN picks kernels by CPU at run time; Eigen alone is more portable

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "Models", "frameworks")
LABELS = os.path.join(ROOT, "Models", "digits_test_y.npy")

SEED = 0
TEST_SAMPLES = 360
C1, C2, CLASSES = 16, 32, 10
EPOCHS, BATCH, LEARNING_RATE = 60, 32, 3e-3

TFLITE_MODEL = "digits_keras_int8.tflite"
TFLITE_X = "digits_tflite_test_x.npy"
RESOLVERS = ("optimized", "reference")

ONNX_OPSET = 13
ONNX_MODEL = "digits_qdq.onnx"
ONNX_X = "digits_onnx_test_x.npy"
ONNX_OUTPUT = "digits_qdq_ort.npy"


def tflite_output(resolver):
    return f"digits_keras_int8_litert_{resolver}.npy"


# --- data -----------------------------------------------------------------------------------------


def load_split():
    """The split of Scripts/train_digits.py; float inputs pixel/16, NHWC."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    pixels = digits.images.astype(np.int64)
    p_train, p_test, y_train, y_test = train_test_split(
        pixels, digits.target.astype(np.int64), test_size=TEST_SAMPLES, stratify=digits.target,
        random_state=SEED)
    x_train = (p_train[..., None] / 16.0).astype(np.float32)
    x_test = (p_test[..., None] / 16.0).astype(np.float32)
    committed = np.load(LABELS)
    assert np.array_equal(committed, y_test), "Models/digits_test_y.npy is not this split's labels"
    return x_train, x_test, y_train, y_test


def top1(predictions, labels):
    correct = int((np.asarray(predictions) == np.asarray(labels)).sum())
    return {"correct": correct, "total": int(len(labels)), "top1": correct / len(labels)}


def argmax_first(logits):
    """Argmax, first index on ties (as accsim's report)."""
    return np.asarray(logits).argmax(axis=1)


def save_npy(path, array):
    with open(path, "wb") as f:
        np.save(f, array, allow_pickle=False)


# --- Keras ----------------------------------------------------------------------------------------


def build_keras(keras, batch_size=None):
    L = keras.layers
    x = keras.Input((8, 8, 1), batch_size=batch_size, name="image")
    h = L.Conv2D(C1, 3, padding="same", activation="relu", name="conv1")(x)
    h = L.MaxPooling2D(2, name="pool1")(h)
    h = L.Conv2D(C2, 3, padding="same", activation="relu", name="conv2")(h)
    h = L.GlobalAveragePooling2D(name="mean")(h)
    y = L.Dense(CLASSES, name="fc")(h)
    return keras.Model(x, y, name="digits_keras")


def train_keras(x_train, y_train):
    import keras
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.experimental.enable_op_determinism()
    keras.utils.set_random_seed(SEED)
    model = build_keras(keras)
    steps = EPOCHS * ((len(x_train) + BATCH - 1) // BATCH)
    schedule = keras.optimizers.schedules.CosineDecay(LEARNING_RATE, steps)
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=BATCH, epochs=EPOCHS, shuffle=True, verbose=0)
    print(f"  trained {EPOCHS} epochs: last loss {history.history['loss'][-1]:.4f}, "
          f"train accuracy {history.history['accuracy'][-1]:.4f}")
    # The model that is converted: the same layers and weights, batch 1.
    single = build_keras(keras, batch_size=1)
    single.set_weights(model.get_weights())
    return model, single


def keras_float_logits(model, x):
    return np.asarray(model.predict(x, batch_size=len(x), verbose=0), dtype=np.float32)


# --- TFLite ---------------------------------------------------------------------------------------


def convert_tflite(model, x_train, input_type):
    import tensorflow as tf

    def representative():
        for image in x_train:
            yield [image[np.newaxis].astype(np.float32)]

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = representative
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = input_type
    converter.inference_output_type = tf.int8
    return converter.convert()


def litert_interpreter(model_bytes, resolver, preserve=False):
    from ai_edge_litert import interpreter as litert

    kind = {
        "optimized": litert.OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES,
        "reference": litert.OpResolverType.BUILTIN_REF,
    }[resolver]
    interpreter = litert.Interpreter(model_content=model_bytes, experimental_op_resolver_type=kind,
                                     experimental_preserve_all_tensors=preserve)
    interpreter.allocate_tensors()
    return interpreter


def run_litert(model_bytes, inputs, resolver):
    """LiteRT's int8 output for each sample, run one at a time (the model has batch 1)."""
    interpreter = litert_interpreter(model_bytes, resolver)
    (input_detail,) = interpreter.get_input_details()
    (output_detail,) = interpreter.get_output_details()
    outputs = []
    for sample in inputs:
        interpreter.set_tensor(input_detail["index"], sample[np.newaxis])
        interpreter.invoke()
        outputs.append(interpreter.get_tensor(output_detail["index"])[0].copy())
    return np.stack(outputs)


def litert_input_quantization(model_bytes):
    interpreter = litert_interpreter(model_bytes, "reference")
    (detail,) = interpreter.get_input_details()
    scale, zero_point = detail["quantization"]
    return detail, float(scale), int(zero_point)


def litert_quantized_inputs(float_input_model, x, resolver):
    """The int8 tensor the float-input model's first QUANTIZE writes, per sample."""
    interpreter = litert_interpreter(float_input_model, resolver, preserve=True)
    (input_detail,) = interpreter.get_input_details()
    (output_detail,) = interpreter.get_output_details()
    ops = interpreter._get_ops_details()
    assert ops[0]["op_name"] == "QUANTIZE", ops[0]
    quantized_index = int(ops[0]["outputs"][0])
    quantized, logits = [], []
    for sample in x:
        interpreter.set_tensor(input_detail["index"], sample[np.newaxis].astype(np.float32))
        interpreter.invoke()
        quantized.append(interpreter.get_tensor(quantized_index)[0].copy())
        logits.append(interpreter.get_tensor(output_detail["index"])[0].copy())
    return np.stack(quantized), np.stack(logits)


def formula_quantize(x, scale, zero_point):
    """TFLite's affine quantization of a float32 input: round half away in float32 arithmetic."""
    r = np.float32(x) / np.float32(scale)
    rounded = np.sign(r) * np.floor(np.abs(r) + np.float32(0.5))
    return np.clip(rounded.astype(np.int64) + zero_point, -128, 127).astype(np.int8)


def tflite_ops(model_bytes):
    interpreter = litert_interpreter(model_bytes, "reference")
    return [op["op_name"] for op in interpreter._get_ops_details()]


def make_tflite(out, keras_single, x_train, x_test, y_test):
    import tensorflow as tf

    model_bytes = convert_tflite(keras_single, x_train, tf.int8)
    float_input_model = convert_tflite(keras_single, x_train, tf.float32)
    detail, scale, zero_point = litert_input_quantization(model_bytes)
    assert detail["dtype"] == np.int8 and list(detail["shape"]) == [1, 8, 8, 1], detail

    # The test inputs as LiteRT quantizes them, checked three ways.
    q_test = None
    for resolver in RESOLVERS:
        q, float_input_logits = litert_quantized_inputs(float_input_model, x_test, resolver)
        assert q.dtype == np.int8 and q.shape == x_test.shape
        if q_test is None:
            q_test = q
        assert np.array_equal(q, q_test), f"LiteRT's {resolver} QUANTIZE differs"
        assert np.array_equal(float_input_logits, run_litert(model_bytes, q, resolver)), \
            f"the float-input model's {resolver} logits differ from the int8 model's"
    assert np.array_equal(q_test, formula_quantize(x_test, scale, zero_point)), "QUANTIZE is not the formula"

    outputs = {resolver: run_litert(model_bytes, q_test, resolver) for resolver in RESOLVERS}
    with open(os.path.join(out, TFLITE_MODEL), "wb") as f:
        f.write(model_bytes)
    save_npy(os.path.join(out, TFLITE_X), q_test)
    results = {}
    for resolver in RESOLVERS:
        logits = outputs[resolver].astype(np.int8)
        save_npy(os.path.join(out, tflite_output(resolver)), logits)
        results[resolver] = dict(top1(argmax_first(logits), y_test), outputs=tflite_output(resolver))
    differing = int(np.count_nonzero(outputs["optimized"] != outputs["reference"]))
    levels = sorted({int(v) for v in np.unique(q_test)})
    print(f"  {TFLITE_MODEL}: {len(model_bytes)} bytes, ops {tflite_ops(model_bytes)}")
    print(f"  input scale {scale!r}, zero point {zero_point}; pixel levels -> {levels}")
    for resolver in RESOLVERS:
        r = results[resolver]
        print(f"  LiteRT {resolver}: {r['correct']}/{r['total']}")
    print(f"  optimized vs reference logits differ in {differing} of {outputs['optimized'].size} elements")
    return {
        "model": TFLITE_MODEL,
        "inputs": TFLITE_X,
        "labels": "../digits_test_y.npy",
        "operators": tflite_ops(model_bytes),
        "input_quantization": {"scale": scale, "zero_point": zero_point},
        "litert": results,
        "litert_elements_differing_between_kernels": differing,
    }


# --- ONNX -----------------------------------------------------------------------------------------


def onnx_float_model(keras_model):
    """The trained Keras weights as an ONNX graph: NCHW, opset 13, batch dimension `N`."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    conv1 = keras_model.get_layer("conv1").get_weights()
    conv2 = keras_model.get_layer("conv2").get_weights()
    fc = keras_model.get_layer("fc").get_weights()

    def init(name, array):
        return numpy_helper.from_array(np.ascontiguousarray(array, dtype=np.float32), name)

    inits = [
        init("conv1_w", conv1[0].transpose(3, 2, 0, 1)), init("conv1_b", conv1[1]),  # HWIO -> OIHW
        init("conv2_w", conv2[0].transpose(3, 2, 0, 1)), init("conv2_b", conv2[1]),
        init("fc_w", fc[0].T), init("fc_b", fc[1]),  # [in, out] -> [out, in], Gemm transB = 1
    ]
    nodes = [
        helper.make_node("Conv", ["image", "conv1_w", "conv1_b"], ["conv1_out"], name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["conv1_out"], ["relu1_out"], name="relu1"),
        helper.make_node("MaxPool", ["relu1_out"], ["pool1_out"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["pool1_out", "conv2_w", "conv2_b"], ["conv2_out"], name="conv2", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["conv2_out"], ["relu2_out"], name="relu2"),
        helper.make_node("GlobalAveragePool", ["relu2_out"], ["mean_out"], name="mean"),
        helper.make_node("Flatten", ["mean_out"], ["flat"], name="flatten"),
        helper.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["logits"], name="fc", transB=1),
    ]
    x = helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 1, 8, 8])
    y = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", CLASSES])
    graph = helper.make_graph(nodes, "digits_onnx", [x], [y], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", ONNX_OPSET)],
                              producer_name="accsim Scripts/make_framework_models.py")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def ort_session(model_bytes):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])


def run_ort(model_bytes, x_nchw):
    """ONNX Runtime's float output for each sample, run one at a time."""
    session = ort_session(model_bytes)
    name = session.get_inputs()[0].name
    return np.concatenate([session.run(None, {name: sample[np.newaxis]})[0] for sample in x_nchw])


def onnx_initializer(model, name):
    from onnx import numpy_helper

    for tensor in model.graph.initializer:
        if tensor.name == name:
            return numpy_helper.to_array(tensor)
    raise KeyError(name)


def onnx_edge_quantization(model):
    """(scale, zero point) of the graph input's QuantizeLinear and the graph output's DequantizeLinear."""
    input_name, output_name = model.graph.input[0].name, model.graph.output[0].name
    q = [n for n in model.graph.node if n.op_type == "QuantizeLinear" and n.input[0] == input_name]
    dq = [n for n in model.graph.node if n.op_type == "DequantizeLinear" and n.output[0] == output_name]
    assert len(q) == 1 and len(dq) == 1, (q, dq)

    def get(node):
        scale, zero_point = onnx_initializer(model, node.input[1]), onnx_initializer(model, node.input[2])
        assert scale.shape == () and zero_point.shape == () and zero_point.dtype == np.int8
        return np.float32(scale), np.int8(zero_point)

    return get(q[0]), get(dq[0])


def ort_quantize_linear(x, scale, zero_point):
    """What onnxruntime's QuantizeLinear (MLAS) makes of x, from a model of that one node."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    nodes = [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"])]
    inits = [numpy_helper.from_array(np.float32(scale), "s"), numpy_helper.from_array(np.int8(zero_point), "z")]
    graph = helper.make_graph(nodes, "quantize", [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x.shape))],
                              [helper.make_tensor_value_info("q", TensorProto.INT8, list(x.shape))], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", ONNX_OPSET)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return ort_session(model.SerializeToString()).run(None, {"x": x})[0]


def mlas_quantize(x, scale, zero_point):
    """MLAS's QuantizeLinear in float32: clamp(rint(x / s) + zp) (ties to even)."""
    q = np.rint((np.float32(x) / np.float32(scale)).astype(np.float32)) + int(zero_point)
    return np.clip(q, -128, 127).astype(np.int8)


def int8_outputs(y, scale, zero_point):
    """The int8 input of the last DequantizeLinear, recovered from its float output; checks that
    dequantizing it gives the float output bit for bit."""
    q = mlas_quantize(y, scale, zero_point)
    back = ((q.astype(np.int32) - int(zero_point)).astype(np.float32) * np.float32(scale)).astype(np.float32)
    assert np.array_equal(back.view(np.uint32), y.astype(np.float32).view(np.uint32)), "the output does not round-trip"
    return q


def make_onnx(out, keras_model, x_train, x_test, y_test, keras_logits):
    import onnx
    import tempfile
    from onnxruntime.quantization import CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType, quantize_static

    class Reader(CalibrationDataReader):
        def __init__(self, images):
            self.images = iter(images)

        def get_next(self):
            image = next(self.images, None)
            return None if image is None else {"image": image[np.newaxis]}

    float_model = onnx_float_model(keras_model)
    train_nchw = np.ascontiguousarray(x_train.transpose(0, 3, 1, 2))
    test_nchw = np.ascontiguousarray(x_test.transpose(0, 3, 1, 2))
    float_logits = run_ort(float_model.SerializeToString(), test_nchw)
    float_result = top1(argmax_first(float_logits), y_test)
    agree = int((argmax_first(float_logits) == argmax_first(keras_logits)).sum())
    worst = float(np.abs(float_logits - keras_logits).max())
    print(f"  ONNX float (ORT): {float_result['correct']}/{float_result['total']}; same argmax as Keras on "
          f"{agree}/{len(y_test)}, largest logit difference {worst:.2e}")

    with tempfile.TemporaryDirectory() as tmp:
        float_path, quant_path = os.path.join(tmp, "float.onnx"), os.path.join(tmp, "quant.onnx")
        onnx.save(float_model, float_path)
        quantize_static(
            float_path, quant_path, Reader(train_nchw), quant_format=QuantFormat.QDQ, per_channel=True,
            activation_type=QuantType.QInt8, weight_type=QuantType.QInt8, calibrate_method=CalibrationMethod.MinMax,
            extra_options={"ActivationSymmetric": False, "WeightSymmetric": True})
        quantized = onnx.load(quant_path)
    import onnxruntime as ort

    quantized.producer_name = "onnxruntime.quantization " + ort.__version__
    model_bytes = quantized.SerializeToString()
    (s_in, zp_in), (s_out, zp_out) = onnx_edge_quantization(quantized)

    q_in = ort_quantize_linear(test_nchw, s_in, zp_in)
    assert np.array_equal(q_in, mlas_quantize(test_nchw, s_in, zp_in)), "QuantizeLinear is not clamp(rint(x / s) + zp)"
    logits = int8_outputs(run_ort(model_bytes, test_nchw), s_out, zp_out)
    result = dict(top1(argmax_first(logits), y_test), outputs=ONNX_OUTPUT)

    with open(os.path.join(out, ONNX_MODEL), "wb") as f:
        f.write(model_bytes)
    save_npy(os.path.join(out, ONNX_X), np.ascontiguousarray(q_in.transpose(0, 2, 3, 1)))  # NHWC, accsim's layout
    save_npy(os.path.join(out, ONNX_OUTPUT), logits)
    levels = sorted({int(v) for v in np.unique(q_in)})
    ops = [n.op_type for n in quantized.graph.node]
    print(f"  {ONNX_MODEL}: {len(model_bytes)} bytes, {len(ops)} nodes")
    print(f"  input scale {float(s_in)!r}, zero point {int(zp_in)}; pixel levels -> {levels}")
    print(f"  ORT int8: {result['correct']}/{result['total']}")
    return {
        "model": ONNX_MODEL,
        "inputs": ONNX_X,
        "labels": "../digits_test_y.npy",
        "layout": "inputs NHWC int8 (accsim's layout; onnxruntime ran the NCHW float images); outputs [N, 10] int8",
        "quantization": ("onnxruntime.quantization.quantize_static: QDQ, int8 activations (asymmetric), int8 weights "
                         "(symmetric, per channel), MinMax calibration on the 1437 training images"),
        "input_quantization": {"scale": float(s_in), "zero_point": int(zp_in)},
        "output_quantization": {"scale": float(s_out), "zero_point": int(zp_out)},
        "nodes": ops,
        "onnx_float": float_result,
        "onnx_float_argmax_equal_to_keras": agree,
        "ort": result,
    }


def check_onnx(out, entry):
    import onnx

    with open(os.path.join(out, entry["model"]), "rb") as f:
        model_bytes = f.read()
    (s_in, zp_in), (s_out, zp_out) = onnx_edge_quantization(onnx.load_from_string(model_bytes))
    # The committed int8 inputs dequantize exactly to pixel/16 only up to rounding; re-run from the
    # float images of the split instead.
    _, x_test, _, _ = load_split()
    test_nchw = np.ascontiguousarray(x_test.transpose(0, 3, 1, 2))
    q_in = np.ascontiguousarray(ort_quantize_linear(test_nchw, s_in, zp_in).transpose(0, 2, 3, 1))
    ok = np.array_equal(q_in, np.load(os.path.join(out, entry["inputs"])))
    logits = int8_outputs(run_ort(model_bytes, test_nchw), s_out, zp_out)
    ok = ok and np.array_equal(logits, np.load(os.path.join(out, entry["ort"]["outputs"])))
    if not ok:
        print(f"{entry['model']}: onnxruntime now gives other inputs or logits", file=sys.stderr)
    return ok


# --- main -----------------------------------------------------------------------------------------


def versions():
    found = {"python": sys.version.split()[0], "numpy": np.__version__}
    for module in ("tensorflow", "keras", "ai_edge_litert", "sklearn", "onnx", "onnxruntime"):
        try:
            imported = __import__(module)
            found[module] = getattr(imported, "__version__", "unknown")
        except ImportError:
            pass
    return found


def find_accsim(path):
    if path:
        return os.path.abspath(path)
    for candidate in (".build-acc/release/accsim", ".build/release/accsim", ".build/debug/accsim"):
        if os.access(os.path.join(ROOT, candidate), os.X_OK):
            return os.path.join(ROOT, candidate)
    return None


def display(path):
    """A path relative to the repository root when it is inside it (for the recorded commands)."""
    relative = os.path.relpath(path, ROOT)
    return path if relative.startswith("..") else relative


def accsim_run(accsim, model, inputs, framework_outputs, labels):
    """`accsim run MODEL --input INPUTS --labels LABELS --format json`: its top-1 and how many of
    its int8 outputs differ from the framework's."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        output = os.path.join(tmp, "logits.npy")
        command = ["run", display(model), "--input", display(inputs), "--labels", display(labels), "--format", "json"]
        done = subprocess.run([accsim] + command + ["--output", output], cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"accsim {' '.join(command)} failed ({done.returncode}): {done.stderr.strip()}")
        report = json.loads(done.stdout)
        logits = np.load(output)
    expected = np.load(framework_outputs)
    assert logits.shape == expected.shape and logits.dtype == expected.dtype, (logits.shape, logits.dtype)
    assert report["outputs"][0]["predictions"] == argmax_first(logits).tolist()
    correct, total = report["accuracy"]["correct"], report["accuracy"]["total"]
    return {"command": "accsim " + " ".join(command), "correct": correct, "total": total, "top1": correct / total,
            "elements_differing_from_framework": int(np.count_nonzero(logits != expected))}


def run_accsim(accsim, out, record):
    """Runs accsim on every model of `record` and records its top-1 and exactness."""
    import subprocess
    import tempfile

    tfl = record["tflite"]
    model, inputs = os.path.join(out, tfl["model"]), os.path.join(out, tfl["inputs"])
    results = {"optimized": accsim_run(accsim, model, inputs, os.path.join(out, tfl["litert"]["optimized"]["outputs"]), LABELS)}
    with tempfile.TemporaryDirectory() as tmp:
        imported = os.path.join(tmp, "digits_keras_int8_reference.q")
        command = ["import", "--tflite-kernels", "reference", display(model), "-o", imported]
        done = subprocess.run([accsim] + command, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"accsim {' '.join(command)} failed: {done.stderr.strip()}")
        results["reference"] = accsim_run(accsim, imported, inputs, os.path.join(out, tfl["litert"]["reference"]["outputs"]), LABELS)
        results["reference"]["command"] = ("accsim import --tflite-kernels reference " + display(model) + " -o digits_ref.q && "
                                           + results["reference"]["command"].replace(display(imported), "digits_ref.q"))
    tfl["accsim"] = results
    if "onnx" in record:
        onx = record["onnx"]
        onx["accsim"] = accsim_run(accsim, os.path.join(out, onx["model"]), os.path.join(out, onx["inputs"]),
                                   os.path.join(out, onx["ort"]["outputs"]), LABELS)
    for name, result in [("TFLite optimized", tfl["accsim"]["optimized"]), ("TFLite reference", tfl["accsim"]["reference"])] + (
            [("ONNX", record["onnx"]["accsim"])] if "onnx" in record else []):
        print(f"  accsim, {name}: {result['correct']}/{result['total']}, "
              f"{result['elements_differing_from_framework']} int8 outputs differ from the framework's")


def build(out, accsim):
    os.makedirs(out, exist_ok=True)
    x_train, x_test, y_train, y_test = load_split()
    print(f"digits: {len(y_train)} train / {len(y_test)} test samples")
    print(f"training the Keras CNN ({EPOCHS} epochs, Adam, cosine decay, seed {SEED})")
    keras_model, keras_single = train_keras(x_train, y_train)
    float_logits = keras_float_logits(keras_model, x_test)
    keras_float = top1(argmax_first(float_logits), y_test)
    assert np.array_equal(argmax_first(keras_float_logits(keras_single, x_test)), argmax_first(float_logits))
    print(f"  Keras float: {keras_float['correct']}/{keras_float['total']}")

    record = {
        "seed": SEED,
        "dataset": ("sklearn.datasets.load_digits, stratified train_test_split 1437 train / 360 test, "
                    "random_state=0; float input pixel/16, NHWC [N, 8, 8, 1]"),
        "architecture": ("conv 3x3 16 SAME + ReLU, max pool 2x2, conv 3x3 32 SAME + ReLU, global average pool, "
                         "dense 10 (logits, no softmax)"),
        "training": f"Keras 3 (TensorFlow backend), Adam lr {LEARNING_RATE} cosine decay, {EPOCHS} epochs, batch {BATCH}",
        "versions": versions(),
        "keras_float": keras_float,
    }
    print("TFLite")
    record["tflite"] = make_tflite(out, keras_single, x_train, x_test, y_test)
    print("ONNX")
    record["onnx"] = make_onnx(out, keras_model, x_train, x_test, y_test, float_logits)
    if accsim:
        print(f"accsim ({display(accsim)})")
        run_accsim(accsim, out, record)
    else:
        print("no accsim executable found (swift build -c release, or --accsim PATH): accuracy.json gets no accsim results",
              file=sys.stderr)
    with open(os.path.join(out, "accuracy.json"), "w") as f:
        json.dump(record, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"wrote {out}")


def check(out, accsim):
    with open(os.path.join(out, "accuracy.json")) as f:
        record = json.load(f)
    labels = np.load(LABELS)
    ok = True
    tfl = record["tflite"]
    with open(os.path.join(out, tfl["model"]), "rb") as f:
        model_bytes = f.read()
    inputs = np.load(os.path.join(out, tfl["inputs"]))
    for resolver in RESOLVERS:
        expected = np.load(os.path.join(out, tfl["litert"][resolver]["outputs"]))
        if not np.array_equal(run_litert(model_bytes, inputs, resolver), expected):
            ok = False
            print(f"{tfl['model']} ({resolver}): LiteRT now gives other logits", file=sys.stderr)
        if top1(argmax_first(expected), labels)["correct"] != tfl["litert"][resolver]["correct"]:
            ok = False
            print(f"{tfl['model']} ({resolver}): accuracy.json records another top-1", file=sys.stderr)
    onx = record["onnx"]
    ok = check_onnx(out, onx) and ok
    if top1(argmax_first(np.load(os.path.join(out, onx["ort"]["outputs"]))), labels)["correct"] != onx["ort"]["correct"]:
        ok = False
        print(f"{onx['model']}: accuracy.json records another top-1", file=sys.stderr)
    if accsim:
        fresh = json.loads(json.dumps(record))
        run_accsim(accsim, out, fresh)
        if fresh != record:
            ok = False
            print(f"accsim ({display(accsim)}) now gives other results than accuracy.json records", file=sys.stderr)
    print("framework outputs current" if ok else "framework outputs differ")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="re-run the frameworks (and accsim) on the committed models and compare")
    parser.add_argument("--out", default=OUT_DIR, help="output directory (default: Models/frameworks)")
    parser.add_argument("--accsim", help="the accsim executable (default: .build-acc/release, .build/release or .build/debug)")
    args = parser.parse_args()
    accsim = find_accsim(args.accsim)
    if args.check:
        sys.exit(0 if check(args.out, accsim) else 1)
    build(args.out, accsim)


if __name__ == "__main__":
    main()
