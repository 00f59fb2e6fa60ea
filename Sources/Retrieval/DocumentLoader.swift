import Foundation

/// The file formats rag reads, chosen by file extension.
public enum DocumentFormat: String, Sendable, CaseIterable {
    case text = "txt", markdown = "md", html = "html"

    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "txt", "text": self = .text
        case "md", "markdown": self = .markdown
        case "html", "htm", "xhtml": self = .html
        default: return nil
        }
    }
}

/// A file's text, cleaned, with what the index records about how it was read.
public struct LoadedDocument: Sendable {
    public var document: CleanDocument
    public var format: DocumentFormat
    public var encoding: TextEncoding
}

/// Turns a file's bytes into a `CleanDocument`: decode (`TextDecoding`), parse by format, clean.
public enum DocumentLoader {
    public static func load(_ data: Data, format: DocumentFormat, fileName: String) throws -> LoadedDocument {
        let (raw, encoding) = try TextDecoding.decode(data)
        let fallbackTitle = (fileName as NSString).deletingPathExtension
        let document: CleanDocument
        switch format {
        case .text:
            document = CleanDocument(blocks: TextCleaner.paragraphs(of: raw).map { .paragraph($0) },
                                     title: nil, fallbackTitle: fallbackTitle)
        case .markdown:
            let parsed = MarkdownLoader.blocks(from: raw)
            document = CleanDocument(blocks: parsed.blocks, title: parsed.title, fallbackTitle: fallbackTitle)
        case .html:
            let parsed = HTMLLoader.blocks(from: raw)
            document = CleanDocument(blocks: parsed.blocks, title: parsed.title, fallbackTitle: fallbackTitle)
        }
        guard !document.text.isEmpty else { throw UndecodableText.empty }
        return LoadedDocument(document: document, format: format, encoding: encoding)
    }
}
