import CAccsimKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
/// - The GEMM, the depthwise kernel and the requantizer rows have one implementation per
///   instruction set (``KernelPath``: AVX-512 VNNI, AVX-VNNI, AVX2 and NEON in the
///   `CAccsimKernels` C target, chosen at run time by CPU feature) and portable Swift. All give
///   identical results; the tests compare each with the reference.
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

/// The implementation of the fast kernels' inner loops: the int8 GEMM of ``FastConvolution``, its
/// depthwise kernel and the rows of ``FastRequantizer``. Every path computes the same bits; the
/// tests compare each one the machine runs with the reference kernels.
///
/// The default (``best``) is the fastest path the CPU runs, or the one named by the environment
/// variable `ACCSIM_KERNELS` (`portable`, `avx2`, `avxvnni`, `avx512vnni` or `neon`) when the CPU
/// runs it (``environmentProblem`` says why a forced value was not taken).
public enum KernelPath: String, Sendable, Hashable, CaseIterable {
    /// AVX-512 VNNI: 512-bit `vpdpbusd` (64 u8×s8 MACs per instruction) for the GEMM, AVX-512
    /// 64-bit lanes for the requantizer. Needs AVX-512 F, BW, DQ, VL and VNNI.
    case avx512vnni
    /// AVX-VNNI: 256-bit VEX `vpdpbusd` (32 MACs) for the GEMM, AVX2 for the rest (Alder Lake and
    /// later Intel, Zen 5).
    case avxvnni
    /// AVX2: operands widened to 16 bits and multiplied in exact pairs with `vpmaddwd` (16 MACs);
    /// AVX2 requantizer rows on 64-bit lanes.
    case avx2
    /// AArch64 NEON with DotProd: `sdot` (or `usdot` with I8MM, 16 MACs) for the GEMM, NEON
    /// depthwise; portable requantizer rows.
    case neon
    /// Plain Swift: SIMD on 16-bit lanes for the GEMM, scalar branch-free requantizer rows. Runs
    /// on any CPU.
    case portable

    /// Whether this CPU can run the path.
    public var isAvailable: Bool {
        let features = Self.cpuFeatures
        return switch self {
        case .avx512vnni: features & UInt32(ACCSIM_CPU_AVX512_VNNI) != 0
        case .avxvnni: features & UInt32(ACCSIM_CPU_AVX_VNNI) != 0
        case .avx2: features & UInt32(ACCSIM_CPU_AVX2) != 0
        case .neon: features & UInt32(ACCSIM_CPU_NEON_DOTPROD) != 0
        case .portable: true
        }
    }

    /// The path used by default: `ACCSIM_KERNELS` when set to a path this CPU runs, else
    /// ``detected``.
    public static var best: KernelPath { selection.path }

    /// The fastest path this CPU runs.
    public static var detected: KernelPath { available[0] }

    /// Every path this CPU runs, fastest first.
    public static var available: [KernelPath] { allCases.filter(\.isAvailable) }

    /// Why `ACCSIM_KERNELS` was ignored (an unknown name, or a path this CPU cannot run), or nil.
    /// The library then uses ``detected``; the `accsim` command refuses to run.
    public static var environmentProblem: String? { selection.problem }

    /// Whether the GEMM uses the packed 16-column blocks of the C kernels (all but ``portable``).
    var usesBlockedLayout: Bool { self != .portable }

    /// Whether the path has an x86 `vpdpbusd` (u8 × s8, four products per int32 lane): its
    /// depthwise kernel then multiplies quads of taps.
    var hasByteDotProduct: Bool { self == .avx512vnni || self == .avxvnni }

    /// The CPU features the C kernels detected, as text (for `accsim bench` and `--version --verbose`).
    public static var featureSummary: String {
        let features = cpuFeatures
        let names: [(Int, String)] = [
            (ACCSIM_CPU_AVX2, "avx2"), (ACCSIM_CPU_AVX_VNNI, "avx-vnni"), (ACCSIM_CPU_AVX512_VNNI, "avx512-vnni"),
            (ACCSIM_CPU_NEON, "neon"), (ACCSIM_CPU_NEON_DOTPROD, "dotprod"), (ACCSIM_CPU_NEON_I8MM, "i8mm"),
        ]
        let present = names.filter { features & UInt32($0.0) != 0 }.map(\.1)
        return present.isEmpty ? "none" : present.joined(separator: ", ")
    }

    /// Whether the neon GEMM uses `usdot` (I8MM) rather than `sdot` with a correction.
    static let neonHasI8MM: Bool = cpuFeatures & UInt32(ACCSIM_CPU_NEON_I8MM) != 0

    private static let cpuFeatures: UInt32 = accsim_cpu_features()

    private static let selection: (path: KernelPath, problem: String?) = {
        let detected = KernelPath.detected
        guard let value = getenv("ACCSIM_KERNELS").map({ String(cString: $0) }), !value.isEmpty else {
            return (detected, nil)
        }
        let names = allCases.map(\.rawValue).joined(separator: ", ")
        guard let forced = KernelPath(rawValue: value) else {
            return (detected, "ACCSIM_KERNELS=\(value) is not a kernel path (\(names))")
        }
        guard forced.isAvailable else {
            let runs = available.map(\.rawValue).joined(separator: ", ")
            return (detected, "ACCSIM_KERNELS=\(value): this CPU runs only \(runs)")
        }
        return (forced, nil)
    }()
}
