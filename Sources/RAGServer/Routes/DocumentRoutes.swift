import Foundation
import Hummingbird
import RAGKit

/// The documents of the index: list them, add files by upload, delete one.
struct DocumentRoutes {
    let service: RAGService

    struct Listing: Encodable { var documents: [DocumentEntry] }
    struct Deleted: Encodable { var deleted: DocumentEntry }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1/documents") { _, _ in try JSONResponse.make(Listing(documents: try await service.documents())) }
        router.post("/v1/documents") { request, _ in try await upload(request) }
        router.delete("/v1/documents/:id") { _, context in
            guard let text = context.parameters.get("id"), let id = Int64(text) else {
                throw APIError.badRequest("the document id must be an integer (see GET /v1/documents)")
            }
            guard let deleted = try await service.deleteDocument(id: id) else {
                throw APIError(.notFound, "no document \(id) in the index", code: "not_found")
            }
            return try JSONResponse.make(Deleted(deleted: deleted))
        }
    }

    /// Saves each uploaded file in the uploads folder under its own name (no folders: a name can never
    /// leave the folder), then ingests them as `rag ingest` would; skipped files come back with a reason.
    func upload(_ request: Request) async throws -> Response {
        var request = request
        guard let type = request.headers[.contentType], let boundary = MultipartForm.boundary(contentType: type) else {
            throw APIError.badRequest("send the files as multipart/form-data (curl -F files=@notes.md)", code: "bad_upload")
        }
        let body = try await request.collectBody(upTo: service.settings.limits.uploadBytes)
        let parts = try MultipartForm.parse(Data(body.readableBytesView), boundary: boundary)
        let files = parts.filter { $0.filename != nil }
        guard !files.isEmpty else { throw APIError.badRequest("the upload holds no file (each part needs a filename)", code: "bad_upload") }
        let folder = URL(fileURLWithPath: service.settings.uploadsFolder, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var saved: [String] = []
        for file in files {
            guard let name = UploadName.safe(file.filename ?? "") else {
                throw APIError.badRequest("\"\(file.filename ?? "")\" is not a usable file name", code: "bad_upload")
            }
            let target = folder.appendingPathComponent(name).standardizedFileURL
            try file.content.write(to: target, options: .atomic)
            saved.append(target.path)
        }
        return try JSONResponse.make(try await service.ingestUploads(saved))
    }
}

/// The name an uploaded file is saved under: the last component of what the client sent, with no way out
/// of the uploads folder (no separators, no `.`/`..`, no leading dot, no control characters).
enum UploadName {
    static func safe(_ sent: String) -> String? {
        let last = sent.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        guard !cleaned.isEmpty, !cleaned.hasPrefix("."), cleaned.utf8.count <= 255 else { return nil }
        return cleaned
    }
}
