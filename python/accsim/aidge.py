"""Export an Eclipse Aidge post-training-quantized graph to an accsim `.q` model.

    import aidge_core, aidge_backend_cpu, aidge_quantization       # this order (Aidge 0.10.1)
    ...
    aidge_quantization.quantize_network(graph, calibration, rescale_inputs=True,
                                        single_shift=True, fold_graph=True)
    report = accsim.aidge.export(graph, "model.q")
    print(report.summary())

`export` walks the `aidge_core.GraphView` node by node and writes the integer semantics that
aidge_backend_cpu executes (docs/import-aidge.md gives the mapping and the measurements):

* `FC`, `Conv2D`, `PaddedConv2D`, `ConvDepthWise2D`, `PaddedConvDepthWise2D` with their int8
  weights and int32 biases; the following `Quantizer` becomes their requantizer;
* `Quantizer` micro-graphs: `BitShift` (rounding) with an optional `Mul` by an integer
  multiplier (single-shift mode), or a float32 `Mul` + `Round` (float-scale mode) converted to an
  integer multiplier and shift whose mismatches against Aidge's float32 arithmetic are counted
  exhaustively (`ExportReport.float_scalings`);
* `Add` (int32 sum, then its `_Scaling`), `Concat` (then its `_Scaling` as a requantize node),
  `ReLU`, `MaxPooling2D`, `AvgPooling2D`, `GlobalAveragePooling` (Aidge's running mean in double,
  `average = "aidge_running_mean"`), `Flatten`/`Reshape`;
* float islands `<x>_PrevScaling -> (float ops) -> <y>_Scaling` as 256-entry lookup tables built
  by running the island itself with Aidge's CPU kernels on every int8 input;
* `InputRescaling` as the model input's float quantization (`float_input`): float32 multiply,
  round half up, clamp, input layout NCHW.

Anything else is refused with an `ExportError` naming the node and its type. The written file is
read back and checked (`accsim.qmodel`-compatible reader of Scripts/qmodel.py).
"""

import os
import sys

import numpy as np

__all__ = ["ExportError", "ExportReport", "export", "fix_concat_dtypes", "graph_outputs", "float_scale_requantizer",
           "aidge_float_requantize", "fixed_requantize"]


def _qmodel():
    """Scripts/qmodel.py of the accsim checkout this package lives in (the .q reader/writer)."""
    here = os.path.dirname(os.path.abspath(__file__))
    scripts = os.path.join(os.path.dirname(os.path.dirname(here)), "Scripts")
    if not os.path.exists(os.path.join(scripts, "qmodel.py")):
        raise ImportError("accsim.aidge needs Scripts/qmodel.py of an accsim checkout "
                          "(install the package in editable mode: pip install -e ./python)")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    import qmodel
    return qmodel


class ExportError(ValueError):
    """A graph the exporter cannot represent exactly; the message names the node and its type."""


class ExportReport:
    """What `export` wrote: node counts and, for every float32 scaling converted to an integer
    multiplier and shift, the multiplier, shift and the exhaustive mismatch count."""

    def __init__(self, path):
        self.path = path
        self.nodes = 0
        self.float_scalings = []  # dicts: node, scale, multiplier, shift, range, mismatches
        self.lookup_tables = []   # names of the float islands turned into tables
        self.running_mean_pools = []
        self.input_factor = None

    @property
    def mismatching_accumulators(self):
        return sum(f["mismatches"] for f in self.float_scalings)

    def summary(self):
        lines = [f"{self.path}: {self.nodes} node(s)"]
        if self.input_factor is not None:
            lines.append(f"  input quantization: float32 x * {self.input_factor!r}, round half up, clamp")
        for f in self.float_scalings:
            lines.append(f"  {f['node']}: float32 scale {f['scale']!r} -> M={f['multiplier']} n={f['shift']}, "
                         f"{f['mismatches']} of {f['checked']} accumulators in [{f['range'][0]}, {f['range'][1]}] "
                         "round differently")
        for name in self.lookup_tables:
            lines.append(f"  {name}: float island -> 256-entry lookup table (Aidge CPU kernels)")
        for name in self.running_mean_pools:
            lines.append(f"  {name}: GlobalAveragePooling with Aidge's running mean in double (not integer hardware)")
        return "\n".join(lines)


# ------------------------------------------------------------------------------------------------
# Float32 scaling -> integer multiplier and shift
# ------------------------------------------------------------------------------------------------

def _round_half_up_f32(y):
    fl = np.floor(y)
    return fl + ((y - fl) >= np.float32(0.5))


def aidge_float_requantize(acc, scale, lo=-128, hi=127):
    """Aidge's float-scale Quantizer: clamp(round_half_up(f32(acc) * f32(scale)), lo, hi)."""
    y = np.asarray(acc).astype(np.float32) * np.float32(scale)
    return np.clip(_round_half_up_f32(y), lo, hi).astype(np.int64)


def fixed_requantize(acc, multiplier, shift, lo=-128, hi=127):
    """accsim's `half_up` requantizer: clamp((acc*M + 2^(n-1)) >> n, lo, hi), exact in 64 bits."""
    p = np.asarray(acc, dtype=np.int64) * np.int64(multiplier)
    if shift > 0:
        p = (p + (np.int64(1) << np.int64(shift - 1))) >> np.int64(shift)
    return np.clip(p, lo, hi)


def float_scale_requantizer(scale, lo=-128, hi=127, max_multiplier_bits=31):
    """The integer (M, n) that best reproduces Aidge's float32 scaling, and its mismatches.

    Both functions are non-decreasing in the accumulator, so outside the range where either leaves
    the clamp bounds they agree; every accumulator inside it is compared. Candidates are the
    multipliers around `scale * 2^n` for the largest `n` with `M < 2^max_multiplier_bits`.
    Returns (M, n, mismatches, checked, (first, last))."""
    s = float(np.float32(scale))
    if not (s > 0 and np.isfinite(s)):
        raise ExportError(f"scale {scale!r} is not a positive finite float32")
    bound = int(np.ceil((max(abs(lo), abs(hi)) + 2) / s)) + 2
    bound = min(bound, 2**31)
    first, last = -bound, min(bound, 2**31 - 1)
    n = 0
    while n < 62 and round(s * 2.0 ** (n + 1)) < 2**max_multiplier_bits:
        n += 1
    base = int(round(s * 2.0**n))
    best = None
    for m in sorted({max(1, base + d) for d in (-2, -1, 0, 1, 2)}, key=lambda m: (abs(m - base), m)):
        if m >= 2**max_multiplier_bits:
            continue
        mismatches = 0
        for start in range(first, last + 1, 1 << 22):
            acc = np.arange(start, min(start + (1 << 22), last + 1), dtype=np.int64)
            mismatches += int(np.count_nonzero(aidge_float_requantize(acc, s, lo, hi) != fixed_requantize(acc, m, n, lo, hi)))
            if best is not None and mismatches >= best[2]:
                break
        if best is None or mismatches < best[2]:
            best = (m, n, mismatches)
        if mismatches == 0:
            break
    m, n, mismatches = best
    while m % 2 == 0 and n > 0:  # the same factor with fewer bits (a power of two becomes a shift)
        m, n = m // 2, n - 1
    return m, n, mismatches, last - first + 1, (first, last)


# ------------------------------------------------------------------------------------------------
# Reading the GraphView
# ------------------------------------------------------------------------------------------------

def _attrs(node):
    attr = getattr(node.get_operator(), "attr", None)
    return attr.dict() if attr is not None else {}


def _value(node):
    """The tensor a Producer node holds, as a numpy array."""
    return np.array(node.get_operator().get_output(0))


def _dims(node, index=0):
    return list(node.get_operator().get_output(index).dims)


def _dtype_name(node, index=0):
    return str(node.get_operator().get_output(index).dtype).split(".")[-1]


def _input_producer(node, index):
    parent = node.get_parent(index) if hasattr(node, "get_parent") else node.get_parents()[index]
    if parent is None or parent.type() != "Producer":
        raise ExportError(f"node {node.name()!r} ({node.type()}): input {index} is not a constant Producer")
    return parent


def _scalar(node, value, what):
    flat = np.asarray(value).reshape(-1)
    if flat.size != 1:
        raise ExportError(f"node {node.name()!r} (Quantizer): {what} has {flat.size} values; "
                          "per-channel quantizers are not supported")
    return flat[0]


def _parse_quantizer(node):
    """The micro-graph of a Quantizer as a dict: kind 'shift' | 'float' | 'to_float', with the
    multiplier/shift or float scale, zero point and clamp bounds."""
    micro = node.get_operator().get_micro_graph()
    steps = []
    for m in micro.get_ordered_nodes():
        if m.type() == "Producer":
            continue
        consts = []
        for i, parent in enumerate(m.get_parents()):
            if parent is not None and parent.type() == "Producer":
                consts.append((i, _value(parent), _dtype_name(parent)))
        steps.append((m, m.type(), consts))
    types = [t for _, t, _ in steps]
    q = {"multiplier": 1, "shift": 0, "scale": None, "zero_point": 0, "clamp": None, "rounding": None}
    i = 0
    if i < len(types) and types[i] == "Cast":
        i += 1
    if i < len(types) and types[i] == "Mul":
        (_, value, dtype), = steps[i][2]
        if dtype.startswith("float"):
            q["scale"] = float(np.float32(_scalar(node, value, "the scaling factor")))
        else:
            q["multiplier"] = int(_scalar(node, value, "the multiplier"))
        i += 1
    if i < len(types) and types[i] == "Round":
        mode = str(_attrs(steps[i][0]).get("rounding_mode", "")).split(".")[-1]
        if mode != "HALF_UP":
            raise ExportError(f"node {node.name()!r} (Quantizer): Round mode {mode} is not supported (HALF_UP is)")
        q["rounding"] = "half_up"
        i += 1
    if i < len(types) and types[i] == "BitShift":
        a = _attrs(steps[i][0])
        direction = str(a.get("direction", "")).split(".")[-1].upper()
        if direction != "RIGHT":
            raise ExportError(f"node {node.name()!r} (Quantizer): BitShift direction {direction} is not supported")
        (_, value, _), = steps[i][2]
        q["shift"] = int(_scalar(node, value, "the shift"))
        q["rounding"] = "half_up" if a.get("rounding", False) else "floor"
        i += 1
    if i < len(types) and types[i] == "Add":
        (_, value, _), = steps[i][2]
        q["zero_point"] = _scalar(node, value, "the zero point")
        i += 1
    if i < len(types) and types[i] == "Clip":
        bounds = {idx: _scalar(node, v, "a clip bound") for idx, v, _ in steps[i][2]}
        q["clamp"] = (bounds.get(1), bounds.get(2))
        i += 1
    out_type = "float32"
    if i < len(types) and types[i] == "Cast":
        out_type = str(_attrs(steps[i][0]).get("target_type", "")).split(".")[-1]
        i += 1
    if i != len(types) or q["clamp"] is None:
        raise ExportError(f"node {node.name()!r} (Quantizer): micro-graph {' -> '.join(types)} is not a "
                          "quantizer shape the exporter knows")
    if q["zero_point"] != 0:
        raise ExportError(f"node {node.name()!r} (Quantizer): zero point {q['zero_point']} (Aidge PTQ is symmetric)")
    if out_type == "float32":
        if q["scale"] is None or q["rounding"] is not None:
            raise ExportError(f"node {node.name()!r} (Quantizer): float output without a plain float scale")
        q["kind"] = "to_float"
        return q
    if out_type != "int8":
        raise ExportError(f"node {node.name()!r} (Quantizer): output type {out_type} is not supported (int8 is)")
    lo, hi = (int(round(float(b))) for b in q["clamp"])
    q["clamp"] = (max(lo, -128), min(hi, 127))
    if q["scale"] is not None:
        if q["rounding"] != "half_up":
            raise ExportError(f"node {node.name()!r} (Quantizer): float scale without Round(HALF_UP)")
        q["kind"] = "float"
    else:
        if q["rounding"] is None:
            q["rounding"] = "floor"
        q["kind"] = "shift"
    return q


def fix_concat_dtypes(graph):
    """Works around Aidge 0.10.1's Concat dtype bug: the PTQ tags a Concat's output int32 while its
    inputs are int8, and the CPU kernel refuses mixed types. Sets each Concat's output to int8 and
    an integer multiplier Producer of the Quantizer after it to int8 (values fit). Returns the
    names of the Concat nodes changed. Needed only to run the quantized graph in Aidge."""
    import aidge_core

    changed = []
    for node in graph.get_nodes():
        if node.type() != "Concat":
            continue
        op = node.get_operator()
        if op.get_output(0).dtype == aidge_core.dtype.int8:
            continue
        op.set_datatype(aidge_core.dtype.int8)
        op.get_output(0).set_datatype(aidge_core.dtype.int8)
        for child in node.get_children():
            if child.type() != "Quantizer":
                continue
            for m in child.get_operator().get_micro_graph().get_nodes():
                if m.type() == "Mul":
                    for parent in m.get_parents():
                        if parent is not None and parent.type() == "Producer" and _dtype_name(parent) == "int32":
                            value = _value(parent)
                            if np.all((value >= -128) & (value <= 127)):
                                parent.get_operator().get_output(0).set_datatype(aidge_core.dtype.int8)
        changed.append(node.name())
    return changed


def graph_outputs(graph):
    """The nodes whose outputs nothing reads, in name order (a MaxPooling2D's unused index
    output does not make it a graph output)."""
    nodes = [n for n in graph.get_output_nodes() if not [c for c in n.get_children() if c is not None]]
    return sorted(nodes, key=lambda n: n.name())


def _island_table(prev, island, scaling):
    """Runs `prev -> island... -> scaling` (clones) with Aidge's CPU kernels on -128..127."""
    import aidge_core

    clones = [n.clone() for n in [prev] + island + [scaling]]
    for a, b in zip(clones, clones[1:]):
        a.add_child(b, 0, 0)
    view = aidge_core.GraphView()
    for c in clones:
        view.add(c)
    view.set_backend("cpu")
    x = np.arange(-128, 128, dtype=np.int8).reshape(1, 256, 1, 1)
    scheduler = aidge_core.SequentialScheduler(view)
    scheduler.forward(True, [aidge_core.Tensor(x)])
    out = np.array(clones[-1].get_operator().get_output(0)).reshape(-1)
    if out.size != 256:
        raise ExportError(f"node {prev.name()!r}: evaluating the float island gave {out.size} values, not 256")
    return [int(v) for v in out]


# ------------------------------------------------------------------------------------------------
# The exporter
# ------------------------------------------------------------------------------------------------

_FLOAT_ISLAND_OPS = {"Sigmoid", "Tanh", "Softmax", "Exp", "Sqrt", "Erf", "GeLU", "Gelu", "Abs", "Neg"}


def _nhwc(shape):
    shape = [1] + list(shape[1:])
    return [shape[0], shape[2], shape[3], shape[1]] if len(shape) == 4 else shape


class _Exporter:
    def __init__(self, graph, report, gap_mode):
        self.graph = graph
        self.report = report
        self.gap_mode = gap_mode
        self.tensors = []
        self.constants = {}
        self.nodes = []
        self.inputs = []
        self.names = {}  # aidge node name -> accsim tensor name of its output
        self.shapes = {}  # accsim tensor name -> accsim shape
        self.aidge_shape = {}  # accsim tensor name -> Aidge dims (batch 1)
        self.done = set()

    # tensors ------------------------------------------------------------------------------------
    def tensor(self, name, shape, dtype="int8", **extra):
        entry = {"name": name, "shape": list(shape), "type": dtype}
        entry.update(extra)
        self.tensors.append(entry)
        self.shapes[name] = list(shape)
        return name

    def constant(self, name, values, dtype):
        self.tensor(name, list(values.shape), dtype)
        self.constants[name] = values
        return name

    def source(self, node, index=0):
        """accsim tensor feeding input `index` of `node`."""
        parent = node.get_parents()[index]
        if parent is None:
            raise ExportError(f"node {node.name()!r} ({node.type()}): input {index} is a graph input without "
                              "an InputRescaling Quantizer; quantize with rescale_inputs=True")
        if parent.name() not in self.names:
            raise ExportError(f"node {node.name()!r} ({node.type()}): input from {parent.name()!r} "
                              f"({parent.type()}) is not exported")
        return self.names[parent.name()]

    def children(self, node):
        return [c for c in node.get_children() if c is not None]

    def requantizer(self, q, owner):
        if q["kind"] == "float":
            m, n, mismatches, checked, rng = float_scale_requantizer(q["scale"], *q["clamp"])
            self.report.float_scalings.append({"node": owner, "scale": q["scale"], "multiplier": m, "shift": n,
                                               "mismatches": mismatches, "checked": checked, "range": rng})
        else:
            m, n = q["multiplier"], q["shift"]
            while m != 0 and m % 2 == 0 and n > 0:  # exactly the same rounding with fewer bits (64 >> 6 is 1)
                m, n = m // 2, n - 1
        return {"multipliers": [int(m)], "shifts": [int(n)], "rounding": "half_up" if q["kind"] == "float" else q["rounding"],
                "zero_point": 0, "clamp_min": int(q["clamp"][0]), "clamp_max": int(q["clamp"][1])}

    def add_node(self, name, op, inputs, output, attributes):
        self.nodes.append({"name": name, "op": op, "inputs": inputs, "outputs": [output], "attributes": attributes})

    def following_quantizer(self, node):
        kids = self.children(node)
        if len(kids) != 1 or kids[0].type() != "Quantizer":
            raise ExportError(f"node {node.name()!r} ({node.type()}): its int32 output must feed exactly one "
                              "Quantizer (found " + ", ".join(f"{k.name()} ({k.type()})" for k in kids) + ")")
        q = _parse_quantizer(kids[0])
        if q["kind"] == "to_float":
            raise ExportError(f"node {kids[0].name()!r} (Quantizer): an accumulator cannot feed a float island")
        self.done.add(kids[0].name())
        return kids[0], q

    # node kinds -----------------------------------------------------------------------------------
    def input_rescaling(self, node, q):
        if q["kind"] != "float":
            raise ExportError(f"node {node.name()!r} (Quantizer): an input rescaling must be a float32 scaling")
        dims = _dims(node)
        name = "input"
        shape = _nhwc(dims)
        extra = {"quantization": {"scales": [1.0 / q["scale"]], "zero_points": [0]},
                 "float_input": {"operation": "multiply", "factor": q["scale"], "rounding": "half_up"}}
        if len(dims) == 4:
            extra["layout"] = "nchw"
        self.tensor(name, shape, **extra)
        self.inputs.append(name)
        self.names[node.name()] = name
        self.aidge_shape[name] = [1] + dims[1:]
        self.report.input_factor = q["scale"]

    def weighted(self, node):
        t = node.type()
        a = _attrs(node)
        op = node.get_operator()
        x = self.source(node, 0)
        weights = _value(_input_producer(node, 1))
        bias_node = node.get_parents()[2] if len(node.get_parents()) > 2 else None
        bias = _value(bias_node) if bias_node is not None else None
        if _dtype_name(_input_producer(node, 1)) != "int8" or (bias is not None and _dtype_name(bias_node) != "int32"):
            raise ExportError(f"node {node.name()!r} ({t}): weights must be int8 and biases int32 "
                              "(quantize with fold_graph=True)")
        quantizer, q = self.following_quantizer(node)
        out = quantizer.name()
        inputs = []
        if t == "FC":
            in_shape = self.shapes[x]
            if len(in_shape) == 4:
                _, h, w, c = in_shape
                # Aidge flattens NCHW (c, h, w); accsim's activation is NHWC (h, w, c).
                weights = weights.reshape(weights.shape[0], c, h, w).transpose(0, 2, 3, 1).reshape(weights.shape[0], -1)
                flat = x + "_flat"
                self.tensor(flat, [1, h * w * c])
                self.add_node(flat, "reshape", [x], flat, {"shape": [1, h * w * c]})
                x = flat
            weights = weights.reshape(weights.shape[0], -1)
            wname = self.constant(node.name() + "_weights", weights.astype(np.int8), "int8")
            inputs = [x, wname]
            if bias is not None:
                inputs.append(self.constant(node.name() + "_bias", bias.reshape(-1).astype(np.int32), "int32"))
            self.tensor(out, [1, weights.shape[0]])
            self.add_node(node.name(), "fully_connected", inputs, out, {"requantizer": self.requantizer(q, node.name())})
        else:
            inner = {}
            pads = [0, 0, 0, 0]
            if t.startswith("Padded"):
                for m in op.get_micro_graph().get_nodes():
                    if m.type() == "Pad":
                        pa = _attrs(m)
                        if str(pa.get("mode", "")).split(".")[-1] != "CONSTANT" or float(pa.get("constant_value", 0)) != 0:
                            raise ExportError(f"node {node.name()!r} ({t}): only zero constant padding is supported")
                        p = [int(v) for v in pa["pads"]]
                        if len(set(p)) != 1:
                            raise ExportError(f"node {node.name()!r} ({t}): asymmetric padding {p} is not supported")
                        pads = p
                    elif m.type() in ("Conv2D", "ConvDepthWise2D"):
                        inner = _attrs(m)
                        depthwise = m.type() == "ConvDepthWise2D"
            else:
                inner = a
                depthwise = t == "ConvDepthWise2D"
            groups = int(weights.shape[0]) if depthwise else 1
            if depthwise and weights.shape[0] != self.shapes[x][3]:
                raise ExportError(f"node {node.name()!r} ({t}): depthwise multiplier other than 1 is not supported")
            kernel = list(inner.get("kernel_dims", weights.shape[2:]))
            stride = list(inner.get("stride_dims", [1, 1]))
            dilation = list(inner.get("dilation_dims", [1, 1]))
            w = weights.transpose(0, 2, 3, 1)  # OIHW -> OHWI
            wname = self.constant(node.name() + "_weights", np.ascontiguousarray(w).astype(np.int8), "int8")
            inputs = [x, wname]
            if bias is not None:
                inputs.append(self.constant(node.name() + "_bias", bias.reshape(-1).astype(np.int32), "int32"))
            dims = _dims(quantizer)
            self.tensor(out, _nhwc(dims))
            self.aidge_shape[out] = [1] + dims[1:]
            if list(kernel) != list(weights.shape[2:]):
                raise ExportError(f"node {node.name()!r} ({t}): kernel_dims {kernel} disagree with weights {list(weights.shape)}")
            self.add_node(node.name(), "conv2d", inputs, out, {
                "stride": stride, "dilation": dilation, "padding": pads, "groups": groups,
                "requantizer": self.requantizer(q, node.name())})
        self.names[node.name()] = out
        self.names[quantizer.name()] = out

    def add(self, node):
        a, b = self.source(node, 0), self.source(node, 1)
        if self.shapes[a] != self.shapes[b]:
            raise ExportError(f"node {node.name()!r} (Add): broadcasting {self.shapes[a]} + {self.shapes[b]} is not supported")
        quantizer, q = self.following_quantizer(node)
        out = quantizer.name()
        self.tensor(out, self.shapes[a])
        self.aidge_shape[out] = self.aidge_shape.get(a)
        self.add_node(node.name(), "add", [a, b], out, {
            "inputs": [{"left_shift": 0}, {"left_shift": 0}], "output": self.requantizer(q, node.name())})
        self.names[node.name()] = out
        self.names[quantizer.name()] = out

    def quantizer(self, node, q):
        """A Quantizer after an int8 node (`_Res`, after Concat): a requantize node."""
        x = self.source(node, 0)
        out = node.name()
        self.tensor(out, self.shapes[x])
        self.aidge_shape[out] = self.aidge_shape.get(x)
        self.add_node(node.name(), "requantize", [x], out, {"requantizer": self.requantizer(q, node.name())})
        self.names[node.name()] = out

    def island(self, node):
        chain, cur = [], node
        while True:
            kids = self.children(cur)
            if len(kids) != 1:
                raise ExportError(f"node {cur.name()!r} ({cur.type()}): a float island must be a chain ending in a Quantizer")
            cur = kids[0]
            if cur.type() == "Quantizer":
                break
            if cur.type() not in _FLOAT_ISLAND_OPS:
                raise ExportError(f"node {cur.name()!r} ({cur.type()}): not supported inside a float island")
            chain.append(cur)
        q = _parse_quantizer(cur)
        if q["kind"] == "to_float":
            raise ExportError(f"node {cur.name()!r} (Quantizer): a float island must end in an int8 Quantizer")
        table = _island_table(node, chain, cur)
        x = self.source(node, 0)
        out = cur.name()
        self.tensor(out, self.shapes[x])
        self.aidge_shape[out] = self.aidge_shape.get(x)
        name = "_".join([node.name()] + [c.name() for c in chain])
        self.add_node(name, "lookup_table", [x], out, {"table": table})
        for n in chain + [cur]:
            self.done.add(n.name())
        self.names[cur.name()] = out
        self.report.lookup_tables.append(name)

    def elementwise(self, node):
        t = node.type()
        a = _attrs(node)
        x = self.source(node, 0)
        out = node.name()
        if t == "ReLU":
            self.tensor(out, self.shapes[x])
            self.add_node(out, "clamp", [x], out, {"min": 0, "max": 127})
            self.aidge_shape[out] = self.aidge_shape.get(x)
        elif t in ("MaxPooling2D", "AvgPooling2D"):
            if a.get("ceil_mode", False):
                raise ExportError(f"node {out!r} ({t}): ceil_mode is not supported")
            if list(a.get("dilations", [1, 1])) != [1, 1]:
                raise ExportError(f"node {out!r} ({t}): dilated pooling is not supported")
            dims = _dims(node)
            self.tensor(out, _nhwc(dims))
            self.aidge_shape[out] = [1] + dims[1:]
            attrs = {"window": list(a["kernel_dims"]), "stride": list(a["stride_dims"]), "padding": [0, 0, 0, 0]}
            if t == "MaxPooling2D":
                attrs.update({"clamp_min": -128, "clamp_max": 127})
                self.add_node(out, "max_pool", [x], out, attrs)
            else:
                mode = str(a.get("rounding_mode", "HALF_AWAY_FROM_ZERO")).split(".")[-1]
                rounding = {"HALF_AWAY_FROM_ZERO": "half_away", "HALF_UP": "half_up", "HALF_EVEN": "half_even",
                            "FLOOR": "floor"}.get(mode)
                if rounding is None:
                    raise ExportError(f"node {out!r} ({t}): rounding_mode {mode} is not supported")
                attrs.update({"rounding": rounding, "count_include_pad": False, "clamp_min": -128, "clamp_max": 127})
                self.add_node(out, "avg_pool", [x], out, attrs)
        elif t == "GlobalAveragePooling":
            _, h, w, c = self.shapes[x]
            self.tensor(out, [1, 1, 1, c])
            self.aidge_shape[out] = [1, c, 1, 1]
            attrs = {"window": [h, w], "stride": [1, 1], "padding": [0, 0, 0, 0], "rounding": "half_away",
                     "count_include_pad": False, "clamp_min": -128, "clamp_max": 127}
            if self.gap_mode == "aidge":
                attrs["average"] = "aidge_running_mean"
                self.report.running_mean_pools.append(out)
            self.add_node(out, "avg_pool", [x], out, attrs)
        elif t in ("Flatten", "Reshape"):
            dims = _dims(node)
            shape = self.shapes[x]
            if len(shape) == 4 and not (shape[1] == 1 and shape[2] == 1) and not all(
                    k.type() == "FC" for k in self.children(node)):
                raise ExportError(f"node {out!r} ({t}): flattening an NCHW map with H·W > 1 other than into an FC "
                                  "is not supported")
            if all(k.type() == "FC" for k in self.children(node)) and self.children(node):
                self.names[node.name()] = x  # the FC flattens (and reorders) itself
                return
            self.tensor(out, [1] + dims[1:])
            self.add_node(out, "reshape", [x], out, {"shape": [1] + dims[1:]})
        elif t == "Concat":
            srcs = [self.source(node, i) for i in range(len(node.get_parents()))]
            axis = int(a.get("axis", 1))
            rank = len(self.shapes[srcs[0]])
            if axis < 0:
                axis += rank
            if rank == 4:
                axis = {0: 0, 1: 3, 2: 1, 3: 2}[axis]
            shape = list(self.shapes[srcs[0]])
            shape[axis] = sum(self.shapes[s][axis] for s in srcs)
            self.tensor(out, shape)
            if rank == 4:
                self.aidge_shape[out] = [1, shape[3], shape[1], shape[2]]
            self.add_node(out, "concat", srcs, out, {"axis": axis, "input_requantizers": [None] * len(srcs)})
        else:
            raise ExportError(f"node {out!r} ({t}): operator type {t} is not supported by the accsim exporter")
        self.names[node.name()] = out

    def run(self):
        for node in self.graph.get_ordered_nodes():
            t = node.type()
            if t == "Producer" or node.name() in self.done:
                continue
            if t == "Quantizer":
                q = _parse_quantizer(node)
                if node.get_parents()[0] is None and not self.inputs:
                    self.input_rescaling(node, q)
                elif q["kind"] == "to_float":
                    self.island(node)
                else:
                    self.quantizer(node, q)
            elif t in ("FC", "Conv2D", "PaddedConv2D", "ConvDepthWise2D", "PaddedConvDepthWise2D"):
                self.weighted(node)
            elif t == "Add":
                self.add(node)
            elif t in _FLOAT_ISLAND_OPS:
                raise ExportError(f"node {node.name()!r} ({t}): a float operator outside a "
                                  "_PrevScaling -> ... -> _Scaling island")
            else:
                self.elementwise(node)
            self.done.add(node.name())
        outputs = [self.names[n.name()] for n in graph_outputs(self.graph)]
        for entry in self.tensors:
            if entry["name"] in outputs and len(entry["shape"]) == 4:
                entry["layout"] = "nchw"
        return outputs


def export(graph, path, *, name=None, overwrite=False, metadata=None, gap_mode="aidge"):
    """Writes the quantized `graph` (aidge_core.GraphView from quantize_network with
    fold_graph=True) as an accsim `.q` file and returns an `ExportReport`.

    `gap_mode`: "aidge" (default) keeps GlobalAveragePooling bit-exact with aidge_backend_cpu
    (running mean in double; not integer hardware); "exact" writes the exact integer division.
    Raises ExportError naming the node for anything it cannot represent exactly; never overwrites
    an existing file unless `overwrite`."""
    if gap_mode not in ("aidge", "exact"):
        raise ValueError(f"gap_mode must be 'aidge' or 'exact', not {gap_mode!r}")
    qmodel = _qmodel()
    report = ExportReport(path)
    ex = _Exporter(graph, report, gap_mode)
    outputs = ex.run()
    if not ex.inputs:
        raise ExportError("the graph has no InputRescaling Quantizer; quantize with rescale_inputs=True")
    used = {t for n in ex.nodes for t in n["inputs"]} | set(outputs)
    tensors = [t for t in ex.tensors if t["name"] in used or t["name"] in ex.inputs]
    meta = {"producer": "accsim.aidge.export", "semantics": "aidge", "source_framework": "Eclipse Aidge 0.10.1 PTQ"}
    if report.float_scalings:
        meta["aidge_float_scale_mismatches"] = str(report.mismatching_accumulators)
    meta.update(metadata or {})
    qmodel.write_model(path, name or "aidge_model", tensors, ex.constants, ex.nodes, ex.inputs, outputs,
                       metadata=meta, overwrite=overwrite)
    qmodel.read_model(path)  # the written file decodes and every CRC checks
    report.nodes = len(ex.nodes)
    return report
