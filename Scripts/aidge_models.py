#!/usr/bin/env python3
"""Quantizes the Aidge example models with Eclipse Aidge 0.10.1, exports them to accsim and writes
(or checks) the fixtures in Models/aidge/.

    Scripts/setup-aidge.sh                                  # .venv-aidge with Aidge from PyPI
    .venv-aidge/bin/python Scripts/aidge_train.py           # float ONNX models (committed)
    .venv-aidge/bin/python Scripts/aidge_models.py          # quantize + export + Aidge outputs
    .venv-aidge/bin/python Scripts/aidge_models.py --check  # CI: the same, compared with the files

For each float model (Models/aidge/<model>_float.onnx) and each mode (`ss`: single_shift=True,
`fs`: float scales), the recipe of docs/import-aidge.md: load with aidge_onnx, remove_flatten,
auto_assign_node_precision(int8, int8, int32), quantize_network on 200 training images in one tensor
(MAX clipping, rescale_inputs=True, fold_graph=True), work around the Concat dtype bug
(`accsim.aidge.fix_concat_dtypes`), run the 360 held-out images through aidge_backend_cpu, and
`accsim.aidge.export`. Files: <model>_<mode>.q, <model>_<mode>_aidge_logits.npy (int8 [360, 10],
Aidge's own output), test_x_nchw.npy (float32 [360, 1, 8, 8], the array given to Aidge) and
aidge_models.json (top-1, exporter reports).
"""

import argparse
import json
import os
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "Scripts"))

import aidge_core  # noqa: E402  (before aidge_quantization, see docs/import-aidge.md)
import aidge_backend_cpu  # noqa: E402,F401
import aidge_onnx  # noqa: E402
import aidge_quantization  # noqa: E402

import accsim.aidge  # noqa: E402
from aidge_train import MODELS, load_split  # noqa: E402

MODES = {"ss": True, "fs": False}
CALIBRATION = 200
OUT = os.path.join(ROOT, "Models", "aidge")


def quantize(model, single_shift, x_train):
    graph = aidge_onnx.load_onnx(os.path.join(OUT, f"{model}_float.onnx"))
    graph.set_backend("cpu")
    graph.set_datatype(aidge_core.dtype.float32)
    aidge_core.remove_flatten(graph)
    aidge_quantization.auto_assign_node_precision(graph, aidge_core.dtype.int8, aidge_core.dtype.int8,
                                                  aidge_core.dtype.int32)
    # One batch of 200: the same ranges (MAX clipping) and the same graph as 200 tensors of one
    # image each, 14x faster.
    calibration = [aidge_core.Tensor(np.ascontiguousarray(x_train[:CALIBRATION]))]
    aidge_quantization.quantize_network(graph, calibration, clipping_mode=aidge_quantization.Clipping.MAX,
                                        rescale_inputs=True, single_shift=single_shift, fold_graph=True)
    accsim.aidge.fix_concat_dtypes(graph)
    return graph


_CACHE = {}


def quantized(model, mode):
    """The graph of `model` quantized in `mode` ('ss' or 'fs'), quantized once per process."""
    if (model, mode) not in _CACHE:
        _CACHE[(model, mode)] = quantize(model, MODES[mode], load_split()[0])
    return _CACHE[(model, mode)]


def run_aidge(graph, x):
    scheduler = aidge_core.SequentialScheduler(graph)
    scheduler.forward(True, [aidge_core.Tensor(np.ascontiguousarray(x))])
    (out,) = accsim.aidge.graph_outputs(graph)
    tensor = out.get_operator().get_output(0)
    return np.array(tensor)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    parser.add_argument("--models", default=",".join(MODELS))
    args = parser.parse_args(argv)
    _, x_test, _, y_test = load_split()
    x_test = x_test.astype(np.float32)
    failures = []
    summary = {"test_samples": int(len(y_test)), "calibration_samples": CALIBRATION, "models": {}}
    files = {"test_x_nchw.npy": x_test}
    with tempfile.TemporaryDirectory() as tmp:
        for model in args.models.split(","):
            for mode in MODES:
                key = f"{model}_{mode}"
                graph = quantized(model, mode)
                logits = run_aidge(graph, x_test)
                if logits.dtype != np.int8 or logits.shape != (len(y_test), 10):
                    raise SystemExit(f"{key}: Aidge output {logits.dtype} {logits.shape}, expected int8 [N, 10]")
                qpath = os.path.join(tmp, f"{key}.q")
                report = accsim.aidge.export(graph, qpath, name=f"digits_{key}",
                                             metadata={"source_model": f"Models/aidge/{model}_float.onnx",
                                                       "dataset": "sklearn digits 8x8"})
                print(report.summary())
                with open(qpath, "rb") as f:
                    files[f"{key}.q"] = f.read()
                files[f"{key}_aidge_logits.npy"] = logits
                summary["models"][key] = {
                    "aidge_top1": int((logits.argmax(axis=1) == y_test).sum()),
                    "float_scalings": report.float_scalings,
                    "lookup_tables": report.lookup_tables,
                    "running_mean_pools": report.running_mean_pools,
                    "input_factor": report.input_factor,
                }
    files["aidge_models.json"] = (json.dumps(summary, indent=1, sort_keys=True) + "\n").encode()
    for name, content in files.items():
        path = os.path.join(OUT, name)
        if isinstance(content, np.ndarray):
            if args.check:
                if not os.path.exists(path):
                    failures.append(f"{name}: missing")
                    continue
                old = np.load(path)
                if old.dtype != content.dtype or old.shape != content.shape or not np.array_equal(old, content):
                    diff = int(np.count_nonzero(old != content)) if old.shape == content.shape else -1
                    failures.append(f"{name}: differs from the committed file ({diff} elements)")
            else:
                np.save(path, content)
        else:
            if args.check:
                if not os.path.exists(path) or open(path, "rb").read() != content:
                    failures.append(f"{name}: differs from the committed file")
            else:
                with open(path, "wb") as f:
                    f.write(content)
    for key, entry in summary["models"].items():
        print(f"{key}: Aidge int8 top-1 {entry['aidge_top1']}/{summary['test_samples']}")
    if failures:
        print("aidge_models: " + "; ".join(failures), file=sys.stderr)
        return 1
    print(f"aidge_models: {len(files)} file(s) {'match' if args.check else 'written'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
