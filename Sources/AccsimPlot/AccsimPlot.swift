// AccsimPlot draws charts as plain SVG text, by hand and deterministically: the element writer
// (SVGWriter), axes with linear or logarithmic 1-2-5 ticks and SI labels (PlotAxis), and greedy
// non-overlapping label placement (PlotLabelLayout). The sweep plots (AccsimSweep) and the HTML run
// report (AccsimReport) share it; it knows nothing of either.
