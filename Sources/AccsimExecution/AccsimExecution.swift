// AccsimExecution runs graphs. The reference engine walks a validated graph node by node with the
// reference kernels of AccsimArithmetic; it is the oracle every faster or scheduled execution is
// checked against. It formats nothing and reads no files.
