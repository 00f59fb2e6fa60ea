import Foundation
import Kernels
import Logging
import MCP
import RAGKit

/// `rag mcp`: the indexed documents as a Model Context Protocol server. Tools search, read and ask the
/// index (and ingest into it when allowed); each document is also a resource. Every failure of a tool
/// call, from bad arguments to a missing index, is a tool result with `isError: true` and the error's one
/// line; only what the protocol itself defines as errors (an unknown tool, an unknown resource) are
/// JSON-RPC errors. Nothing here writes to standard output: the transport owns it.
public final class DocumentServer: Sendable {
    /// How the server was started.
    public struct Options: Sendable {
        public var indexPath: String
        public var parallelism: Parallelism
        /// The decoder: a short name (`qwen-1.5b`) or a GGUF file; nil: the verified default model.
        public var decoderModel: String?
        /// Folders the ingest tool may read; empty: no ingest tool.
        public var ingestFolders: IngestFolders?
        /// Where relative paths given to the ingest tool start.
        public var workingDirectory: String
        /// A line for the person running the server (stderr in `rag mcp`), such as "loading the generator…".
        public var note: @Sendable (String) -> Void

        public init(indexPath: String, parallelism: Parallelism = .allCores, decoderModel: String? = nil,
                    ingestFolders: IngestFolders? = nil,
                    workingDirectory: String = FileManager.default.currentDirectoryPath,
                    note: @escaping @Sendable (String) -> Void = { _ in }) {
            self.indexPath = indexPath; self.parallelism = parallelism; self.decoderModel = decoderModel
            self.ingestFolders = ingestFolders; self.workingDirectory = workingDirectory; self.note = note
        }
    }

    public static let name = "rag"
    public static let version = "0.1.0"

    let options: Options
    let sessions: SessionQueue

    public init(_ options: Options) {
        self.options = options
        sessions = SessionQueue(indexPath: options.indexPath, parallelism: options.parallelism, decoderModel: options.decoderModel)
    }

    var ingestAllowed: Bool { !(options.ingestFolders?.isEmpty ?? true) }

    /// An SDK server with rag's tools and resources, started on `transport`; `waitUntilCompleted()` returns
    /// when the client goes away.
    public func start(on transport: any Transport) async throws -> Server {
        let server = Server(
            name: Self.name, version: Self.version, title: "rag: your documents, searched and answered offline",
            instructions: "Search, read and ask the documents indexed by rag. Prefer search_documents and read_document to find and "
                + "read passages; ask gives a grounded answer (quoted sentences, a generated answer with citations, and whether the "
                + "documents cover the question at all).",
            capabilities: .init(resources: .init(subscribe: false, listChanged: false), tools: .init(listChanged: false)))
        await register(on: server)
        try await server.start(transport: transport)
        return server
    }

    /// Serves over this process's stdin and stdout until the client closes stdin; the SDK's warnings go to stderr.
    public func serveStandardIO() async throws {
        var logger = Logger(label: "rag.mcp") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let server = try await start(on: StdioTransport(logger: logger))
        await server.waitUntilCompleted()
    }

    func register(on server: Server) async {
        let ingestAllowed = self.ingestAllowed
        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: ToolCatalog.tools(ingestAllowed: ingestAllowed))
        }
        await server.withMethodHandler(CallTool.self) { [weak server, self] params in
            let progress = ProgressReporter(server: server, token: params._meta?.progressToken)
            let result = try await self.call(params.name, params.arguments, progress: progress)
            await progress.finish()
            try Task.checkCancellation()  // a cancelled request gets no response (the SDK sends none on CancellationError)
            return result
        }
        await server.withMethodHandler(ListResources.self) { [self] _ in
            ListResources.Result(resources: try await self.resources())
        }
        await server.withMethodHandler(ReadResource.self) { [self] params in
            ReadResource.Result(contents: [try await self.readResource(params.uri)])
        }
        await server.withMethodHandler(ListResourceTemplates.self) { _ in
            ListResourceTemplates.Result(templates: [DocumentResources.template])
        }
    }

    /// Runs one tool. Failures become `isError` results; only an unknown tool name is a protocol error, and
    /// a cancellation passes through so that no response is sent.
    func call(_ name: String, _ arguments: [String: Value]?, progress: ProgressReporter) async throws -> CallTool.Result {
        do {
            switch name {
            case ToolCatalog.search: return try await search(arguments)
            case ToolCatalog.read: return try await read(arguments)
            case ToolCatalog.ask: return try await ask(arguments, progress: progress)
            case ToolCatalog.list: return try await list(arguments)
            case ToolCatalog.ingest: return try await ingest(arguments, progress: progress)
            default: throw MCPError.invalidParams("Unknown tool: \(name)")
            }
        } catch let error as CancellationError {
            throw error
        } catch let error as MCPError {
            throw error
        } catch {
            return Self.failure(error)
        }
    }

    /// A tool error: the error's one line, flagged `isError`, with no structured content.
    static func failure(_ error: Error) -> CallTool.Result {
        CallTool.Result(content: [.text(text: line(error), annotations: nil, _meta: nil)], isError: true)
    }

    /// A tool's result: `report` as RAGKit's wire format in `structuredContent`, and `text` to read.
    static func success<Report: Encodable>(_ report: Report, text: String) throws -> CallTool.Result {
        let structured = try JSONDecoder().decode(Value.self, from: WireFormat.encode(report))
        return CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: Value?.some(structured))
    }

    /// An error as one line: rag's errors describe themselves so (`CustomStringConvertible`); any other's
    /// description is folded onto one line.
    static func line(_ error: Error) -> String {
        String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
