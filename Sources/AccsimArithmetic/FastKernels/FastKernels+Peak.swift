import CAccsimKernels

extension FastKernels {
    /// int8 multiply-accumulates per round of ``vnniPeakProbe(rounds:)``: 24 `vpdpbusd` of 64 MACs.
    public static let vnniPeakProbeMACsPerRound = 24 * 64

    /// Runs `rounds` rounds of 24 independent register-only `vpdpbusd` — the instruction's peak
    /// throughput on this core, the yardstick of `accsim bench` — and returns a checksum; nil when
    /// the CPU has no AVX-512 VNNI.
    public static func vnniPeakProbe(rounds: Int) -> Int64? {
        guard KernelPath.vnni.isAvailable else { return nil }
        return accsim_vnni_peak_probe(Int64(rounds))
    }
}
