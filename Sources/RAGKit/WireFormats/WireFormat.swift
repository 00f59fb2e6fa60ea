import Foundation

/// How every front-end writes rag's JSON: pretty-printed, UTF-8, slashes unescaped (paths stay readable),
/// keys sorted (Foundation on Linux otherwise orders them differently from one run to the next).
public enum WireFormat {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes, .sortedKeys]
        return try encoder.encode(value)
    }

    /// The same on one line, for streams of objects (JSON Lines).
    public static func encodeLine<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return try encoder.encode(value)
    }
}
