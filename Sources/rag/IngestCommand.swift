import ArgumentParser
import Foundation
import Retrieval
import Store

/// `rag ingest PATH...`: bring the index up to date with files and folders.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Add files and folders (.txt, .md, .html, .pdf, .docx, .epub) to the index; unchanged files are skipped, changed ones replaced.")

    @Argument(help: "Files or folders (searched recursively).")
    var paths: [String]

    @Flag(help: "Remove documents whose files no longer exist.")
    var prune = false

    @Flag(help: "Delete the index and build it again from these paths.")
    var rebuild = false

    @Flag(help: "Read PDF pages that are only images (scans) with Tesseract OCR, Chinese and English: about 3 s a page on 2 cores.")
    var ocr = false

    @Option(help: ArgumentHelp("Passage size budget (default: the index's, else \(ChunkingParameters.defaultSize)).", valueName: "n"))
    var chunkSize: Int?

    @Option(help: ArgumentHelp("Passage overlap, whole sentences (default: the index's, else \(ChunkingParameters.defaultOverlap)).", valueName: "n"))
    var overlap: Int?

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one file or folder to ingest") }
        do {
            let size = chunkSize ?? ChunkingParameters.defaultSize
            _ = try ChunkingParameters(size: size, overlap: overlap ?? Self.defaultOverlap(forSize: size))
        } catch let error as ChunkingError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        if rebuild { try PassageStore.remove(at: indexOptions.path) }
        let store = try PassageStore.open(at: indexOptions.path, create: true)
        let embedder = try makeEmbedder(threads: compute.parallelism.threads)
        let ingestor = Ingestor(store: store, chunker: try chunker(for: store, embedder: embedder), embedder: embedder)
        ingestor.loadOptions = LoadOptions(ocr: ocr, onOCRPage: output.quiet ? nil : Self.showOCRPage)
        let display = IngestProgressDisplay(quiet: output.quiet)
        let summary = try ingestor.ingest(paths, prune: prune, onEvent: display.handle)
        display.finish()
        for note in summary.notes { output.note("note: \(note.path): \(note.note)") }
        try store.checkpoint()
        if output.json {
            try printJSON(IngestReport(index: indexOptions.path, summary: summary))
        } else if !output.quiet {
            print(Self.summaryLine(summary, index: indexOptions.path))
        }
    }

    /// Sizes from the options, else from the index (so a plain rerun keeps them), else the defaults.
    func chunker(for store: PassageStore, embedder: TextEmbedder?) throws -> Chunker {
        let (counter, unit) = makeTokenCounter(for: embedder)
        let recorded = try store.metadata(.chunking).flatMap(ChunkingParameters.init(signature:)).flatMap { $0.unit == unit ? $0 : nil }
        let size = chunkSize ?? recorded?.size ?? ChunkingParameters.defaultSize
        let overlap = overlap ?? (chunkSize == nil ? recorded?.overlap : nil) ?? Self.defaultOverlap(forSize: size)
        return Chunker(parameters: try ChunkingParameters(size: size, overlap: overlap, unit: unit), counter: counter)
    }

    /// One stderr line per page OCR starts on (a few seconds each), so a long scan is seen to progress.
    @Sendable static func showOCRPage(_ fileName: String, position: Int, count: Int) {
        let line = "OCR \(fileName): page \(position) of \(count) without a text layer\n"
        FileHandle.standardError.write(Data(line.utf8))
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
        case index, files, changed, added, replaced, unchanged, skipped, notes, pruned, chunks, vectors, sentenceVectors = "sentence_vectors", seconds
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
        try c.encode(summary.notes, forKey: .notes)
        try c.encode(summary.pruned, forKey: .pruned)
        try c.encode(summary.chunks, forKey: .chunks)
        try c.encode(summary.vectors, forKey: .vectors)
        try c.encode(summary.sentenceVectors, forKey: .sentenceVectors)
        try c.encode((summary.seconds * 1000).rounded() / 1000, forKey: .seconds)
    }
}
