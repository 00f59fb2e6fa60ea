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
    /// The GGUF decoder file; nil: the verified default Qwen2.5 model.
    public let decoderPath: String?

    private var store: PassageStore
    private var seen: IndexVersion
    private var embedder: E5Embedder?
    private var writer: AnswerWriter?
    private var retriever: Retriever?
    private var answerer: Answerer?

    /// Opens the index for reading; a missing file is `StoreError.noIndex`.
    public init(indexPath: String, parallelism: Parallelism = .allCores, decoderPath: String? = nil) throws {
        self.indexPath = indexPath
        self.parallelism = parallelism
        self.decoderPath = decoderPath
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

    /// The mode a search without one uses: hybrid when the index has vectors, else lexical.
    public func defaultSearchMode() throws -> SearchMode {
        try currentStore().hasVectors() ? .hybrid : .lexical
    }

    /// The top `k` passages for `query`; a lexical search never loads the encoder.
    public func search(_ query: String, mode: SearchMode? = nil, k: Int) throws -> (mode: SearchMode, hits: [SearchHit]) {
        let store = try currentStore()
        let chosen = try mode ?? defaultSearchMode()
        if chosen == .lexical {
            return (chosen, try Retriever(store: store, embedder: nil, parallelism: parallelism).search(query, mode: .lexical, k: k))
        }
        let retriever = try self.retriever ?? Retriever(store: store, embedder: loadedEmbedder(), parallelism: parallelism)
        self.retriever = retriever
        return (chosen, try retriever.search(query, mode: chosen, k: k))
    }

    /// Answers `question` (see `Answerer.answer`), streaming its stages through `onEvent`. `onLoadingGenerator`
    /// is called once, before the decoder is loaded for the first generated answer.
    public func answer(_ question: String, settings: AskSettings, sentenceWeight: Float = PassageScoring.sentenceWeight,
                       onLoadingGenerator: @escaping () -> Void = {},
                       onEvent: (AnswerEvent) -> Void = { _ in }) throws -> Answer {
        try answerer(sentenceWeight: sentenceWeight, onLoadingGenerator: onLoadingGenerator).answer(question, settings: settings, onEvent: onEvent)
    }

    /// The answerer for the current index, built once per index version and sentence weight.
    public func answerer(sentenceWeight: Float = PassageScoring.sentenceWeight,
                         onLoadingGenerator: @escaping () -> Void = {}) throws -> Answerer {
        let store = try currentStore()
        if let answerer, answerer.sentenceWeight == sentenceWeight { return answerer }
        let made = Answerer(store: store, embedder: try loadedEmbedder(), parallelism: parallelism, sentenceWeight: sentenceWeight,
                            makeWriter: { [unowned self] in
                                if let writer = self.writer { return writer }
                                onLoadingGenerator()
                                let loaded = try ModelWiring.answerWriter(modelPath: self.decoderPath, threads: self.parallelism.threads)
                                self.writer = loaded
                                return loaded
                            })
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
