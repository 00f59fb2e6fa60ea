/// Reads Markdown into blocks: ATX and setext headings, paragraphs, fenced code kept whole; rules and HTML
/// comments dropped (front matter is removed before, by `FrontMatter`); inline markup (emphasis, code ticks, links, images) reduced to its text.
enum MarkdownLoader {
    static func blocks(from source: String) -> (blocks: [CleanDocument.Block], title: String?) {
        let lines = source.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [CleanDocument.Block] = []
        var paragraph: [String] = []
        var fence: String? = nil, code: [String] = []
        var inComment = false
        func flush() {
            if !paragraph.isEmpty { blocks.append(.paragraph(paragraph.map(inlineText).joined(separator: "\n"))); paragraph = [] }
        }
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingSpaces()
            if let open = fence {
                if trimmed.hasPrefix(open) { blocks.append(.paragraph(code.joined(separator: "\n"))); code = []; fence = nil }
                else { code.append(line) }
                continue
            }
            if inComment { if trimmed.contains("-->") { inComment = false }; continue }
            if trimmed.hasPrefix("<!--") { flush(); inComment = !trimmed.contains("-->"); continue }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { flush(); fence = String(trimmed.prefix(3)); continue }
            if let heading = atxHeading(trimmed) { flush(); blocks.append(heading); continue }
            if isSetextUnderline(trimmed), paragraph.count == 1, index > 0 {
                let level = trimmed.hasPrefix("=") ? 1 : 2
                blocks.append(.heading(level: level, text: inlineText(paragraph[0]))); paragraph = []
                continue
            }
            if trimmed.isEmpty || isRule(trimmed) { flush(); continue }
            paragraph.append(trimmed.hasPrefix(">") ? String(trimmed.drop(while: { $0 == ">" || $0 == " " })) : line)
        }
        flush()
        if fence != nil, !code.isEmpty { blocks.append(.paragraph(code.joined(separator: "\n"))) }
        let title = blocks.lazy.compactMap { block -> String? in
            if case .heading(1, let text) = block { return text } else { return nil }
        }.first
        return (blocks, title)
    }

    /// `## Title ##` → heading level 2 "Title"; needs a space after the hashes (so `#hashtag` stays text).
    static func atxHeading(_ line: String) -> CleanDocument.Block? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes) else { return nil }
        let rest = line.dropFirst(hashes)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        var text = rest.trimmingSpaces()
        while text.hasSuffix("#") { text.removeLast() }
        return .heading(level: hashes, text: inlineText(text))
    }

    static func isSetextUnderline(_ line: String) -> Bool {
        !line.isEmpty && (line.allSatisfy { $0 == "=" } || (line.count >= 2 && line.allSatisfy { $0 == "-" }))
    }

    static func isRule(_ line: String) -> Bool {
        let marks = line.filter { $0 != " " }
        guard marks.count >= 3, let first = marks.first, "-*_".contains(first) else { return false }
        return marks.allSatisfy { $0 == first }
    }

    /// Keeps what a reader sees: `[text](url)` → text, `![alt](src)` → alt, `**b**`/`__b__`/`` `c` `` → b, c.
    static func inlineText(_ line: String) -> String {
        var out = "", i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if c == "!" || c == "[" {
                let open = c == "!" ? line.index(after: i) : i
                if open < line.endIndex, line[open] == "[",
                   let close = line[open...].firstIndex(of: "]"),
                   line.index(after: close) < line.endIndex, line[line.index(after: close)] == "(",
                   let end = line[close...].firstIndex(of: ")") {
                    out += line[line.index(after: open)..<close]
                    i = line.index(after: end)
                    continue
                }
            }
            if c == "`" { i = line.index(after: i); continue }
            if (c == "*" || c == "_"), line.index(after: i) < line.endIndex, line[line.index(after: i)] == c {
                i = line.index(i, offsetBy: 2)
                continue
            }
            out.append(c)
            i = line.index(after: i)
        }
        return out
    }
}
