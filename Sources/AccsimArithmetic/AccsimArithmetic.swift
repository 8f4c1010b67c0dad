// AccsimArithmetic owns the exact integer semantics accsim reproduces: element types, rounding
// modes, the requantizer, the fixed-point helpers of TFLite/gemmlowp, and the plain reference
// kernels of every operation. It knows nothing about cycles, hardware or files; everything here is
// a pure function of integer inputs. See docs/arithmetic.md for the semantics in prose.
