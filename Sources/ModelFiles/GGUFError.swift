/// Everything that can be wrong with a GGUF file, as a one-line message naming the file and what to do.
/// Model files are hostile input: every read is bounds-checked and ends up here instead of crashing.
public struct GGUFError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What is wrong, independent of which file it is in (tests match on this).
    public enum Reason: Equatable, Sendable {
        case cannotOpen(String)
        case badMagic
        case unsupportedVersion(UInt32)
        /// The file ends inside `what` (a header field, a key, a tensor info…).
        case truncated(what: String)
        /// A count or length that cannot fit in the bytes that are left (or is absurdly large).
        case absurdCount(what: String, count: UInt64)
        case invalidUTF8(what: String)
        case unknownValueType(key: String, type: UInt32)
        case nestingTooDeep(key: String)
        case duplicateKey(String)
        case badAlignment(UInt64)
        case unsupportedTensorType(tensor: String, type: UInt32)
        case badShape(tensor: String, dimensions: [UInt64])
        case duplicateTensor(String)
        case misalignedTensor(tensor: String, offset: UInt64)
        case tensorOutOfBounds(tensor: String)
        case missingKey(String)
        case wrongValueType(key: String, expected: String, found: String)
        case missingTensor(String)
        case wrongTensorType(tensor: String, expected: String, found: TensorTypeName)
        case notAMatrix(tensor: String, dimensions: [Int])
    }

    /// A tensor type as printed in errors (kept as a string so Reason does not depend on Kernels' enum cases).
    public typealias TensorTypeName = String

    /// The file's path as the user gave it.
    public let path: String
    public let reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        let problem: String
        switch reason {
        case .cannotOpen(let why):
            problem = "cannot be opened (\(why))"
        case .badMagic:
            problem = "is not a GGUF file (it does not start with the bytes 'GGUF')"
        case .unsupportedVersion(let v):
            problem = "is GGUF version \(v); rag reads versions 2 and 3"
        case .truncated(let what):
            problem = "is truncated: it ends inside \(what)"
        case .absurdCount(let what, let count):
            problem = "is corrupt: \(what) is \(count), more than the file can hold"
        case .invalidUTF8(let what):
            problem = "is corrupt: \(what) is not valid UTF-8"
        case .unknownValueType(let key, let type):
            problem = "is corrupt: metadata key '\(key)' has unknown value type \(type)"
        case .nestingTooDeep(let key):
            problem = "is corrupt: metadata key '\(key)' nests arrays too deeply"
        case .duplicateKey(let key):
            problem = "is corrupt: metadata key '\(key)' appears twice"
        case .badAlignment(let a):
            problem = "is corrupt: general.alignment is \(a), not a power of two"
        case .unsupportedTensorType(let tensor, let type):
            problem = "has tensor '\(tensor)' of ggml type \(type), which rag cannot decode"
        case .badShape(let tensor, let dims):
            problem = "is corrupt: tensor '\(tensor)' has impossible dimensions \(dims)"
        case .duplicateTensor(let tensor):
            problem = "is corrupt: tensor '\(tensor)' appears twice"
        case .misalignedTensor(let tensor, let offset):
            problem = "is corrupt: tensor '\(tensor)' starts at offset \(offset), not a multiple of the alignment"
        case .tensorOutOfBounds(let tensor):
            problem = "is truncated or corrupt: tensor '\(tensor)' extends past the end of the file"
        case .missingKey(let key):
            problem = "lacks the metadata key '\(key)'"
        case .wrongValueType(let key, let expected, let found):
            problem = "has metadata key '\(key)' of type \(found), expected \(expected)"
        case .missingTensor(let tensor):
            problem = "lacks the tensor '\(tensor)'"
        case .wrongTensorType(let tensor, let expected, let found):
            problem = "has tensor '\(tensor)' of type \(found), expected \(expected)"
        case .notAMatrix(let tensor, let dims):
            problem = "has tensor '\(tensor)' with dimensions \(dims), expected a vector or a matrix"
        }
        return "model file \(path) \(problem). Re-download it (scripts/fetch-models) or pass another --model."
    }
}
