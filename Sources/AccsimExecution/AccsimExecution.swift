// AccsimExecution computes a graph's data. The graph executor walks a validated graph node by
// node with the reference kernels (the oracle) or the bit-identical fast ones; the scheduled
// execution runs conv and fully connected layers along a mapped schedule, tile by tile. It formats
// nothing and reads no files.
