import Foundation
import Store

/// How rag names a document outside the index file: `rag://document/{id}`. Ids are the index's own and
/// change when a document is ingested again after its file changed (it is replaced, not edited).
public enum DocumentURI {
    public static let prefix = "rag://document/"

    public static func of(_ id: Int64) -> String { prefix + String(id) }

    /// The id in a `rag://document/{id}` URI; nil for anything else.
    public static func id(in uri: String) -> Int64? {
        guard uri.hasPrefix(prefix), let id = Int64(uri.dropFirst(prefix.count)), id > 0 else { return nil }
        return id
    }
}

/// The documents of an index: {"documents": [{"id", "uri", "path", "title", "chunks", "bytes", "sha256",
/// "encoder_model", "ingested_at"}]}, keys as `rag list --json` names them, plus the id, its URI and when
/// the document was last ingested (ISO 8601, UTC).
public struct DocumentListReport: Encodable {
    public struct Entry: Encodable {
        public var id: Int64
        public var uri: String
        public var path: String
        public var title: String
        public var chunks: Int
        public var bytes: Int64
        public var sha256: String
        public var encoderModel: String?
        public var ingestedAt: String

        public init(_ document: StoredDocument) {
            id = document.id; uri = DocumentURI.of(document.id); path = document.path; title = document.title
            chunks = document.chunkCount; bytes = document.size; sha256 = document.sha256; encoderModel = document.encoderModel
            ingestedAt = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: document.ingestedAt))
        }

        enum CodingKeys: String, CodingKey {
            case id, uri, path, title, chunks, bytes, sha256, encoderModel = "encoder_model", ingestedAt = "ingested_at"
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id); try c.encode(uri, forKey: .uri); try c.encode(path, forKey: .path)
            try c.encode(title, forKey: .title); try c.encode(chunks, forKey: .chunks); try c.encode(bytes, forKey: .bytes)
            try c.encode(sha256, forKey: .sha256); try c.encode(encoderModel, forKey: .encoderModel)  // null, not absent, without vectors
            try c.encode(ingestedAt, forKey: .ingestedAt)
        }
    }

    public var documents: [Entry]

    public init(_ documents: [StoredDocument]) { self.documents = documents.map(Entry.init) }
}

/// Some or all of one document's cleaned text: {"id", "uri", "source", "title", "start", "end", "length",
/// "text"}; `source` is the path search hits name, offsets are Unicode scalars as in the hits, end
/// exclusive, and `length` is the whole text's.
public struct DocumentTextReport: Encodable {
    public var id: Int64
    public var uri: String
    public var source: String
    public var title: String
    public var start: Int
    public var end: Int
    public var length: Int
    public var text: String

    public init(_ document: DocumentText, range: Range<Int>, text: String) {
        id = document.document.id; uri = DocumentURI.of(id); source = document.document.path; title = document.document.title
        start = range.lowerBound; end = range.upperBound; length = document.length; self.text = text
    }
}
