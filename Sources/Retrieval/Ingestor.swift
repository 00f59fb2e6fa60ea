import Checksum
import Foundation
import Store

/// Brings an index up to date with files on disk: new files are added, changed ones (content sha256,
/// chunking parameters or encoder differ) replaced, unchanged ones left alone, and with `prune` documents
/// whose files are gone removed. Each document is written in its own transaction, so a killed ingest
/// leaves a valid index and the next run picks up where it stopped.
public final class Ingestor {
    public let store: PassageStore
    public let chunker: Chunker
    public let embedder: TextEmbedder?
    /// Files larger than this are skipped with a reason (their bytes are never read).
    public let maxFileBytes: Int64
    /// How files are read (`--ocr`).
    public var loadOptions = LoadOptions()

    /// 10 MB of text is a few thousand passages: minutes of embedding on 2 cores. Larger files are more
    /// often logs, dumps or data than documents, so they need an explicit, larger limit.
    public static let defaultMaxFileBytes: Int64 = 10_000_000

    public init(store: PassageStore, chunker: Chunker, embedder: TextEmbedder?, maxFileBytes: Int64 = defaultMaxFileBytes) {
        self.store = store; self.chunker = chunker; self.embedder = embedder; self.maxFileBytes = maxFileBytes
    }

    public func ingest(_ paths: [String], prune: Bool = false,
                       workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                       onEvent: (IngestEvent) throws -> Void = { _ in }) throws -> IngestSummary {
        let clock = ContinuousClock.now
        try checkEncoder()
        let (files, unsupported) = try SourceFiles.collect(paths, workingDirectory: workingDirectory)
        var summary = IngestSummary()
        summary.files = files.count
        summary.skipped = unsupported
        try onEvent(.started(files: files.count))
        for file in unsupported { try onEvent(.passedOver(file)) }
        for (index, file) in files.enumerated() {
            let outcome = try ingest(file, summary: &summary) { done, total in
                try onEvent(.embedding(index: index + 1, path: file.displayPath, done: done, total: total))
            }
            try onEvent(.file(index: index + 1, path: file.displayPath, outcome: outcome))
        }
        if prune {
            let gone = try store.allDocuments().filter { !FileManager.default.fileExists(atPath: $0.absolutePath) }
            try store.removeDocuments(ids: gone.map(\.id))
            summary.pruned = gone.map(\.path)
        }
        try store.setMetadata(.chunking, chunker.parameters.signature)
        try store.setMetadata(.lastIngest, ISO8601DateFormatter().string(from: Date()))
        try store.setMetadata(.lastIngestSkipped, String(summary.skipped.count))
        let elapsed = ContinuousClock.now - clock
        summary.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return summary
    }

    /// An index's vectors all come from one encoder: refuse to mix in another's, or documents without any.
    func checkEncoder() throws {
        guard let recorded = try store.metadata(.encoderModel) else { return }
        guard let embedder else { throw IngestError.encoderUnavailable(indexModel: recorded) }
        if recorded != embedder.modelID { throw StoreError.encoderMismatch(indexModel: recorded, currentModel: embedder.modelID) }
    }

    func ingest(_ file: SourceFile, summary: inout IngestSummary,
                onProgress: (_ done: Int, _ total: Int) throws -> Void = { _, _ in }) throws -> FileOutcome {
        let data: Data, modified: Double
        let existing = try store.document(atAbsolutePath: file.absolutePath)
        do {
            (data, modified) = try FileBytes.read(file.absolutePath, limit: maxFileBytes)
        } catch FileBytes.Failure.tooLarge(let bytes, let limit) {
            return skip(file, "\(formattedByteCount(bytes)), over the \(formattedByteCount(limit)) limit for one file (--max-file-size raises it)",
                        keeping: existing, summary: &summary)
        } catch FileBytes.Failure.unreadable(let reason) {
            return skip(file, "unreadable (\(reason))", keeping: existing, summary: &summary)
        }
        let sha256 = SHA256.hex(of: data)
        if let existing, existing.sha256 == sha256, existing.chunking == chunker.parameters.signature,
           existing.encoderModel == embedder?.modelID, embedder == nil || existing.hasSentenceVectors {
            summary.unchanged += 1
            return .unchanged
        }
        let loaded: LoadedDocument
        do {
            loaded = try DocumentLoader.load(data, format: file.format, fileName: (file.absolutePath as NSString).lastPathComponent,
                                             options: loadOptions)
        } catch let error as UnreadableFile {
            return skip(file, error.description, keeping: existing, summary: &summary)
        }
        summary.notes += loaded.notes.map { FileNote(path: file.displayPath, note: $0) }
        let chunks = chunker.chunks(of: loaded.document)
        let vectors = try embedder.map { try Self.embed(chunks, with: $0, onProgress: onProgress) }
        let document = NewDocument(
            path: file.displayPath, absolutePath: file.absolutePath, sha256: sha256,
            size: Int64(data.count), mtime: modified,
            title: loaded.document.title, format: loaded.format.rawValue, encoding: loaded.encoding.rawValue,
            chunking: chunker.parameters.signature)
        try store.replaceDocument(document, chunks: chunks, vectors: vectors)
        summary.chunks += chunks.count
        summary.vectors += vectors?.chunks.count ?? 0
        summary.sentenceVectors += vectors?.chunks.reduce(0) { $0 + $1.sentences.count } ?? 0
        if existing == nil { summary.added += 1; return .added(chunks: chunks.count) }
        summary.replaced += 1
        return .replaced(chunks: chunks.count)
    }

    /// Each chunk's vector and those of its quotable sentences (`PassageSentences.quotableSentences`), in
    /// batches of `batchSize` texts so the encoder fills its rows and a long document reports progress.
    /// A text is embedded once however often it occurs: a one-sentence passage is its own only sentence
    /// (every short note, every passage cut from a line with no sentence end), and lines repeat.
    static func embed(_ chunks: [NewChunk], with embedder: TextEmbedder,
                      onProgress: (_ done: Int, _ total: Int) throws -> Void = { _, _ in }) throws -> DocumentVectors {
        let sentences = chunks.map { PassageSentences.quotableSentences(of: $0.text) }
        let texts = chunks.map(\.text) + sentences.joined().map(\.text)
        var distinct: [String] = [], slots: [String: Int] = [:]
        let slot = texts.map { text in
            if let known = slots[text] { return known }
            slots[text] = distinct.count
            distinct.append(text)
            return distinct.count - 1
        }
        var embedded: [[Float]] = []
        embedded.reserveCapacity(distinct.count)
        for start in stride(from: 0, to: distinct.count, by: batchSize) {
            embedded += try embedder.embedPassages(Array(distinct[start..<min(start + batchSize, distinct.count)]))
            if distinct.count > batchSize { try onProgress(min(start + batchSize, distinct.count), distinct.count) }
        }
        guard embedded.count == distinct.count else { throw IngestError.embedderReturned(vectors: embedded.count, expected: distinct.count) }
        let values = slot.map { embedded[$0] }
        var next = chunks.count
        return DocumentVectors(modelID: embedder.modelID, chunks: zip(chunks.indices, sentences).map { index, spans in
            defer { next += spans.count }
            return ChunkVectors(passage: values[index], sentences: spans.enumerated().map { offset, sentence in
                SentenceVector(start: sentence.range.lowerBound, end: sentence.range.upperBound, vector: values[next + offset])
            })
        })
    }

    /// Texts per encoder call: large enough to fill the GEMM tiles, small enough to report every few seconds.
    static let batchSize = 256

    /// Skips `file` with `reason`. A version ingested before stays in the index (a file that became
    /// unreadable or empty may be a mistake being fixed; `--prune` removes documents whose files are gone).
    func skip(_ file: SourceFile, _ reason: String, keeping existing: StoredDocument? = nil, summary: inout IngestSummary) -> FileOutcome {
        let said = existing == nil ? reason : reason + "; the version ingested before stays in the index"
        summary.skipped.append(SkippedFile(path: file.displayPath, reason: said))
        return .skipped(reason: said)
    }
}
