/// Everything that can go wrong loading or running a language model, as a one-line message saying what is wrong
/// and what to do. Model files are hostile input, so a bad shape or a missing tensor lands here, never in a crash.
public enum InferenceError: Error, CustomStringConvertible, Equatable {
    case unsupportedArchitecture(String, supported: [String])
    case badHyperparameter(key: String, value: String)
    case missingTensor(String)
    case wrongShape(tensor: String, expected: [Int], found: [Int])
    case wrongTensorType(tensor: String, expected: String, found: String)
    case unusedTensors([String])
    case contextFull(limit: Int, needed: Int)
    case tokenOutOfRange(Int, vocabularySize: Int)
    case emptyPrompt
    case nonFiniteLogits(position: Int)

    public var description: String {
        switch self {
        case .unsupportedArchitecture(let name, let supported):
            return "model architecture '\(name)' is not supported (rag runs: \(supported.joined(separator: ", "))). Pass --model with a GGUF of a supported architecture."
        case .badHyperparameter(let key, let value):
            return "model file has an impossible value \(value) for '\(key)'. The file is corrupt or not a model rag supports."
        case .missingTensor(let name):
            return "model file lacks the tensor '\(name)'. The file is incomplete or of another architecture."
        case .wrongShape(let name, let expected, let found):
            return "model tensor '\(name)' has dimensions \(found), expected \(expected). The file does not match its own hyper-parameters."
        case .wrongTensorType(let name, let expected, let found):
            return "model tensor '\(name)' is stored as \(found), expected \(expected)."
        case .unusedTensors(let names):
            let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", …" : "")
            return "model file has \(names.count) tensor(s) this architecture does not use (\(shown)). It is probably a variant rag does not support."
        case .contextFull(let limit, let needed):
            return "the text needs \(needed) tokens but the context holds \(limit): shorten the prompt or generate fewer tokens."
        case .tokenOutOfRange(let id, let size):
            return "token id \(id) is outside the model's vocabulary of \(size) tokens."
        case .nonFiniteLogits(let position):
            return "the model computed NaN or infinite scores at position \(position): its file is probably damaged (check it with `rag models --rehash`)."
        case .emptyPrompt:
            return "the prompt is empty: give the model at least one token."
        }
    }
}
