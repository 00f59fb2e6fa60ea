import Foundation
import Retrieval
import Store

/// One ingest as every front-end runs it: the chunking policy (sizes from the request, else the ones the
/// index was built with, else the defaults), the encoder, the per-file size limit, and `rebuild`, which
/// builds beside the index and renames the result into place, so a kill or an error leaves the old index
/// as it was and only one of our indexes is ever replaced.
public struct IngestJob {
    public var paths: [String]
    public var indexPath: String
    public var prune = false
    public var rebuild = false
    /// nil: the index's recorded size, else `ChunkingParameters.defaultSize`.
    public var chunkSize: Int?
    /// nil: the index's recorded overlap (when the size is not changed), else `defaultOverlap(forSize:)`.
    public var overlap: Int?
    public var maxFileBytes = Ingestor.defaultMaxFileBytes
    /// How files are read (OCR of image-only PDF pages).
    public var loadOptions = LoadOptions()
    public var threads: Int
    public var workingDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)

    public init(paths: [String], indexPath: String, threads: Int) {
        self.paths = paths; self.indexPath = indexPath; self.threads = threads
    }

    /// The default overlap, or 15% of a smaller chunk size.
    public static func defaultOverlap(forSize size: Int) -> Int { min(ChunkingParameters.defaultOverlap, size * 15 / 100) }

    /// Runs the ingest, reporting each file through `onEvent`; the index's WAL is folded in at the end.
    public func run(onEvent: (IngestEvent) throws -> Void = { _ in }) throws -> IngestSummary {
        guard rebuild else {
            let store = try PassageStore.open(at: indexPath, create: true)
            return try ingest(into: store, onEvent: onEvent)
        }
        if FileManager.default.fileExists(atPath: indexPath) { try PassageStore.open(at: indexPath, create: false, access: .read).close() }
        let staging = PassageStore.stagingPath(forRebuildOf: indexPath)
        try PassageStore.remove(at: staging)
        let store = try PassageStore.open(at: staging, create: true)
        let summary: IngestSummary
        do {
            summary = try ingest(into: store, onEvent: onEvent)
            try store.close()
        } catch {
            try? store.close()
            try? PassageStore.remove(at: staging)
            throw error
        }
        try PassageStore.replace(indexPath, with: staging)
        return summary
    }

    func ingest(into store: PassageStore, onEvent: (IngestEvent) throws -> Void) throws -> IngestSummary {
        let embedder = try ModelWiring.embedder(threads: threads)
        let ingestor = Ingestor(store: store, chunker: try chunker(for: store, embedder: embedder), embedder: embedder,
                                maxFileBytes: maxFileBytes)
        ingestor.loadOptions = loadOptions
        do {
            let summary = try ingestor.ingest(paths, prune: prune, workingDirectory: workingDirectory, onEvent: onEvent)
            try store.checkpoint()
            return summary
        } catch let error as StoreError {
            throw IngestJobError.stopped(error, documentsStored: try? store.statistics().documents)
        }
    }

    func chunker(for store: PassageStore, embedder: E5Embedder) throws -> Chunker {
        let (counter, unit) = ModelWiring.tokenCounter(for: embedder)
        let recorded = try store.metadata(.chunking).flatMap(ChunkingParameters.init(signature:)).flatMap { $0.unit == unit ? $0 : nil }
        let size = chunkSize ?? recorded?.size ?? ChunkingParameters.defaultSize
        let overlap = overlap ?? (chunkSize == nil ? recorded?.overlap : nil) ?? Self.defaultOverlap(forSize: size)
        if let limit = counter.tokenLimit, size > limit { throw ChunkingError.sizeAboveWindow(size: size, limit: limit) }
        return Chunker(parameters: try ChunkingParameters(size: size, overlap: overlap, unit: unit), counter: counter)
    }
}

/// An ingest that stopped part-way on a storage fault (a full disk, a lost lock): every document
/// committed before it is kept, and the message says how many there are.
public enum IngestJobError: Error, CustomStringConvertible {
    case stopped(StoreError, documentsStored: Int?)

    public var description: String {
        switch self {
        case .stopped(let error, let stored):
            return error.description + (stored.map { " (the index holds \($0) documents)" } ?? "")
        }
    }
}
