import MCP
import RAGKit
import Store

/// Each indexed document as a readable resource, `rag://document/{id}`, whose text is the document's
/// cleaned text as read_document gives it (`DocumentText`).
enum DocumentResources {
    static let template = Resource.Template(
        uriTemplate: DocumentURI.prefix + "{id}", name: "document", title: "An indexed document",
        description: "The cleaned text of one document of the index; list_documents and resources/list give the ids.",
        mimeType: "text/plain")

    static func resource(_ document: StoredDocument) -> Resource {
        Resource(name: document.path, uri: DocumentURI.of(document.id), title: document.title,
                 description: "\(document.chunkCount) passages of \(document.path)", mimeType: "text/plain")
    }

    static func contents(_ text: DocumentText) -> Resource.Content {
        .text(text.text, uri: DocumentURI.of(text.document.id), mimeType: "text/plain")
    }

    /// The JSON-RPC error for a URI that names no document (-32002, as the MCP specification has it).
    static func notFound(_ uri: String, _ why: String) -> MCPError {
        .serverError(code: -32002, message: "Resource not found: \(uri) (\(why))")
    }
}
