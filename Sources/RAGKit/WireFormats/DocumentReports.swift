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

/// The documents of an index, as `rag mcp`'s list_documents gives them: {"documents": [DocumentEntry]}
/// (the shape of the HTTP API's GET /v1/documents); a document's URI is `DocumentURI.of(id)`.
public struct DocumentListReport: Encodable {
    public var documents: [DocumentEntry]

    public init(_ documents: [StoredDocument]) { self.documents = documents.map(DocumentEntry.init) }
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
