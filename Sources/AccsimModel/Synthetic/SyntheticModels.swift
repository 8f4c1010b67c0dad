import AccsimArithmetic

/// Synthetic models of well-known shapes with seeded random weights (see ``GraphBuilder``), for
/// benchmarks and design-space sweeps: the timing and traffic are those of the real network, the
/// data is deterministic but meaningless.
public enum SyntheticModels {
    /// The names `accsim generate` accepts.
    public static let names = ["resnet18"]

    /// The model called `name`, or nil.
    public static func model(named name: String, seed: UInt64) -> Graph? {
        switch name {
        case "resnet18": resnet18(seed: seed)
        default: nil
        }
    }

    /// ResNet-18 for `resolution`×`resolution`×3 inputs (≈ 1.8 GMAC at the standard 224): a 7×7/2
    /// stem, 3×3/2 max pooling, four stages of two basic blocks (64, 128, 256, 512 channels; the
    /// first block of stages 2–4 strides by 2 with a 1×1/2 projection shortcut), global average
    /// pooling and a 1000-way fully connected layer. Smaller resolutions (tests) keep every layer.
    public static func resnet18(seed: UInt64 = 0, resolution: Int = 224) -> Graph {
        precondition(resolution >= 1, "resnet18: resolution \(resolution)")
        var b = GraphBuilder(
            name: "resnet18", seed: seed,
            metadata: [
                "producer": "accsim generate resnet18",
                "source_model": "ResNet-18 shape (He et al. 2016), seeded random int8 weights, seed \(seed)",
                "semantics": "accsim",
            ])
        let same1 = Padding2D(top: 1, bottom: 1, left: 1, right: 1)
        var x = b.input("image", shape: [1, resolution, resolution, 3])
        x = b.conv(
            x, name: "conv1", filters: 64, kernel: Size2D(7), stride: Size2D(2),
            padding: Padding2D(top: 3, bottom: 3, left: 3, right: 3))
        x = b.maxPool(x, name: "pool1", window: Size2D(3), stride: Size2D(2), padding: same1)
        var channels = 64
        for (stage, width) in [64, 128, 256, 512].enumerated() {
            for block in 0..<2 {
                let name = "layer\(stage + 1).\(block)"
                let stride = (block == 0 && stage > 0) ? 2 : 1
                var shortcut = x
                if stride != 1 || channels != width {
                    shortcut = b.conv(
                        x, name: name + ".downsample", filters: width, kernel: Size2D(1), stride: Size2D(stride),
                        relu: false)
                }
                var y = b.conv(
                    x, name: name + ".conv1", filters: width, kernel: Size2D(3), stride: Size2D(stride), padding: same1)
                y = b.conv(y, name: name + ".conv2", filters: width, kernel: Size2D(3), padding: same1, relu: false)
                x = b.add(y, shortcut, name: name + ".add")
                channels = width
            }
        }
        x = b.globalAveragePool(x, name: "avgpool")
        x = b.fullyConnected(x, name: "fc", outputs: 1000)
        return b.build(outputs: [x])
    }
}
