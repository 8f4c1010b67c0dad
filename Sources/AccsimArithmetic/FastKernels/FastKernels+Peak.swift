import CAccsimKernels

extension FastKernels {
    /// int8 multiply-accumulates per round of ``peakProbe(_:rounds:)`` on `path`: AVX-512 VNNI 24
    /// 512-bit `vpdpbusd` (64 MACs each), AVX-VNNI 12 256-bit `vpdpbusd` (32), AVX2 6 `vpmaddwd` +
    /// `vpaddd` pairs (16), NEON 12 `sdot` (16); nil for the portable path (no probe).
    public static func peakProbeMACsPerRound(_ path: KernelPath) -> Int? {
        switch path {
        case .avx512vnni: 24 * 64
        case .avxvnni: 12 * 32
        case .avx2: 6 * 16
        case .neon: 12 * 16
        case .portable: nil
        }
    }

    /// Runs `rounds` rounds of independent register-only multiply-accumulates of `path`'s GEMM
    /// instruction — its peak throughput on this core, the yardstick of `accsim bench` — and
    /// returns a checksum; nil when the CPU does not run the path or it has no probe.
    public static func peakProbe(_ path: KernelPath, rounds: Int) -> Int64? {
        guard path.isAvailable else { return nil }
        switch path {
        #if arch(x86_64)
        case .avx512vnni: return accsim_vnni_peak_probe(Int64(rounds))
        case .avxvnni: return accsim_avxvnni_peak_probe(Int64(rounds))
        case .avx2: return accsim_avx2_peak_probe(Int64(rounds))
        #endif
        #if arch(arm64)
        case .neon: return accsim_neon_peak_probe(Int64(rounds))
        #endif
        default: return nil
        }
    }
}
