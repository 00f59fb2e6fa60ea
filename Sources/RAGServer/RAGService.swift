import Foundation
import Kernels
import RAGKit
import Retrieval
import Store
import Synchronization

/// What `rag serve` runs on: the sessions that answer requests and the rules for sharing them. Searches
/// (and retrieval-only answers, and embeddings) go to a small pool of sessions and run side by side;
/// generated answers share the one decoder, in arrival order, through a bounded line; ingests and deletions
/// take turns on one writer. Every session sees the writer's changes before its next request (`RAGSession`).
public final class RAGService: Sendable {
    public let settings: ServeSettings
    let searchers: SessionPool
    let generator: SessionWorker
    let queue: GenerationQueue
    let indexWriter = BlockingWorker(label: "rag.index-writer")

    /// Opens (or, when there is none yet, creates) the index, so documents can be uploaded to a new server.
    public init(settings: ServeSettings) throws {
        self.settings = settings
        if !FileManager.default.fileExists(atPath: settings.indexPath) {
            try PassageStore.open(at: settings.indexPath, create: true).close()
        }
        let parallelism = Parallelism(threads: settings.threads)
        // Searchers stay encoder-only: they search (and answer retrieval-only questions) as written, while
        // generated answers, on the one decoder, translate an English question over a Chinese index.
        searchers = SessionPool(workers: try (0..<max(1, settings.searchWorkers)).map {
            SessionWorker(session: try RAGSession(indexPath: settings.indexPath, parallelism: parallelism, crossLanguage: .off),
                          label: "rag.search.\($0)")
        })
        generator = SessionWorker(session: try RAGSession(indexPath: settings.indexPath, parallelism: parallelism,
                                                          decoderModel: settings.decoderModel, reusesPromptCache: settings.reusesPromptCache,
                                                          remoteGenerator: settings.remoteGenerator),
                                  label: "rag.generate")
        queue = GenerationQueue(capacity: settings.queueCapacity)
    }

    // MARK: Reading

    public func search(_ query: String, mode: SearchMode?, k: Int, filter: DocumentFilter = .all,
                       explained: Bool = false) async throws -> SearchReport {
        try Retriever.check(query: query)
        return try await searchers.run { session in
            let (chosen, hits, _) = try session.search(query, mode: mode, k: k, filter: filter)
            return SearchReport(query: query, mode: chosen, hits: hits, explained: explained)
        }
    }

    public func documents() async throws -> [DocumentEntry] {
        try await searchers.run { session in try session.currentStore().allDocuments().map(DocumentEntry.init) }
    }

    public func statistics() async throws -> IndexStatistics {
        try await searchers.run { session in try session.currentStore().statistics() }
    }

    /// e5 vectors of `texts`, as queries or as passages (the two roles e5 was trained with), and the tokens read.
    public func embed(_ texts: [String], asPassages: Bool) async throws -> (vectors: [[Float]], tokens: Int) {
        try await searchers.run { session in
            let embedder = try session.loadedEmbedder()
            let vectors = asPassages ? try embedder.embedPassages(texts) : try texts.map { try embedder.embedQuery($0) }
            return (vectors, texts.reduce(0) { $0 + embedder.tokenCount($1) })
        }
    }

    public var encoderName: String { "multilingual-e5-small" }

    // MARK: Answering

    /// Answers `question`, telling `emit` each stage as it happens: `.waiting` while in the generation line,
    /// `.retrieved` once, then each `.piece`. An error `emit` throws means the client went away: generation
    /// stops, the turn passes on, and the error is rethrown. Retrieval-only answers never wait for the decoder.
    public func answer(_ question: String, settings: AskSettings,
                       emit: (AnswerStage) async throws -> Void = { _ in }) async throws -> AnsweredQuestion {
        try Retriever.check(query: question)
        guard settings.mode != .retrieve else {
            let answer = try await searchers.run { session in try session.answer(question, settings: settings) }
            if let event = AnswerStage(retrievedFrom: answer) { try await emit(event) }
            return AnsweredQuestion(answer: answer, pieces: [], queueWait: .zero)
        }
        let (answer, pieces, waited) = try await onDecoder(emit: emit) { session, report in
            try session.answer(question, settings: settings) { event in
                switch event {
                case .retrieved(let retrieved, let covered, let best): try report(.retrieved(retrieved, covered: covered, bestSimilarity: best))
                case .piece(let piece): try report(.piece(piece))
                }
            }
        }
        return AnsweredQuestion(answer: answer, pieces: pieces, queueWait: waited)
    }

    /// The decoder alone, without retrieval (the `rag-generator` model): what a generator is asked for by
    /// another server's `--generator-url`.
    public func generate(_ turns: [ChatTurn], settings: GenerationSettings,
                         emit: (AnswerStage) async throws -> Void = { _ in }) async throws -> (report: GenerationReport, text: String) {
        let (report, pieces, _) = try await onDecoder(emit: emit) { session, report in
            try session.loadedWriter().write(turns, settings: settings) { try report(.piece($0)) }
        }
        return (report, pieces.map(\.text).joined())
    }

    /// Runs `work` on the decoder's thread when this request's turn in the line comes, passing the stages it
    /// reports through a stream to `emit` here (and `.waiting` while in line). An error `emit` throws (the
    /// client went away) stops the work at its next stage and passes the turn on.
    private func onDecoder<T>(emit: (AnswerStage) async throws -> Void,
                              _ work: @escaping (RAGSession, _ report: (AnswerStage) throws -> Void) throws -> T)
        async throws -> (result: T, pieces: [GeneratedPiece], waited: Duration) {
        let started = ContinuousClock.now
        let ticket = try await queue.join()
        do {
            while !(await queue.wait(for: ticket, upTo: .seconds(1))) {
                try await emit(.waiting(ahead: await queue.position(of: ticket) ?? 0))
            }
            let waited = ContinuousClock.now - started
            let (stages, sink) = AsyncStream<AnswerStage>.makeStream()
            let stop = StopSignal()
            let running = Task {
                defer { sink.finish() }
                var pieces: [GeneratedPiece] = []
                let result = try await generator.run { session in
                    try work(session) { stage in
                        if stop.isSet { throw ServingError.clientGone }
                        if case .piece(let piece) = stage { pieces.append(piece) }
                        sink.yield(stage)
                    }
                }
                return (result, pieces)
            }
            for await stage in stages {
                do { try await emit(stage) } catch {
                    stop.set()
                    _ = await running.result
                    throw ServingError.clientGone
                }
            }
            let (result, pieces) = try await running.value
            await queue.leave(ticket)
            return (result, pieces, waited)
        } catch {
            await queue.leave(ticket)
            throw error
        }
    }

    // MARK: Writing

    /// Ingests uploaded files, saved in the uploads folder, into the index (the same loaders, chunking and
    /// encoder as `rag ingest`). Documents are named `uploads/NAME` (relative to the folder's parent, so no
    /// client learns where the server keeps its files); a file the ingest skipped is removed again.
    public func ingestUploads(_ paths: [String]) async throws -> IngestReport {
        let settings = self.settings
        return try await indexWriter.run {
            var job = IngestJob(paths: paths, indexPath: settings.indexPath, threads: settings.threads)
            job.workingDirectory = URL(fileURLWithPath: settings.uploadsFolder).deletingLastPathComponent()
            let summary = try job.run()
            for skipped in summary.skipped {
                let file = job.workingDirectory.appendingPathComponent(skipped.path).standardizedFileURL.path
                if paths.contains(file) { try? FileManager.default.removeItem(atPath: file) }
            }
            return IngestReport(index: URL(fileURLWithPath: settings.indexPath).lastPathComponent, summary: summary)
        }
    }

    /// Removes a document from the index, and its file when it is one of the uploads (never a file of the
    /// user's own folders); nil when there is no such document.
    public func deleteDocument(id: Int64) async throws -> DocumentEntry? {
        let settings = self.settings
        return try await indexWriter.run {
            let store = try PassageStore.open(at: settings.indexPath, create: false)
            defer { try? store.close() }
            guard let document = try store.allDocuments().first(where: { $0.id == id }) else { return nil }
            try store.removeDocuments(ids: [id])
            let uploads = URL(fileURLWithPath: settings.uploadsFolder).standardizedFileURL.resolvingSymlinksInPath().path + "/"
            if document.absolutePath.hasPrefix(uploads) { try? FileManager.default.removeItem(atPath: document.absolutePath) }
            return DocumentEntry(document)
        }
    }
}

/// A stage of an answer in progress, as a server reports it.
public enum AnswerStage: Sendable {
    /// Still in the generation line, behind `ahead` requests.
    case waiting(ahead: Int)
    case retrieved(RetrievedAnswer, covered: Bool, bestSimilarity: Float)
    case piece(GeneratedPiece)

    init?(retrievedFrom answer: Answer) {
        self = .retrieved(answer.retrieval, covered: answer.covered, bestSimilarity: answer.bestSimilarity)
    }
}

/// An answer with what it cost the server.
public struct AnsweredQuestion: Sendable {
    public var answer: Answer
    public var pieces: [GeneratedPiece]
    /// Time spent in the generation line before the decoder took the question.
    public var queueWait: Duration
}

/// Set once, read by another thread: tells the decoder's thread its client has gone.
final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}
