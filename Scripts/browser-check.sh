#!/usr/bin/env bash
# The browser check (CONTRIBUTING/README): makes the ResNet-18 HTML report, a sweep with invalid
# points and its scatter plot and heat map, and a Chrome-trace timeline of one ResNet-18 layer;
# opens them in headless Chromium (Debian `chromium`, installed when missing) and checks that the
# pages render without console messages and hold the expected elements (Scripts/browser_check.py),
# taking screenshots. Not part of CI: installing Chromium takes longer than CI's browser budget.
#   Scripts/browser-check.sh [OUT]                  everything under OUT (default .build/browser-check)
#   Scripts/browser-check.sh --readme-images [OUT]  also copies the README's screenshots to docs/images
set -euo pipefail
cd "$(dirname "$0")/.."
readme=0
if [[ "${1:-}" == "--readme-images" ]]; then readme=1; shift; fi
out=${1:-.build/browser-check}
mkdir -p "$out"
Scripts/setup-browser.sh
swift build
accsim=.build/debug/accsim

"$accsim" generate resnet18 -o "$out/resnet18.q" --force
"$accsim" run --hw 32x32-ws "$out/resnet18.q" --no-data --report "$out/resnet18.json" \
    --html "$out/resnet18.html" --force >/dev/null
"$accsim" sweep --hw 16x16-ws "$out/resnet18.q" --vary array.rows=4,8,16,32,64 --vary array.cols=4,8,16,32,64 \
    --vary sram.weight.kib=0,16,256 --out "$out/sweep.jsonl" --force
"$accsim" sweep plot "$out/sweep.jsonl" --x latency --y area --color sram.weight.kib --log x --log y \
    --svg "$out/sweep-scatter.svg" --force
"$accsim" sweep plot "$out/sweep.jsonl" --x array.rows --y array.cols --heatmap latency \
    --svg "$out/sweep-heatmap.svg" --force

python3 Scripts/browser_check.py --report "$out/resnet18.json" --html "$out/resnet18.html" \
    --results "$out/sweep.jsonl" --svg "$out/sweep-scatter.svg" --x latency_us --y pes --out "$out"

# The timeline: layer 2 (layer1.0.conv1) traced at the tile level, as Chrome-trace JSON, drawn by
# an independent reader of that JSON (Perfetto's UI and chrome://tracing are not reachable here).
if [[ ! -f "$out/resnet18.trace.gz" ]]; then
    "$accsim" run --hw 32x32-ws "$out/resnet18.q" --trace "$out/resnet18.trace.gz" --trace-layers 2 >/dev/null
fi
"$accsim" trace chrome "$out/resnet18.trace.gz" --layers 2 -o "$out/layer2.chrome.json" --force
python3 Scripts/chrome_trace_view.py "$out/layer2.chrome.json" -o "$out/layer2.timeline.html" --force \
    --title "ResNet-18 layer1.0.conv1 on 32x32-ws (accsim trace chrome)"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1420,300 \
    --screenshot="$out/timeline.png" "file://$(realpath "$out/layer2.timeline.html")" 2>/dev/null
echo "screenshots: $out/report.png $out/sweep-plot.png $out/timeline.png"
if [[ $readme == 1 ]]; then
    cp "$out/report.png" docs/images/report-resnet18.png
    cp "$out/timeline.png" docs/images/timeline-resnet18-layer2.png
    cp "$out/sweep-scatter.svg" docs/images/sweep-scatter.svg
    cp "$out/sweep-heatmap.svg" docs/images/sweep-heatmap.svg
    echo "copied into docs/images"
fi
