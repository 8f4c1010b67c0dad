"""cocotb testbench: drives RTL/accsim_top.v from an accsim cycle-level trace and checks it.

Run by RTL/check (which builds the design and reads the result file), not by hand. Settings come
from environment variables set by RTL/check:

    ACCSIM_RTL_TRACE     the trace
    ACCSIM_RTL_RESULT    where to write the result (JSON)
    ACCSIM_RTL_OBSERVED  optional: where to write every value the RTL produced (JSON lines), for
                         `RTL/check --rtl-trace`; the run then goes on past the first divergence
    ACCSIM_RTL_VCD_NAME  the trace path as the user typed it, for the printed vcd command

Structure (the usual cocotb roles):
- `TraceSteps` turns the trace's records into simulation steps: a fold with its edge events by
  cycle, a batch of requantizer records, a layer end.
- `Driver` turns a cycle's entering edge values into pin values (top/left valid + data, drain) and
  a cycle's requant records into requantizer lanes.
- `Monitor` samples the outputs after `ReadOnly()` in every simulated cycle.
- `Scoreboard` compares them with the trace, keyed by (global cycle, edge, index), flags outputs
  the RTL marks valid where the trace has none, keeps the accumulator buffer and output tensor of
  each layer for the layer-end CRC-32 check, and builds the first-divergence report.
"""

import json
import os
import zlib

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge

from accsim.trace import open_trace

ROUNDING_CODES = {"floor": 0, "half_up": 1, "half_away": 2, "half_even": 3, "tflite": 4, "tflite_half_up": 5}
MASK32 = 0xFFFFFFFF


def signed32(value):
    value &= MASK32
    return value - (1 << 32) if value >> 31 else value


def wrap32(value):
    return signed32(value)


class Divergence(Exception):
    """The first mismatch: carries the report's fields."""

    def __init__(self, info):
        super().__init__(info["what"])
        self.info = info


class TraceSteps:
    """Groups the trace's records into what the testbench simulates, in trace order."""

    def __init__(self, trace):
        self.trace = trace
        header = trace.header
        window = header.get("cycle_window") or {}
        self.window_from = window.get("from", 0)
        self.window_to = window.get("to")

    def fold_is_whole(self, fold):
        return fold.cycle >= self.window_from and (self.window_to is None or fold.end <= self.window_to)

    def __iter__(self):
        fold, fold_records, requants = None, [], []
        for record in self.trace.records():
            kind = record.kind
            if kind in ("edge", "sram") and fold is not None:
                fold_records.append(record)
                continue
            if fold is not None:
                yield ("fold", fold, fold_records)
                fold, fold_records = None, []
            if kind == "requant":
                requants.append(record)
                continue
            if requants:
                yield ("requant", requants)
                requants = []
            if kind == "fold":
                fold = record
            elif kind in ("layer-begin", "layer-end"):
                yield (kind, record)
        if fold is not None:
            yield ("fold", fold, fold_records)
        if requants:
            yield ("requant", requants)


class Bench:
    """Driver, monitor and scoreboard around one DUT (accsim_top)."""

    def __init__(self, dut, trace, result_path, observed_path, vcd_name):
        self.dut = dut
        self.trace = trace
        self.header = trace.header
        array = self.header["array"]
        self.rows, self.cols = array["rows"], array["cols"]
        self.os = array["dataflow"] == "output_stationary"
        self.native = array.get("convention", "native") == "native"
        self.dw = int(os.environ.get("ACCSIM_RTL_DW", "9"))
        self.lanes = int(os.environ.get("ACCSIM_RTL_LANES", "1"))
        self.result_path = result_path
        self.observed = open(observed_path, "w") if observed_path else None
        self.keep_going = self.observed is not None
        self.vcd_name = vcd_name
        self.layers = {layer["index"]: layer for layer in self.header["layers"]}
        widths = self.header.get("element_widths", {})
        self.out_bits = widths.get("output", 8)
        self.cycle = None  # global cycle of the cycle being simulated
        self.matched = 0
        self.matched_requant = 0
        self.folds_checked = 0
        self.fold_cycles_checked = 0
        self.folds_skipped = 0
        self.crc_checked = []
        self.notes = []
        self.first = None  # first divergence (dict)
        self.divergences = 0
        self.layer_state = {}
        self.requant_skip = set()
        self.written = {}
        self.negative_weight_pes = set()
        self.negative_operand_pes = set()

    # -- driver

    def pack(self, values, width):
        word = 0
        mask = (1 << width) - 1
        for index, value in values.items():
            word |= (value & mask) << (index * width)
        return word

    def write(self, name, value):
        """Sets a DUT input, skipping writes that would not change it (they cost simulator calls)."""
        if self.written.get(name) != value:
            self.written[name] = value
            getattr(self.dut, name).value = value

    def drive_array(self, top, left, drain):
        self.write("top_valid", sum(1 << i for i in top))
        self.write("top_data", self.pack(top, self.dw))
        self.write("left_valid", sum(1 << i for i in left))
        self.write("left_data", self.pack(left, self.dw))
        self.write("drain", 1 if drain else 0)

    def drive_requant(self, records):
        if not records and self.written.get("rq_valid") == 0:
            return
        valid = acc = has_bias = bias = mult = shift = zp = 0
        for lane, r in enumerate(records):
            valid |= 1 << lane
            acc |= (r.accumulator & MASK32) << (32 * lane)
            if r.bias is not None:
                has_bias |= 1 << lane
                bias |= (r.bias & MASK32) << (32 * lane)
            mult |= (r.multiplier & MASK32) << (32 * lane)
            shift |= (r.shift & 0x7F) << (7 * lane)
            zp |= (r.zero_point & MASK32) << (32 * lane)
        self.write("rq_valid", valid)
        self.write("rq_acc", acc)
        self.write("rq_has_bias", has_bias)
        self.write("rq_bias", bias)
        self.write("rq_mult", mult)
        self.write("rq_shift", shift)
        self.write("rq_zp", zp)

    # -- monitor

    def sample(self):
        dut = self.dut
        bottoms = {}
        valid = dut.bot_valid.value.to_unsigned()
        if valid:
            data = dut.bot_data.value.to_unsigned()
            for index in range(self.cols):
                if valid >> index & 1:
                    bottoms[index] = signed32(data >> (32 * index))
        requants = {}
        rq_valid = dut.rq_out_valid.value.to_unsigned()
        if rq_valid:
            sums = dut.rq_sum.value.to_unsigned()
            pres = dut.rq_pre.value.to_unsigned()
            outs = dut.rq_out.value.to_unsigned()
            sats = dut.rq_sat.value.to_unsigned()
            for lane in range(self.lanes):
                if rq_valid >> lane & 1:
                    requants[lane] = (signed32(sums >> (32 * lane)), signed32(pres >> (32 * lane)),
                                      signed32(outs >> (32 * lane)), bool(sats >> lane & 1))
        return bottoms, requants

    # -- one clock cycle

    async def step(self, cycle, top=None, left=None, drain=False, requants=(), expected_bottom=None,
                   context=None):
        """Simulates global cycle `cycle`: drives its inputs, clocks, samples after ReadOnly and
        compares. `expected_bottom`: {index: value} the trace says leaves in this cycle."""
        self.cycle = cycle
        self.drive_array(top or {}, left or {}, drain)
        self.drive_requant(requants)
        await RisingEdge(self.dut.clk)
        await ReadOnly()
        bottoms, rq_out = self.sample()
        await FallingEdge(self.dut.clk)
        if self.observed is not None:
            self.observed.write('{"cycle":%d,"kind":"cycle"}\n' % cycle)
            for index, value in sorted(bottoms.items()):
                self.observed.write('{"cycle":%d,"kind":"bottom","index":%d,"value":%d}\n' % (cycle, index, value))
            for lane, (s, p, o, sat) in sorted(rq_out.items()):
                self.observed.write('{"cycle":%d,"kind":"requant","lane":%d,"input":%d,"pre":%d,"output":%d,'
                                    '"saturated":%s}\n' % (cycle, lane, s, p, o, "true" if sat else "false"))
        self.compare_bottom(cycle, expected_bottom or {}, bottoms, context)
        self.compare_requant(cycle, list(requants), rq_out, context)
        return bottoms

    # -- scoreboard

    def diverge(self, info, context):
        self.divergences += 1
        if self.first is None:
            info["matched_before"] = self.matched + self.matched_requant
            info["cycle"] = self.cycle
            layer = self.layers.get(info.get("layer"))
            info["layer_name"] = layer["name"] if layer else None
            if context is not None:
                info.update(context(self.cycle))
            self.first = info
        if not self.keep_going:
            raise Divergence(info)

    def compare_bottom(self, cycle, expected, observed, context):
        for index in sorted(set(expected) | set(observed)):
            want, got = expected.get(index), observed.get(index)
            if want == got:
                self.matched += 1
                continue
            if want is None:
                what = "the RTL marks bottom[%d] valid where the trace has no value" % index
                signal = "bot_data[%d], bot_valid[%d] = 1" % (index, index)
            elif got is None:
                what = "the trace has a value leaving bottom[%d]; the RTL's bot_valid[%d] is low" % (index, index)
                signal = "bot_valid[%d] = 0" % index
            else:
                what = "the value leaving bottom[%d] differs by %d" % (index, got - want)
                signal = "bot_data[%d], bot_valid[%d] = 1" % (index, index)
            self.diverge({"what": what, "edge": "bottom", "index": index, "expected": want, "actual": got,
                          "signal": signal, "layer": self.current_layer}, context)

    def compare_requant(self, cycle, records, observed, context):
        for lane in sorted(set(range(len(records))) | set(observed)):
            record = records[lane] if lane < len(records) else None
            got = observed.get(lane)
            if record is not None and got is not None:
                want = (record.input, record.before_saturation, record.output, record.saturated)
                if want == got:
                    self.matched_requant += 1
                    state = self.layer_state.get(record.layer)
                    if state is not None:
                        state["outputs"][(record.row, record.channel)] = got[2]
                    continue
                names = ("in", "pre", "out", "sat")
                diff = [n for n, a, b in zip(names, want, got) if a != b]
                expected = " ".join("%s=%s" % (n, int(v) if n == "sat" else v) for n, v in zip(names, want))
                actual = " ".join("%s=%s" % (n, int(v) if n == "sat" else v) for n, v in zip(names, got))
                what = "requantizer output m=%d c=%d differs in %s" % (record.row, record.channel, ",".join(diff))
            elif record is None:
                expected, actual = None, "out=%d" % got[2]
                what = "the RTL's requantizer lane %d is valid where the trace has no requant record" % lane
            else:
                expected, actual = "out=%d" % record.output, None
                what = "the trace has a requant record but requantizer lane %d is not valid" % lane
            self.diverge({"what": what, "edge": "requant", "index": lane, "expected": expected, "actual": actual,
                          "signal": "requantizer lane %d: rq_sum, rq_pre, rq_out, rq_sat" % lane,
                          "layer": record.layer if record is not None else self.current_layer}, context)

    # -- steps

    current_layer = None

    async def run_fold(self, fold, records, next_start):
        self.current_layer = fold.layer
        if not self.steps.fold_is_whole(fold):
            self.folds_skipped += 1
            self.layer_state.setdefault(fold.layer, self.new_layer_state())["complete"] = False
            return
        k = fold.k[1] - fold.k[0]
        m = fold.m[1] - fold.m[0]
        n = fold.n[1] - fold.n[0]
        by_cycle = {}
        last_event = fold.cycle
        for record in records:
            by_cycle.setdefault(record.cycle, []).append(record)
            last_event = max(last_event, record.cycle)
        end = max(fold.end, last_event + 1)
        drain_from = fold.cycle + k + m + n - 2
        state = self.layer_state.setdefault(fold.layer, self.new_layer_state())
        state["folds"].append((fold.group, fold.m, fold.n))
        self.cover(fold, records, k, m, n)

        def context(cycle):
            return {"fold": fold.index, "fold_sequence": fold.sequence, "fold_cycle": cycle - fold.cycle,
                    "fold_shape": "m=%d:%d k=%d:%d n=%d:%d group=%d" % (fold.m + fold.k + fold.n + (fold.group,)),
                    "events": [r.text_line() for r in by_cycle.get(cycle, [])]}

        first_in = last_out = None
        for cycle in range(fold.cycle, end):
            events = by_cycle.get(cycle, ())
            top, left, expected = {}, {}, {}
            for e in events:
                if e.kind != "edge":
                    continue
                if e.edge == "top":
                    top[e.index] = e.value
                elif e.edge == "left":
                    left[e.index] = e.value
                else:
                    expected[e.index] = e.value
            if (top or left) and first_in is None:
                first_in = cycle
            drain = self.os and drain_from <= cycle < drain_from + self.rows
            bottoms = await self.step(cycle, top, left, drain, (), expected, context)
            for index, value in bottoms.items():
                last_out = cycle
                self.accumulate(state, fold, cycle, index, value, k, m)
        # Idle cycles up to the next step (at most R + C): an RTL that produces late outputs is
        # caught here as "valid where the trace has none".
        idle_end = min(next_start if next_start is not None else end + self.rows + self.cols,
                       end + self.rows + self.cols)
        for cycle in range(end, max(end, idle_end)):
            if self.os and cycle < drain_from + self.rows:
                await self.step(cycle, drain=True, context=context)
            else:
                await self.step(cycle, context=context)
        self.folds_checked += 1
        if self.native and first_in is not None and last_out is not None:
            rtl_cycles = last_out - first_in + 1
            accsim_cycles = fold.end - fold.cycle
            if rtl_cycles != accsim_cycles:
                self.cycle = fold.end - 1
                self.diverge({"what": "fold %d takes %d cycles in the RTL (first input at %d, last output at %d) "
                              "and %d in accsim" % (fold.index, rtl_cycles, first_in, last_out, accsim_cycles),
                              "edge": "fold", "index": fold.index, "expected": accsim_cycles,
                              "actual": rtl_cycles, "signal": "cycles first input .. last output",
                              "layer": fold.layer}, context)
            self.fold_cycles_checked += 1

    def cover(self, fold, records, k, m, n):
        """Which PEs multiply a negative weight / a negative operand in this fold (from the trace)."""
        neg_top = set(e.index for e in records if e.kind == "edge" and e.edge == "top" and e.value < 0)
        neg_left = set(e.index for e in records if e.kind == "edge" and e.edge == "left" and e.value < 0)
        if self.os:
            # B enters column c and passes rows 0..m-1; A enters row r and passes columns 0..n-1.
            self.negative_weight_pes.update((r, c) for c in neg_top for r in range(m))
            self.negative_operand_pes.update((r, c) for r in neg_left for c in range(n))
        else:
            # The weight of PE(r, c) is B[r][c], pushed into column c at t = k - 1 - r.
            for e in records:
                if e.kind == "edge" and e.edge == "top" and e.value < 0:
                    self.negative_weight_pes.add((k - 1 - (e.cycle - fold.cycle), e.index))
            self.negative_operand_pes.update((r, c) for r in neg_left for c in range(n))

    def new_layer_state(self):
        return {"acc": {}, "outputs": {}, "folds": [], "complete": True}

    def accumulate(self, state, fold, cycle, index, value, k, m):
        """The accumulator buffer: adds each fold's partial sums (wrapping) at their GEMM position."""
        t = cycle - fold.cycle
        if self.os:
            row = self.rows - 1 - (t - (k + m + (fold.n[1] - fold.n[0]) - 2))
        else:
            row = t - k - index - self.rows + 1
        key = (fold.group, fold.m[0] + row, fold.n[0] + index)
        state["acc"][key] = wrap32(state["acc"].get(key, 0) + value)

    async def run_requant(self, records):
        self.current_layer = records[0].layer
        layer = self.layers.get(records[0].layer, {})
        rounding = layer.get("rounding")
        if rounding not in ROUNDING_CODES:
            if records[0].layer not in self.requant_skip:
                self.requant_skip.add(records[0].layer)
                self.notes.append("layer %d (%s): requantizer not checked: rounding %r is not an integer-hardware "
                                  "mode of requant.v" % (records[0].layer, layer.get("name"), rounding))
            self.layer_state.setdefault(records[0].layer, self.new_layer_state())["complete"] = False
            return
        self.dut.rq_mode.value = ROUNDING_CODES[rounding]
        # Clamp bounds are the layer's (type range, narrowed by a fused activation); the trace does
        # not carry them, so they are the type range narrowed to what saturated records show.
        low, high = -(1 << (self.out_bits - 1)), (1 << (self.out_bits - 1)) - 1
        for r in records:
            if r.saturated and r.before_saturation < r.output:
                low = max(low, r.output)
            if r.saturated and r.before_saturation > r.output:
                high = min(high, r.output)
        self.dut.rq_clamp_min.value = low & MASK32
        self.dut.rq_clamp_max.value = high & MASK32
        by_cycle = {}
        for r in records:
            by_cycle.setdefault(r.cycle, []).append(r)

        def context(cycle):
            return {"events": [r.text_line() for r in by_cycle.get(cycle, [])]}

        for cycle in range(records[0].cycle, records[-1].cycle + 1):
            batch = by_cycle.get(cycle, [])
            if len(batch) > self.lanes:
                raise RuntimeError("cycle %d has %d requant records for %d lanes" % (cycle, len(batch), self.lanes))
            await self.step(cycle, requants=batch, context=context)

    def layer_end(self, record):
        state = self.layer_state.pop(record.layer, None)
        if state is None or not state["complete"]:
            return
        layer = self.layers.get(record.layer, {})
        start = layer.get("start_cycle", 0)
        if start < self.steps.window_from or (self.steps.window_to is not None
                                              and start + layer.get("cycles", 0) > self.steps.window_to):
            return  # part of the layer is outside the traced cycle window
        if record.accumulator_crc is not None and state["acc"]:
            groups = max(g for g, _, _ in state["folds"]) + 1
            rows = max(mm[1] for _, mm, _ in state["folds"])
            per_group = max(nn[1] for _, _, nn in state["folds"])
            if len(state["acc"]) == groups * rows * per_group:
                data = bytearray()
                for row in range(rows):
                    for group in range(groups):
                        for n in range(per_group):
                            data += (state["acc"][(group, row, n)] & MASK32).to_bytes(4, "little")
                crc = zlib.crc32(bytes(data))
                self.crc_checked.append("L%d acc_crc %08x" % (record.layer, crc))
                if crc != record.accumulator_crc:
                    self.cycle = record.cycle
                    self.diverge({"what": "layer %d's accumulators (from the RTL's bottom-edge values, summed "
                                  "over folds) have CRC-32 %08x, the trace's acc_crc is %08x"
                                  % (record.layer, crc, record.accumulator_crc), "edge": "layer-end",
                                  "index": record.layer, "expected": "%08x" % record.accumulator_crc,
                                  "actual": "%08x" % crc, "signal": "accumulator buffer", "layer": record.layer},
                                 lambda c: {"events": [record.text_line()]})
                # Outputs: the requantizer's values in [M, channels] order.
                outputs = state["outputs"]
                if len(outputs) == groups * rows * per_group and layer.get("op") in ("conv2d", "fully_connected"):
                    width = max(1, self.out_bits // 8)
                    data = bytearray()
                    for row in range(rows):
                        for channel in range(groups * per_group):
                            data += (outputs[(row, channel)] & ((1 << (8 * width)) - 1)).to_bytes(width, "little")
                    crc = zlib.crc32(bytes(data))
                    self.crc_checked.append("L%d out_crc %08x" % (record.layer, crc))
                    if crc != record.output_crc:
                        self.cycle = record.cycle
                        self.diverge({"what": "layer %d's outputs (from the RTL's requantizers) have CRC-32 %08x, "
                                      "the trace's out_crc is %08x" % (record.layer, crc, record.output_crc),
                                      "edge": "layer-end", "index": record.layer,
                                      "expected": "%08x" % record.output_crc, "actual": "%08x" % crc,
                                      "signal": "requantizer outputs", "layer": record.layer},
                                     lambda c: {"events": [record.text_line()]})

    async def run(self):
        self.steps = TraceSteps(self.trace)
        pending = None
        for step in self.steps:
            if pending is not None:
                await self.execute(pending, self.start_of(step))
            pending = step
        if pending is not None:
            await self.execute(pending, None)

    @staticmethod
    def start_of(step):
        if step[0] == "fold":
            return step[1].cycle
        if step[0] == "requant":
            return step[1][0].cycle
        return step[1].cycle

    async def execute(self, step, next_start):
        if step[0] == "fold":
            await self.run_fold(step[1], step[2], next_start)
        elif step[0] == "requant":
            await self.run_requant(step[1])
        elif step[0] == "layer-end":
            self.layer_end(step[1])
        elif step[0] == "layer-begin":
            self.current_layer = step[1].layer

    def write_result(self, status, error=None):
        result = {
            "status": status,
            "matched_edge_values": self.matched,
            "matched_requant": self.matched_requant,
            "folds_checked": self.folds_checked,
            "fold_cycles_checked": self.fold_cycles_checked,
            "folds_skipped": self.folds_skipped,
            "crc_checked": self.crc_checked,
            "divergences": self.divergences,
            "notes": self.notes,
            "pes": self.rows * self.cols,
            "pes_negative_weight": len(self.negative_weight_pes),
            "pes_negative_operand": len(self.negative_operand_pes),
            "first_divergence": self.first,
        }
        if error:
            result["error"] = error
        with open(self.result_path, "w") as handle:
            json.dump(result, handle, indent=1)


@cocotb.test()
async def rtl_matches_trace(dut):
    """Every edge value and requantizer output of the trace, cycle for cycle."""
    trace = open_trace(os.environ["ACCSIM_RTL_TRACE"])
    bench = Bench(dut, trace, os.environ["ACCSIM_RTL_RESULT"], os.environ.get("ACCSIM_RTL_OBSERVED"),
                  os.environ.get("ACCSIM_RTL_VCD_NAME", os.environ["ACCSIM_RTL_TRACE"]))
    Clock(dut.clk, 10, unit="ns").start(start_high=False)
    dut.clear.value = 1
    bench.drive_array({}, {}, False)
    bench.drive_requant(())
    dut.rq_mode.value = 0
    dut.rq_clamp_min.value = 0
    dut.rq_clamp_max.value = 0
    await RisingEdge(dut.clk)
    await RisingEdge(dut.clk)
    await FallingEdge(dut.clk)
    dut.clear.value = 0
    try:
        await bench.run()
    except Divergence:
        bench.write_result("diverged")
        return
    except Exception as error:  # reported by RTL/check, which exits 2
        bench.write_result("error", "%s: %s" % (type(error).__name__, error))
        raise
    finally:
        if bench.observed is not None:
            bench.observed.close()
    bench.write_result("diverged" if bench.first is not None else "pass")
