import CAccsimKernels

/// The fast kernels: the same integer results as ``ReferenceKernels``, bit for bit, at the speed of
/// the machine.
///
/// - Convolution and fully connected layers run as an unsigned × signed 8-bit GEMM
///   (``FastConvolution``): activations are shifted to unsigned bytes, weights are packed once, and
///   the zero points and the shift are folded into exact int32 corrections
///   `Σ (a − X0)(s − W0) = Σ a·s − X0·Σ s − W0·Σ a + K·W0·X0`, where `a = x + 128` for int8 and
///   `x` for uint8 activations, `s = w` for int8 and `w − 128` for uint8 weights, `X0 = zp_x` plus
///   the activation shift and `W0 = zp_w` plus the weight shift. Products are exact and the sums
///   wrap modulo 2^32, so the result equals the reference's under ``OverflowMode/wrap`` whatever
///   the summation order. Under ``OverflowMode/saturate`` the order matters and callers keep the
///   reference (or the hardware-ordered) path.
/// - The GEMM and the requantizer rows have two implementations (``KernelPath``): AVX-512 (VNNI
///   `vpdpbusd`, 64-bit lanes) from the `CAccsimKernels` C target, chosen at run time when the CPU
///   has it, and portable Swift. Both give identical results; the tests compare them with each
///   other and with the reference.
/// - Requantization (``FastRequantizer``) and the elementwise operations run as branch-free loops
///   over rows with the rounding mode chosen once per call, not per element.
/// - Work is split into disjoint output tiles (rows of output pixels, ranges of output channels)
///   that threads compute independently; nothing is reduced across threads, so results are
///   byte-identical for any thread count.
///
/// Only 8-bit activations and weights take the GEMM path; other element types fall back to the
/// reference kernels (``FastConvolution/supports(inputType:inputZeroPoint:)``).
public enum FastKernels {}

/// Which kernels an engine uses for convolution, fully connected and elementwise operations.
public enum KernelSelection: String, Sendable, Hashable, CaseIterable {
    /// ``ReferenceKernels``: one element at a time, the oracle.
    case reference
    /// ``FastKernels`` where they apply (8-bit operands; convolutions only with wrapping
    /// accumulators), the reference kernels elsewhere. Bit-identical to `reference`.
    case fast
}

/// The implementation of the fast kernels' inner loops: the int8 GEMM of ``FastConvolution`` and
/// the rows of ``FastRequantizer``.
public enum KernelPath: String, Sendable, Hashable, CaseIterable {
    /// The `CAccsimKernels` C target: AVX-512 VNNI `vpdpbusd` (64 u8×s8 MACs per instruction) for
    /// the GEMM, AVX-512 64-bit lanes for the requantizer. Needs AVX-512 F, BW, DQ, VL and VNNI.
    case vnni
    /// Plain Swift: SIMD on 16-bit lanes for the GEMM, scalar branch-free requantizer rows. Runs
    /// on any CPU.
    case portable

    /// Whether this CPU can run the path.
    public var isAvailable: Bool {
        switch self {
        case .vnni: Self.cpuHasVNNI
        case .portable: true
        }
    }

    /// The fastest path this CPU runs: ``vnni`` when available, else ``portable``.
    public static var best: KernelPath { cpuHasVNNI ? .vnni : .portable }

    /// Every path this CPU runs, fastest first.
    public static var available: [KernelPath] { allCases.filter(\.isAvailable) }

    private static let cpuHasVNNI: Bool = accsim_cpu_has_avx512_vnni() != 0
}
