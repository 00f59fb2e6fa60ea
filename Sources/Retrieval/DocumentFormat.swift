import Foundation

/// The file formats rag reads. Folders are collected by extension; each file's bytes then decide
/// (`DocumentFormat.detect`), so a PDF named `.txt` or a web page saved as `.txt` is read as what it is.
public enum DocumentFormat: String, Sendable, CaseIterable {
    case text = "txt", markdown = "md", html = "html", pdf, docx, epub

    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "txt", "text": self = .text
        case "md", "markdown": self = .markdown
        case "html", "htm", "xhtml": self = .html
        case "pdf": self = .pdf
        case "docx": self = .docx
        case "epub": self = .epub
        default: return nil
        }
    }

    /// The extensions folders are searched for, as the "unsupported file type" message lists them.
    public static let extensionList = ".txt, .md, .html, .htm, .pdf, .docx and .epub"

    /// How messages name the format.
    var displayName: String {
        switch self {
        case .text: return "text file"
        case .markdown: return "Markdown file"
        case .html: return "HTML file"
        case .pdf: return "PDF"
        case .docx: return "docx"
        case .epub: return "EPUB"
        }
    }

    static let pdfMagic = Data("%PDF-".utf8)
    static let zipMagic = Data([0x50, 0x4B, 0x03, 0x04])

    /// The format the bytes show: `%PDF-` is a PDF; a ZIP holding `mimetype` = application/epub+zip is an
    /// EPUB, one holding word/document.xml a docx. Anything else keeps the format its name gave (the
    /// loader then says what is wrong); a ZIP that is neither, under a text name, is unsupported.
    static func detect(_ data: Data, named declared: DocumentFormat) throws -> DocumentFormat {
        if data.starts(with: pdfMagic) { return .pdf }
        guard data.starts(with: zipMagic) else { return declared }
        guard let archive = try? ZipContainer(data, format: declared) else { return declared }
        if let mimetype = try? archive.data("mimetype"),
           String(decoding: mimetype, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "application/epub+zip" {
            return .epub
        }
        if archive.contains("word/document.xml") { return .docx }
        if declared == .docx || declared == .epub { return declared }
        throw UnreadableDocument.unsupportedContainer("a ZIP archive that is neither a docx nor an EPUB")
    }
}
