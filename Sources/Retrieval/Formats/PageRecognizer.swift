import CPoppler
import CTesseract
import Foundation

/// Recognises the text of PDF pages that are only images (scans), with Tesseract's Chinese and English
/// models: poppler renders the page at `resolution`, Tesseract finds its text lines, and each line comes
/// back as a `PDFLine` in points, so OCR'd pages go through the same layout steps as text pages.
final class PageRecognizer {
    /// Simplified Chinese first: its model also reads the Latin letters and digits that Chinese text holds.
    static let languages = "chi_sim+eng"
    /// 300 dpi: Tesseract's models are trained on text of about this size; at 200 dpi it drops characters.
    static let resolution = 300.0

    private let api: OpaquePointer

    init() throws {
        guard let api = TessBaseAPICreate() else { throw UnreadableDocument.ocrUnavailable }
        guard TessBaseAPIInit3(api, nil, Self.languages) == 0 else {
            TessBaseAPIDelete(api)
            throw UnreadableDocument.ocrUnavailable
        }
        self.api = api
    }

    deinit {
        TessBaseAPIEnd(api)
        TessBaseAPIDelete(api)
    }

    /// The page's text lines in reading order, and Tesseract's mean confidence in them (0–100).
    func recognize(_ page: OpaquePointer) -> (lines: [PDFLine], confidence: Int) {
        var width = 0.0, height = 0.0
        poppler_page_get_size(page, &width, &height)
        let scale = Self.resolution / 72
        let pixelsWide = Int32((width * scale).rounded(.up)), pixelsHigh = Int32((height * scale).rounded(.up))
        guard pixelsWide > 0, pixelsHigh > 0, let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pixelsWide, pixelsHigh) else {
            return ([], 0)
        }
        defer { cairo_surface_destroy(surface) }
        let context = cairo_create(surface)
        cairo_set_source_rgb(context, 1, 1, 1)  // scans are dark text on paper; a transparent page would render black
        cairo_paint(context)
        cairo_scale(context, scale, scale)
        poppler_page_render_for_printing(page, context)
        cairo_destroy(context)
        cairo_surface_flush(surface)
        // RGB24 is one 32-bit word per pixel; Tesseract reads it as 4 bytes of which the colour order does not
        // matter for text that is grey.
        TessBaseAPISetImage(api, cairo_image_surface_get_data(surface), pixelsWide, pixelsHigh, 4, cairo_image_surface_get_stride(surface))
        TessBaseAPISetSourceResolution(api, Int32(Self.resolution))
        guard TessBaseAPIRecognize(api, nil) == 0, let iterator = TessBaseAPIGetIterator(api) else { return ([], 0) }
        defer { TessResultIteratorDelete(iterator) }
        let pages = TessResultIteratorGetPageIterator(iterator)
        var lines: [PDFLine] = []
        repeat {
            guard let raw = TessResultIteratorGetUTF8Text(iterator, RIL_TEXTLINE) else { continue }
            let text = Self.withoutSpacesBetweenCJK(String(cString: raw).trimmingCharacters(in: .whitespacesAndNewlines))
            TessDeleteText(raw)
            var left: Int32 = 0, top: Int32 = 0, right: Int32 = 0, bottom: Int32 = 0
            guard !text.isEmpty, TessPageIteratorBoundingBox(pages, RIL_TEXTLINE, &left, &top, &right, &bottom) != 0 else { continue }
            lines.append(PDFLine(text: text, box: PDFLine.Box(left: Double(left) / scale, top: Double(top) / scale,
                                                              right: Double(right) / scale, bottom: Double(bottom) / scale)))
        } while TessPageIteratorNext(pages, RIL_TEXTLINE) != 0
        return (lines, Int(TessBaseAPIMeanTextConf(api)))
    }

    /// Tesseract puts a space between most Chinese characters; Chinese has none.
    static func withoutSpacesBetweenCJK(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (i, s) in scalars.enumerated() {
            if s == " ", i > 0, i + 1 < scalars.count, PDFLayout.isCJK(scalars[i - 1]), PDFLayout.isCJK(scalars[i + 1]) { continue }
            out.append(s)
        }
        return String(out)
    }
}
