#!/usr/bin/env python3
"""Draws a Chrome Trace Event JSON file (as `accsim trace chrome` writes it) as a static HTML
timeline: one row per track (thread), one box per complete ("X") slice, a cycle axis.

Perfetto's UI and chrome://tracing are the interactive viewers of these files; neither can be
reached offline here (Perfetto's UI is a web app, and headless Chromium has no chrome://tracing),
so this script is an independent reader of the same JSON that needs only the standard library.
It reads the file as any consumer of the format would: the trace-event list, thread names and
sort indices, ts/dur in microseconds (accsim writes 1 cycle = 1 ns, so 1 µs = 1000 cycles).

    python3 Scripts/chrome_trace_view.py layer.json -o layer.html [--title TEXT]
"""
import argparse
import html
import json
import sys

COLOURS = {
    "layer": "#b0b0b0", "dma": "#e377c2", "array": "#1f77b4", "requantizer": "#2ca02c",
    "vector": "#ff7f0e", "stall": "#d62728", "fold": "#9467bd",
}


def load(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    events = data["traceEvents"] if isinstance(data, dict) else data
    names, order, slices = {}, {}, []
    for event in events:
        phase = event.get("ph")
        if phase == "M" and event.get("name") == "thread_name":
            names[event["tid"]] = event["args"]["name"]
        elif phase == "M" and event.get("name") == "thread_sort_index":
            order[event["tid"]] = event["args"]["sort_index"]
        elif phase == "X":
            slices.append(event)
    return data, names, order, slices


def ticks(low, high, count=8):
    """1-2-5 steps covering [low, high]."""
    span = max(high - low, 1)
    raw = span / count
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    value = (low // step) * step
    out = []
    while value <= high:
        if value >= low:
            out.append(value)
        value += step
    return out


def render(path, title):
    data, names, order, slices = load(path)
    if not slices:
        raise SystemExit(f"{path}: no complete (X) slices to draw")
    tids = sorted({s["tid"] for s in slices}, key=lambda t: (order.get(t, t), t))
    # Cycles: ts/dur are µs and accsim writes 1 cycle = 1 ns.
    start = min(s["ts"] for s in slices) * 1000
    end = max(s["ts"] + s["dur"] for s in slices) * 1000
    left, right, top, row = 130, 20, 50, 34
    width = 1400
    plot = width - left - right
    height = top + row * len(tids) + 50

    def x(cycle):
        return left + (cycle - start) / max(end - start, 1) * plot

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="Helvetica, Arial, sans-serif">',
             f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
             f'<text x="{left}" y="24" font-size="16" font-weight="bold">{html.escape(title)}</text>']
    for value in ticks(start, end):
        px = x(value)
        parts.append(f'<line x1="{px:.2f}" y1="{top - 6}" x2="{px:.2f}" y2="{height - 44}" stroke="#e6e6e6"/>')
        parts.append(f'<text x="{px:.2f}" y="{height - 30}" font-size="11" text-anchor="middle">{int(value):,}</text>')
    parts.append(f'<text x="{left + plot / 2}" y="{height - 10}" font-size="12" text-anchor="middle">'
                 f'cycle (trace time: 1 cycle = 1 ns)</text>')
    for index, tid in enumerate(tids):
        y = top + index * row
        parts.append(f'<text x="{left - 8}" y="{y + row / 2 + 4}" font-size="12" text-anchor="end">'
                     f'{html.escape(names.get(tid, str(tid)))}</text>')
        parts.append(f'<line x1="{left}" y1="{y + row}" x2="{width - right}" y2="{y + row}" stroke="#f0f0f0"/>')
        for s in (s for s in slices if s["tid"] == tid):
            x0, x1 = x(s["ts"] * 1000), x((s["ts"] + s["dur"]) * 1000)
            colour = COLOURS.get(s.get("cat"), "#7f7f7f")
            args = s.get("args", {})
            tip = f'{s["name"]} — ' + ", ".join(f"{k}={v}" for k, v in args.items())
            parts.append(f'<rect class="slice" x="{x0:.2f}" y="{y + 5}" width="{max(x1 - x0, 0.8):.2f}" '
                         f'height="{row - 10}" fill="{colour}" stroke="#ffffff" stroke-width="0.5">'
                         f'<title>{html.escape(tip)}</title></rect>')
            label = s["name"]
            if x1 - x0 > len(label) * 6.2 + 6:
                parts.append(f'<text x="{(x0 + x1) / 2:.2f}" y="{y + row / 2 + 4}" font-size="10" '
                             f'text-anchor="middle" fill="#ffffff">{html.escape(label)}</text>')
    parts.append("</svg>")
    other = data.get("otherData", {}) if isinstance(data, dict) else {}
    note = ", ".join(f"{k}: {v}" for k, v in other.items())
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
            + html.escape(title) + "</title></head><body style=\"margin:8px\">\n" + "\n".join(parts)
            + f"\n<p style=\"font:12px Helvetica,Arial,sans-serif;color:#555\">{html.escape(note)}; "
            + f"{len(slices)} slices on {len(tids)} tracks, read from {html.escape(path)}</p>\n</body></html>\n")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trace", help="Chrome Trace Event JSON (accsim trace chrome)")
    parser.add_argument("-o", "--output", required=True, help="HTML file to write")
    parser.add_argument("--title", default=None)
    parser.add_argument("--force", action="store_true", help="overwrite the output")
    args = parser.parse_args(argv)
    import os
    if os.path.exists(args.output) and not args.force:
        raise SystemExit(f"{args.output} exists; pass --force to overwrite it")
    page = render(args.trace, args.title or args.trace)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(page)


if __name__ == "__main__":
    main(sys.argv[1:])
