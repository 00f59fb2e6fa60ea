import ArgumentParser
import Foundation
import Retrieval
import Store

/// `rag ingest PATH...`: bring the index up to date with files and folders.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Add files and folders (.txt, .md, .html) to the index; unchanged files are skipped, changed ones replaced.")

    @Argument(help: "Files or folders (searched recursively).")
    var paths: [String]

    @Flag(help: "Remove documents whose files no longer exist.")
    var prune = false

    @Flag(help: "Build the index again from these paths alone, beside the old one, which it replaces only when done.")
    var rebuild = false

    @Option(name: .customLong("max-file-size"), parsing: .unconditional,
            help: ArgumentHelp("Skip files larger than this: bytes, or with k, M or G (default: 10M).", valueName: "size"))
    var maxFileSize: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Passage size budget (default: the index's, else \(ChunkingParameters.defaultSize)).", valueName: "n"))
    var chunkSize: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Passage overlap, whole sentences (default: the index's, else \(ChunkingParameters.defaultOverlap)).", valueName: "n"))
    var overlap: Int?

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one file or folder to ingest") }
        if let maxFileSize, Self.bytes(maxFileSize) == nil {
            throw ValidationError("--max-file-size \(maxFileSize) is not a size: give bytes, or a number with k, M or G (such as 64M)")
        }
        do {
            let size = chunkSize ?? ChunkingParameters.defaultSize
            _ = try ChunkingParameters(size: size, overlap: overlap ?? Self.defaultOverlap(forSize: size))
        } catch let error as ChunkingError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let path = indexOptions.path
        guard rebuild else { return try ingest(into: PassageStore.open(at: path, create: true)) }
        // A rebuild may only replace one of our indexes, and builds beside it, so a kill or an error
        // leaves the old index as it was.
        if FileManager.default.fileExists(atPath: path) { try PassageStore.open(at: path, create: false, access: .read).close() }
        let staging = PassageStore.stagingPath(forRebuildOf: path)
        try PassageStore.remove(at: staging)
        let store = try PassageStore.open(at: staging, create: true)
        do {
            try ingest(into: store, shownAs: path)
            try store.close()
        } catch {
            try? store.close()
            try? PassageStore.remove(at: staging)
            throw error
        }
        try PassageStore.replace(path, with: staging)
    }

    /// Ingests the paths into `store`; messages name the index as `shownAs`.
    func ingest(into store: PassageStore, shownAs index: String? = nil) throws {
        let index = index ?? store.path
        let embedder = try makeEmbedder(threads: compute.parallelism.threads)
        let ingestor = Ingestor(store: store, chunker: try chunker(for: store, embedder: embedder), embedder: embedder,
                                maxFileBytes: maxFileSize.flatMap(Self.bytes) ?? Ingestor.defaultMaxFileBytes)
        let display = IngestProgressDisplay(quiet: output.quiet)
        let summary: IngestSummary
        do {
            summary = try ingestor.ingest(paths, prune: prune, onEvent: display.handle)
        } catch let error as StoreError {
            display.finish()
            // Say what the interrupted run left in the index: every document committed before the failure.
            let stored = (try? store.statistics().documents).map { " (the index holds \($0) documents)" } ?? ""
            throw CommandFailure(error.description + stored)
        }
        display.finish()
        try store.checkpoint()
        if summary.files == 0, summary.skipped.isEmpty {
            output.note("note: no \(SourceFiles.supportedExtensionsList) files found in \(paths.joined(separator: ", "))")
        }
        if output.json {
            try printJSON(IngestReport(index: index, summary: summary))
        } else if !output.quiet {
            print(Self.summaryLine(summary, index: index))
        }
    }

    /// "64M" → 64,000,000; plain digits are bytes; nil for anything else (or less than 1).
    static func bytes(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000, "g": 1_000_000_000, "G": 1_000_000_000]
        var digits = Substring(text)
        if digits.hasSuffix("B") || digits.hasSuffix("b") { digits = digits.dropLast() }
        var scale: Int64 = 1
        if let last = digits.last, let unit = units[last] { scale = unit; digits = digits.dropLast() }
        guard let value = Double(digits), value.isFinite, value >= 1, value * Double(scale) < 1e15 else { return nil }
        return Int64(value * Double(scale))
    }

    /// Sizes from the options, else from the index (so a plain rerun keeps them), else the defaults.
    func chunker(for store: PassageStore, embedder: TextEmbedder?) throws -> Chunker {
        let (counter, unit) = makeTokenCounter(for: embedder)
        let recorded = try store.metadata(.chunking).flatMap(ChunkingParameters.init(signature:)).flatMap { $0.unit == unit ? $0 : nil }
        let size = chunkSize ?? recorded?.size ?? ChunkingParameters.defaultSize
        let overlap = overlap ?? (chunkSize == nil ? recorded?.overlap : nil) ?? Self.defaultOverlap(forSize: size)
        if let limit = counter.tokenLimit, size > limit { throw ChunkingError.sizeAboveWindow(size: size, limit: limit) }
        return Chunker(parameters: try ChunkingParameters(size: size, overlap: overlap, unit: unit), counter: counter)
    }

    /// The default overlap, or 15% of a smaller chunk size.
    static func defaultOverlap(forSize size: Int) -> Int { min(ChunkingParameters.defaultOverlap, size * 15 / 100) }

    static func summaryLine(_ s: IngestSummary, index: String) -> String {
        var line = "\(s.files) files: \(s.changed) changed (\(s.added) added, \(s.replaced) replaced), \(s.unchanged) unchanged, "
            + "\(s.skipped.count) skipped"
        if !s.pruned.isEmpty { line += ", \(s.pruned.count) pruned" }
        line += "; \(s.chunks) passages written"
        if s.vectors > 0 { line += ", \(s.vectors) embedded with \(s.sentenceVectors) of their sentences" }
        return line + " in " + String(format: "%.2f", s.seconds) + " s → \(index)"
    }
}

/// `rag ingest --json` output.
struct IngestReport: Encodable {
    var index: String
    var summary: IngestSummary

    enum CodingKeys: String, CodingKey {
        case index, files, changed, added, replaced, unchanged, skipped, pruned, chunks, vectors, sentenceVectors = "sentence_vectors", seconds
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(summary.files, forKey: .files)
        try c.encode(summary.changed, forKey: .changed)
        try c.encode(summary.added, forKey: .added)
        try c.encode(summary.replaced, forKey: .replaced)
        try c.encode(summary.unchanged, forKey: .unchanged)
        try c.encode(summary.skipped, forKey: .skipped)
        try c.encode(summary.pruned, forKey: .pruned)
        try c.encode(summary.chunks, forKey: .chunks)
        try c.encode(summary.vectors, forKey: .vectors)
        try c.encode(summary.sentenceVectors, forKey: .sentenceVectors)
        try c.encode((summary.seconds * 1000).rounded() / 1000, forKey: .seconds)
    }
}
