import ArgumentParser
import Foundation
import Retrieval

/// `rag bench load FILE`: how fast a file's text is read and cleaned (`DocumentLoader`, no chunking or
/// embedding), best of `--rounds`; pages/s for PDFs.
struct BenchLoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load", abstract: "Document loading throughput.")

    @Argument(help: "A .txt, .md, .html, .pdf, .docx or .epub file.") var file: String
    @Option(help: "Loads to time (best is reported).") var rounds = 5
    @Flag(help: "Read image-only PDF pages with OCR, as `rag ingest --ocr` does.") var ocr = false

    struct Report: Encodable {
        var file: String
        var format: String
        var bytes: Int
        var characters: Int
        var pages: Int?
        var seconds: Double
        var pagesPerSecond: Double?
        var notes: [String]

        enum CodingKeys: String, CodingKey {
            case file, format, bytes, characters, pages, seconds, pagesPerSecond = "pages_per_second", notes
        }
    }

    func run() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let name = (file as NSString).lastPathComponent
        guard let format = DocumentFormat(fileExtension: (name as NSString).pathExtension) else {
            throw ValidationError("\(file): unsupported file type (rag reads \(DocumentFormat.extensionList))")
        }
        var best = Double.infinity, loaded: LoadedDocument?
        for _ in 0..<max(1, rounds) {
            let start = monotonicSeconds()
            loaded = try DocumentLoader.load(data, format: format, fileName: name, options: LoadOptions(ocr: ocr))
            best = min(best, monotonicSeconds() - start)
        }
        let document = loaded!.document
        let pages = document.pages.last?.number
        try printJSON(Report(file: file, format: loaded!.format.rawValue, bytes: data.count, characters: document.text.count,
                             pages: pages, seconds: best, pagesPerSecond: pages.map { Double($0) / best }, notes: loaded!.notes))
    }
}
