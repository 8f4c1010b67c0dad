#!/usr/bin/env python3
"""Tests of accsim.aidge.export against real Eclipse Aidge 0.10.1 graphs, run by Scripts/aidge-check.sh
in .venv-aidge (named so that the plain discovery of Scripts/test.sh, which has no Aidge, does not
pick it up):

    .venv-aidge/bin/python -m unittest Scripts/aidge_export_tests.py

Each quantizer micro-graph shape, the input quantization, the float island tables, Concat and a
refused node are checked on graphs quantized here by Aidge itself, and the committed fixtures of
Models/aidge/ are re-made from the float ONNX models (quantized in this run) and compared."""

import ctypes
import os
import sys
import tempfile
import unittest

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "Scripts"))

import aidge_core  # noqa: E402,F401  (before aidge_quantization)
import aidge_backend_cpu  # noqa: E402,F401
import aidge_quantization  # noqa: E402,F401

import accsim.aidge as ax  # noqa: E402
import aidge_models  # noqa: E402
import qmodel  # noqa: E402


class FloatScaleConversionTests(unittest.TestCase):
    """float_scale_requantizer needs only numpy."""

    def test_power_of_two_scales_become_plain_shifts(self):
        self.assertEqual(ax.float_scale_requantizer(1.0)[:3], (1, 0, 0))
        self.assertEqual(ax.float_scale_requantizer(0.25)[:3], (1, 2, 0))

    def test_mantissa_multiplier_and_exhaustive_count(self):
        # float32(0.004225584212690592) = 9074373 * 2^-31 exactly; Aidge rounds acc*s to float32
        # first, which moves exactly one accumulator of [-30767, 30767] across a rounding boundary.
        m, n, mismatches, checked, (first, last) = ax.float_scale_requantizer(0.004225584212690592)
        self.assertEqual((m, n, mismatches, checked, first, last), (9074373, 31, 1, 61535, -30767, 30767))
        acc = np.arange(first, last + 1)
        differ = acc[ax.aidge_float_requantize(acc, 0.004225584212690592) != ax.fixed_requantize(acc, m, n)]
        self.assertEqual(len(differ), 1)
        # the exact product is below the tie, float32 rounds it onto the tie (up in Aidge)
        a = int(differ[0])
        exact = a * m / 2.0**n
        self.assertLess(exact % 1.0, 0.5)
        self.assertEqual(float(np.float32(a) * np.float32(0.004225584212690592)) % 1.0, 0.5)

    def test_round_half_up_is_exact_not_floor_plus_half(self):
        y = np.array([0.49999997, -2.5, 2.5, -0.5], dtype=np.float32)
        self.assertEqual(ax.aidge_float_requantize(y, 1.0).tolist(), [0, -2, 3, 0])


class CommittedFixturesTests(unittest.TestCase):
    def test_quantizing_again_gives_the_committed_models_and_outputs(self):
        # 8 graphs quantized by Aidge in this run; each .q byte for byte, each int8 output
        self.assertEqual(aidge_models.main(["--check"]), 0)


class AidgeExportTests(unittest.TestCase):
    def graph(self, key):
        model, mode = key.split("_")
        return aidge_models.quantized(model, mode)

    def export(self, key, **kwargs):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "m.q")
            report = ax.export(self.graph(key), path, **kwargs)
            manifest, constants = qmodel.read_model(path)
        nodes = {n["name"]: n for n in manifest["nodes"]}
        tensors = {t["name"]: t for t in manifest["tensors"]}
        return report, manifest, nodes, tensors, constants

    def producer(self, key, quantizer, op_type):
        node = next(n for n in self.graph(key).get_nodes() if n.name() == quantizer)
        for m in node.get_operator().get_micro_graph().get_nodes():
            if m.type() == op_type:
                parent = m.get_parents()[1]
                return int(np.array(parent.get_operator().get_output(0)).reshape(-1)[0])
        raise AssertionError(f"{quantizer} has no {op_type}")

    def test_single_shift_bitshift_after_fc(self):
        _, manifest, nodes, _, _ = self.export("mlp_ss")
        r = nodes["gemm2"]["attributes"]["requantizer"]
        self.assertEqual(r["multipliers"], [1])
        self.assertEqual(r["shifts"], [self.producer("mlp_ss", "gemm2_Scaling", "BitShift")])
        self.assertEqual((r["rounding"], r["zero_point"], r["clamp_min"], r["clamp_max"]), ("half_up", 0, -128, 127))
        self.assertEqual(manifest["version"], 2)

    def assertSameFactor(self, requantizer, key, quantizer, expected_multiplier):
        """The requantizer is Aidge's Mul(M) -> BitShift(n) with powers of two moved from M into n."""
        m_aidge, n_aidge = self.producer(key, quantizer, "Mul"), self.producer(key, quantizer, "BitShift")
        (m,), (n,) = requantizer["multipliers"], requantizer["shifts"]
        self.assertEqual(m * 2**n_aidge, m_aidge * 2**n)
        self.assertTrue(m % 2 == 1 or n == 0)
        self.assertEqual(m, expected_multiplier)

    def test_single_shift_multiplier_then_bitshift_after_add_and_residual(self):
        _, _, nodes, _, _ = self.export("res_ss")
        self.assertEqual(self.producer("res_ss", "add5_Scaling", "Mul"), 111)
        self.assertSameFactor(nodes["add5"]["attributes"]["output"], "res_ss", "add5_Scaling", 111)
        self.assertEqual(nodes["add5"]["attributes"]["inputs"], [{"left_shift": 0}] * 2)
        res = nodes["relu2_Res"]
        self.assertEqual(res["op"], "requantize")
        # Aidge's M 64 with shift 8 is the plain shift by 2: a shift-only requantizer runs it
        self.assertEqual(self.producer("res_ss", "relu2_Res", "Mul"), 64)
        self.assertSameFactor(res["attributes"]["requantizer"], "res_ss", "relu2_Res", 1)

    def test_float_scale_quantizers_are_counted(self):
        report, _, nodes, _, _ = self.export("res_fs")
        names = [f["node"] for f in report.float_scalings]
        self.assertEqual(names, ["conv1", "conv3", "relu2_Res", "add5", "conv7", "logits"])
        for f in report.float_scalings:
            m, n, mismatches, checked, _ = ax.float_scale_requantizer(f["scale"])
            self.assertEqual((m, n, mismatches, checked), (f["multiplier"], f["shift"], f["mismatches"], f["checked"]))
        r = nodes["conv1"]["attributes"]["requantizer"]
        self.assertEqual((r["multipliers"][0], r["shifts"][0]), (report.float_scalings[0]["multiplier"],
                                                                 report.float_scalings[0]["shift"]))

    def test_input_quantization_is_recorded(self):
        report, manifest, _, tensors, _ = self.export("mlp_fs")
        t = tensors[manifest["inputs"][0]]
        self.assertEqual(t["float_input"], {"operation": "multiply", "factor": 127.0, "rounding": "half_up"})
        self.assertEqual((t["shape"], t["layout"], t["type"]), ([1, 8, 8, 1], "nchw", "int8"))
        self.assertEqual(report.input_factor, 127.0)

    def test_sigmoid_island_table_equals_glibc_expf_formula(self):
        report, _, nodes, _, _ = self.export("res_ss")
        self.assertEqual(report.lookup_tables, ["sigmoid8_PrevScaling_sigmoid8"])
        table = nodes["sigmoid8_PrevScaling_sigmoid8"]["attributes"]["table"]
        graph = self.graph("res_ss")
        prev = next(n for n in graph.get_nodes() if n.name() == "sigmoid8_PrevScaling")
        post = next(n for n in graph.get_nodes() if n.name() == "sigmoid8_Scaling")

        def scale(q):
            mul = next(m for m in q.get_operator().get_micro_graph().get_nodes() if m.type() == "Mul")
            return np.float32(np.array(mul.get_parents()[1].get_operator().get_output(0)).reshape(-1)[0])

        s_in, s_out = scale(prev), scale(post)
        expf = ctypes.CDLL("libm.so.6").expf
        expf.restype, expf.argtypes = ctypes.c_float, [ctypes.c_float]
        expected = []
        for q in range(-128, 128):
            x = np.float32(np.float32(q) * s_in)
            if x >= 0:
                y = np.float32(1) / (np.float32(1) + np.float32(expf(float(-x))))
            else:
                e = np.float32(expf(float(x)))
                y = e / (np.float32(1) + e)
            expected.append(int(ax.aidge_float_requantize(np.float32(y), s_out)))
        self.assertEqual(table, expected)

    def test_concat_of_two_pooled_branches(self):
        report, _, nodes, _, _ = self.export("mix_ss")
        concat = nodes["concat11"]
        self.assertEqual(concat["inputs"], ["maxpool9_Res", "averagepool10_Res"])
        self.assertEqual(concat["attributes"], {"axis": 3, "input_requantizers": [None, None]})
        self.assertEqual(nodes["concat11_Scaling"]["op"], "requantize")
        gap = nodes["globalaveragepool12"]["attributes"]
        self.assertEqual((gap["window"], gap["average"]), ([2, 2], "aidge_running_mean"))
        self.assertEqual(report.running_mean_pools, ["globalaveragepool12"])
        _, _, exact_nodes, _, _ = self.export("mix_ss", gap_mode="exact")
        self.assertNotIn("average", exact_nodes["globalaveragepool12"]["attributes"])

    def test_unsupported_node_is_refused_by_name_and_type(self):
        import aidge_core

        graph = self.graph("mlp_ss").clone()
        (last,) = ax.graph_outputs(graph)
        extra = aidge_core.Abs(name="odd_abs")
        last.add_child(extra, 0, 0)
        graph.add(extra)
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaises(ax.ExportError) as caught:
                ax.export(graph, os.path.join(tmp, "m.q"))
            self.assertFalse(os.path.exists(os.path.join(tmp, "m.q")))
        self.assertIn("'odd_abs' (Abs)", str(caught.exception))

    def test_existing_file_is_not_overwritten(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "m.q")
            with open(path, "wb") as f:
                f.write(b"mine")
            with self.assertRaises(FileExistsError):
                ax.export(self.graph("mlp_ss"), path)
            with open(path, "rb") as f:
                self.assertEqual(f.read(), b"mine")


if __name__ == "__main__":
    unittest.main()
