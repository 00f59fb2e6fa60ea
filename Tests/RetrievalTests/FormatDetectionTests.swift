import Foundation
import XCTest
import ZIPFoundation
@testable import Retrieval

/// The bytes, not only the name, choose the loader; markup and front matter never reach passages.
final class FormatDetectionTests: XCTestCase {
    func testAPDFNamedAsTextIsReadAsPDF() throws {
        let loaded = try DocumentLoader.load(DocumentFixtures.data("pretraining-zh.pdf"), format: .text, fileName: "notes.txt")
        XCTAssertEqual(loaded.format, .pdf)
        XCTAssertTrue(loaded.document.text.hasPrefix("什么是预训练"))
    }

    func testContainersAreToldApartByWhatTheyHold() throws {
        XCTAssertEqual(try DocumentFormat.detect(DocumentFixtures.data("handbook.epub"), named: .docx), .epub)
        XCTAssertEqual(try DocumentFormat.detect(DocumentFixtures.data("fine-tuning.docx"), named: .epub), .docx)
        XCTAssertEqual(try DocumentFormat.detect(DocumentFixtures.data("fine-tuning.docx"), named: .text), .docx)
    }

    func testAZipThatIsNeitherDocxNorEPUBIsSkippedWithAReason() throws {
        let zip = try ZipFixtures.archive(["notes/readme.txt": "hello"])
        XCTAssertEqual(DocumentFixtures.skipReason(zip, named: "notes.txt"),
                       "unsupported file: a ZIP archive that is neither a docx nor an EPUB")
        XCTAssertEqual(DocumentFixtures.skipReason(zip, named: "notes.docx"), "not a readable docx: it has no word/document.xml")
    }

    func testAWebPageSavedAsTextIsReadAsHTML() throws {
        let page = """
            <p>当我们把内容放到这个transformer模型后，它会先把每个词变成向量。</p>
            <p>然后每一层都会让词元互相<b>注意</b>。</p>
            <div class="ad">广告</div>
            <p>最后输出下一个词元的概率。</p>
            """
        let loaded = try DocumentLoader.load(Data(page.utf8), format: .text, fileName: "saved.txt")
        XCTAssertEqual(loaded.format, .html)
        XCTAssertFalse(loaded.document.text.contains("<"), loaded.document.text)
        XCTAssertTrue(loaded.document.text.hasPrefix("当我们把内容放到这个transformer模型后"))

        let doctype = try DocumentLoader.load(Data("<!DOCTYPE html><html><body><p>正文</p></body></html>".utf8), format: .text, fileName: "a.txt")
        XCTAssertEqual(doctype.format, .html)
        XCTAssertEqual(doctype.document.text, "正文")
    }

    func testProseThatMentionsATagStaysText() throws {
        let prose = "HTML paragraphs are written with the <p> element.\n\nA <div> groups other elements.\n\nThat is all."
        let loaded = try DocumentLoader.load(Data(prose.utf8), format: .text, fileName: "notes.txt")
        XCTAssertEqual(loaded.format, .text)
        XCTAssertTrue(loaded.document.text.contains("<p> element"))
    }

    func testFrontMatterIsDroppedAndItsTitleKept() throws {
        let markdown = "---\ntitle: \"预训练入门\"\ntags: [llm]\n---\n\n# 第一节\n\n正文。\n"
        let loaded = try DocumentLoader.load(Data(markdown.utf8), format: .markdown, fileName: "intro.md")
        XCTAssertEqual(loaded.document.title, "预训练入门")
        XCTAssertEqual(loaded.document.text, "第一节\n\n正文。")
        let untitled = try DocumentLoader.load(Data("---\nlayout: post\n---\n# 标题\n\n内容\n".utf8), format: .markdown, fileName: "b.md")
        XCTAssertEqual(untitled.document.title, "标题")
        XCTAssertFalse(untitled.document.text.contains("layout"))
    }
}

/// Small ZIP archives made in memory.
enum ZipFixtures {
    static func archive(_ entries: [String: String]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in entries.sorted(by: { $0.key < $1.key }) {
            let bytes = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data!
    }
}
