import Foundation

/// How every front-end writes rag's JSON: pretty-printed, UTF-8, slashes unescaped (paths stay readable).
public enum WireFormat {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
