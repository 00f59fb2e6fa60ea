import ArgumentParser
import Foundation
import Inference
import Kernels
import RAGKit
import Store

/// Which index file a command works on.
struct IndexOptions: ParsableArguments {
    /// Used when neither --index nor RAG_INDEX is given; relative to the current directory.
    static let defaultPath = "Indexes/default.sqlite"

    @Option(name: .long, help: ArgumentHelp("Index file (default: $RAG_INDEX, else \(defaultPath)).", valueName: "path"))
    var index: String?

    /// --index, else $RAG_INDEX, else the default.
    var path: String {
        if let index { return index }
        if let fromEnvironment = ProcessInfo.processInfo.environment["RAG_INDEX"], !fromEnvironment.isEmpty { return fromEnvironment }
        return Self.defaultPath
    }

    /// Opens the index for reading; a missing file is `StoreError.noIndex`.
    func openExisting() throws -> PassageStore { try PassageStore.open(at: path, create: false, access: .read) }
}

/// How a command prints.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print nothing but errors (and the data asked for with --json).")
    var quiet = false

    @Flag(name: .long, help: "Print the result as JSON on stdout.")
    var json = false

    /// A note for the person at the terminal, on stderr, unless --quiet.
    func note(_ message: String) {
        guard !quiet else { return }
        StandardStreams.writeError(message + "\n")
    }
}

/// How much of the machine a command may use.
struct ComputeOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Threads for the models and vector search (default: all cores).", valueName: "n"))
    var threads: Int?

    var parallelism: Parallelism { threads.map(Parallelism.init(threads:)) ?? .allCores }

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }
}

/// The kernels of the decoder's prefill, for benchmarks and conformance checks (`rag generate`, `rag perplexity`).
struct PrefillOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Prefill's matrix products: int8 (default; 8-bit integers on AVX-512 VNNI or AVX2, else f32) or f32 (the reference GEMM).",
                               valueName: "int8|f32"))
    var prefill: MatrixKernels = .int8
}

extension MatrixKernels: ExpressibleByArgument {}

/// A failure the command explains in its own words (one line, shown after "Error: ").
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Writes a value as rag's wire-format JSON on stdout.
func printJSON<T: Encodable>(_ value: T) throws {
    print(String(decoding: try WireFormat.encode(value), as: UTF8.self))
}
