import Kernels
import ModelFiles

/// A decoder-only language model with its own KV cache: feed it tokens, read next-token logits. Each architecture
/// is one file implementing this; `LanguageModels.load` picks the implementation from `general.architecture`.
public protocol LanguageModel: AnyObject {
    var config: ModelConfig { get }
    /// Positions the KV cache holds (≤ the trained context).
    var contextLength: Int { get }
    /// Tokens already in the cache; the next token goes at this position.
    var position: Int { get }

    /// Forgets every cached position.
    func reset()
    /// Drops cached positions from `position` on (keeps a shared prefix).
    func rewind(to position: Int)
    /// Appends `tokens` at the current position (a batched prefill when there are several) and, for each index i in
    /// `wanted`, calls `visit(i, logits)` with the vocabulary-sized logits predicting the token after `tokens[i]`.
    /// The logits buffer is only valid during the call. Throws when the tokens do not fit in the context.
    func forward(_ tokens: [Int], logitsFor wanted: Range<Int>,
                 _ visit: (Int, UnsafeBufferPointer<Float>) throws -> Void) throws
    /// Appends a few `tokens` in one pass and calls `visit(i, logits)` after each, with logits bit-identical to
    /// those of appending the tokens one `forward` at a time: prompt-lookup decoding's verification, which must
    /// accept exactly the tokens plain decoding would choose. Each weight is read once for all the tokens.
    func decodeSteps(_ tokens: [Int], _ visit: (Int, UnsafeBufferPointer<Float>) throws -> Void) throws
}

extension LanguageModel {
    /// Appends `tokens` and returns the logits after the last one.
    public func append(_ tokens: [Int]) throws -> [Float] {
        guard !tokens.isEmpty else { throw InferenceError.emptyPrompt }
        var logits: [Float] = []
        try forward(tokens, logitsFor: (tokens.count - 1)..<tokens.count) { _, values in logits = try Self.finite(values, position) }
        return logits
    }

    /// Appends `tokens` in one `decodeSteps` pass and returns the logits after each.
    public func appendSteps(_ tokens: [Int]) throws -> [[Float]] {
        let start = position
        var steps: [[Float]] = []
        try decodeSteps(tokens) { i, values in steps.append(try Self.finite(values, start + i + 1)) }
        return steps
    }

    /// `values` as an array; a NaN or infinity means damaged weights (or a kernel bug): never sample from it.
    private static func finite(_ values: UnsafeBufferPointer<Float>, _ position: Int) throws -> [Float] {
        guard values.allSatisfy(\.isFinite) else { throw InferenceError.nonFiniteLogits(position: position) }
        return Array(values)
    }
}

/// How to run a model: threads and the context to allocate.
public struct InferenceOptions: Sendable {
    public var parallelism: Parallelism
    /// Context to allocate the KV cache for (capped at the model's trained context). 4096 positions take 100 MB for
    /// Qwen2.5-0.5B; the trained 32768 would take 800 MB.
    public var contextLength: Int

    /// Round activations to 8 bits before quantised products, as llama.cpp does (`ActivationRounding`).
    public var roundsActivationsLikeLlamaCpp: Bool

    /// The kernels of prefill's matrix products (int8 only where activations are rounded like llama.cpp's).
    public var prefill: MatrixKernels

    public init(parallelism: Parallelism = .allCores, contextLength: Int = 4096,
                roundsActivationsLikeLlamaCpp: Bool = true, prefill: MatrixKernels = .int8) {
        self.parallelism = parallelism
        self.contextLength = contextLength
        self.roundsActivationsLikeLlamaCpp = roundsActivationsLikeLlamaCpp
        self.prefill = prefill
    }
}

/// The registry of architectures: `general.architecture` → constructor. A new architecture is one more file and
/// one more line here.
public enum LanguageModels {
    public typealias Constructor = (GGUFFile, InferenceOptions) throws -> any LanguageModel

    public static let constructors: [String: Constructor] = [
        "qwen2": { try Qwen2Decoder(file: $0, options: $1) },
    ]

    /// The model in `file`, bound strictly to its architecture's tensors.
    public static func load(_ file: GGUFFile, options: InferenceOptions = InferenceOptions()) throws -> any LanguageModel {
        let architecture = try file.string("general.architecture")
        guard let constructor = constructors[architecture] else {
            throw InferenceError.unsupportedArchitecture(architecture, supported: constructors.keys.sorted())
        }
        return try constructor(file, options)
    }
}
