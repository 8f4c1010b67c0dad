import AccsimHardware
import AccsimJSON
import AccsimSweep
import Testing

@Suite("Sweep grid and shards")
struct SweepSpaceTests {
    func space(models: Int = 2) throws -> SweepSpace {
        try SweepSpace(
            modelCount: models,
            dimensions: [
                try SweepDimension.parseVary("array.rows=8,16,32"),
                try SweepDimension.parseZip("array.cols=8,16 sram.weight.kib=32,64"),
            ])
    }

    @Test func gridOrderIsModelsThenDimensionsLastFastest() throws {
        let grid = try space()
        #expect(grid.pointCount == 12)
        #expect(grid.keys == ["array.rows", "array.cols", "sram.weight.kib"])
        let p = grid.point(at: 9)
        #expect(p.modelIndex == 1)
        #expect(p.index == 9)
        #expect(p.overrides == ["array.rows=16", "array.cols=16", "sram.weight.kib=64"])
        #expect(grid.point(at: 0).overrides == ["array.rows=8", "array.cols=8", "sram.weight.kib=32"])
        #expect(grid.point(at: 1).overrides == ["array.rows=8", "array.cols=16", "sram.weight.kib=64"])
        #expect(try SweepSpace(modelCount: 3, dimensions: []).pointCount == 3)
    }

    @Test func shardsPartitionTheGridExactly() throws {
        for total in [0, 1, 5, 12, 97] {
            for count in 1...7 {
                var seen = [Int](repeating: 0, count: total)
                for index in 1...count {
                    let shard = try SweepShard(index: index, count: count)
                    let indices = Array(shard.indices(total: total))
                    #expect(indices.count == shard.pointCount(total: total))
                    #expect(indices == (0..<indices.count).map(shard.gridIndex(ofSlot:)))
                    for point in indices {
                        #expect(shard.contains(point))
                        seen[point] += 1
                    }
                }
                #expect(seen.allSatisfy { $0 == 1 }, "total \(total), \(count) shards")
            }
        }
    }

    @Test func shardArgument() throws {
        #expect(try SweepShard.parse("2/8") == SweepShard(index: 2, count: 8))
        for bad in ["0/4", "5/4", "1/0", "x/2", "2", "1/2/3", "-1/2"] {
            #expect(throws: SweepError.self) { try SweepShard.parse(bad) }
        }
    }

    @Test func unknownAndOverlappingKeysAreUsageErrors() throws {
        let tree = try JSONWriter().value(of: HardwareConfig.standard)
        let bad = try SweepSpace(modelCount: 1, dimensions: [try SweepDimension.parseVary("array.rowz=8,16")])
        #expect {
            try bad.checkKeys(against: tree)
        } throws: { error in
            let message = (error as? SweepError)?.message ?? ""
            return message
                == "--vary 'array.rowz=8,16': unknown key 'array.rowz': no 'rowz' in 'array' (did you mean "
                + "'array.rows'? known: rows, cols, dataflow, input_type, weight_type, accumulator_bits, overflow)"
        }
        try space().checkKeys(against: tree)
        #expect(throws: SweepError.self) {
            try SweepSpace(
                modelCount: 1,
                dimensions: [
                    try SweepDimension.parseVary("array.rows=8"), try SweepDimension.parseVary("array.rows=16"),
                ])
        }
        #expect(throws: SweepError.self) {
            try SweepSpace(
                modelCount: 1,
                dimensions: [
                    try SweepDimension.parseVary("sram.input.kib=8"),
                    try SweepDimension.parseVary(#"sram.input={"kib":8}"#),
                ])
        }
    }
}
