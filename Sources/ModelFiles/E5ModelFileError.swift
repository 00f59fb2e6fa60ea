/// Why an e5 model file could not be used. Every message is one line that names the file and says what to do:
/// a damaged file is fixed by fetching it again.
public enum E5ModelFileError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened or mapped.
    case unreadable(file: String, reason: String)
    /// A section ends before the bytes it declares.
    case truncated(file: String, section: String, needed: Int, offset: Int, fileSize: Int)
    /// A value is out of range or inconsistent with the rest of the file.
    case corrupt(file: String, detail: String)
    /// A tensor the model needs is not in the directory.
    case missingTensor(file: String, name: String)
    /// A tensor has the wrong element type or element count for the shape the header implies.
    case tensorMismatch(file: String, name: String, detail: String)

    static let refetchHint = "re-fetch it with scripts/fetch-models"

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            "cannot read model file \(file): \(reason); fetch it with scripts/fetch-models"
        case let .truncated(file, section, needed, offset, fileSize):
            "model file \(file) is truncated: its \(section) needs \(needed) bytes at offset \(offset) but the file has "
                + "\(fileSize) bytes; \(Self.refetchHint)"
        case let .corrupt(file, detail):
            "model file \(file) is corrupt: \(detail); \(Self.refetchHint)"
        case let .missingTensor(file, name):
            "model file \(file) has no tensor '\(name)'; it is damaged or not an e5-small file, \(Self.refetchHint)"
        case let .tensorMismatch(file, name, detail):
            "model file \(file): tensor '\(name)' \(detail); \(Self.refetchHint)"
        }
    }
}
