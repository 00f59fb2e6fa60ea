import ArgumentParser

/// The `rag` command line: ingest documents, search them, and ask questions answered from them.
@main
struct RAGCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rag",
        abstract: "Retrieval-augmented question answering over your own Chinese and English documents.",
        subcommands: [IngestCommand.self, SearchCommand.self, AskCommand.self, ChatCommand.self, EvalCommand.self, StatsCommand.self,
                      ListCommand.self, EmbedCommand.self, ModelsCommand.self, BenchCommand.self, TokenizeCommand.self,
                      GenerateCommand.self, PerplexityCommand.self, ServeCommand.self, McpCommand.self]
    )

    /// ArgumentParser's main, plus a last flush of stdout: output that did not reach it is an error.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var serving = command as? AsyncParsableCommand { try await serving.run() } else { try command.run() }
            try StandardStreams.flushOutput()
        } catch {
            exit(withError: error)
        }
    }
}
