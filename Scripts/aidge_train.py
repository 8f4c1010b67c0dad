#!/usr/bin/env python3
"""Trains the four small float models of the Aidge examples on scikit-learn's 8x8 digits and writes
them as float ONNX files, the form in which an Aidge user brings a model to aidge_onnx.

    Scripts/setup-aidge.sh                                   # .venv-aidge with numpy, onnx, sklearn
    .venv-aidge/bin/python Scripts/aidge_train.py            # writes Models/aidge/<model>_float.onnx

Data: `sklearn.datasets.load_digits`, split 1437 train / 360 test exactly as Scripts/train_digits.py
(stratified, random_state=0); the input is pixel/16 in [0, 1], NCHW [N, 1, 8, 8] float32.

Models (NCHW, every Conv 3x3 with padding 1):
    mlp   Flatten -> Gemm 64x32 -> Relu -> Gemm 32x16 -> Relu -> Gemm 16x10
    cnn   Conv 1->8, Relu, MaxPool 2 -> Conv 8->16, Relu, MaxPool 2 -> Flatten -> Gemm 64x32 -> Relu
          -> Gemm 32x10
    res   Conv 1->8, Relu = a -> Conv 8->8, Relu = b -> Add(a, b) -> AveragePool 2 -> Conv 8->16
          -> Sigmoid -> MaxPool 2 -> Flatten -> Gemm 64x10
    mix   Conv 1->8, Relu = a -> Conv 8->8, Relu = b -> Add(a, b) -> AveragePool 2 -> Conv 8->16,
          Relu = c -> Concat(MaxPool 2 (c), AveragePool 2 (c)) -> GlobalAveragePool -> Flatten
          -> Gemm 32x10

Training is plain NumPy (float64, Adam, fixed seed, one BLAS thread), so the ONNX files are the
same bytes on every run on the same machine. Weights are stored as float32.
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402

import numpy as np  # noqa: E402

SEED = 0
TEST_SAMPLES = 360
EPOCHS, BATCH, LEARNING_RATE = 30, 32, 3e-3
MODELS = ("mlp", "cnn", "res", "mix")


def load_split():
    """Float NCHW inputs in [0, 1] and int64 labels, train and test."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    pixels = digits.images.astype(np.float32) / np.float32(16)
    x_train, x_test, y_train, y_test = train_test_split(
        pixels, digits.target.astype(np.int64), test_size=TEST_SAMPLES, stratify=digits.target,
        random_state=SEED)
    return x_train[:, None], x_test[:, None], y_train, y_test


# --------------------------------------------------------------------------------------------
# A minimal reverse-mode autograd over NCHW arrays
# --------------------------------------------------------------------------------------------

class Var:
    """A value and, after backward(), its gradient; `parents` with local backward functions."""

    def __init__(self, value, parents=()):
        self.value = value
        self.grad = None
        self.parents = parents  # [(Var, fn(grad_out) -> grad_parent)]

    def backward(self, grad):
        order, seen = [], set()

        def visit(v):
            if id(v) in seen:
                return
            seen.add(id(v))
            for parent, _ in v.parents:
                visit(parent)
            order.append(v)

        visit(self)
        for v in order:
            v.grad = None
        self.grad = grad
        for v in reversed(order):
            for parent, fn in v.parents:
                g = fn(v.grad)
                parent.grad = g if parent.grad is None else parent.grad + g


def _im2col(x, k=3, pad=1):
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = np.empty((n, c, k, k, h, w), dtype=x.dtype)
    for ky in range(k):
        for kx in range(k):
            cols[:, :, ky, kx] = xp[:, :, ky:ky + h, kx:kx + w]
    return cols.transpose(0, 4, 5, 1, 2, 3).reshape(n * h * w, c * k * k)


def _col2im(cols, shape, k=3, pad=1):
    n, c, h, w = shape
    cols = cols.reshape(n, h, w, c, k, k).transpose(0, 3, 4, 5, 1, 2)
    xp = np.zeros((n, c, h + 2 * pad, w + 2 * pad))
    for ky in range(k):
        for kx in range(k):
            xp[:, :, ky:ky + h, kx:kx + w] += cols[:, :, ky, kx]
    return xp[:, :, pad:pad + h, pad:pad + w]


def conv(x, w, b):
    """3x3, stride 1, padding 1; w [O, C, 3, 3]."""
    n, _, h, wd = x.value.shape
    o = w.value.shape[0]
    cols = _im2col(x.value)
    out = (cols @ w.value.reshape(o, -1).T + b.value).reshape(n, h, wd, o).transpose(0, 3, 1, 2)

    def gx(g):
        g2 = g.transpose(0, 2, 3, 1).reshape(-1, o)
        return _col2im(g2 @ w.value.reshape(o, -1), x.value.shape)

    def gw(g):
        return (g.transpose(0, 2, 3, 1).reshape(-1, o).T @ cols).reshape(w.value.shape)

    return Var(out, [(x, gx), (w, gw), (b, lambda g: g.sum(axis=(0, 2, 3)))])


def gemm(x, w, b):
    """x [N, D], w [O, D] (ONNX Gemm with transB = 1)."""
    out = x.value @ w.value.T + b.value
    return Var(out, [(x, lambda g: g @ w.value), (w, lambda g: g.T @ x.value), (b, lambda g: g.sum(0))])


def relu(x):
    mask = x.value > 0
    return Var(x.value * mask, [(x, lambda g: g * mask)])


def sigmoid(x):
    s = 1 / (1 + np.exp(-x.value))
    return Var(s, [(x, lambda g: g * s * (1 - s))])


def add(a, b):
    return Var(a.value + b.value, [(a, lambda g: g), (b, lambda g: g)])


def concat(a, b):
    ca = a.value.shape[1]
    return Var(np.concatenate([a.value, b.value], axis=1), [(a, lambda g: g[:, :ca]), (b, lambda g: g[:, ca:])])


def flatten(x):
    shape = x.value.shape
    return Var(x.value.reshape(shape[0], -1), [(x, lambda g: g.reshape(shape))])


def max_pool2(x):
    n, c, h, w = x.value.shape
    blocks = x.value.reshape(n, c, h // 2, 2, w // 2, 2)
    out = blocks.max(axis=(3, 5))
    mask = blocks == out[:, :, :, None, :, None]
    mask = mask / mask.sum(axis=(3, 5), keepdims=True)
    return Var(out, [(x, lambda g: (mask * g[:, :, :, None, :, None]).reshape(n, c, h, w))])


def avg_pool2(x):
    n, c, h, w = x.value.shape
    out = x.value.reshape(n, c, h // 2, 2, w // 2, 2).mean(axis=(3, 5))
    return Var(out, [(x, lambda g: np.repeat(np.repeat(g, 2, axis=2), 2, axis=3) / 4)])


def global_avg_pool(x):
    n, c, h, w = x.value.shape
    out = x.value.mean(axis=(2, 3), keepdims=True)
    return Var(out, [(x, lambda g: np.broadcast_to(g, (n, c, h, w)) / (h * w))])


# --------------------------------------------------------------------------------------------
# Models: parameters, forward pass, ONNX graph
# --------------------------------------------------------------------------------------------

def parameter_shapes(model):
    convs = {"cnn": [(8, 1), (16, 8)], "res": [(8, 1), (8, 8), (16, 8)], "mix": [(8, 1), (8, 8), (16, 8)]}
    gemms = {"mlp": [(32, 64), (16, 32), (10, 16)], "cnn": [(32, 64), (10, 32)], "res": [(10, 64)],
             "mix": [(10, 32)]}
    shapes = []
    for i, (o, c) in enumerate(convs.get(model, [])):
        shapes += [(f"conv{i}.weight", (o, c, 3, 3)), (f"conv{i}.bias", (o,))]
    for i, (o, d) in enumerate(gemms[model]):
        shapes += [(f"fc{i}.weight", (o, d)), (f"fc{i}.bias", (o,))]
    return shapes


def init_parameters(model, rng):
    params = {}
    for name, shape in parameter_shapes(model):
        if name.endswith("bias"):
            params[name] = np.zeros(shape)
        else:
            fan_in = int(np.prod(shape[1:]))
            params[name] = rng.normal(0, np.sqrt(2 / fan_in), size=shape)
    return params


def forward(model, p, x):
    """Logits Var for input array x [N, 1, 8, 8]; `p` maps names to Vars."""
    x = Var(x)
    if model == "mlp":
        h = relu(gemm(flatten(x), p["fc0.weight"], p["fc0.bias"]))
        h = relu(gemm(h, p["fc1.weight"], p["fc1.bias"]))
        return gemm(h, p["fc2.weight"], p["fc2.bias"])
    if model == "cnn":
        h = max_pool2(relu(conv(x, p["conv0.weight"], p["conv0.bias"])))
        h = max_pool2(relu(conv(h, p["conv1.weight"], p["conv1.bias"])))
        h = relu(gemm(flatten(h), p["fc0.weight"], p["fc0.bias"]))
        return gemm(h, p["fc1.weight"], p["fc1.bias"])
    a = relu(conv(x, p["conv0.weight"], p["conv0.bias"]))
    b = relu(conv(a, p["conv1.weight"], p["conv1.bias"]))
    h = avg_pool2(add(a, b))
    c = conv(h, p["conv2.weight"], p["conv2.bias"])
    if model == "res":
        h = max_pool2(sigmoid(c))
        return gemm(flatten(h), p["fc0.weight"], p["fc0.bias"])
    c = relu(c)
    h = global_avg_pool(concat(max_pool2(c), avg_pool2(c)))
    return gemm(flatten(h), p["fc0.weight"], p["fc0.bias"])


def softmax_cross_entropy(logits, labels):
    z = logits.value - logits.value.max(axis=1, keepdims=True)
    prob = np.exp(z)
    prob /= prob.sum(axis=1, keepdims=True)
    loss = -np.log(prob[np.arange(len(labels)), labels]).mean()
    grad = prob.copy()
    grad[np.arange(len(labels)), labels] -= 1
    return loss, grad / len(labels)


def train(model, x_train, y_train):
    rng = np.random.default_rng(SEED)
    params = init_parameters(model, rng)
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v = {k: np.zeros_like(v) for k, v in params.items()}
    step = 0
    for _ in range(EPOCHS):
        order = rng.permutation(len(x_train))
        for start in range(0, len(order), BATCH):
            idx = order[start:start + BATCH]
            pv = {k: Var(val) for k, val in params.items()}
            logits = forward(model, pv, x_train[idx].astype(np.float64))
            _, grad = softmax_cross_entropy(logits, y_train[idx])
            logits.backward(grad)
            step += 1
            for k in params:
                g = pv[k].grad
                m[k] = 0.9 * m[k] + 0.1 * g
                v[k] = 0.999 * v[k] + 0.001 * g * g
                mh, vh = m[k] / (1 - 0.9 ** step), v[k] / (1 - 0.999 ** step)
                params[k] -= LEARNING_RATE * mh / (np.sqrt(vh) + 1e-8)
    return {k: val.astype(np.float32) for k, val in params.items()}


def predict(model, params, x):
    return forward(model, {k: Var(v.astype(np.float64)) for k, v in params.items()}, x.astype(np.float64)).value


def to_onnx(model, params):
    """The float model as an ONNX ModelProto (opset 13), input `input` [N, 1, 8, 8]."""
    from onnx import TensorProto, helper, numpy_helper

    nodes = []
    counter = [0]

    def node(op, inputs, **attrs):
        counter[0] += 1
        out = f"{op.lower()}{counter[0]}"
        nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def conv_(x, i):
        return node("Conv", [x, f"conv{i}.weight", f"conv{i}.bias"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])

    def gemm_(x, i):
        return node("Gemm", [x, f"fc{i}.weight", f"fc{i}.bias"], transB=1)

    def pool(op, x):
        return node(op, [x], kernel_shape=[2, 2], strides=[2, 2])

    x = "input"
    if model == "mlp":
        h = node("Relu", [gemm_(node("Flatten", [x], axis=1), 0)])
        h = node("Relu", [gemm_(h, 1)])
        out = gemm_(h, 2)
    elif model == "cnn":
        h = pool("MaxPool", node("Relu", [conv_(x, 0)]))
        h = pool("MaxPool", node("Relu", [conv_(h, 1)]))
        h = node("Relu", [gemm_(node("Flatten", [h], axis=1), 0)])
        out = gemm_(h, 1)
    else:
        a = node("Relu", [conv_(x, 0)])
        b = node("Relu", [conv_(a, 1)])
        h = pool("AveragePool", node("Add", [a, b]))
        c = conv_(h, 2)
        if model == "res":
            h = pool("MaxPool", node("Sigmoid", [c]))
            out = gemm_(node("Flatten", [h], axis=1), 0)
        else:
            c = node("Relu", [c])
            h = node("Concat", [pool("MaxPool", c), pool("AveragePool", c)], axis=1)
            h = node("GlobalAveragePool", [h])
            out = gemm_(node("Flatten", [h], axis=1), 0)
    nodes[-1].output[0] = "logits"
    nodes[-1].name = "logits"
    graph = helper.make_graph(
        nodes, f"digits_{model}",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 1, 8, 8])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 10])],
        [numpy_helper.from_array(params[name], name) for name, _ in parameter_shapes(model)])
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="accsim aidge_train.py")
    proto.ir_version = 8
    return proto


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "Models", "aidge"))
    parser.add_argument("--models", default=",".join(MODELS))
    args = parser.parse_args(argv)
    import onnx

    os.makedirs(args.out, exist_ok=True)
    x_train, x_test, y_train, y_test = load_split()
    accuracy = {}
    for model in args.models.split(","):
        params = train(model, x_train, y_train)
        correct = int((predict(model, params, x_test).argmax(axis=1) == y_test).sum())
        accuracy[model] = correct
        proto = to_onnx(model, params)
        onnx.checker.check_model(proto)
        onnx.save(proto, os.path.join(args.out, f"{model}_float.onnx"))
        print(f"{model}: float top-1 {correct}/{len(y_test)}")
    return accuracy


if __name__ == "__main__":
    main()
