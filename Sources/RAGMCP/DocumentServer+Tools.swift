import Foundation
import MCP
import RAGKit
import Retrieval
import Store

/// The five tools, each on the session's queue: arguments are read first (a bad call never waits for a
/// long ask before it), results come back as RAGKit's wire formats plus `ToolText`.
extension DocumentServer {
    func search(_ raw: [String: Value]?) async throws -> CallTool.Result {
        let arguments = try ToolArguments(tool: ToolCatalog.search, raw, accepted: ["query", "k", "mode", "in", "not_in", "explain"])
        let query = try arguments.requiredText("query")
        let k = try arguments.integer("k", in: 1...ToolCatalog.searchLimit) ?? 5
        let mode = try arguments.choice("mode", of: SearchMode.self)
        let filter = try arguments.documentFilter()
        let explained = try arguments.boolean("explain") ?? false
        return try await sessions.perform { turn in
            let (chosen, hits, _) = try turn.session().search(query, mode: mode, k: k, filter: filter)
            return try Self.success(SearchReport(query: query, mode: chosen, hits: hits, explained: explained),
                                    text: ToolText.search(hits, mode: chosen, explained: explained))
        }
    }

    func read(_ raw: [String: Value]?) async throws -> CallTool.Result {
        let arguments = try ToolArguments(tool: ToolCatalog.read, raw, accepted: ["source", "start", "end"])
        let source = try arguments.requiredText("source")
        let start = try arguments.integer("start", in: 0...Int.max) ?? 0
        let end = try arguments.integer("end", in: 0...Int.max)
        return try await sessions.perform { turn in
            let store = try turn.session().currentStore()
            let document = try Self.document(named: source, in: store)
            guard let text = try DocumentText.load(documentID: document.id, from: store) else {
                throw DocumentLookupError.notFound(source)  // removed between the two reads
            }
            let (range, slice) = try text.range(start: start, end: end)
            let report = DocumentTextReport(text, range: range, text: slice)
            return try Self.success(report, text: ToolText.read(report))
        }
    }

    func ask(_ raw: [String: Value]?, progress: ProgressReporter) async throws -> CallTool.Result {
        let arguments = try ToolArguments(tool: ToolCatalog.ask, raw, accepted: ["question", "k", "mode", "in", "not_in"])
        var settings = AskSettings()
        settings.filter = try arguments.documentFilter()
        let question = try arguments.requiredText("question")
        settings.k = try arguments.integer("k", in: 1...ToolCatalog.askLimit) ?? AskSettings.defaultK
        settings.mode = try arguments.choice("mode", of: AnswerMode.self) ?? .compare
        let note = options.note
        return try await sessions.perform { turn in
            var generated = "", pieces = 0
            let answer = try turn.session().answer(question, settings: settings, onLoadingGenerator: {
                note("loading the generator…")
                progress.step("loading the generator")
            }) { event in
                // A cancelled ask stops here, between two tokens (or before generating): the error ends
                // generation, and the SDK sends no response for a cancelled request.
                if turn.stop.isSet {
                    note("ask cancelled by the client after \(pieces) generated tokens")
                    throw CancellationError()
                }
                switch event {
                case .retrieved(let retrieval, let covered, let best):
                    progress.step("retrieved \(retrieval.hits.count) passages; best sentence similarity "
                                  + String(format: "%.3f", best) + (covered ? "" : ": not covered, nothing is generated"))
                case .piece(let piece):
                    generated += piece.text; pieces += 1
                    progress.step("generated \(pieces) tokens: \(generated)")
                }
            }
            return try Self.success(AskReport(answer: answer, pieces: nil), text: ToolText.ask(answer))
        }
    }

    func list(_ raw: [String: Value]?) async throws -> CallTool.Result {
        _ = try ToolArguments(tool: ToolCatalog.list, raw, accepted: [])
        return try await sessions.perform { turn in
            let documents = try turn.session().currentStore().allDocuments()
            return try Self.success(DocumentListReport(documents), text: ToolText.list(documents))
        }
    }

    func ingest(_ raw: [String: Value]?, progress: ProgressReporter) async throws -> CallTool.Result {
        guard ingestAllowed, let folders = options.ingestFolders else { throw IngestPermissionError.notAllowed }
        let arguments = try ToolArguments(tool: ToolCatalog.ingest, raw, accepted: ["paths"])
        let paths = try arguments.requiredStrings("paths")
        let (indexPath, threads, workingDirectory) = (options.indexPath, options.parallelism.threads, options.workingDirectory)
        return try await sessions.perform { turn in
            try folders.check(paths, workingDirectory: workingDirectory)
            var job = IngestJob(paths: paths, indexPath: indexPath, threads: threads)
            job.workingDirectory = URL(fileURLWithPath: workingDirectory)
            var files = 0
            let summary = try job.run { event in
                switch event {
                case .started(let count): files = count
                case .file(let index, let path, _): progress.step("\(index) of \(files): \(path)")
                case .passedOver, .embedding: break
                }
            }
            return try Self.success(IngestReport(index: indexPath, summary: summary), text: ToolText.ingest(summary, index: indexPath))
        }
    }

    /// The document a read_document `source` names: a `rag://document/{id}` URI, the path search hits give
    /// (as it was ingested), or the file's absolute path.
    static func document(named source: String, in store: PassageStore) throws -> StoredDocument {
        if source.hasPrefix(DocumentURI.prefix) {
            guard let id = DocumentURI.id(in: source), let document = try store.document(id: id) else { throw DocumentLookupError.notFound(source) }
            return document
        }
        let documents = try store.allDocuments()
        let byPath = documents.filter { $0.path == source }
        if byPath.count > 1 { throw DocumentLookupError.ambiguous(source, uris: byPath.map { DocumentURI.of($0.id) }) }
        guard let document = byPath.first ?? documents.first(where: { $0.absolutePath == source }) else {
            throw DocumentLookupError.notFound(source)
        }
        return document
    }

    /// Every document as a resource; an index that does not exist yet has none.
    func resources() async throws -> [Resource] {
        try await sessions.perform { turn in
            do {
                return try turn.session().currentStore().allDocuments().map(DocumentResources.resource)
            } catch StoreError.noIndex {
                return []
            } catch {
                throw MCPError.internalError(Self.line(error))
            }
        }
    }

    func readResource(_ uri: String) async throws -> Resource.Content {
        guard let id = DocumentURI.id(in: uri) else { throw DocumentResources.notFound(uri, "rag's resources are \(DocumentURI.prefix){id}") }
        return try await sessions.perform { turn in
            let text: DocumentText?
            do {
                text = try DocumentText.load(documentID: id, from: turn.session().currentStore())
            } catch {
                throw DocumentResources.notFound(uri, Self.line(error))
            }
            guard let text else { throw DocumentResources.notFound(uri, "the index holds no document \(id)") }
            return DocumentResources.contents(text)
        }
    }
}

/// A read_document source that names no single document, in one line.
enum DocumentLookupError: Error, Equatable, CustomStringConvertible {
    case notFound(String)
    case ambiguous(String, uris: [String])

    var description: String {
        switch self {
        case .notFound(let source):
            "read_document: no document \(source) in the index (list_documents names them; search hits give their sources)"
        case .ambiguous(let source, let uris):
            "read_document: several documents are called \(source): name one by its URI (\(uris.joined(separator: ", ")))"
        }
    }
}
