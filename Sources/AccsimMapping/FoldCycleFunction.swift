import AccsimHardware
import AccsimTiming

/// The cycles of one fold of the array, given its used dimensions `m × k × n`. Injected into the
/// ``Mapper`` so mapping does not depend on one timing model; it must be a pure function (the
/// mapper calls it once per distinct fold shape of a layer).
public typealias FoldCycleFunction = @Sendable (GEMMShape) -> TileCycles

/// The fold cycles of AccsimTiming's analytic model for `hardware`'s array and convention.
public func analyticFoldCycles(for hardware: HardwareConfig) -> FoldCycleFunction {
    let model = ArrayTimingModel(config: hardware)
    return { model.tileCycles($0) }
}
