"""Turn what an RTL simulation observed into an accsim trace, for `accsim trace diff`.

The RTL trace is the golden trace with the values the RTL produced in their place: every
bottom-edge value and requantizer result of a simulated cycle is replaced by the RTL's, values the
RTL did not produce are dropped, and values the RTL marked valid where the golden trace has none
are added (as edge records of the fold they appeared in). Everything else (DMA, compute, SRAM,
the entering edge values the testbench drove) is copied. So `accsim trace diff golden.trace.gz
rtl.trace.gz` stops at the first value where the RTL and accsim disagree.

Observations are JSON lines, one per simulated cycle and one per value:

    {"cycle": 120, "kind": "cycle"}
    {"cycle": 120, "kind": "bottom", "index": 3, "value": -1234}
    {"cycle": 130, "kind": "requant", "lane": 0, "input": 5, "pre": 7, "output": 7, "saturated": false}

(requantizer lane i of a cycle is that cycle's i-th requant record, as the testbench drives them).
"""

import json

from accsim.trace import Record, open_trace
from accsim.trace_writer import TraceWriter

__all__ = ["read_observations", "rtl_records", "write_rtl_trace"]


def read_observations(path):
    """(simulated cycles, {(cycle, index): value}, {(cycle, lane): (input, pre, output, saturated)})."""
    cycles, bottoms, requants = set(), {}, {}
    with open(path) as handle:
        for line in handle:
            item = json.loads(line)
            if item["kind"] == "cycle":
                cycles.add(item["cycle"])
            elif item["kind"] == "bottom":
                cycles.add(item["cycle"])
                bottoms[(item["cycle"], item["index"])] = item["value"]
            elif item["kind"] == "requant":
                cycles.add(item["cycle"])
                requants[(item["cycle"], item["lane"])] = (item["input"], item["pre"], item["output"],
                                                           item["saturated"])
    return cycles, bottoms, requants


def rtl_records(records, cycles, bottoms, requants):
    """The golden records with the RTL's values substituted (a generator)."""
    bottoms = dict(bottoms)
    extra_by_cycle = {}
    golden_keys = set()
    records = list(records)
    for record in records:
        if record.kind == "edge" and record.edge == "bottom":
            golden_keys.add((record.cycle, record.index))
    for key in bottoms:
        if key not in golden_keys:
            extra_by_cycle.setdefault(key[0], []).append(key[1])
    fold_buffer = None
    fold_layer = 0
    lane_of_cycle = {}

    def flush(buffer, layer, until):
        """A fold's records merged with the RTL's extra bottom values that fall before `until`."""
        merged = list(buffer)
        for cycle in sorted(c for c in list(extra_by_cycle) if c < until):
            for index in sorted(extra_by_cycle.pop(cycle)):
                merged.append(Record("edge", cycle, layer, edge="bottom", index=index, value=bottoms[(cycle, index)]))
        merged.sort(key=lambda r: r.cycle)  # stable: golden order within a cycle, extras last
        return merged

    for position, record in enumerate(records):
        if record.kind == "fold" or (fold_buffer is not None and record.kind not in ("edge", "sram")):
            if fold_buffer is not None:
                limit = record.cycle if record.kind == "fold" else _next_fold_cycle(records, position)
                for r in flush(fold_buffer, fold_layer, limit):
                    yield r
                fold_buffer = None
        if record.kind == "fold":
            fold_buffer = [record]
            fold_layer = record.layer
            continue
        if record.kind == "edge" and record.edge == "bottom" and record.cycle in cycles:
            value = bottoms.get((record.cycle, record.index))
            if value is None:
                continue  # the RTL did not produce it
            record = Record("edge", record.cycle, record.layer, edge="bottom", index=record.index, value=value)
        elif record.kind == "requant" and record.cycle in cycles:
            lane = lane_of_cycle.get(record.cycle, 0)
            lane_of_cycle[record.cycle] = lane + 1
            seen = requants.get((record.cycle, lane))
            if seen is None:
                continue
            fields = record.fields()
            fields.update(input=seen[0], before_saturation=seen[1], output=seen[2], saturated=seen[3])
            record = Record(**fields)
        if fold_buffer is not None:
            fold_buffer.append(record)
        else:
            yield record
    if fold_buffer is not None:
        for r in flush(fold_buffer, fold_layer, float("inf")):
            yield r


def _next_fold_cycle(records, position):
    for record in records[position:]:
        if record.kind == "fold":
            return record.cycle
    return float("inf")


def write_rtl_trace(golden_path, observed_path, out_path):
    """Writes `out_path`: the golden trace with the RTL's observed values (see the module doc)."""
    golden = open_trace(golden_path)
    cycles, bottoms, requants = read_observations(observed_path)
    with TraceWriter(out_path, golden.header) as writer:
        for record in rtl_records(golden.records(), cycles, bottoms, requants):
            writer.write(record)
