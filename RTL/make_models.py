#!/usr/bin/env python3
"""Writes the small models the RTL tests trace that the bundled examples do not cover.

    python3 RTL/make_models.py OUT_DIR

- `wide_fc.q`: one fully connected layer, K = 1024 inputs (int8, zero point -128, so every
  operand is 0..255) and 4 outputs whose weights are all 100..127. Each output's sum of products
  is about 1024 * 128 * 113 = 1.5e7 > 2^23, so a 24-bit accumulator overflows: the `narrow_acc`
  bug needs such a reduction to be visible (an output-stationary PE sums all K products itself).

Models/every_op.q and Models/digits.q cover the rest (strided, grouped and depthwise convs, an FC,
K = 36 that is no multiple of 8 or 16, negative weights and operands, all six rounding modes).
Standard library only (Scripts/qmodel.py).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Scripts"))
import qmodel  # noqa: E402

K, N = 1024, 4


def wide_fc(path):
    weights = [100 + (37 * i + 11 * o) % 28 for o in range(N) for i in range(K)]
    tensors = [
        {"name": "x", "shape": [1, K], "type": "int8", "quantization": {"scales": [0.02], "zero_points": [-128]}},
        {"name": "w", "shape": [N, K], "type": "int8", "quantization": {"scales": [0.001], "zero_points": [0]}},
        {"name": "b", "shape": [N], "type": "int32", "quantization": {"scales": [0.00002], "zero_points": [0]}},
        {"name": "y", "shape": [1, N], "type": "int8", "quantization": {"scales": [4.0], "zero_points": [-100]}},
    ]
    nodes = [{"name": "fc_wide", "op": "fully_connected", "inputs": ["x", "w", "b"], "outputs": ["y"],
              "attributes": {"requantizer": {"multipliers": [1], "shifts": [18], "rounding": "half_up",
                                             "zero_point": -100, "clamp_min": -128, "clamp_max": 127}}}]
    qmodel.write_model(path, "wide_fc", tensors, {"w": weights, "b": [0, -5, 7, 1000]}, nodes,
                       inputs=["x"], outputs=["y"], metadata={"producer": "RTL/make_models.py"}, overwrite=True)


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    wide_fc(os.path.join(out, "wide_fc.q"))
