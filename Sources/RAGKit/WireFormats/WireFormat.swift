import Foundation

/// How every front-end writes rag's JSON: pretty-printed, UTF-8, slashes unescaped (paths stay readable),
/// keys sorted: Foundation's encoder otherwise orders an object's keys differently from one encode to the
/// next (seen within one process), so the same report would not be the same bytes twice.
public enum WireFormat {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes, .sortedKeys]
        return try encoder.encode(value)
    }
}
