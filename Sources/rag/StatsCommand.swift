import ArgumentParser
import Foundation
import Store

/// `rag stats`: what an index holds.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show documents, passages, vectors, size and models recorded in the index.")

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        var index: String
        var bytes: Int64
        var documents: Int
        var chunks: Int
        var vectors: Int
        var sentenceVectors: Int
        var schemaVersion: String?
        var encoderModel: String?
        var encoderDimension: Int?
        var chunking: String?
        var lastIngest: String?
        /// Files the last ingest skipped, each with its reason in that ingest's report; nil before any ingest.
        var lastIngestSkipped: Int?

        enum CodingKeys: String, CodingKey {
            case index, bytes, documents, chunks, vectors, sentenceVectors = "sentence_vectors", chunking
            case schemaVersion = "schema_version", encoderModel = "encoder_model"
            case encoderDimension = "encoder_dimension", lastIngest = "last_ingest", lastIngestSkipped = "last_ingest_skipped"
        }
    }

    func run() throws {
        let stats = try indexOptions.openExisting().statistics()
        let meta = { (key: PassageStore.MetadataKey) in stats.metadata[key.rawValue] }
        let report = Report(index: indexOptions.path, bytes: stats.fileBytes, documents: stats.documents, chunks: stats.chunks,
                            vectors: stats.vectors, sentenceVectors: stats.sentenceVectors, schemaVersion: meta(.schemaVersion), encoderModel: meta(.encoderModel),
                            encoderDimension: meta(.encoderDimension).flatMap(Int.init), chunking: meta(.chunking),
                            lastIngest: meta(.lastIngest), lastIngestSkipped: meta(.lastIngestSkipped).flatMap(Int.init))
        if output.json { try printJSON(report); return }
        let encoder = report.encoderModel.map { "\($0) (\(report.encoderDimension ?? 0) dimensions)" } ?? "none (lexical search only)"
        print("""
            index        \(report.index) (\(ByteCountFormatter.string(fromByteCount: report.bytes, countStyle: .file)))
            schema       \(report.schemaVersion ?? "?")
            documents    \(report.documents)
            passages     \(report.chunks)
            vectors      \(report.vectors) passages, \(report.sentenceVectors) sentences
            encoder      \(encoder)
            chunking     \(report.chunking ?? "not recorded")
            last ingest  \(report.lastIngest ?? "never")\(report.lastIngestSkipped.map { ", \($0) files skipped (their reasons are in that ingest's report)" } ?? "")
            """)
    }
}
