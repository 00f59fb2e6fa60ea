import Foundation

/// A file's text, cleaned, with what the index records about how it was read.
public struct LoadedDocument: Sendable {
    public var document: CleanDocument
    /// The format the bytes turned out to be (a web page saved as .txt is `.html`).
    public var format: DocumentFormat
    public var encoding: TextEncoding
    /// What was read only in part, one line each, for the ingest report ("no text layer on pages 3–9 …").
    public var notes: [String] = []
}

/// How to read files, beyond what their bytes say.
public struct LoadOptions: Sendable {
    /// Recognise the text of PDF pages that are only images, with Tesseract (about 6 s a page on 2 cores).
    public var ocr: Bool
    /// Called before each page OCR reads, with the file's name, the page's position among the pages to read
    /// (from 1) and their count: OCR is slow enough that a user needs to see it move.
    public var onOCRPage: (@Sendable (_ fileName: String, _ position: Int, _ count: Int) -> Void)?

    public init(ocr: Bool = false, onOCRPage: (@Sendable (String, Int, Int) -> Void)? = nil) {
        self.ocr = ocr; self.onOCRPage = onOCRPage
    }
}

/// Turns a file's bytes into a `CleanDocument`: the bytes choose the loader (`DocumentFormat.detect`), text
/// formats are decoded (`TextDecoding`) and parsed, containers (PDF, docx, EPUB) are read from the bytes.
public enum DocumentLoader {
    public static func load(_ data: Data, format declared: DocumentFormat, fileName: String,
                            options: LoadOptions = LoadOptions()) throws -> LoadedDocument {
        let fallbackTitle = (fileName as NSString).deletingPathExtension
        guard !data.isEmpty else { throw UndecodableText.empty }
        let format = try DocumentFormat.detect(data, named: declared)
        let parsed: (blocks: [CleanDocument.Block], title: String?)
        var notes: [String] = []
        switch format {
        case .pdf:
            let pdf = try PDFLoader.blocks(from: data, ocr: options.ocr) { options.onOCRPage?(fileName, $0, $1) }
            parsed = (pdf.blocks, pdf.title)
            notes = pdf.notes
        case .docx: parsed = try DocxLoader.blocks(from: data)
        case .epub: parsed = try EPUBLoader.blocks(from: data)
        case .text, .markdown, .html: return try loadText(data, format: format, fallbackTitle: fallbackTitle)
        }
        let document = CleanDocument(blocks: parsed.blocks, title: parsed.title, fallbackTitle: fallbackTitle)
        guard !document.text.isEmpty else { throw UnreadableDocument.noText(format) }
        return LoadedDocument(document: document, format: format, encoding: .container, notes: notes)
    }

    /// Text files: decoded, then read as HTML when the markup says so, with front matter dropped.
    static func loadText(_ data: Data, format declared: DocumentFormat, fallbackTitle: String) throws -> LoadedDocument {
        let (raw, encoding) = try TextDecoding.decode(data)
        let format = declared == .text && HTMLLoader.looksLikeHTML(raw) ? .html : declared
        let document: CleanDocument
        switch format {
        case .html:
            let parsed = HTMLLoader.blocks(from: raw)
            document = CleanDocument(blocks: parsed.blocks, title: parsed.title, fallbackTitle: fallbackTitle)
        case .markdown:
            let (body, frontTitle) = FrontMatter.split(raw)
            let parsed = MarkdownLoader.blocks(from: body)
            document = CleanDocument(blocks: parsed.blocks, title: frontTitle ?? parsed.title, fallbackTitle: fallbackTitle)
        default:
            let (body, frontTitle) = FrontMatter.split(raw)
            document = CleanDocument(blocks: TextCleaner.paragraphs(of: body).map { .paragraph($0) },
                                     title: frontTitle, fallbackTitle: fallbackTitle)
        }
        guard !document.text.isEmpty else { throw UndecodableText.empty }
        return LoadedDocument(document: document, format: format, encoding: encoding)
    }
}
