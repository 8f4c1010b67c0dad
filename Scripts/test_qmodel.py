#!/usr/bin/env python3
"""Tests of Scripts/qmodel.py (standard library only): python3 -m unittest Scripts/test_qmodel.py"""

import json
import os
import struct
import sys
import tempfile
import unittest
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import qmodel  # noqa: E402


def small_model():
    tensors = [
        {"name": "input", "shape": [1, 4, 4, 2], "type": "int8",
         "quantization": {"scales": [0.0627450980392157], "zero_points": [-128]}},
        {"name": "w0", "shape": [3, 3, 3, 2], "type": "int8",
         "quantization": {"scales": [0.01, 0.1 + 0.2, 1e-7], "zero_points": [0, 0, 0], "axis": 0}},
        {"name": "b0", "shape": [3], "type": "int32"},
        {"name": "a0", "shape": [1, 4, 4, 3], "type": "int8",
         "quantization": {"scales": [0.05], "zero_points": [-3]}},
        {"name": "lut", "shape": [5], "type": "int16"},
        {"name": "u", "shape": [2, 2], "type": "uint8"},
    ]
    constants = {
        "w0": [((i * 37) % 256) - 128 for i in range(54)],
        "b0": [-(2 ** 31), 2 ** 31 - 1, 12345],
        "lut": [[-32768, 32767], [0, 1, -1]],  # nested lists are flattened row-major
        "u": [0, 255, 7, 128],
    }
    nodes = [{
        "name": "conv0", "op": "conv2d", "inputs": ["input", "w0", "b0"], "outputs": ["a0"],
        "attributes": {
            "stride": [1, 1], "dilation": [1, 1], "padding": [1, 1, 1, 1], "groups": 1,
            "requantizer": {"multipliers": [1518500250, 1073741824, 2147483647], "shifts": [38, 31, 62],
                            "rounding": "tflite", "zero_point": -3, "clamp_min": -3, "clamp_max": 127},
        },
    }]
    return tensors, constants, nodes


class QModelTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "m.q")

    def tearDown(self):
        self.dir.cleanup()

    def write(self, **kwargs):
        tensors, constants, nodes = small_model()
        return qmodel.write_model(self.path, "small", tensors, constants, nodes, ["input"], ["a0"],
                                  {"producer": "test_qmodel.py", "semantics": "tflite"}, **kwargs)

    def test_round_trip(self):
        size = self.write()
        tensors, constants, nodes = small_model()
        with open(self.path, "rb") as f:
            data = f.read()
        self.assertEqual(size, len(data))
        # Header fields.
        self.assertEqual(data[:8], b"ACCSIMQ\x1a")
        version, flags, moff, mlen, mcrc, res0, flen = struct.unpack_from("<IIQQIIQ", data, 8)
        self.assertEqual((version, flags, moff, res0, flen), (1, 0, 64, 0, len(data)))
        self.assertEqual(data[48:60], bytes(12))
        self.assertEqual(struct.unpack_from("<I", data, 60)[0], zlib.crc32(data[:60]))
        manifest_bytes = data[64:64 + mlen]
        self.assertEqual(mcrc, zlib.crc32(manifest_bytes))
        self.assertNotIn(b" ", manifest_bytes)  # compact separators
        self.assertEqual(list(json.loads(manifest_bytes)),
                         ["version", "name", "metadata", "inputs", "outputs", "tensors", "constants", "nodes"])

        manifest, read = qmodel.read_model(self.path, use_numpy=False)
        self.assertEqual(manifest["version"], 1)
        self.assertEqual(manifest["name"], "small")
        self.assertEqual(manifest["metadata"], {"producer": "test_qmodel.py", "semantics": "tflite"})
        self.assertEqual(manifest["inputs"], ["input"])
        self.assertEqual(manifest["outputs"], ["a0"])
        self.assertEqual(manifest["tensors"], tensors)  # doubles round-trip exactly
        self.assertEqual(manifest["nodes"], nodes)
        self.assertEqual(read["w0"], constants["w0"])
        self.assertEqual(read["b0"], constants["b0"])
        self.assertEqual(read["lut"], [-32768, 32767, 0, 1, -1])
        self.assertEqual(read["u"], constants["u"])
        previous_end = 64 + mlen
        for entry in manifest["constants"]:
            self.assertEqual(entry["offset"] % 64, 0)
            self.assertGreaterEqual(entry["offset"], previous_end)
            blob = data[entry["offset"]:entry["offset"] + entry["length"]]
            self.assertEqual(entry["crc32"], zlib.crc32(blob))
            previous_end = entry["offset"] + entry["length"]
        self.assertEqual([e["tensor"] for e in manifest["constants"]], ["w0", "b0", "lut", "u"])
        # Little-endian int32 bias blob.
        b0 = manifest["constants"][1]
        self.assertEqual(data[b0["offset"]:b0["offset"] + 4], struct.pack("<i", -(2 ** 31)))

    def test_int4_and_int64_need_version_2(self):
        tensors = [
            {"name": "x", "shape": [1, 5], "type": "int16"},
            {"name": "w", "shape": [1, 5], "type": "int4"},
            {"name": "b", "shape": [1], "type": "int64"},
            {"name": "y", "shape": [1, 1], "type": "int16"},
        ]
        constants = {"w": [-8, 7, -1, 3, 5], "b": [-(2 ** 63)]}
        nodes = [{"name": "fc", "op": "fully_connected", "inputs": ["x", "w", "b"], "outputs": ["y"],
                  "attributes": {"accumulator": "int64", "requantizer": {
                      "multipliers": [1], "shifts": [0], "rounding": "half_up", "zero_point": 0,
                      "clamp_min": -32768, "clamp_max": 32767}}}]
        qmodel.write_model(self.path, "mixed", tensors, constants, nodes, ["x"], ["y"], {})
        with open(self.path, "rb") as f:
            data = f.read()
        self.assertEqual(struct.unpack_from("<I", data, 8)[0], 2)
        manifest, read = qmodel.read_model(self.path, use_numpy=False)
        w, b = manifest["constants"]
        self.assertEqual((w["length"], b["length"]), (3, 8))
        self.assertEqual(data[w["offset"]:w["offset"] + 3], bytes([0x78, 0x3F, 0x05]))  # low nibble first
        self.assertEqual(data[b["offset"]:b["offset"] + 8], bytes(7) + b"\x80")
        self.assertEqual(read["w"], constants["w"])
        self.assertEqual(read["b"], constants["b"])
        constants["w"] = [8, 0, 0, 0, 0]
        with self.assertRaisesRegex(qmodel.QModelError, "outside int4 range"):
            qmodel.write_model(self.path + "2", "mixed", tensors, constants, nodes, ["x"], ["y"], {})

    def test_deterministic_and_overwrite(self):
        self.write()
        with open(self.path, "rb") as f:
            first = f.read()
        with self.assertRaises(FileExistsError):
            self.write()
        self.write(overwrite=True)
        with open(self.path, "rb") as f:
            self.assertEqual(f.read(), first)

    def test_crc_corruption_detected(self):
        self.write()
        with open(self.path, "rb") as f:
            original = bytearray(f.read())
        manifest, _ = qmodel.decode_model(original, use_numpy=False)
        cases = {  # byte to damage -> words the error must name
            20: "header CRC",  # inside manifest_length
            64 + 10: "manifest CRC",
            manifest["constants"][1]["offset"] + 2: "CRC mismatch in constant 'b0'",
        }
        for position, expected in cases.items():
            damaged = bytearray(original)
            damaged[position] ^= 0x40
            with self.assertRaises(qmodel.QModelError) as caught:
                qmodel.decode_model(damaged, use_numpy=False)
            self.assertIn(expected, str(caught.exception))

    def test_truncation_and_magic(self):
        self.write()
        with open(self.path, "rb") as f:
            data = f.read()
        with self.assertRaisesRegex(qmodel.QModelError, "truncated"):
            qmodel.decode_model(data[:-1], use_numpy=False)
        with self.assertRaisesRegex(qmodel.QModelError, "not an accsim"):
            qmodel.decode_model(b"PK" + data[2:], use_numpy=False)

    def test_writer_rejects_bad_input(self):
        tensors, constants, nodes = small_model()
        bad = dict(constants, w0=constants["w0"][:-1])
        with self.assertRaisesRegex(qmodel.QModelError, "w0"):
            qmodel.encode_model("x", tensors, bad, nodes, ["input"], ["a0"])
        bad = dict(constants, u=[0, 256, 0, 0])
        with self.assertRaisesRegex(qmodel.QModelError, "range"):
            qmodel.encode_model("x", tensors, bad, nodes, ["input"], ["a0"])
        with self.assertRaisesRegex(qmodel.QModelError, "unknown key"):
            qmodel.encode_model("x", [dict(tensors[0], dtype="int8")] + tensors[1:], constants, nodes,
                                ["input"], ["a0"])
        with self.assertRaisesRegex(qmodel.QModelError, "unknown op"):
            qmodel.encode_model("x", tensors, constants, [dict(nodes[0], op="conv")], ["input"], ["a0"])

    @unittest.skipIf(qmodel._np is None, "numpy not installed")
    def test_numpy_arrays(self):
        np = qmodel._np
        tensors, constants, nodes = small_model()
        constants["w0"] = np.array(constants["w0"], dtype=np.int64).reshape(3, 3, 3, 2)
        constants["b0"] = np.array(constants["b0"], dtype=np.int32)
        qmodel.write_model(self.path, "small", tensors, constants, nodes, ["input"], ["a0"])
        _, read = qmodel.read_model(self.path)
        self.assertEqual(read["w0"].dtype, np.int8)
        self.assertEqual(read["w0"].shape, (3, 3, 3, 2))
        self.assertTrue((read["w0"] == constants["w0"]).all())
        self.assertEqual(read["b0"].dtype, np.int32)
        self.assertEqual(read["b0"].tolist(), constants["b0"].tolist())


if __name__ == "__main__":
    unittest.main()
