#!/usr/bin/env python3
"""Write and read accsim `.q` model files (format versions 1 and 2, see docs/model-format.md).

Standard library only; numpy is used when it is installed (constants may be passed as numpy
arrays, and `read_model` returns numpy arrays shaped like their tensors when numpy is available).

    from qmodel import write_model, read_model
    write_model("m.q", "my_model", tensors, constants, nodes,
                inputs=["input"], outputs=["logits"], metadata={"producer": "me"})
    manifest, constants = read_model("m.q")

`tensors` is a list of manifest tensor dicts (`name`, `shape`, `type`, optional `quantization`
with `scales`, `zero_points` and, with more than one entry, `axis`); `constants` maps a tensor
name to its elements (a flat or nested list, or a numpy array, row-major); `nodes` is a list of
`{"name", "op", "inputs", "outputs", "attributes"}` in execution order.

Run `python3 Scripts/qmodel.py FILE.q` to print a summary of a file.
"""

import array
import json
import os
import struct
import sys
import zlib

try:  # optional
    import numpy as _np
except ImportError:  # pragma: no cover - exercised only without numpy
    _np = None

__all__ = [
    "MAGIC", "FORMAT_VERSION", "HEADER_SIZE", "ALIGNMENT", "TYPES",
    "QModelError", "write_model", "read_model", "encode_model", "decode_model", "summary",
]

MAGIC = b"ACCSIMQ\x1a"
FORMAT_VERSION = 2
# Writers use the lowest version that holds the file: 2 only when a tensor has `layout` or
# `float_input` or is int4/int64, an avg_pool has `average` or a conv/FC `accumulator` (the
# features version 2 added), else 1.
HEADER_SIZE = 64
ALIGNMENT = 64

# type name -> (struct/array code, element width in bytes, min, max, numpy little-endian dtype)
TYPES = {
    "int8": ("b", 1, -(1 << 7), (1 << 7) - 1, "<i1"),
    "uint8": ("B", 1, 0, (1 << 8) - 1, "<u1"),
    "int16": ("h", 2, -(1 << 15), (1 << 15) - 1, "<i2"),
    "int32": ("i", 4, -(1 << 31), (1 << 31) - 1, "<i4"),
    "int64": ("q", 8, -(1 << 63), (1 << 63) - 1, "<i8"),
    # int4: two's-complement nibbles packed two per byte, even element in the low nibble.
    "int4": ("b", 0, -8, 7, "<i1"),
}
_VERSION2_TYPES = ("int4", "int64")


def _byte_count(type_name, count):
    """Bytes that `count` elements of `type_name` occupy (int4: two per byte, rounded up)."""
    return (count + 1) // 2 if type_name == "int4" else count * TYPES[type_name][1]


def _pack_int4(flat):
    out = bytearray((len(flat) + 1) // 2)
    for i, v in enumerate(flat):
        out[i // 2] |= (int(v) & 0x0F) << (4 * (i % 2))
    return bytes(out)


def _unpack_int4(blob, count):
    return [((blob[i // 2] >> (4 * (i % 2))) & 0x0F) - (16 if (blob[i // 2] >> (4 * (i % 2))) & 0x08 else 0)
            for i in range(count)]


def _required_version(tensors, nodes):
    """2 when a tensor is int4/int64 or a node states an accumulator type, else 1."""
    if any(t["type"] in _VERSION2_TYPES for t in tensors):
        return 2
    if any("accumulator" in (n.get("attributes") or {}) for n in nodes):
        return 2
    if any(n.get("op") in ("int16_activation", "int16_softmax") for n in nodes):
        return 2
    return 1

OPS = {
    "conv2d", "fully_connected", "add", "concat", "max_pool", "avg_pool", "mean", "clamp",
    "leaky_relu", "lookup_table", "requantize", "reshape", "pad", "softmax", "int16_activation", "int16_softmax",
}

_MANIFEST_KEYS = ("version", "name", "metadata", "inputs", "outputs", "tensors", "constants", "nodes")
_TENSOR_KEYS = ("name", "shape", "type", "quantization", "layout", "float_input")
_FLOAT_INPUT_KEYS = ("operation", "factor", "rounding")
_QUANT_KEYS = ("scales", "zero_points", "axis")
_CONSTANT_KEYS = ("tensor", "offset", "length", "crc32")
_NODE_KEYS = ("name", "op", "inputs", "outputs", "attributes")

# Header layout (little-endian, 64 bytes): magic, format_version, flags, manifest_offset,
# manifest_length, manifest_crc32, reserved, file_length, 12 reserved bytes, header_crc32.
_HEADER = struct.Struct("<8sIIQQIIQ12sI")
assert _HEADER.size == HEADER_SIZE


class QModelError(ValueError):
    """A malformed model (when writing) or a damaged / invalid file (when reading)."""


def _crc32(data):
    return zlib.crc32(data) & 0xFFFFFFFF


def _align(value, alignment=ALIGNMENT):
    return (value + alignment - 1) // alignment * alignment


def _is_int(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return _np is not None and isinstance(value, _np.integer)


def _check_keys(obj, allowed, path):
    if not isinstance(obj, dict):
        raise QModelError(f"{path}: expected an object, got {type(obj).__name__}")
    for key in obj:
        if key not in allowed:
            raise QModelError(f"{path}: unknown key {key!r}")


def _element_count(shape):
    count = 1
    for extent in shape:
        count *= extent
    return count


def _plain(value, path):
    """Converts numpy scalars / arrays in attributes to plain JSON values; rejects the rest."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if _is_int(value):
        return int(value)
    if isinstance(value, float) or (_np is not None and isinstance(value, _np.floating)):
        value = float(value)
        if value != value or value in (float("inf"), float("-inf")):
            raise QModelError(f"{path}: {value} is not representable in JSON")
        return value
    if _np is not None and isinstance(value, _np.ndarray):
        return _plain(value.tolist(), path)
    if isinstance(value, (list, tuple)):
        return [_plain(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise QModelError(f"{path}: key {key!r} is not a string")
            out[key] = _plain(item, f"{path}.{key}")
        return out
    raise QModelError(f"{path}: cannot store a {type(value).__name__} in the manifest")


def _normalize_tensor(tensor, index):
    path = f"tensors[{index}]"
    _check_keys(tensor, _TENSOR_KEYS, path)
    for key in ("name", "shape", "type"):
        if key not in tensor:
            raise QModelError(f"{path}: missing {key!r}")
    name = tensor["name"]
    if not isinstance(name, str) or not name:
        raise QModelError(f"{path}.name: expected a non-empty string")
    shape = list(tensor["shape"])
    if not shape or not all(_is_int(d) and d > 0 for d in shape):
        raise QModelError(f"{path}.shape: expected positive integers, got {shape}")
    if tensor["type"] not in TYPES:
        raise QModelError(f"{path}.type: unknown type {tensor['type']!r} (one of {', '.join(TYPES)})")
    out = {"name": name, "shape": [int(d) for d in shape], "type": tensor["type"]}
    quant = tensor.get("quantization")
    if quant is not None:
        qpath = f"{path}.quantization"
        _check_keys(quant, _QUANT_KEYS, qpath)
        if "scales" not in quant or "zero_points" not in quant:
            raise QModelError(f"{qpath}: needs 'scales' and 'zero_points'")
        scales = [float(s) for s in list(quant["scales"])]
        zero_points = list(quant["zero_points"])
        if not scales or len(scales) != len(zero_points):
            raise QModelError(f"{qpath}: {len(scales)} scales and {len(zero_points)} zero points")
        for s in scales:
            if not (s > 0.0 and s != float("inf")):
                raise QModelError(f"{qpath}.scales: {s} is not a positive finite scale")
        if not all(_is_int(z) for z in zero_points):
            raise QModelError(f"{qpath}.zero_points: expected integers")
        q = {"scales": scales, "zero_points": [int(z) for z in zero_points]}
        axis = quant.get("axis")
        if axis is not None:
            if not _is_int(axis) or not 0 <= axis < len(shape):
                raise QModelError(f"{qpath}.axis: {axis} is not an axis of shape {shape}")
            if len(scales) > 1 and shape[axis] != len(scales):
                raise QModelError(f"{qpath}: {len(scales)} entries along axis {axis} of extent {shape[axis]}")
            q["axis"] = int(axis)
        elif len(scales) > 1:
            raise QModelError(f"{qpath}: {len(scales)} entries need an 'axis'")
        out["quantization"] = q
    layout = tensor.get("layout")
    if layout is not None:
        if layout not in ("nhwc", "nchw") or len(shape) != 4:
            raise QModelError(f"{path}.layout: {layout!r} needs a rank-4 tensor and 'nhwc' or 'nchw'")
        out["layout"] = layout
    float_input = tensor.get("float_input")
    if float_input is not None:
        fpath = f"{path}.float_input"
        _check_keys(float_input, _FLOAT_INPUT_KEYS, fpath)
        if float_input.get("operation") not in ("multiply", "divide"):
            raise QModelError(f"{fpath}.operation: expected 'multiply' or 'divide'")
        factor = float(float_input.get("factor", 0.0))
        if not (factor > 0.0 and factor != float("inf")):
            raise QModelError(f"{fpath}.factor: {factor} is not a positive finite number")
        if float_input.get("rounding") not in ("half_up", "half_away", "half_even"):
            raise QModelError(f"{fpath}.rounding: expected 'half_up', 'half_away' or 'half_even'")
        out["float_input"] = {"operation": float_input["operation"], "factor": factor,
                              "rounding": float_input["rounding"]}
    return out


def _blob_bytes(name, values, tensor):
    """Row-major little-endian bytes of a constant, checked against its tensor's type and size."""
    code, width, lo, hi, dtype = TYPES[tensor["type"]]
    count = _element_count(tensor["shape"])
    if _np is not None and isinstance(values, _np.ndarray):
        flat = values.reshape(-1)
        if flat.size != count:
            raise QModelError(f"constant {name!r}: {flat.size} elements, tensor shape {tensor['shape']} needs {count}")
        if flat.size and flat.dtype.kind not in "iub":
            raise QModelError(f"constant {name!r}: numpy dtype {flat.dtype} is not an integer type")
        if flat.size and (int(flat.min()) < lo or int(flat.max()) > hi):
            raise QModelError(f"constant {name!r}: values outside {tensor['type']} range [{lo}, {hi}]")
        if tensor["type"] == "int4":
            return _pack_int4([int(v) for v in flat])
        return flat.astype(dtype).tobytes()
    flat = []

    def walk(v):
        if isinstance(v, (list, tuple)):
            for item in v:
                walk(item)
        else:
            flat.append(v)

    walk(values)
    if len(flat) != count:
        raise QModelError(f"constant {name!r}: {len(flat)} elements, tensor shape {tensor['shape']} needs {count}")
    for v in flat:
        if not _is_int(v):
            raise QModelError(f"constant {name!r}: {v!r} is not an integer")
        if not lo <= v <= hi:
            raise QModelError(f"constant {name!r}: {v} outside {tensor['type']} range [{lo}, {hi}]")
    if tensor["type"] == "int4":
        return _pack_int4(flat)
    arr = array.array(code, [int(v) for v in flat])
    if arr.itemsize != width:  # pragma: no cover - exotic platforms
        return b"".join(struct.pack("<" + code, int(v)) for v in flat)
    if sys.byteorder != "little":  # pragma: no cover
        arr.byteswap()
    return arr.tobytes()


def _dump(manifest):
    return json.dumps(manifest, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def encode_model(name, tensors, constants, nodes, inputs, outputs, metadata=None):
    """Returns the bytes of a `.q` file (see `write_model`)."""
    if not isinstance(name, str):
        raise QModelError("name: expected a string")
    norm_tensors = [_normalize_tensor(t, i) for i, t in enumerate(tensors)]
    by_name = {}
    for i, t in enumerate(norm_tensors):
        if t["name"] in by_name:
            raise QModelError(f"tensors[{i}].name: duplicate tensor {t['name']!r}")
        by_name[t["name"]] = t
    constants = dict(constants or {})
    for cname in constants:
        if cname not in by_name:
            raise QModelError(f"constants: {cname!r} is not a declared tensor")
    meta = {}
    for key, value in (metadata or {}).items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise QModelError(f"metadata: {key!r} -> {value!r} is not string -> string")
        meta[key] = value
    for label, names in (("inputs", inputs), ("outputs", outputs)):
        for n in names:
            if n not in by_name:
                raise QModelError(f"{label}: {n!r} is not a declared tensor")
    norm_nodes = []
    for i, node in enumerate(nodes):
        path = f"nodes[{i}]"
        _check_keys(node, _NODE_KEYS, path)
        for key in ("name", "op", "inputs", "outputs"):
            if key not in node:
                raise QModelError(f"{path}: missing {key!r}")
        if node["op"] not in OPS:
            raise QModelError(f"{path} ({node['name']}): unknown op {node['op']!r}")
        for key in ("inputs", "outputs"):
            for n in node[key]:
                if n not in by_name:
                    raise QModelError(f"{path} ({node['name']}).{key}: {n!r} is not a declared tensor")
        norm_nodes.append({
            "name": str(node["name"]),
            "op": node["op"],
            "inputs": list(node["inputs"]),
            "outputs": list(node["outputs"]),
            "attributes": _plain(node.get("attributes", {}), f"{path}.attributes"),
        })

    version = _required_version(norm_tensors, norm_nodes)
    # Blobs in the order their tensors are declared (deterministic whatever the dict order).
    blobs = [(t["name"], _blob_bytes(t["name"], constants[t["name"]], t))
             for t in norm_tensors if t["name"] in constants]

    if any("layout" in t or "float_input" in t for t in norm_tensors) or any(
            n["op"] == "avg_pool" and "average" in n["attributes"] for n in norm_nodes):
        version = 2

    def manifest_for(blob_start):
        entries, offset = [], blob_start
        for tname, data in blobs:
            offset = _align(offset)
            entries.append({"tensor": tname, "offset": offset, "length": len(data), "crc32": _crc32(data)})
            offset += len(data)
        manifest = {
            "version": version,
            "name": name,
            "metadata": meta,
            "inputs": list(inputs),
            "outputs": list(outputs),
            "tensors": norm_tensors,
            "constants": entries,
            "nodes": norm_nodes,
        }
        return manifest, entries

    # The offsets live in the manifest, which precedes the blobs: iterate to a fixed point.
    blob_start = _align(HEADER_SIZE + len(_dump(manifest_for(0)[0])))
    for _ in range(16):
        manifest, entries = manifest_for(blob_start)
        manifest_bytes = _dump(manifest)
        needed = _align(HEADER_SIZE + len(manifest_bytes))
        if needed <= blob_start:
            break
        blob_start = needed
    else:  # pragma: no cover
        raise QModelError("could not lay out the blobs")

    body = bytearray(manifest_bytes)
    body += bytes(blob_start - HEADER_SIZE - len(body))
    for entry, (_, data) in zip(entries, blobs):
        body += bytes(entry["offset"] - HEADER_SIZE - len(body))
        body += data
    file_length = HEADER_SIZE + len(body)
    head = _HEADER.pack(MAGIC, version, 0, HEADER_SIZE, len(manifest_bytes), _crc32(manifest_bytes),
                        0, file_length, bytes(12), 0)
    head = head[:60] + struct.pack("<I", _crc32(head[:60]))
    return bytes(head) + bytes(body)


def write_model(path, name, tensors, constants, nodes, inputs, outputs, metadata=None, overwrite=False):
    """Writes a `.q` file. Refuses to replace an existing file unless `overwrite=True`.

    Returns the number of bytes written.
    """
    data = encode_model(name, tensors, constants, nodes, inputs, outputs, metadata)
    path = os.fspath(path)
    if not overwrite:
        with open(path, "xb") as f:  # raises FileExistsError if the file exists
            f.write(data)
        return len(data)
    directory = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return len(data)


def decode_model(data, use_numpy=None):
    """Parses the bytes of a `.q` file, checking every CRC. Returns (manifest, constants)."""
    if use_numpy is None:
        use_numpy = _np is not None
    if use_numpy and _np is None:
        raise QModelError("numpy is not installed")
    data = bytes(data)
    if len(data) < HEADER_SIZE or data[:8] != MAGIC:
        raise QModelError("not an accsim .q file (bad magic)")
    (_, version, flags, manifest_offset, manifest_length, manifest_crc, reserved0, file_length,
     reserved1, header_crc) = _HEADER.unpack_from(data, 0)
    if _crc32(data[:60]) != header_crc:
        raise QModelError("header CRC mismatch")
    if version > FORMAT_VERSION:
        raise QModelError(f"format_version {version}: written by a newer accsim (this reader knows {FORMAT_VERSION})")
    if version < 1:
        raise QModelError(f"format_version {version} is invalid")
    if flags != 0:
        raise QModelError(f"flags {flags:#x} are not zero")
    if reserved0 != 0 or reserved1 != bytes(12):
        raise QModelError("reserved header bytes are not zero")
    if file_length > len(data):
        raise QModelError(f"truncated file: header says {file_length} bytes, file has {len(data)}")
    if file_length < len(data):
        raise QModelError(f"file has {len(data) - file_length} bytes past file_length {file_length}")
    if manifest_offset != HEADER_SIZE:
        raise QModelError(f"manifest_offset {manifest_offset} is not {HEADER_SIZE}")
    if manifest_offset + manifest_length > file_length:
        raise QModelError("truncated file: manifest runs past the end")
    manifest_bytes = data[manifest_offset:manifest_offset + manifest_length]
    if _crc32(manifest_bytes) != manifest_crc:
        raise QModelError("manifest CRC mismatch")
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise QModelError(f"malformed manifest JSON: {error}") from None
    _check_keys(manifest, _MANIFEST_KEYS, "manifest")
    if manifest.get("version") != version:
        raise QModelError(f"manifest version {manifest.get('version')} differs from header format_version {version}")
    tensors = {}
    for i, t in enumerate(manifest.get("tensors", [])):
        _check_keys(t, _TENSOR_KEYS, f"tensors[{i}]")
        if "quantization" in t:
            _check_keys(t["quantization"], _QUANT_KEYS, f"tensors[{i}].quantization")
        if "float_input" in t:
            _check_keys(t["float_input"], _FLOAT_INPUT_KEYS, f"tensors[{i}].float_input")
        if t.get("type") not in TYPES:
            raise QModelError(f"tensors[{i}].type: unknown type {t.get('type')!r}")
        tensors[t["name"]] = t
    for i, n in enumerate(manifest.get("nodes", [])):
        _check_keys(n, _NODE_KEYS, f"nodes[{i}]")
    constants = {}
    for i, entry in enumerate(manifest.get("constants", [])):
        _check_keys(entry, _CONSTANT_KEYS, f"constants[{i}]")
        tname = entry["tensor"]
        if tname not in tensors:
            raise QModelError(f"constants[{i}]: {tname!r} is not a declared tensor")
        tensor = tensors[tname]
        code, width, _, _, dtype = TYPES[tensor["type"]]
        count = _element_count(tensor["shape"])
        offset, length = entry["offset"], entry["length"]
        if offset % ALIGNMENT:
            raise QModelError(f"constant {tname!r}: offset {offset} is not a multiple of {ALIGNMENT}")
        if length != _byte_count(tensor["type"], count):
            raise QModelError(f"constant {tname!r}: length {length}, shape {tensor['shape']} needs "
                              f"{_byte_count(tensor['type'], count)}")
        if offset < manifest_offset + manifest_length or offset + length > file_length:
            raise QModelError(f"truncated file: constant {tname!r} lies outside the blob area")
        blob = data[offset:offset + length]
        if _crc32(blob) != entry["crc32"]:
            raise QModelError(f"CRC mismatch in constant {tname!r}")
        if tensor["type"] == "int4":
            values = _unpack_int4(blob, count)
            constants[tname] = _np.array(values, dtype="int8").reshape(tensor["shape"]) if use_numpy else values
        elif use_numpy:
            constants[tname] = _np.frombuffer(blob, dtype=dtype).astype(dtype[1:]).reshape(tensor["shape"])
        else:
            arr = array.array(code)
            arr.frombytes(blob)
            if sys.byteorder != "little":  # pragma: no cover
                arr.byteswap()
            constants[tname] = arr.tolist()
    return manifest, constants


def read_model(path, use_numpy=None):
    """Reads a `.q` file, checking every CRC.

    Returns (manifest, constants): the manifest as a dict and a dict tensor name -> elements,
    numpy arrays shaped like the tensor when numpy is available (or `use_numpy=True`), flat
    lists otherwise (or with `use_numpy=False`).
    """
    with open(path, "rb") as f:
        return decode_model(f.read(), use_numpy=use_numpy)


def summary(path):
    """A human-readable summary of a `.q` file, as a string."""
    manifest, constants = read_model(path, use_numpy=False)
    size = os.path.getsize(path)
    lines = [f"{path}: {size} bytes, format version {manifest['version']}, model {manifest['name']!r}"]
    for key, value in manifest.get("metadata", {}).items():
        lines.append(f"  metadata {key}: {value}")
    lines.append(f"  inputs: {', '.join(manifest['inputs'])}   outputs: {', '.join(manifest['outputs'])}")
    lines.append(f"  tensors ({len(manifest['tensors'])}):")
    for t in manifest["tensors"]:
        q = t.get("quantization")
        if q is None:
            qtext = ""
        elif len(q["scales"]) == 1:
            qtext = f"  scale {q['scales'][0]:.6g} zp {q['zero_points'][0]}"
        else:
            qtext = (f"  per-channel axis {q.get('axis')} ({len(q['scales'])}): scales "
                     f"{min(q['scales']):.4g}..{max(q['scales']):.4g}")
        const = "  const" if t["name"] in constants else ""
        shape = "x".join(str(d) for d in t["shape"])
        lines.append(f"    {t['name']:<16} {t['type']:<6} [{shape}]{qtext}{const}")
    total = sum(e["length"] for e in manifest["constants"])
    lines.append(f"  constants: {len(manifest['constants'])} blobs, {total} bytes")
    lines.append(f"  nodes ({len(manifest['nodes'])}):")
    for n in manifest["nodes"]:
        lines.append(f"    {n['name']:<12} {n['op']:<16} {', '.join(n['inputs'])} -> {', '.join(n['outputs'])}")
    return "\n".join(lines)


def _main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(f"usage: {os.path.basename(argv[0])} FILE.q", file=sys.stderr)
        return 2
    try:
        print(summary(argv[1]))
    except (OSError, QModelError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
