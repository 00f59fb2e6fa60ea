/// A reason a file yields no text: its `description` is the one-line skip reason ingest reports.
/// Both the text decoder's and the binary loaders' errors conform, so ingest catches one type.
public protocol UnreadableFile: Error, CustomStringConvertible {}

extension UndecodableText: UnreadableFile {}

/// Why a PDF, docx or EPUB could not be read; each reads as one line after the file's path.
public enum UnreadableDocument: Error, Equatable, UnreadableFile {
    /// The file needs a password.
    case encrypted(DocumentFormat)
    /// The bytes end early (a PDF without its closing `%%EOF`).
    case truncated(DocumentFormat, detail: String)
    /// The container or its parts cannot be parsed; `detail` is what the parser said.
    case damaged(DocumentFormat, detail: String)
    /// A container without the part that holds the text (docx without word/document.xml).
    case missingPart(DocumentFormat, part: String)
    /// A ZIP that is neither docx nor EPUB, a PDF extension on other bytes, and the like.
    case unsupportedContainer(String)
    /// A part that inflates past `PartLimits.maximumBytes` (a ZIP bomb, or not a document).
    case partTooLarge(DocumentFormat, part: String, bytes: UInt64)
    /// A PDF whose pages have no text to extract: images of pages.
    case noTextLayer(pages: Int)
    /// The file parsed but nothing was left after cleaning.
    case noText(DocumentFormat)
    /// `--ocr` was asked for but Tesseract's language data is not installed.
    case ocrUnavailable
    /// Every page is an image and OCR found no text on any of them.
    case ocrFoundNothing(pages: Int)

    public var description: String {
        switch self {
        case .encrypted(let format): return "encrypted \(format.displayName) (needs a password; rag does not decrypt files)"
        case .truncated(let format, let detail): return "truncated \(format.displayName) (\(detail))"
        case .damaged(let format, let detail): return "damaged \(format.displayName) (\(detail))"
        case .missingPart(let format, let part): return "not a readable \(format.displayName): it has no \(part)"
        case .unsupportedContainer(let what): return "unsupported file: \(what)"
        case .partTooLarge(let format, let part, let bytes):
            return "\(format.displayName) part \(part) inflates to \(bytes) bytes, over the \(PartLimits.maximumBytes >> 20) MiB limit"
        case .noTextLayer(let pages):
            return "no text layer on \(Self.pageList(Array(1...max(1, pages)))) (scanned? run rag ingest --ocr)"
        case .ocrFoundNothing(let pages):
            return "OCR found no text on \(Self.pageList(Array(1...max(1, pages)))) (images without writing, or too faint to read)"
        case .ocrUnavailable:
            return "OCR needs Tesseract with its chi_sim and eng data (tesseract-ocr-chi-sim, tesseract-ocr-eng): run scripts/setup"
        case .noText(let format): return "no text in this \(format.displayName) after cleaning"
        }
    }
}

extension UnreadableDocument {
    /// The note for a PDF some of whose pages have no text layer: the rest is indexed, these are not.
    static func pagesWithoutText(_ pages: [Int], of total: Int) -> String {
        "no text layer on \(pageList(pages)) of \(total) (scanned? run rag ingest --ocr): their text is not indexed"
    }

    /// The note for a PDF whose image-only pages were read by OCR, with Tesseract's mean confidence.
    static func recognized(_ pages: [Int], confidence: Int, lowConfidence: [Int]) -> String {
        var note = "OCR read \(pageList(pages)) (mean confidence \(confidence)%)"
        if !lowConfidence.isEmpty { note += "; under \(PDFLoader.lowConfidence)% on \(pageList(lowConfidence)): check their text" }
        return note
    }

    /// "page 3", "pages 1–9", "pages 2–3, 5": sorted page numbers with runs collapsed.
    static func pageList(_ pages: [Int]) -> String {
        var runs: [ClosedRange<Int>] = []
        for page in pages.sorted() {
            if let last = runs.last, last.upperBound + 1 == page { runs[runs.count - 1] = last.lowerBound...page } else { runs.append(page...page) }
        }
        let text = runs.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)–\($0.upperBound)" }.joined(separator: ", ")
        return (pages.count == 1 ? "page " : "pages ") + text
    }
}

/// Bounds on what a container may make us inflate.
enum PartLimits {
    /// 256 MiB: far above any real document.xml or chapter, far below what would exhaust memory.
    static let maximumBytes: UInt64 = 256 << 20
}
