"""Tests of the stdlib-only trace reader against the golden traces in Traces/ (run by CI:
`python3 -m unittest discover -s Scripts -p 'test_*.py'`)."""

import gzip
import os
import struct
import sys
import unittest
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import accsim_trace  # noqa: E402
from accsim_trace import TraceError, TraceReader, dump_lines, open_trace  # noqa: E402

TRACES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Traces")


def golden(name):
    return os.path.join(TRACES, name)


def read_bytes(name):
    with open(golden(name), "rb") as handle:
        return handle.read()


def rechunk(data, per_chunk):
    """The gzip members of trace `data` rewritten with `per_chunk` records per chunk, one member
    per chunk, written by Python's gzip module (a different gzip header than accsim's)."""
    plain = gzip.decompress(data)
    length = struct.unpack_from("<I", plain, 12)[0]
    preamble = plain[:16 + length + 4]
    raw, cycles = [], []
    position = len(preamble)
    for _, records, sizes in TraceReader(data=data, name="x").chunks():
        offset = position + 20  # past the chunk header
        for record, size in zip(records, sizes):
            raw.append(plain[offset:offset + size])
            cycles.append(record.cycle)
            offset += size
        position = offset
    members = [gzip.compress(preamble, mtime=0)]
    chunks = 0
    for start in range(0, len(raw), per_chunk):
        group = raw[start:start + per_chunk]
        # Cycle deltas restart at 0 in every chunk: rewrite the first record's delta.
        payload = _with_cycle_delta(group[0], cycles[start]) + b"".join(group[1:])
        chunks += 1
        header = b"ATCK" + struct.pack("<IIII", chunks, len(group), len(payload), zlib.crc32(payload))
        members.append(gzip.compress(header + payload, mtime=0))
    members.append(gzip.compress(b"ATND" + struct.pack("<IQ", chunks, len(raw)), mtime=0))
    return members


def _with_cycle_delta(record, delta):
    """`record` (type, length, body) with its body's leading cycle delta replaced by `delta`."""
    pos = 1
    while record[pos] & 0x80:  # the length varint
        pos += 1
    pos += 1
    while record[pos] & 0x80:  # the old cycle delta
        pos += 1
    body = _uvarint((delta << 1) ^ (delta >> 63)) + record[pos + 1:]
    return record[:1] + _uvarint(len(body)) + body


def _uvarint(value):
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


class GoldenTraceTests(unittest.TestCase):
    def test_dump_equals_the_swift_dump(self):
        with open(golden("digits.tile.dump.txt"), encoding="utf-8") as handle:
            expected = handle.read().splitlines()
        self.assertEqual(list(dump_lines(golden("digits.tile.trace.gz"))), expected)

    def test_every_golden_trace_reads_completely(self):
        levels = {"layer": {"layer-begin", "layer-end"}, "tile": {"dma", "compute"}, "requant": {"requant"},
                  "cycle": {"fold", "edge", "sram"}}
        seen = set()
        for name in sorted(os.listdir(TRACES)):
            if not name.endswith(".trace.gz"):
                continue
            trace = open_trace(golden(name))
            kinds = {record.kind for record in trace.records()}
            self.assertTrue(trace.reached_end, name)
            level = trace.header["level"]
            seen.add(level)
            for other, expected in levels.items():
                order = ["layer", "tile", "requant", "cycle"]
                if order.index(other) <= order.index(level):
                    self.assertTrue(expected <= kinds, "%s lacks %s" % (name, expected - kinds))
                else:
                    self.assertFalse(expected & kinds, name)
        self.assertEqual(seen, set(levels))

    def test_layer_checkpoints(self):
        trace = open_trace(golden("digits.layer.trace.gz"))
        ends = [r for r in trace.records() if r.kind == "layer-end"]
        self.assertEqual(len(ends), len(trace.header["layers"]))
        total = 0
        for end, layer in zip(ends, trace.header["layers"]):
            counters = dict(zip(accsim_trace.COUNTER_NAMES, end.counters))
            self.assertEqual(end.cycle, layer["start_cycle"] + layer["cycles"])
            self.assertEqual(counters["total_cycles"], layer["cycles"])
            self.assertEqual(counters["total_cycles"], counters["prologue_cycles"] + counters["compute_cycles"]
                             + counters["stall_input_cycles"] + counters["stall_weight_cycles"]
                             + counters["stall_output_cycles"] + counters["stall_vector_cycles"]
                             + counters["epilogue_cycles"])
            self.assertEqual(end.accumulator_crc is not None, layer["op"] in ("conv2d", "fully_connected"))
            total += layer["cycles"]
        self.assertEqual(total, trace.header["total_cycles"])

    def test_requant_records_are_consistent(self):
        count = 0
        for record in open_trace(golden("digits.requant.trace.gz")).records():
            if record.kind != "requant":
                continue
            count += 1
            wrapped = (record.accumulator + (record.bias or 0) + 2 ** 31) % 2 ** 32 - 2 ** 31
            self.assertEqual(record.input, wrapped)
            self.assertEqual(record.saturated, record.output != record.before_saturation)
            self.assertTrue(-128 <= record.output <= 127)
        self.assertEqual(count, 8 * 8 * 16 + 4 * 4 * 32 + 10)

    def test_accumulators_replay_from_the_array_edges(self):
        """From the values entering the array alone, rebuild each fold's operands (weight
        stationary: weights preloaded at the top, deepest row first; A row i enters row j at
        stream cycle i + j), recompute the partial sums, check the values leaving the bottom, and
        arrive at the layer-end accumulator CRC: what an RTL testbench would do."""
        trace = open_trace(golden("digits.cycle-conv1-fc.trace.gz"))
        header = trace.header
        self.assertEqual(header["array"]["dataflow"], "weight_stationary")
        rows = header["array"]["rows"]
        records = list(trace.records())
        folds, ends = [], {}
        for record in records:
            if record.kind == "fold":
                folds.append((record, []))
            elif record.kind == "edge":
                folds[-1][1].append(record)
            elif record.kind == "layer-end":
                ends[record.layer] = record
        checked = 0
        for layer in sorted({fold.layer for fold, _ in folds}):
            mine = [(f, e) for f, e in folds if f.layer == layer]
            columns = max(f.n[1] for f, _ in mine)
            pixels = max(f.m[1] for f, _ in mine)
            acc = [0] * (pixels * columns)
            for fold, edges in mine:
                m, k, n = fold.m[1] - fold.m[0], fold.k[1] - fold.k[0], fold.n[1] - fold.n[0]
                a, b, out = [[0] * k for _ in range(m)], [[0] * n for _ in range(k)], {}
                for e in edges:
                    t = e.cycle - fold.cycle
                    if e.edge == "top":
                        b[k - 1 - t][e.index] = e.value
                    elif e.edge == "left":
                        a[t - k - e.index][e.index] = e.value
                    else:
                        out[(t - k - e.index - rows + 1, e.index)] = e.value
                self.assertEqual(len(out), m * n)
                for i in range(m):
                    for c in range(n):
                        partial = sum(a[i][j] * b[j][c] for j in range(k))
                        self.assertEqual(out[(i, c)], partial)
                        index = (fold.m[0] + i) * columns + fold.n[0] + c
                        acc[index] = (acc[index] + partial + 2 ** 31) % 2 ** 32 - 2 ** 31
            crc = zlib.crc32(struct.pack("<%di" % len(acc), *acc))
            self.assertEqual(crc, ends[layer].accumulator_crc, "layer %d" % layer)
            checked += 1
        self.assertEqual(checked, 2)


class ExampleTests(unittest.TestCase):
    def test_cocotb_example_runs(self):
        """Traces/cocotb_example.py drives a register-level array with the golden trace."""
        import importlib.util
        import contextlib
        import io
        spec = importlib.util.spec_from_file_location("cocotb_example", os.path.join(TRACES, "cocotb_example.py"))
        example = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(example)
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            example.main(golden("digits.cycle-conv1-fc.trace.gz"))
        self.assertIn("2088 bottom-edge values match", output.getvalue())


class DamagedTraceTests(unittest.TestCase):
    def setUp(self):
        self.members = rechunk(read_bytes("digits.requant.trace.gz"), 100)
        self.data = b"".join(self.members)
        self.offsets = [sum(len(m) for m in self.members[:i]) for i in range(len(self.members))]
        self.all = list(TraceReader(data=self.data, name="x").records())

    def salvage(self, data):
        reader = TraceReader(data=data, name="damaged.trace.gz")
        records = []
        try:
            for record in reader.records():
                records.append(record)
        except TraceError as error:
            return records, error, reader.chunks_read
        return records, None, reader.chunks_read

    def test_rechunked_trace_reads_like_the_original(self):
        original = list(open_trace(golden("digits.requant.trace.gz")).records())
        self.assertEqual([r.text_line() for r in self.all], [r.text_line() for r in original])
        self.assertGreater(len(self.members), 10)

    def test_truncation_keeps_complete_chunks(self):
        for cut in range(self.offsets[1] + 1, len(self.data), 997):
            records, error, chunks = self.salvage(self.data[:cut])
            self.assertIsNotNone(error, cut)
            self.assertEqual(error.kind, "truncated", str(error))
            self.assertEqual(error.chunk, chunks + 1, str(error))
            self.assertEqual(records, self.all[:len(records)])
            complete = sum(1 for i in range(1, len(self.members) - 1) if self.offsets[i + 1] <= cut)
            self.assertIn(chunks, (complete, complete + 1), cut)
            self.assertTrue(str(error).startswith("damaged.trace.gz: chunk %d" % (chunks + 1)), str(error))

    def test_missing_end_marker_is_reported(self):
        records, error, chunks = self.salvage(self.data[:self.offsets[-1]])
        self.assertEqual(records, self.all)
        self.assertIn("without the end marker", str(error))
        self.assertEqual(error.chunk, chunks + 1)

    def test_corruption_is_located(self):
        for chunk in (1, 5, len(self.members) - 2):
            data = bytearray(self.data)
            data[(self.offsets[chunk] + self.offsets[chunk + 1]) // 2] ^= 0x5A
            records, error, chunks = self.salvage(bytes(data))
            self.assertEqual(chunks, chunk - 1)
            self.assertEqual(error.kind, "corrupt", str(error))
            self.assertEqual(error.chunk, chunk)
            self.assertEqual(error.offset, self.offsets[chunk])

    def test_chunk_crc_catches_corruption_inside_the_stream(self):
        plain = bytearray(gzip.decompress(self.data))
        start = len(gzip.decompress(b"".join(self.members[:3])))  # chunk 3 starts here
        plain[start + 40] ^= 1
        records, error, chunks = self.salvage(gzip.compress(bytes(plain), mtime=0))
        self.assertEqual(chunks, 2)
        self.assertEqual(error.chunk, 3)
        self.assertIn("CRC mismatch", error.message)
        self.assertEqual(error.uncompressed_offset, start)

    def test_other_files_are_rejected(self):
        with self.assertRaises(TraceError):
            TraceReader(data=b"hello", name="x")
        plain = bytearray(gzip.decompress(self.data))
        plain[8] = 9
        with self.assertRaises(TraceError) as caught:
            TraceReader(data=gzip.compress(bytes(plain)), name="x")
        self.assertEqual(caught.exception.kind, "unsupported_version")


if __name__ == "__main__":
    unittest.main()
