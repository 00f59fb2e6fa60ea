@testable import Retrieval
import XCTest

final class DocumentLoaderTests: XCTestCase {
    func load(_ source: String, _ format: DocumentFormat) throws -> CleanDocument {
        try DocumentLoader.load(Data(source.utf8), format: format, fileName: "doc.\(format.rawValue)").document
    }

    func testHTMLDropsChromeScriptsAndStylesKeepsHeadingsAndDecodesEntities() throws {
        let html = """
            <!DOCTYPE html><html><head><title>注意力 &amp; 记忆</title><style>p { color: red; }</style>
            <script>var x = "<p>not text</p>";</script></head>
            <body><header><a href="/">首页</a> | <a href="/about">关于</a></header>
            <nav><ul><li>导航一</li><li>导航二</li></ul></nav>
            <main><article><header><h1>自注意力</h1></header>
            <p>每个词元&nbsp;都会&ldquo;看&rdquo;其他词元&#xFF0C;并计算权重&#12290;</p>
            <!-- a comment <p>hidden</p> -->
            <h2>公式</h2><p>score = q&middot;k / &radic;d &lt;b&gt; a &amp;&amp; b<br>第二行</p>
            </article></main>
            <aside>相关文章</aside><footer>版权所有 &copy; 2026</footer>
            <script type="module">console.log(1)</script></body></html>
            """
        let doc = try load(html, .html)
        XCTAssertEqual(doc.title, "注意力 & 记忆")
        XCTAssertEqual(doc.text, """
            自注意力

            每个词元 都会“看”其他词元，并计算权重。

            公式

            score = q·k / &radic;d <b> a && b
            第二行
            """)
        XCTAssertEqual(doc.headings.map(\.title), ["自注意力", "公式"])
        XCTAssertEqual(doc.headings.map(\.level), [1, 2])
        for chrome in ["首页", "导航", "相关文章", "版权", "color", "console", "not text", "hidden"] {
            XCTAssertFalse(doc.text.contains(chrome), chrome)
        }
    }

    func testMarkdownHeadingsParagraphsAndInlineMarkup() throws {
        let markdown = """
            ---
            author: someone
            ---
            # 位置编码

            Transformer **本身**不知道顺序，
            需要 `位置编码`，见[论文](https://example.com)。

            Setext 标题
            -----------

            ```
            code  stays   as is
            ```
            * * *
            > 引用的一句话。
            """
        let doc = try load(markdown, .markdown)
        XCTAssertEqual(doc.title, "位置编码")
        XCTAssertEqual(doc.text, """
            位置编码

            Transformer 本身不知道顺序，
            需要 位置编码，见论文。

            Setext 标题

            code stays as is

            引用的一句话。
            """)
        XCTAssertEqual(doc.headings.map(\.level), [1, 2])
        XCTAssertFalse(doc.text.contains("author"))
    }

    func testPlainTextKeepsParagraphsAndNormalisesSpaces() throws {
        let text = "第一段\u{3000}第一行  \r\n\t第二行\u{200B}\r\n\r\n  \u{3000} \r\n第二段\u{00A0}结束。\n\n\n\n第三段"
        let doc = try load(text, .text)
        XCTAssertEqual(doc.text, "第一段 第一行\n第二行\n\n第二段 结束。\n\n第三段")
        XCTAssertEqual(doc.title, "第一段 第一行")
        XCTAssertTrue(doc.headings.isEmpty)
    }

    func testHeadingOffsetsPointIntoTheCleanedText() throws {
        let doc = try load("# 一\n\n正文。\n\n## 二\n\n更多。", .markdown)
        let scalars = Array(doc.text.unicodeScalars)
        for heading in doc.headings {
            let end = heading.offset + heading.title.unicodeScalars.count
            XCTAssertEqual(String(String.UnicodeScalarView(scalars[heading.offset..<end])), heading.title)
        }
    }

    func testADocumentWithNoTextIsSkipped() {
        XCTAssertThrowsError(try load("<html><script>x()</script><nav>menu</nav></html>", .html)) {
            XCTAssertEqual($0 as? UndecodableText, .empty)
        }
    }

    func testFormatsByExtension() {
        XCTAssertEqual(DocumentFormat(fileExtension: "HTM"), .html)
        XCTAssertEqual(DocumentFormat(fileExtension: "markdown"), .markdown)
        XCTAssertEqual(DocumentFormat(fileExtension: "PDF"), .pdf)
        XCTAssertEqual(DocumentFormat(fileExtension: "docx"), .docx)
        XCTAssertEqual(DocumentFormat(fileExtension: "epub"), .epub)
        XCTAssertNil(DocumentFormat(fileExtension: "doc"))
    }
}
