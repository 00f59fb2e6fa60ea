import ArgumentParser
import Foundation
import RAGMCP

/// `rag mcp`: serves the index to an MCP client (a coding agent, a chat app) over stdio until the client
/// closes the connection. Standard output carries the protocol alone; notes and the SDK's warnings go to
/// standard error.
struct McpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the index to MCP clients over stdio: tools to search, read, ask (and ingest), documents as resources.")

    @Option(name: .customLong("allow-ingest"),
            help: ArgumentHelp("Offer the ingest tool for files inside this folder (repeatable; default: the index is only read).",
                               valueName: "dir"))
    var allowIngest: [String] = []

    @OptionGroup var decoderModel: DecoderModelOptions
    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        do { _ = try IngestFolders(allowIngest) } catch let error as IngestPermissionError { throw ValidationError(error.description) }
    }

    func run() async throws {
        let options = DocumentServer.Options(
            indexPath: indexOptions.path, parallelism: compute.parallelism, decoderModel: decoderModel.model,
            ingestFolders: try IngestFolders(allowIngest), note: { StandardStreams.writeError("rag mcp: \($0)\n") })
        let index = indexOptions.path
        StandardStreams.writeError("rag mcp: serving \(index) over stdio" + (allowIngest.isEmpty ? "" : "; ingest allowed in \(allowIngest.joined(separator: ", "))") + "\n")
        if !FileManager.default.fileExists(atPath: index) {
            StandardStreams.writeError("rag mcp: note: no index at \(index) yet: tools will say so until `rag ingest` makes one\n")
        }
        try await DocumentServer(options).serveStandardIO()
    }
}
