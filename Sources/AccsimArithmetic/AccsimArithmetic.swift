// AccsimArithmetic owns the exact integer semantics accsim reproduces: element types, rounding
// modes, the requantizer, the fixed-point helpers of TFLite/gemmlowp, and the plain reference
// kernels of every operation. It knows nothing about cycles, hardware or files; everything here is
// a pure function of integer inputs. See docs/arithmetic.md for the semantics in prose.
//
// FastKernels/ holds the same computations at the speed of the machine (a packed int8 GEMM on
// AVX-512 VNNI through the CAccsimKernels C target, with a portable Swift fallback, and row
// kernels for requantization and elementwise ops). They must equal the reference kernels bit for
// bit; the reference kernels stay the oracle the tests compare them with.
