#!/usr/bin/env python3
"""Checking a weight-stationary array against an accsim cycle-level trace.

In a cocotb (2.x) testbench the loop below drives the DUT instead of `ToyArray`. Inputs are
driven after the falling edge; outputs are read after `ReadOnly()`: right after `RisingEdge` the
simulator still shows the values from before the edge. Operand ports need one bit more than the
element type (zero points are subtracted: int8 with zero point -128 enters as 0..255), see
Traces/FORMAT.md, "Checking your RTL". RTL/tb/accsim_rtl_tb.py is the full testbench of the Verilog
in RTL/ (`RTL/check TRACE`).

    from accsim.trace import open_trace                  # python3 -m pip install ./python

    @cocotb.test()
    async def array_matches_accsim(dut):
        trace = open_trace("conv1.trace.gz")
        for fold, cycles in folds(trace):                # per fold: {cycle: [edge events]}
            for cycle in range(fold.cycle, fold.end):
                events = cycles.get(cycle, [])
                drive(dut, top=[e for e in events if e.edge == "top"],    # valid + data per column,
                      left=[e for e in events if e.edge == "left"])      # valid + data per row
                await RisingEdge(dut.clk)
                await ReadOnly()                         # the values registered by this edge
                for e in events:
                    if e.edge == "bottom":
                        assert dut.bot_valid.value[e.index] == 1
                        assert bottom_value(dut, e.index) == e.value, (cycle, e.text_line())
                await FallingEdge(dut.clk)

Run standalone, it drives a small register-level model of an R×C weight-stationary array (the
"DUT" here) with the trace's top and left values and checks every value the trace says leaves the
bottom edge, cycle for cycle:

    python3 Traces/cocotb_example.py Traces/digits.cycle-conv1-fc.trace.gz
"""

import os
import sys

try:
    from accsim.trace import open_trace  # the installed package (python3 -m pip install ./python)
except ImportError:  # from a checkout without it
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
    from accsim.trace import open_trace  # noqa: E402


def folds(trace):
    """(fold record, {global cycle: [edge events]}) for every fold, streaming."""
    fold, cycles = None, {}
    for record in trace.records():
        if record.kind == "fold":
            if fold is not None:
                yield fold, cycles
            fold, cycles = record, {}
        elif record.kind == "edge":
            cycles.setdefault(record.cycle, []).append(record)
    if fold is not None:
        yield fold, cycles


class ToyArray:
    """Registers of a weight-stationary array: weights shift down from the top while loading;
    operands move right and partial sums move down one PE per cycle (docs/timing.md)."""

    def __init__(self, rows, cols):
        self.rows, self.cols = rows, cols
        self.weight = [[0] * cols for _ in range(rows)]
        self.operand = [[None] * cols for _ in range(rows)]
        self.psum = [[None] * cols for _ in range(rows)]

    def clock(self, top, left):
        """One cycle. top: {column: weight} (a load cycle); left: {row: operand}. Returns
        {column: partial sum leaving the bottom row}."""
        if top:
            self.weight = [[top.get(c, 0) for c in range(self.cols)]] + self.weight[:-1]
            return {}
        operand = [[left.get(r) if c == 0 else self.operand[r][c - 1] for c in range(self.cols)] for r in range(self.rows)]
        psum = [[None] * self.cols for _ in range(self.rows)]
        for r in range(self.rows):
            for c in range(self.cols):
                above = None if r == 0 else self.psum[r - 1][c]
                value = operand[r][c]
                psum[r][c] = above if value is None else (above or 0) + self.weight[r][c] * value
        self.operand, self.psum = operand, psum
        return {c: psum[-1][c] for c in range(self.cols) if psum[-1][c] is not None}


def main(path):
    trace = open_trace(path)
    header = trace.header
    if header["array"]["dataflow"] != "weight_stationary" or header["level"] != "cycle":
        sys.exit("this example needs a cycle-level trace of a weight-stationary array")
    checked = 0
    for fold, cycles in folds(trace):
        array = ToyArray(header["array"]["rows"], header["array"]["cols"])
        for cycle in range(fold.cycle, fold.end):
            events = cycles.get(cycle, [])
            top = {e.index: e.value for e in events if e.edge == "top"}
            left = {e.index: e.value for e in events if e.edge == "left"}
            produced = array.clock(top, left)
            for e in events:
                if e.edge == "bottom":
                    assert produced.get(e.index) == e.value, (cycle, e.text_line(), produced.get(e.index))
                    checked += 1
    print("%s: %d bottom-edge values match a register-level %dx%d array driven by the trace"
          % (path, checked, header["array"]["rows"], header["array"]["cols"]))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                             "digits.cycle-conv1-fc.trace.gz"))
