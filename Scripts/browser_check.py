#!/usr/bin/env python3
"""Opens accsim's HTML run report and sweep plots in headless Chromium and checks them as a user's
browser sees them: no console message at all (errors, warnings, logs), the expected DOM elements
after the page's scripts ran (one cycle bar per layer, one roofline point per layer with MACs and
DRAM traffic, one plot point per valid sweep row), the table sorting when a header is clicked, and
a screenshot of each page.

    python3 Scripts/browser_check.py --report run.json --html run.html \
        --results sweep.jsonl --svg plot.svg --out DIR

The expected counts come from the JSON report and the results file, read here independently of
the Swift code that drew the page. Exit status 0 when every check passes, 1 otherwise.
"""
import argparse
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise SystemExit("browser check: no chromium on PATH (Scripts/setup-browser.sh installs it)")


def run_chromium(args, url, timeout=120):
    """Runs headless Chromium on `url`; returns (stdout, console lines)."""
    profile = tempfile.mkdtemp(prefix="accsim-chromium-")
    try:
        command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                   "--no-first-run", "--disable-extensions", f"--user-data-dir={profile}",
                   "--enable-logging=stderr", "--v=0"] + args + [url]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    if result.returncode != 0:
        raise SystemExit(f"chromium exited {result.returncode}: {result.stderr[-2000:]}")
    return result.stdout, console


class Counter(html.parser.HTMLParser):
    """Counts elements by tag and class, and collects the layer table's first-column cells."""

    def __init__(self):
        super().__init__()
        self.classes = {}
        self.tags = {}
        self.first_cells = []
        self.sorted_header = None
        self._cell = 0
        self._tbody = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for name in (attrs.get("class") or "").split():
            key = (tag, name)
            self.classes[key] = self.classes.get(key, 0) + 1
        if tag == "th" and attrs.get("class") in ("asc", "desc"):
            self.sorted_header = attrs.get("class")
        if tag == "tbody":
            self._tbody = True
        if tag == "tr" and self._tbody:
            self._cell = 0
        if tag == "td" and self._tbody:
            self._cell += 1
            if self._cell == 5:  # the cycles column
                self.first_cells.append(attrs.get("data-sort"))

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._tbody = False

    def count(self, tag, name):
        return self.classes.get((tag, name), 0)


PASSED = []


def check(condition, message, failures):
    print(("ok      " if condition else "FAILED  ") + message)
    (PASSED if condition else failures).append(message)


def check_report(report_path, html_path, out, failures):
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    layers = report["layers"]
    with_roof = [l for l in layers if l["macs"] > 0 and l["dram"]["read_bytes"] + l["dram"]["write_bytes"] > 0]
    url = "file://" + os.path.abspath(html_path)
    dom, console = run_chromium(["--dump-dom"], url)
    check(not console, f"{html_path}: no console messages ({len(console)}: {console[:3]})", failures)
    counter = Counter()
    counter.feed(dom)
    check(counter.count("g", "layer-bar") == len(layers),
          f"{html_path}: one cycle bar per layer ({counter.count('g', 'layer-bar')} of {len(layers)})", failures)
    check(counter.count("circle", "roofline-point") == len(with_roof),
          f"{html_path}: roofline points ({counter.count('circle', 'roofline-point')} of {len(with_roof)})", failures)
    check(counter.count("g", "efficiency-bar") == len(layers), f"{html_path}: utilization bar per layer", failures)
    check(counter.count("polyline", "roof") == 1, f"{html_path}: the roof line", failures)
    check(counter.tags.get("svg", 0) == 4, f"{html_path}: four inline SVG charts", failures)
    check(counter.tags.get("script", 0) == 1 and counter.tags.get("link", 0) == 0 and counter.tags.get("img", 0) == 0,
          f"{html_path}: self-contained (one inline script, no link or img)", failures)
    expected = sorted(l["cycles"]["total"] for l in layers)
    shown = [int(c) for c in counter.first_cells]
    check(shown == [l["cycles"]["total"] for l in layers], f"{html_path}: table in layer order before sorting", failures)

    # Sorting: a copy of the page that clicks the "cycles" header once after load.
    with open(html_path, encoding="utf-8") as f:
        page = f.read()
    click = ('<script>document.querySelectorAll("table.sortable th")[4].click();</script>\n</body>')
    sorted_path = os.path.join(out, "report-sorted.html")
    with open(sorted_path, "w", encoding="utf-8") as f:
        f.write(page.replace("</body>", click, 1))
    dom, console = run_chromium(["--dump-dom"], "file://" + os.path.abspath(sorted_path))
    counter = Counter()
    counter.feed(dom)
    check(not console, f"{sorted_path}: no console messages after sorting ({console[:3]})", failures)
    check([int(c) for c in counter.first_cells] == expected and counter.sorted_header == "asc",
          f"{sorted_path}: clicking 'cycles' sorts the rows by cycles, ascending", failures)

    shot = os.path.join(out, "report.png")
    run_chromium([f"--screenshot={shot}", "--window-size=1150,1300"], url)
    check(os.path.getsize(shot) > 10_000, f"screenshot {shot} ({os.path.getsize(shot)} bytes)", failures)


def check_svg(results_path, svg_path, x_key, y_key, out, failures):
    valid = 0
    with open(results_path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("status") == "ok" and x_key in row and y_key in row:
                valid += 1
    # An SVG file opens as a document of its own; wrap it in a page to read its DOM.
    page = os.path.join(out, "plot.html")
    with open(svg_path, encoding="utf-8") as f:
        svg = re.sub(r"^<\?xml[^>]*>\s*", "", f.read())
    with open(page, "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">"
                + svg + "</body></html>\n")
    dom, console = run_chromium(["--dump-dom"], "file://" + os.path.abspath(svg_path))
    check(not console, f"{svg_path}: no console messages ({console[:3]})", failures)
    dom, console = run_chromium(["--dump-dom"], "file://" + os.path.abspath(page))
    counter = Counter()
    counter.feed(dom)
    points = counter.count("circle", "point")
    check(points == valid, f"{svg_path}: one point per valid row ({points} of {valid})", failures)
    check(counter.count("circle", "front-point") >= 1, f"{svg_path}: Pareto front highlighted", failures)
    shot = os.path.join(out, "sweep-plot.png")
    run_chromium([f"--screenshot={shot}", "--window-size=900,700"], "file://" + os.path.abspath(svg_path))
    check(os.path.getsize(shot) > 10_000, f"screenshot {shot} ({os.path.getsize(shot)} bytes)", failures)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", required=True, help="the JSON run report")
    parser.add_argument("--html", required=True, help="the HTML page of that report")
    parser.add_argument("--results", required=True, help="sweep results (JSONL)")
    parser.add_argument("--svg", required=True, help="a scatter plot of those results")
    parser.add_argument("--x", default="latency_us", help="the plot's x row key")
    parser.add_argument("--y", default="pes", help="the plot's y row key")
    parser.add_argument("--out", required=True, help="directory for screenshots")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    failures = []
    check_report(args.report, args.html, args.out, failures)
    check_svg(args.results, args.svg, args.x, args.y, args.out, failures)
    print(f"browser check: {len(PASSED)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
