import Foundation

/// Reads a Word document (docx: a ZIP of WordprocessingML parts) into blocks: body paragraphs in order,
/// headings from the paragraph's style (Heading N / 标题 N, resolved through styles.xml, or the style's
/// outline level) or its own `w:outlineLvl`, list items, table rows, then footnotes and endnotes. Tracked
/// deletions are dropped and insertions kept, so the text is the document as it reads with changes accepted.
enum DocxLoader {
    static func blocks(from data: Data) throws -> (blocks: [CleanDocument.Block], title: String?) {
        let container = try ZipContainer(data, format: .docx)
        let document = try container.xml("word/document.xml")
        let styles = container.contains("word/styles.xml") ? DocxStyles(try container.xml("word/styles.xml").root) : DocxStyles()
        guard let body = document.root.first("body") else {
            throw UnreadableDocument.missingPart(.docx, part: "document body (w:body)")
        }
        var blocks: [CleanDocument.Block] = []
        appendBlocks(of: body, styles: styles, to: &blocks)
        for (part, noteName) in [("word/footnotes.xml", "footnote"), ("word/endnotes.xml", "endnote")] where container.contains(part) {
            for note in try container.xml(part).root.all(noteName) where note.attribute("type") == nil || note.attribute("type") == "normal" {
                for paragraph in note.all("p") { blocks.append(.paragraph(paragraphText(paragraph))) }
            }
        }
        return (blocks, try coreTitle(container))
    }

    /// Body-level content in order: paragraphs, tables, and the containers (content controls, custom XML)
    /// that wrap them.
    static func appendBlocks(of element: XMLTree.Element, styles: DocxStyles, to blocks: inout [CleanDocument.Block]) {
        for child in element.elements {
            switch child.name {
            case "p": blocks.append(block(for: child, styles: styles))
            case "tbl": appendRows(of: child, to: &blocks)
            case "sectPr", "del", "moveFrom": continue
            default: appendBlocks(of: child, styles: styles, to: &blocks)
            }
        }
    }

    static func block(for paragraph: XMLTree.Element, styles: DocxStyles) -> CleanDocument.Block {
        let text = paragraphText(paragraph)
        let properties = paragraph.first("pPr")
        let styleID = properties?.first("pStyle")?.attribute("val")
        let ownLevel = properties?.first("outlineLvl")?.attribute("val").flatMap(Int.init).flatMap(DocxStyles.headingLevel(outlineLevel:))
        if let level = ownLevel ?? styleID.flatMap(styles.headingLevel(of:)) { return .heading(level: level, text: text) }
        let numbered = properties?.first("numPr").map { $0.first("numId")?.attribute("val") != "0" } ?? false
        if numbered || styleID.map(styles.isList) == true { return .listItem(text) }
        return .paragraph(text)
    }

    /// One block per table row, its cells' paragraphs joined by spaces; rows deleted as a tracked change
    /// are dropped. A table inside a cell is flattened into that cell.
    static func appendRows(of table: XMLTree.Element, to blocks: inout [CleanDocument.Block]) {
        for row in table.all("tr") where row.first("trPr")?.first("del") == nil {
            let cells = row.all("tc").map { cell in cell.all("p").map(paragraphText).filter { !$0.isEmpty }.joined(separator: " ") }
            blocks.append(.tableRow(cells))
        }
    }

    /// The text of a paragraph as it reads with tracked changes accepted: runs (`w:t`), tabs and breaks,
    /// insertions and hyperlinks descended into; deletions, field instructions and properties skipped;
    /// text boxes inside drawings read once (the `mc:Fallback` copy is skipped).
    static func paragraphText(_ element: XMLTree.Element) -> String {
        var out = ""
        for node in element.children {
            guard case .element(let child) = node else { continue }
            switch child.name {
            case "t": out += child.text
            case "tab", "ptab": out += "\t"
            case "br", "cr": out += "\n"
            case "noBreakHyphen": out += "-"
            case "del", "moveFrom", "delText", "instrText", "delInstrText", "pPr", "rPr", "Fallback", "footnoteReference", "endnoteReference":
                continue
            case "drawing", "pict", "object":
                out += child.all("txbxContent").flatMap { $0.all("p") }.map(paragraphText).joined(separator: " ")
            default: out += paragraphText(child)
            }
        }
        return out
    }

    /// docProps/core.xml's dc:title, when the author set one.
    static func coreTitle(_ container: ZipContainer) throws -> String? {
        guard container.contains("docProps/core.xml") else { return nil }
        let title = try container.xml("docProps/core.xml").root.first("title")?.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return title?.isEmpty == false ? title : nil
    }
}

/// Paragraph styles of a docx, from word/styles.xml: which are headings (and at what level) and which
/// are lists. Style ids are arbitrary (LibreOffice and localised Word write "1" or "Heading1" or "标题1"),
/// so a style is judged by its name, its outline level, and the style it is based on.
struct DocxStyles {
    struct Style { var name: String; var basedOn: String?; var outlineLevel: Int?; var numbered: Bool }
    var styles: [String: Style] = [:]

    init() {}

    init(_ root: XMLTree.Element) {
        for style in root.all("style") where style.attribute("type") == "paragraph" {
            guard let id = style.attribute("styleId") else { continue }
            let properties = style.first("pPr")
            styles[id] = Style(name: style.first("name")?.attribute("val") ?? id,
                               basedOn: style.first("basedOn")?.attribute("val"),
                               outlineLevel: properties?.first("outlineLvl")?.attribute("val").flatMap(Int.init),
                               numbered: properties?.first("numPr") != nil)
        }
    }

    /// 1-based heading level, or nil for body styles. `heading 2`, `Heading 2`, `标题 2` → 2; `Title` → 1.
    func headingLevel(of id: String) -> Int? {
        var current: String? = id, seen = Set<String>()
        while let key = current, seen.insert(key).inserted {
            guard let style = styles[key] else { return Self.headingLevel(named: key) }
            if let level = Self.headingLevel(named: style.name) { return level }
            if let outline = style.outlineLevel { return Self.headingLevel(outlineLevel: outline) }
            current = style.basedOn
        }
        return nil
    }

    func isList(_ id: String) -> Bool {
        guard let style = styles[id] else { return false }
        return style.numbered || style.name.lowercased().hasPrefix("list")
    }

    static func headingLevel(named name: String) -> Int? {
        let lower = name.lowercased().replacingOccurrences(of: " ", with: "")
        if lower == "title" { return 1 }
        for prefix in ["heading", "标题"] where lower.hasPrefix(prefix) {
            if let level = Int(lower.dropFirst(prefix.count)), (1...9).contains(level) { return min(level, 6) }
        }
        return nil
    }

    /// `w:outlineLvl` counts from 0; 9 means body text.
    static func headingLevel(outlineLevel: Int) -> Int? {
        (0...8).contains(outlineLevel) ? min(outlineLevel + 1, 6) : nil
    }
}
