import Foundation
import Store

/// One document of the index as `rag list --json`, the HTTP API and MCP report it.
public struct DocumentEntry: Encodable, Sendable {
    public var id: Int64
    public var path: String
    public var title: String
    public var chunks: Int
    public var bytes: Int64
    public var sha256: String
    public var encoderModel: String?
    /// When the document was last (re)ingested, ISO 8601 in UTC.
    public var ingestedAt: String

    public init(_ document: StoredDocument) {
        id = document.id; path = document.path; title = document.title; chunks = document.chunkCount
        bytes = document.size; sha256 = document.sha256; encoderModel = document.encoderModel
        ingestedAt = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: document.ingestedAt))
    }

    enum CodingKeys: String, CodingKey {
        case id, path, title, chunks, bytes, sha256, encoderModel = "encoder_model", ingestedAt = "ingested_at"
    }
}
