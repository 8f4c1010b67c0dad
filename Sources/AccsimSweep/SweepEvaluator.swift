import AccsimArithmetic
import AccsimExecution
import AccsimHardware
import AccsimMapping
import AccsimModel
import AccsimSimulation

/// Turns points into rows: resolves the point's config (the base config with the point's
/// overrides, through ``HardwareConfigLoader/apply(overrides:to:)``), prepares a ``Simulation``
/// on it (requantizers fitted, mapped and timed; its engine computes nothing until asked, so a
/// timing-only point costs the mapping alone), and takes the outputs from the data cache, which
/// runs the simulation only for the first point of each ``SweepDataKey``.
struct SweepEvaluator: Sendable {
    let plan: SweepPlan
    let cache: SweepDataCache
    /// Threads a data computation may use.
    let dataThreads: Int

    /// A point with its config resolved and its id.
    struct ResolvedPoint: Sendable {
        var point: SweepPoint
        var config: Result<HardwareConfig, SweepPointError>
        var configHash: String
        var id: String
    }

    /// Resolves `point`'s config and id (cheap: no mapping).
    func resolve(_ point: SweepPoint) -> ResolvedPoint {
        let model = plan.models[point.modelIndex]
        let overrides = point.overrides
        let config: Result<HardwareConfig, SweepPointError>
        let configHash: String
        do {
            let resolved = try HardwareConfigLoader.apply(overrides: overrides, to: plan.base)
            config = .success(resolved)
            configHash = resolved.hash
        } catch {
            config = .failure(SweepPointError(error.description))
            configHash = SweepHash.hex(Array(([plan.base.hash] + overrides).joined(separator: "\n").utf8))
        }
        let id = SweepHash.pointID(modelHash: model.contentHash, configHash: configHash)
        return ResolvedPoint(point: point, config: config, configHash: configHash, id: id)
    }

    /// The row of a resolved point: metrics and outputs, or invalid with the reason.
    func evaluate(_ resolved: ResolvedPoint) -> SweepRow {
        let model = plan.models[resolved.point.modelIndex]
        var row = SweepRow(
            id: resolved.id, index: resolved.point.index, model: model.graph.name, modelFile: model.file,
            modelHash: model.contentHash, values: resolved.point.assignments, status: .invalid, error: nil,
            configHash: resolved.configHash, setupHash: plan.setupHashes[resolved.point.modelIndex], metrics: nil,
            data: nil)
        do throws(SweepPointError) {
            let hardware = try resolved.config.get()
            let simulation: Simulation
            let mapped: HardwareSimulation
            do {
                simulation = try Simulation(
                    model: model.graph, hardware: hardware, options: .init(adaptRequantizers: plan.adaptRequantizers))
                mapped = try simulation.requireHardware()
            } catch {
                throw SweepPointError(error.description)
            }
            let adapted = !simulation.adaptedRequantizers.isEmpty
            let schedule = mapped.schedule
            let metrics = SweepRow.Metrics(
                total: LayerPerformance.total(mapped.performance, hardware: hardware), hardware: hardware)
            var data: SweepRow.Data?
            if let input = model.data {
                let key = SweepDataKey(
                    model: resolved.point.modelIndex, hardware: hardware, adapted: adapted, schedule: schedule)
                let summary = try cache.summary(for: key) {
                    computeData(simulation: simulation, input: input)
                }.get()
                data = SweepRow.Data(key: key.digest(modelHash: model.contentHash), summary: summary)
            }
            row.status = .ok
            row.metrics = metrics
            row.data = data
        } catch {
            // One line: CSV rows and the progress display read line by line.
            row.error = String(error.message.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
        }
        return row
    }

    /// Runs the input data through the point's ``Simulation`` (the tiled data path under
    /// `saturate`, the graph executor's fast kernels under `wrap`) and summarises the outputs.
    private func computeData(simulation: Simulation, input: SweepInputData) -> Result<SweepDataSummary, SweepPointError>
    {
        let outputs: [String: IntTensor]
        do {
            outputs = try simulation.run(batches: input.batches, threads: dataThreads)
        } catch {
            return .failure(SweepPointError(error.description))
        }
        do {
            return .success(try SweepDataSummary(outputs: outputs, graph: simulation.graph, data: input))
        } catch {
            return .failure(error)
        }
    }
}
