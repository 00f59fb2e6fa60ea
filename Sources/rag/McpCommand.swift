import ArgumentParser
import Dispatch
import Foundation
import RAGMCP

/// `rag mcp`: serves the index to an MCP client (a coding agent, a chat app) over stdio until the client
/// closes the connection. Standard output carries the protocol alone; notes and the SDK's warnings go to
/// standard error.
struct McpCommand: ParsableCommand {
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

    func run() throws {
        let options = DocumentServer.Options(
            indexPath: indexOptions.path, parallelism: compute.parallelism, decoderPath: decoderModel.model,
            ingestFolders: try IngestFolders(allowIngest), note: { StandardStreams.writeError("rag mcp: \($0)\n") })
        let index = indexOptions.path
        StandardStreams.writeError("rag mcp: serving \(index) over stdio" + (allowIngest.isEmpty ? "" : "; ingest allowed in \(allowIngest.joined(separator: ", "))") + "\n")
        if !FileManager.default.fileExists(atPath: index) {
            StandardStreams.writeError("rag mcp: note: no index at \(index) yet: tools will say so until `rag ingest` makes one\n")
        }
        // ArgumentParser's root command is synchronous; the server runs on Swift concurrency until stdin closes.
        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        Task {
            do {
                try await DocumentServer(options).serveStandardIO()
            } catch {
                outcome.error = error
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error { throw CommandFailure("rag mcp: \(error)") }
    }

    /// The server task's failure, handed to the waiting main thread (written before the semaphore is signalled).
    final class Outcome: @unchecked Sendable { var error: Error? }
}
