import AccsimArithmetic

/// The manifest form of an operation's attributes: the parameter struct of its case.
extension Operation {
    /// Decodes the attributes of an operation of `kind` stored under `key`.
    static func decodeAttributes<Key: CodingKey>(
        of kind: Kind, from container: KeyedDecodingContainer<Key>, forKey key: Key
    ) throws -> Operation {
        switch kind {
        case .conv2D: .conv2D(try container.decode(Conv2DParameters.self, forKey: key))
        case .fullyConnected: .fullyConnected(try container.decode(FullyConnectedParameters.self, forKey: key))
        case .add: .add(try container.decode(AddParameters.self, forKey: key))
        case .concat: .concat(try container.decode(ConcatParameters.self, forKey: key))
        case .maxPool: .maxPool(try container.decode(MaxPoolParameters.self, forKey: key))
        case .avgPool: .avgPool(try container.decode(AvgPoolParameters.self, forKey: key))
        case .mean: .mean(try container.decode(MeanParameters.self, forKey: key))
        case .clamp: .clamp(try container.decode(ClampParameters.self, forKey: key))
        case .leakyRelu: .leakyRelu(try container.decode(LeakyReluParameters.self, forKey: key))
        case .lookupTable: .lookupTable(try container.decode(LookupTableParameters.self, forKey: key))
        case .requantize: .requantize(try container.decode(RequantizeAttributes.self, forKey: key).requantizer)
        case .reshape: .reshape(try container.decode(ReshapeParameters.self, forKey: key))
        case .pad: .pad(try container.decode(PadParameters.self, forKey: key))
        case .softmax: .softmax(try container.decode(SoftmaxParameters.self, forKey: key))
        case .int16Activation:
            .int16Activation(try container.decode(Int16ActivationParameters.self, forKey: key))
        case .int16Softmax: .int16Softmax(try container.decode(Int16SoftmaxParameters.self, forKey: key))
        }
    }

    /// Encodes the attributes under `key`.
    func encodeAttributes<Key: CodingKey>(to container: inout KeyedEncodingContainer<Key>, forKey key: Key) throws {
        switch self {
        case .conv2D(let p): try container.encode(p, forKey: key)
        case .fullyConnected(let p): try container.encode(p, forKey: key)
        case .add(let p): try container.encode(p, forKey: key)
        case .concat(let p): try container.encode(p, forKey: key)
        case .maxPool(let p): try container.encode(p, forKey: key)
        case .avgPool(let p): try container.encode(p, forKey: key)
        case .mean(let p): try container.encode(p, forKey: key)
        case .clamp(let p): try container.encode(p, forKey: key)
        case .leakyRelu(let p): try container.encode(p, forKey: key)
        case .lookupTable(let p): try container.encode(p, forKey: key)
        case .requantize(let r): try container.encode(RequantizeAttributes(requantizer: r), forKey: key)
        case .reshape(let p): try container.encode(p, forKey: key)
        case .pad(let p): try container.encode(p, forKey: key)
        case .softmax(let p): try container.encode(p, forKey: key)
        case .int16Activation(let p): try container.encode(p, forKey: key)
        case .int16Softmax(let p): try container.encode(p, forKey: key)
        }
    }
}

/// The attributes of a `requantize` node: `{ "requantizer": {…} }`.
struct RequantizeAttributes: Codable {
    var requantizer: Requantizer
}
