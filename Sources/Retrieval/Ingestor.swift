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
    /// How files are read (`--ocr`).
    public var loadOptions = LoadOptions()

    public init(store: PassageStore, chunker: Chunker, embedder: TextEmbedder?) {
        self.store = store; self.chunker = chunker; self.embedder = embedder
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
        for (index, file) in files.enumerated() {
            let outcome = try ingest(file, summary: &summary)
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

    func ingest(_ file: SourceFile, summary: inout IngestSummary) throws -> FileOutcome {
        let data: Data, attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: file.absolutePath)
            data = try Data(contentsOf: URL(fileURLWithPath: file.absolutePath))
        } catch {
            return skip(file, "unreadable (\(error.localizedDescription))", summary: &summary)
        }
        let sha256 = SHA256.hex(of: data)
        let existing = try store.document(atAbsolutePath: file.absolutePath)
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
            if let existing { try store.removeDocuments(ids: [existing.id]) }  // its old text no longer describes the file
            return skip(file, error.description, summary: &summary)
        }
        summary.notes += loaded.notes.map { FileNote(path: file.displayPath, note: $0) }
        let chunks = chunker.chunks(of: loaded.document)
        let vectors = try embedder.map { try Self.embed(chunks, with: $0) }
        let document = NewDocument(
            path: file.displayPath, absolutePath: file.absolutePath, sha256: sha256,
            size: Int64(data.count), mtime: (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0,
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
    /// one batch so the encoder fills its rows.
    static func embed(_ chunks: [NewChunk], with embedder: TextEmbedder) throws -> DocumentVectors {
        let sentences = chunks.map { PassageSentences.quotableSentences(of: $0.text) }
        let texts = chunks.map(\.text) + sentences.joined().map(\.text)
        let values = texts.isEmpty ? [] : try embedder.embedPassages(texts)
        guard values.count == texts.count else { throw IngestError.embedderReturned(vectors: values.count, expected: texts.count) }
        var next = chunks.count
        return DocumentVectors(modelID: embedder.modelID, chunks: zip(chunks.indices, sentences).map { index, spans in
            defer { next += spans.count }
            return ChunkVectors(passage: values[index], sentences: spans.enumerated().map { offset, sentence in
                SentenceVector(start: sentence.range.lowerBound, end: sentence.range.upperBound, vector: values[next + offset])
            })
        })
    }

    func skip(_ file: SourceFile, _ reason: String, summary: inout IngestSummary) -> FileOutcome {
        summary.skipped.append(SkippedFile(path: file.displayPath, reason: reason))
        return .skipped(reason: reason)
    }
}
