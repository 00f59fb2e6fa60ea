import CPoppler
import Foundation

/// Reads a PDF's text layer through poppler (libpoppler-glib): each page's text in poppler's reading order
/// (columns kept apart) with every line's position, the outline (bookmarks), and the title. `PDFLayout`
/// turns those into blocks. Damaged, truncated and encrypted files, and files without any text layer, are
/// `UnreadableDocument`s.
enum PDFLoader {
    /// Pages Tesseract reads with less confidence than this (percent) are named in the ingest report.
    static let lowConfidence = 60

    /// The blocks, the document's title, and notes for the ingest report (pages without a text layer, or
    /// read by OCR). With `ocr`, image-only pages are recognised by `PageRecognizer`.
    static func blocks(from data: Data, ocr: Bool = false, onOCRPage: (Int, Int) -> Void = { _, _ in })
        throws -> (blocks: [CleanDocument.Block], title: String?, notes: [String]) {
        guard data.starts(with: DocumentFormat.pdfMagic) else {
            throw UnreadableDocument.unsupportedContainer("named .pdf but not a PDF (no %PDF- header)")
        }
        // poppler reconstructs a cut-off file from what is left and reads part of it without complaint;
        // a complete PDF ends with %%EOF (some writers append a few bytes after it).
        guard data.suffix(2048).range(of: Data("%%EOF".utf8)) != nil else {
            throw UnreadableDocument.truncated(.pdf, detail: "the file ends before its %%EOF marker")
        }
        let document = try open(data)
        defer { g_object_unref(UnsafeMutableRawPointer(document)) }
        let pageCount = Int(poppler_document_get_n_pages(document))
        guard pageCount > 0 else { throw UnreadableDocument.damaged(.pdf, detail: "no pages") }
        var pages = (0..<pageCount).map { index -> [PDFLine] in
            guard let page = poppler_document_get_page(document, Int32(index)) else { return [] }
            defer { g_object_unref(UnsafeMutableRawPointer(page)) }
            return lines(of: page)
        }
        let imageOnly = pages.indices.filter { pages[$0].isEmpty }.map { $0 + 1 }
        var notes: [String] = []
        if ocr, !imageOnly.isEmpty {
            let recognizer = try PageRecognizer()
            var confidences: [Int: Int] = [:]
            for (position, number) in imageOnly.enumerated() {
                onOCRPage(position + 1, imageOnly.count)
                guard let page = poppler_document_get_page(document, Int32(number - 1)) else { continue }
                defer { g_object_unref(UnsafeMutableRawPointer(page)) }
                (pages[number - 1], confidences[number]) = recognizer.recognize(page)
            }
            let read = imageOnly.filter { !pages[$0 - 1].isEmpty }
            guard !read.isEmpty || imageOnly.count < pageCount else { throw UnreadableDocument.ocrFoundNothing(pages: pageCount) }
            if !read.isEmpty {
                let mean = read.map { confidences[$0] ?? 0 }.reduce(0, +) / read.count
                notes.append(UnreadableDocument.recognized(read, confidence: mean,
                                                           lowConfidence: read.filter { (confidences[$0] ?? 0) < lowConfidence }))
            }
        } else if !imageOnly.isEmpty {
            guard imageOnly.count < pageCount else { throw UnreadableDocument.noTextLayer(pages: pageCount) }
            notes.append(UnreadableDocument.pagesWithoutText(imageOnly, of: pageCount))
        }
        let title = takeString(poppler_document_get_title(document))
        return (PDFLayout.blocks(pages: pages, outline: outline(of: document)), title, notes)
    }

    static func open(_ data: Data) throws -> OpaquePointer {
        let bytes = data.withUnsafeBytes { g_bytes_new($0.baseAddress, gsize($0.count)) }
        defer { g_bytes_unref(bytes) }
        var error: UnsafeMutablePointer<GError>?
        if let document = poppler_document_new_from_bytes(bytes, nil, &error) { return document }
        defer { if error != nil { g_error_free(error) } }
        if let error, error.pointee.domain == poppler_error_quark(), error.pointee.code == Int32(POPPLER_ERROR_ENCRYPTED.rawValue) {
            throw UnreadableDocument.encrypted(.pdf)
        }
        let message = error.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "poppler cannot open it"
        throw UnreadableDocument.damaged(.pdf, detail: message)
    }

    /// The page's text lines in reading order, each with the box around its characters (points from the
    /// page's top-left corner). Without per-character boxes (poppler gives none for some fonts) lines keep
    /// their order and get empty boxes.
    static func lines(of page: OpaquePointer) -> [PDFLine] {
        guard let raw = takeString(poppler_page_get_text(page)) else { return [] }
        var rectangles: UnsafeMutablePointer<PopplerRectangle>?
        var count: guint = 0
        let hasLayout = poppler_page_get_text_layout(page, &rectangles, &count) != 0
        defer { g_free(rectangles) }
        let scalars = Array(raw.unicodeScalars)
        let boxes = hasLayout && Int(count) == scalars.count ? UnsafeBufferPointer(start: rectangles, count: Int(count)) : nil
        var lines: [PDFLine] = [], current = String.UnicodeScalarView(), box: PDFLine.Box?
        func endLine() {
            let text = String(current).trimmingCharacters(in: .whitespaces)
            if !text.isEmpty { lines.append(PDFLine(text: text, box: box ?? .empty)) }
            current = String.UnicodeScalarView(); box = nil
        }
        for (index, scalar) in scalars.enumerated() {
            if scalar == "\n" { endLine(); continue }
            current.append(scalar)
            guard let boxes, !scalar.properties.isWhitespace else { continue }
            let r = boxes[index]
            let character = PDFLine.Box(left: r.x1, top: r.y1, right: r.x2, bottom: r.y2)
            box = box.map { $0.union(character) } ?? character
        }
        endLine()
        return lines
    }

    /// The outline (bookmarks), depth first, with each entry's level (1 = top) and 1-based page.
    static func outline(of document: OpaquePointer) -> [PDFOutlineEntry] {
        guard let iterator = poppler_index_iter_new(document) else { return [] }
        defer { poppler_index_iter_free(iterator) }
        var entries: [PDFOutlineEntry] = []
        walk(iterator, level: 1, document: document, into: &entries)
        return entries
    }

    static func walk(_ iterator: OpaquePointer, level: Int, document: OpaquePointer, into entries: inout [PDFOutlineEntry]) {
        repeat {
            if let action = poppler_index_iter_get_action(iterator) {
                let page = Int(rag_poppler_action_page(document, action))
                if page > 0, let title = rag_poppler_action_title(action).map({ String(cString: $0) }) {
                    entries.append(PDFOutlineEntry(level: level, title: title, page: page))
                }
                poppler_action_free(action)
            }
            if level < 16, let child = poppler_index_iter_get_child(iterator) {
                walk(child, level: level + 1, document: document, into: &entries)
                poppler_index_iter_free(child)
            }
        } while poppler_index_iter_next(iterator) != 0
    }

    /// A GLib-allocated string as a Swift string, freed; nil when NULL or empty.
    static func takeString(_ pointer: UnsafeMutablePointer<gchar>?) -> String? {
        guard let pointer else { return nil }
        defer { g_free(pointer) }
        let string = String(cString: pointer)
        return string.isEmpty ? nil : string
    }
}
