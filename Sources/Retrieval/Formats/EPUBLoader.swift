import Foundation

/// Reads an EPUB (a ZIP of XHTML chapters) into blocks: META-INF/container.xml names the package document
/// (OPF), whose spine gives the reading order; each chapter goes through `HTMLLoader` and is headed by its
/// title from the table of contents (EPUB 3 nav, else the EPUB 2 NCX), else by its own first heading.
enum EPUBLoader {
    static func blocks(from data: Data) throws -> (blocks: [CleanDocument.Block], title: String?) {
        let container = try ZipContainer(data, format: .epub)
        guard let packagePath = try container.xml("META-INF/container.xml").root.all("rootfile").first?.attribute("full-path") else {
            throw UnreadableDocument.missingPart(.epub, part: "package document (rootfile in META-INF/container.xml)")
        }
        let package = try EPUBPackage(try container.xml(packagePath).root, path: packagePath)
        let titles = try package.tableOfContents.map { try chapterTitles(in: container, tableOfContents: $0) } ?? [:]
        var blocks: [CleanDocument.Block] = []
        for chapterPath in package.spine where chapterPath != package.tableOfContents?.path {
            let chapter = HTMLLoader.blocks(from: try chapterSource(chapterPath, in: container))
            blocks += headed(chapter.blocks, title: titles[chapterPath])
        }
        return (blocks, package.title)
    }

    /// A chapter's XHTML as text; an empty chapter is "", a binary one makes the book damaged.
    static func chapterSource(_ path: String, in container: ZipContainer) throws -> String {
        do {
            return try TextDecoding.decode(try container.data(path)).text
        } catch UndecodableText.empty {
            return ""
        } catch let error as UndecodableText {
            throw UnreadableDocument.damaged(.epub, detail: "chapter \(path): \(error.description)")
        }
    }

    /// A chapter's blocks under its table-of-contents title: a chapter that opens with a heading the title
    /// contains ("数据从哪里来" under "第一章 数据从哪里来") has that heading renamed; otherwise the title
    /// becomes a level-1 heading and the chapter's headings move one level down. Without a title the
    /// chapter keeps its own headings, the first of which names it.
    static func headed(_ blocks: [CleanDocument.Block], title: String?) -> [CleanDocument.Block] {
        guard let title = title.map(TextCleaner.cleanLine), !title.isEmpty else { return blocks }
        if case .heading(let level, let text)? = blocks.first, title.contains(TextCleaner.cleanLine(text)) {
            return [.heading(level: level, text: title)] + blocks.dropFirst()
        }
        return [.heading(level: 1, text: title)] + blocks.map { block in
            if case .heading(let level, let text) = block { return .heading(level: min(level + 1, 6), text: text) }
            return block
        }
    }

    /// Chapter path → its first title in the table of contents (later entries point into the same file).
    static func chapterTitles(in container: ZipContainer, tableOfContents: EPUBPackage.TableOfContents) throws -> [String: String] {
        let root = try container.xml(tableOfContents.path).root
        var titles: [String: String] = [:]
        let entries: [(href: String, title: String)]
        if tableOfContents.isNavDocument {
            let nav = root.all("nav").first { $0.attribute("type") == "toc" } ?? root.all("nav").first
            entries = (nav?.all("a") ?? []).compactMap { a in a.attribute("href").map { ($0, a.text) } }
        } else {
            entries = root.all("navPoint").compactMap { point in
                guard let src = point.first("content")?.attribute("src") else { return nil }
                return (src, point.first("navLabel")?.text ?? "")
            }
        }
        for entry in entries {
            let path = EPUBPackage.resolve(entry.href, relativeTo: tableOfContents.path)
            let title = TextCleaner.cleanLine(entry.title)
            if titles[path] == nil, !title.isEmpty { titles[path] = title }
        }
        return titles
    }
}

/// What an EPUB's package document says: the title, the chapters in reading order (ZIP paths), and where
/// the table of contents is.
struct EPUBPackage {
    struct TableOfContents { var path: String; var isNavDocument: Bool }

    var title: String?
    var spine: [String]
    var tableOfContents: TableOfContents?

    init(_ root: XMLTree.Element, path: String) throws {
        guard let manifest = root.first("manifest"), let spineElement = root.first("spine") else {
            throw UnreadableDocument.missingPart(.epub, part: "manifest and spine in \(path)")
        }
        var items: [String: (path: String, properties: String)] = [:]
        for item in manifest.all("item") {
            guard let id = item.attribute("id"), let href = item.attribute("href") else { continue }
            items[id] = (Self.resolve(href, relativeTo: path), item.attribute("properties") ?? "")
        }
        spine = spineElement.all("itemref").compactMap { $0.attribute("idref").flatMap { items[$0]?.path } }
        if let nav = items.values.first(where: { $0.properties.split(separator: " ").contains("nav") }) {
            tableOfContents = TableOfContents(path: nav.path, isNavDocument: true)
        } else if let ncx = spineElement.attribute("toc").flatMap({ items[$0] }) {
            tableOfContents = TableOfContents(path: ncx.path, isNavDocument: false)
        }
        let title = root.first("metadata")?.first("title")?.text.trimmingCharacters(in: .whitespacesAndNewlines)
        self.title = title?.isEmpty == false ? title : nil
    }

    /// The ZIP path of `href` (percent-encoded, maybe with a `#fragment`) written in the part at `base`.
    static func resolve(_ href: String, relativeTo base: String) -> String {
        let withoutFragment = href.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? href
        let decoded = withoutFragment.removingPercentEncoding ?? withoutFragment
        var parts = base.split(separator: "/").dropLast().map(String.init)
        if decoded.hasPrefix("/") { parts = [] }
        for component in decoded.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(String(component))
            }
        }
        return parts.joined(separator: "/")
    }
}
