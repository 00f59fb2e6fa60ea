import Foundation
@testable import rag
import XCTest

/// `rag ingest` of a folder holding a PDF, a docx and an EPUB (plus a PDF with image-only pages, and two
/// that yield no text), through the real command-line path: the readable ones are indexed, the others
/// skipped with their reasons, the image-only pages noted, and a search hit on the PDF names its page.
extension RAGCommandTests {
    static let documentFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/documents").standardizedFileURL

    func testPDFDocxAndEPUBAreIndexedAndAPDFHitNamesItsPage() throws {
        let formats = folder.appendingPathComponent("formats")
        try FileManager.default.createDirectory(at: formats, withIntermediateDirectories: true)
        for name in ["pretraining-zh.pdf", "fine-tuning.docx", "handbook.epub", "partly-scanned.pdf", "scanned.pdf", "encrypted.pdf"] {
            try FileManager.default.copyItem(at: Self.documentFixtures.appendingPathComponent(name), to: formats.appendingPathComponent(name))
        }
        let docs = formats.path
        let report = try json(rag(["ingest", docs, "--index", index, "--json", "--quiet"]))
        XCTAssertEqual(report["added"] as? Int, 4)
        let notes = try XCTUnwrap(report["notes"] as? [[String: String]])
        XCTAssertEqual(notes.map { ($0["path"]! as NSString).lastPathComponent }, ["partly-scanned.pdf"])
        XCTAssertEqual(notes.first?["note"], "no text layer on pages 2–3, 5 of 5 (scanned? run rag ingest --ocr): their text is not indexed")
        let skipped = try XCTUnwrap(report["skipped"] as? [[String: String]])
        XCTAssertEqual(skipped.map { ($0["path"]! as NSString).lastPathComponent }, ["encrypted.pdf", "scanned.pdf"])
        XCTAssertEqual(skipped.map { $0["reason"]! }, [
            "encrypted PDF (needs a password; rag does not decrypt files)",
            "no text layer on page 1 (scanned? run rag ingest --ocr)",
        ])

        let search = try json(rag(["search", "学习率预热", "--mode", "lexical", "-k", "3", "--index", index, "--json"]))
        let top = try XCTUnwrap((search["hits"] as? [[String: Any]])?.first)
        XCTAssertTrue((top["source"] as? String)?.hasSuffix("pretraining-zh.pdf") == true, "\(top)")
        XCTAssertEqual(top["page"] as? Int, 3)
        XCTAssertNil(top["pages"])
        XCTAssertEqual(top["heading"] as? [String], ["优化与学习率"])

        let docxHit = try json(rag(["search", "训练轮数", "--mode", "lexical", "-k", "1", "--index", index, "--json"]))
        let docxTop = try XCTUnwrap((docxHit["hits"] as? [[String: Any]])?.first)
        XCTAssertTrue((docxTop["source"] as? String)?.hasSuffix("fine-tuning.docx") == true)
        XCTAssertNil(docxTop["page"], "documents without pages keep the documented JSON")

        let text = try rag(["search", "学习率预热", "--mode", "lexical", "-k", "1", "--index", index])
        XCTAssertTrue(text.contains("pretraining-zh.pdf p.3 #"), text)

        // The retrieval-based answer quotes the PDF with its page, like the search hit.
        let asked = try json(rag(["ask", "学习率预热是怎么做的", "--mode", "retrieve", "--index", index, "--json"]))
        let quotes = try XCTUnwrap((asked["retrieval"] as? [String: Any])?["quotes"] as? [[String: Any]])
        let fromPDF = try XCTUnwrap(quotes.first { ($0["source"] as? String)?.hasSuffix("pretraining-zh.pdf") == true }, "\(quotes)")
        XCTAssertNotNil(fromPDF["page"] ?? fromPDF["pages"], "\(fromPDF)")
        XCTAssertTrue(quotes.filter { ($0["source"] as? String)?.hasSuffix(".pdf") != true }.allSatisfy { $0["page"] == nil && $0["pages"] == nil })

        let stats = try json(rag(["stats", "--index", index, "--json"]))
        XCTAssertEqual(stats["documents"] as? Int, 4)
        XCTAssertEqual(stats["last_ingest_skipped"] as? Int, 2)

        // With --ocr a scan becomes searchable; the square-only page still yields nothing, now said so.
        try FileManager.default.copyItem(at: Self.documentFixtures.appendingPathComponent("scanned-zh.pdf"),
                                         to: formats.appendingPathComponent("scanned-zh.pdf"))
        let ocr = try json(rag(["ingest", docs, "--ocr", "--index", index, "--json", "--quiet"]))
        XCTAssertEqual(ocr["added"] as? Int, 1)
        XCTAssertEqual((ocr["skipped"] as? [[String: String]])?.map { $0["reason"]! }, [
            "encrypted PDF (needs a password; rag does not decrypt files)",
            "OCR found no text on page 1 (images without writing, or too faint to read)",
        ])
        XCTAssertTrue((ocr["notes"] as? [[String: String]])?.first?["note"]?.hasPrefix("OCR read page 1 (mean confidence ") == true, "\(ocr)")
        let scanned = try json(rag(["search", "余弦曲线缓慢下降", "--mode", "lexical", "-k", "5", "--index", index, "--json"]))
        let scanHit = try XCTUnwrap((scanned["hits"] as? [[String: Any]])?.first { ($0["source"] as? String)?.hasSuffix("scanned-zh.pdf") == true })
        XCTAssertEqual(scanHit["page"] as? Int, 1)
    }
}
