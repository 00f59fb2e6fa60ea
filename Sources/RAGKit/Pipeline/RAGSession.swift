import Foundation
import Kernels
import ModelFiles
import Retrieval
import Store

/// An open index and the models that answer from it, shared by every question a front-end asks: the
/// store (read-only), the encoder (loaded on the first search that needs it), and the decoder (loaded on
/// the first generated answer). It sees what an ingest added since it opened: before each request it
/// checks the index file and its WAL (`IndexVersion`), and reopens the store (and so reloads the vector
/// matrix) when either changed, including a rebuild that renamed a new file into place.
///
/// A session is not thread-safe: one request at a time (a server puts it behind an actor or a queue).
public final class RAGSession {
    public let indexPath: String
    public let parallelism: Parallelism
    /// The decoder: a short name (`qwen-1.5b`) or a GGUF file; nil: the verified default Qwen2.5-0.5B.
    public let decoderModel: String?
    /// Whether the decoder keeps the prompt prefix it shares with the last answer cached (a server's session).
    public let reusesPromptCache: Bool
    /// Another server that writes the generated answers instead of the local decoder (`--generator-url`).
    public let remoteGenerator: RemoteGenerator?
    /// How its answers search for an English question over a Chinese index (`CrossLanguageSearch`).
    public let crossLanguage: CrossLanguageSearch

    private var store: PassageStore
    private var seen: IndexVersion
    private var embedder: E5Embedder?
    private var writer: AnswerWriter?
    private var retriever: Retriever?
    private var answerer: Answerer?

    /// Opens the index for reading; a missing file is `StoreError.noIndex`.
    public init(indexPath: String, parallelism: Parallelism = .allCores, decoderModel: String? = nil,
                reusesPromptCache: Bool = false, remoteGenerator: RemoteGenerator? = nil,
                crossLanguage: CrossLanguageSearch = .default) throws {
        self.remoteGenerator = remoteGenerator
        self.crossLanguage = crossLanguage
        self.indexPath = indexPath
        self.parallelism = parallelism
        self.decoderModel = decoderModel
        self.reusesPromptCache = reusesPromptCache
        store = try PassageStore.open(at: indexPath, create: false, access: .read)
        seen = try IndexVersion(path: indexPath)  // after opening: the open itself may create the WAL
    }

    /// The store as of now (reopened if an ingest changed the index).
    public func currentStore() throws -> PassageStore {
        let now = try IndexVersion(path: indexPath)
        if now != seen {
            store = try PassageStore.open(at: indexPath, create: false, access: .read)
            seen = try IndexVersion(path: indexPath)
            retriever = nil
            answerer = nil
        }
        return store
    }

    /// The encoder, loaded once.
    public func loadedEmbedder() throws -> E5Embedder {
        if let embedder { return embedder }
        let loaded = try ModelWiring.embedder(threads: parallelism.threads)
        embedder = loaded
        return loaded
    }

    /// The generator, loaded once: the local decoder, or the client of the remote one.
    public func loadedWriter(onLoading: () -> Void = {}) throws -> AnswerWriter {
        if let writer { return writer }
        onLoading()
        let loaded: AnswerWriter
        if let remote = remoteGenerator {
            loaded = RemoteAnswerWriter(base: remote.base, model: remote.model, apiKey: remote.apiKey,
                                        counter: try QwenChatPrompt.defaultModel(), contextLength: remote.contextLength)
        } else {
            loaded = try ModelWiring.answerWriter(model: decoderModel, threads: parallelism.threads, reusesPromptCache: reusesPromptCache)
        }
        writer = loaded
        return loaded
    }

    /// The mode a search without one uses: hybrid when the index has vectors, else lexical.
    public func defaultSearchMode() throws -> SearchMode {
        try currentStore().hasVectors() ? .hybrid : .lexical
    }

    /// The top `k` passages for `query` from the documents `filter` admits. With `crossLanguage` an English query
    /// over a Chinese index searches by its translation (`searchedAs`), which loads the encoder and the decoder;
    /// off, a lexical search loads no model and the others only the encoder.
    public func search(_ query: String, mode: SearchMode? = nil, k: Int, filter: DocumentFilter = .all,
                       crossLanguage: CrossLanguageSearch = .off) throws -> (mode: SearchMode, hits: [SearchHit], searchedAs: String?) {
        let store = try currentStore()
        let chosen = try mode ?? defaultSearchMode()
        var searched = SearchQuery(query)
        if crossLanguage == .translate { searched = try answerer(crossLanguage: .translate).translated(searched) }
        let searchedAs = searched.text == query ? nil : searched.text
        if chosen == .lexical {
            let lexical = Retriever(store: store, embedder: nil, parallelism: parallelism)
            return (chosen, try lexical.search(searched, mode: .lexical, k: k, filter: filter), searchedAs)
        }
        let retriever = try self.retriever ?? Retriever(store: store, embedder: loadedEmbedder(), parallelism: parallelism)
        self.retriever = retriever
        return (chosen, try retriever.search(searched, mode: chosen, k: k, filter: filter), searchedAs)
    }

    /// Answers `question` (see `Answerer.answer`), streaming its stages through `onEvent`. `onLoadingGenerator`
    /// is called once, before the decoder is loaded for the first generated answer.
    public func answer(_ question: String, settings: AskSettings, sentenceWeight: Float = PassageScoring.sentenceWeight,
                       onLoadingGenerator: @escaping () -> Void = {},
                       onEvent: (AnswerEvent) throws -> Void = { _ in }) throws -> Answer {
        try answerer(sentenceWeight: sentenceWeight, onLoadingGenerator: onLoadingGenerator).answer(question, settings: settings, onEvent: onEvent)
    }

    /// The answerer for the current index, built once per index version and ranking settings.
    public func answerer(sentenceWeight: Float = PassageScoring.sentenceWeight, fusion: Fusion = .default,
                         reranking: Reranking = .default, crossLanguage: CrossLanguageSearch? = nil,
                         onLoadingGenerator: @escaping () -> Void = {}) throws -> Answerer {
        let store = try currentStore()
        let crossLanguage = crossLanguage ?? self.crossLanguage
        if let answerer, answerer.sentenceWeight == sentenceWeight, answerer.fusion == fusion, answerer.reranking == reranking,
           answerer.crossLanguage == crossLanguage {
            return answerer
        }
        let made = Answerer(store: store, embedder: try loadedEmbedder(), parallelism: parallelism, sentenceWeight: sentenceWeight,
                            fusion: fusion, reranking: reranking, crossLanguage: crossLanguage,
                            makeWriter: { [unowned self] in try self.loadedWriter(onLoading: onLoadingGenerator) })
        answerer = made
        return made
    }
}

/// What identifies one state of an index file: which file is at the path (a rebuild renames a new one
/// in) and when it and its WAL were last written (every committed document moves one of the two; a
/// read-only reader moves neither), to the nanosecond: two ingests a second apart are two versions.
struct IndexVersion: Equatable {
    let file: FileIdentity
    let wal: FileIdentity?

    init(path: String) throws {
        guard let file = FileIdentity(path: path) else { throw StoreError.noIndex(path: path) }
        self.file = file
        wal = FileIdentity(path: path + "-wal")
    }
}

/// Where `--generator-url` sends the writing of answers: an OpenAI-compatible server and the model to ask for.
public struct RemoteGenerator: Sendable {
    /// The server's OpenAI root, e.g. http://gpu-box:8080/v1.
    public var base: URL
    public var model: String
    public var apiKey: String?
    /// The prompt and answer budget, in Qwen2.5 tokens (our local count of the prompt).
    public var contextLength: Int

    public init(base: URL, model: String, apiKey: String? = nil, contextLength: Int = QwenAnswerWriter.contextLength) {
        self.base = base; self.model = model; self.apiKey = apiKey; self.contextLength = contextLength
    }
}
