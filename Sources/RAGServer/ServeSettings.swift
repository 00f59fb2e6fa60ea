import Foundation
import RAGKit

/// How `rag serve` runs: where it listens, who may call it, and how much one request may ask for.
public struct ServeSettings: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Callers must send `Authorization: Bearer <key>` to every /v1 route when set.
    public var apiKey: String?
    /// The explicit choice to listen beyond loopback without a key.
    public var allowsNoAuth = false
    /// An origin allowed to call the API from another page's script (CORS); nil: none.
    public var corsOrigin: String?

    public var indexPath: String
    /// Where uploaded files are written (and from where the index reads them): the only folder a request
    /// can put a file in.
    public var uploadsFolder: String
    /// The decoder: a short name (`qwen-1.5b`) or a GGUF file; nil: the verified default.
    public var decoderModel: String?
    /// Whether the decoder keeps the shared prompt prefix cached between answers (off only to measure it).
    public var reusesPromptCache = true
    /// Another server that writes the generated answers (`--generator-url`); nil: the local decoder.
    public var remoteGenerator: RemoteGenerator?
    /// Threads each model uses.
    public var threads: Int
    /// Sessions serving searches side by side (each holds its own encoder and vector matrix).
    public var searchWorkers = 2
    /// Generated answers that may wait behind the one generating before a request is refused with 503.
    public var queueCapacity = 8

    public var limits = Limits()

    /// What one request may carry.
    public struct Limits: Sendable {
        /// A JSON request body.
        public var bodyBytes = 1 << 20
        /// A whole multipart upload (all its files).
        public var uploadBytes = 64 << 20
        /// Passages a search or an answer may ask for.
        public var maxK = 50
        /// Tokens an answer may ask for.
        public var maxAnswerTokens = 1024
        /// Texts in one embeddings request.
        public var maxEmbeddingInputs = 256

        public init() {}
    }

    public init(indexPath: String, uploadsFolder: String? = nil, threads: Int) {
        self.indexPath = indexPath
        self.uploadsFolder = uploadsFolder
            ?? URL(fileURLWithPath: indexPath).deletingLastPathComponent().appendingPathComponent("uploads").path
        self.threads = threads
    }

    /// Whether `host` only accepts connections from this machine.
    public var isLoopback: Bool { ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.") }

    /// Refuses settings that would expose the documents: a non-loopback address needs a key or an explicit --no-auth.
    public func validate() throws {
        if !isLoopback, apiKey == nil, !allowsNoAuth { throw ServeError.keyRequired(host: host) }
        if let apiKey, apiKey.count < 8 { throw ServeError.weakKey }
        if !(0...65535).contains(port) { throw ServeError.badPort(port) }
    }
}

/// Settings `rag serve` refuses to start with.
public enum ServeError: Error, Equatable, CustomStringConvertible {
    case keyRequired(host: String)
    case weakKey
    case badPort(Int)

    public var description: String {
        switch self {
        case .keyRequired(let host):
            return "listening on \(host) would let other machines read the documents: give an API key (--api-key, or RAG_API_KEY), or --no-auth to allow it without one"
        case .weakKey: return "the API key is too short: use at least 8 characters"
        case .badPort(let port): return "port \(port) is not between 0 and 65535"
        }
    }
}
