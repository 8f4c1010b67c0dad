// AccsimMapping lowers a validated graph onto the hardware: conv and fully connected layers become
// GEMMs on the array, everything else vector-unit work; GEMMs are tiled to fit the SRAM buffers in
// the loop order that reads the least DRAM; the result is a data-free ``Schedule`` of DMA transfers
// and compute steps that the execution engine walks. The schedule is timed by AccsimTiming's
// ``Timeline`` and its traffic counted here (``LayerResult``). The policy is documented with a
// worked example in docs/mapping.md.
