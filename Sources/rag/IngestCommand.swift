import ArgumentParser
import Foundation
import RAGKit
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

    @Flag(help: "Build the index again from these paths alone, beside the old one, which it replaces only when done.")
    var rebuild = false

    @Flag(help: "Read PDF pages that are only images (scans) with Tesseract OCR, Chinese and English: about 3 s a page on 2 cores.")
    var ocr = false

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
            _ = try ChunkingParameters(size: size, overlap: overlap ?? IngestJob.defaultOverlap(forSize: size))
        } catch let error as ChunkingError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        var job = IngestJob(paths: paths, indexPath: indexOptions.path, threads: compute.parallelism.threads)
        job.prune = prune
        job.rebuild = rebuild
        job.chunkSize = chunkSize
        job.overlap = overlap
        job.maxFileBytes = maxFileSize.flatMap(Self.bytes) ?? Ingestor.defaultMaxFileBytes
        job.loadOptions = LoadOptions(ocr: ocr, onOCRPage: output.quiet ? nil : Self.showOCRPage)
        let interruption = IngestInterruption(rebuild: rebuild)
        let display = IngestProgressDisplay(quiet: output.quiet)
        defer { display.finish() }
        let summary = try job.run { event in
            interruption.record(event)
            display.handle(event)
        }
        display.finish()
        if summary.files == 0, summary.skipped.isEmpty {
            output.note("note: no \(DocumentFormat.extensionList) files found in \(paths.joined(separator: ", "))")
        }
        for note in summary.notes { output.note("note: \(note.path.oneLine): \(note.note)") }
        if output.json {
            try printJSON(IngestReport(index: indexOptions.path, summary: summary))
        } else if !output.quiet {
            print(Self.summaryLine(summary, index: indexOptions.path))
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

    /// One stderr line per page OCR starts on (a few seconds each), so a long scan is seen to progress.
    @Sendable static func showOCRPage(_ fileName: String, position: Int, count: Int) {
        StandardStreams.writeError("OCR \(fileName.oneLine): page \(position) of \(count) without a text layer\n")
    }

    static func summaryLine(_ s: IngestSummary, index: String) -> String {
        var line = "\(s.files) files: \(s.changed) changed (\(s.added) added, \(s.replaced) replaced), \(s.unchanged) unchanged, "
            + "\(s.skipped.count) skipped"
        if !s.pruned.isEmpty { line += ", \(s.pruned.count) pruned" }
        line += "; \(s.chunks) passages written"
        if s.vectors > 0 { line += ", \(s.vectors) embedded with \(s.sentenceVectors) of their sentences" }
        return line + " in " + String(format: "%.2f", s.seconds) + " s → \(index)"
    }
}
