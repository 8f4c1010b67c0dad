import AccsimArithmetic

extension HardwareConfig {
    /// The defaults every key falls back to: an 8×8 weight-stationary int8 array at 500 MHz with
    /// 64 KiB input and weight buffers, a 64 KiB accumulator buffer, and 16 B/cycle of DRAM.
    public static let standard = HardwareConfig(
        version: currentVersion,
        name: "default",
        description: "",
        clockMHz: 500,
        array: ArrayConfig(
            rows: 8, cols: 8, dataflow: .weightStationary, inputType: .int8, weightType: .int8,
            accumulatorBits: 32, overflow: .wrap),
        requantizer: RequantizerConfig(
            multiplierBits: 32, maxShift: 62, roundingModes: RoundingMode.allCases.filter(\.isIntegerHardwareMode),
            lanes: 8),
        vectorUnit: VectorUnitConfig(
            lanes: 8,
            cyclesPerOp: .init(add: 1, pool: 1, lookupTable: 1, softmax: 8, requantize: 1, copy: 1)),
        sram: SRAMConfig(
            input: BufferConfig(kib: 64, banks: 8, bankBytesPerCycle: 8, doubleBuffered: true),
            weight: BufferConfig(kib: 64, banks: 8, bankBytesPerCycle: 8, doubleBuffered: true),
            output: BufferConfig(kib: 64, banks: 8, bankBytesPerCycle: 32, doubleBuffered: true)),
        dram: DRAMConfig(bandwidthBytesPerCycle: 16, latencyCycles: 100, burstBytes: 64),
        energy: EnergyConfig(macPJ: 0, sramReadPJPerByte: 0, sramWritePJPerByte: 0, dramPJPerByte: 0),
        convention: .native,
        mapping: MappingConfig(objective: .latency))
}
