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
            let range = pages == 1 ? "page 1" : "pages 1–\(pages)"
            return "no text layer on \(range) (scanned? OCR is not supported yet)"
        case .noText(let format): return "no text in this \(format.displayName) after cleaning"
        }
    }
}

/// Bounds on what a container may make us inflate.
enum PartLimits {
    /// 256 MiB: far above any real document.xml or chapter, far below what would exhaust memory.
    static let maximumBytes: UInt64 = 256 << 20
}
