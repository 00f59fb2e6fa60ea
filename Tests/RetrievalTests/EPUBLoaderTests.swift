import Foundation
import XCTest
@testable import Retrieval

/// handbook.epub: three chapters in spine order, two titled by the nav document, one by its own heading.
final class EPUBLoaderTests: XCTestCase {
    func testChaptersInSpineOrderUnderTheirTitles() throws {
        let loaded = try DocumentFixtures.load("handbook.epub")
        XCTAssertEqual(loaded.format, .epub)
        XCTAssertEqual(loaded.document.title, "预训练手册")
        XCTAssertEqual(loaded.document.headings.map(\.title), ["第一章 数据从哪里来", "第二章 清洗与分词", "分词", "评估模型"])
        XCTAssertEqual(loaded.document.headings.map(\.level), [1, 1, 3, 1])
        let text = loaded.document.text
        let order = ["预训练的数据来自网页", "训练语料要先去重", "分词器把文本切成词元", "Perplexity measures"].map { text.range(of: $0)!.lowerBound }
        XCTAssertEqual(order, order.sorted())
        XCTAssertFalse(text.contains("目录"), "the nav document is not a chapter")
    }

    func testHrefsResolveAgainstTheirPart() {
        XCTAssertEqual(EPUBPackage.resolve("text/c1.xhtml#start", relativeTo: "OEBPS/nav.xhtml"), "OEBPS/text/c1.xhtml")
        XCTAssertEqual(EPUBPackage.resolve("../images/My%20Cover.xhtml", relativeTo: "OEBPS/text/c1.xhtml"), "OEBPS/images/My Cover.xhtml")
        XCTAssertEqual(EPUBPackage.resolve("c2.xhtml", relativeTo: "content.opf"), "c2.xhtml")
    }

    /// EPUB 2 books name their chapters in an NCX file (the spine's `toc`), not a nav document.
    func testEPUB2ChapterTitlesComeFromTheNCX() throws {
        let book = try ZipFixtures.archive([
            "mimetype": "application/epub+zip",
            "META-INF/container.xml": #"<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf"/></rootfiles></container>"#,
            "content.opf": """
                <package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>旧版电子书</dc:title></metadata>
                <manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/><item id="a" href="a.html" media-type="application/xhtml+xml"/></manifest>
                <spine toc="ncx"><itemref idref="a"/></spine></package>
                """,
            "toc.ncx": #"<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap><navPoint id="p1"><navLabel><text>第一章 开始</text></navLabel><content src="a.html"/></navPoint></navMap></ncx>"#,
            "a.html": "<html><body><p>旧版电子书的正文。</p></body></html>",
        ])
        let document = try DocumentLoader.load(book, format: .epub, fileName: "old.epub").document
        XCTAssertEqual(document.title, "旧版电子书")
        XCTAssertEqual(document.text, "第一章 开始\n\n旧版电子书的正文。")
        XCTAssertEqual(document.headings.map(\.title), ["第一章 开始"])
    }

    func testAnEPUBWithoutItsPackageDocumentIsSkipped() throws {
        let zip = try ZipFixtures.archive(["mimetype": "application/epub+zip", "chapter.xhtml": "<p>x</p>"])
        XCTAssertEqual(DocumentFixtures.skipReason(zip, named: "book.epub"), "not a readable EPUB: it has no META-INF/container.xml")
    }
}
