extension HardwareConfig {
    /// Checks every value for range and consistency; throws the first problem with its key path.
    public func validate() throws(HardwareConfigError) {
        func require(_ condition: Bool, _ path: String, _ message: @autoclosure () -> String)
            throws(HardwareConfigError)
        {
            if !condition { throw HardwareConfigError(keyPath: path, message()) }
        }
        try require(version >= 1, "version", "must be at least 1, got \(version)")
        try require(
            version <= Self.currentVersion, "version",
            "config version \(version) is newer than this accsim reads (\(Self.currentVersion))")
        try require(clockMHz > 0, "clock_mhz", "must be positive, got \(clockMHz)")

        try require(array.rows > 0, "array.rows", "the array needs at least one row, got \(array.rows)")
        try require(array.cols > 0, "array.cols", "the array needs at least one column, got \(array.cols)")
        try require(array.rows <= 4096 && array.cols <= 4096, "array", "arrays larger than 4096×4096 are not supported")
        try require(
            [.int8, .uint8, .int16].contains(array.inputType), "array.input_type",
            "must be int8, uint8 or int16 (the multipliers' activation operand), got \(array.inputType.rawValue)")
        try require(
            [.int8, .int16].contains(array.weightType), "array.weight_type",
            "must be int8 or int16 (the multipliers' weight operand), got \(array.weightType.rawValue)")
        try require(
            array.accumulatorBits == 32, "array.accumulator_bits",
            "only 32-bit accumulators are modelled, got \(array.accumulatorBits)")

        try require(
            (0...32).contains(requantizer.multiplierBits), "requantizer.multiplier_bits",
            "must lie in 0...32 (0: shift only), got \(requantizer.multiplierBits)")
        try require(
            (0...62).contains(requantizer.maxShift), "requantizer.max_shift",
            "must lie in 0...62, got \(requantizer.maxShift)")
        try require(
            !requantizer.roundingModes.isEmpty, "requantizer.rounding_modes", "needs at least one rounding mode")
        for mode in requantizer.roundingModes where !mode.isIntegerHardwareMode {
            throw HardwareConfigError(
                keyPath: "requantizer.rounding_modes",
                "'\(mode.rawValue)' is not an integer-hardware rounding mode (it multiplies in double precision)")
        }
        try require(requantizer.lanes > 0, "requantizer.lanes", "must be positive, got \(requantizer.lanes)")

        try require(vectorUnit.lanes > 0, "vector_unit.lanes", "must be positive, got \(vectorUnit.lanes)")
        let cycles = vectorUnit.cyclesPerOp
        for (key, value) in [
            ("add", cycles.add), ("pool", cycles.pool), ("lookup_table", cycles.lookupTable),
            ("softmax", cycles.softmax), ("requantize", cycles.requantize), ("copy", cycles.copy),
        ] {
            try require(value > 0, "vector_unit.cycles_per_op.\(key)", "must be positive, got \(value)")
        }

        for (key, buffer) in [("input", sram.input), ("weight", sram.weight), ("output", sram.output)] {
            try require(buffer.kib > 0, "sram.\(key).kib", "must be positive, got \(buffer.kib)")
            // Bounded before anything multiplies it (the byte count, bank sizes, the mapper's fits).
            try require(
                buffer.kib <= HardwareConfig.maxSRAMKiB, "sram.\(key).kib",
                "\(buffer.kib) is over the limit of 2^30 KiB (1 TiB, HardwareConfig.maxSRAMKiB)")
            try require(buffer.banks > 0, "sram.\(key).banks", "must be positive, got \(buffer.banks)")
            try require(
                buffer.bankBytesPerCycle > 0, "sram.\(key).bank_bytes_per_cycle",
                "must be positive, got \(buffer.bankBytesPerCycle)")
            try require(
                buffer.bytes % buffer.banks == 0, "sram.\(key).banks",
                "\(buffer.banks) banks do not divide \(buffer.bytes) bytes evenly")
        }

        try require(
            dram.bandwidthBytesPerCycle > 0, "dram.bandwidth_bytes_per_cycle",
            "must be positive, got \(dram.bandwidthBytesPerCycle)")
        try require(dram.latencyCycles >= 0, "dram.latency_cycles", "must not be negative, got \(dram.latencyCycles)")
        try require(dram.burstBytes > 0, "dram.burst_bytes", "must be positive, got \(dram.burstBytes)")

        for (key, value) in [
            ("mac_pj", energy.macPJ), ("sram_read_pj_per_byte", energy.sramReadPJPerByte),
            ("sram_write_pj_per_byte", energy.sramWritePJPerByte), ("dram_pj_per_byte", energy.dramPJPerByte),
        ] {
            try require(value.isFinite && value >= 0, "energy.\(key)", "must be a non-negative number, got \(value)")
        }
    }
}
