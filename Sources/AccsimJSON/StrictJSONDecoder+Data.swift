#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension StrictJSONDecoder {
    /// Parses `data` (UTF-8 JSON) and decodes a `T` from it.
    public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(JSONError) -> T {
        try decode(type, from: [UInt8](data))
    }
}
