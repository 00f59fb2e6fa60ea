/// Recognising a web page saved under a text name, so its markup does not leak into passages (and from
/// there into quoted answers as `<p>当我们…`).
extension HTMLLoader {
    /// Elements whose tags mark a line as markup rather than prose that mentions a tag.
    static let commonElements: Set<String> = [
        "html", "head", "body", "meta", "link", "title", "script", "style", "div", "span", "p", "a", "br", "img",
        "ul", "ol", "li", "table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
        "header", "footer", "nav", "main", "strong", "em", "b", "i", "pre", "code", "blockquote", "figure",
    ]

    /// True when `text` starts as an HTML document (`<!DOCTYPE html`, `<html`) or is mostly markup: at
    /// least three of its non-blank lines, and half of them, open with a common HTML element's tag.
    static func looksLikeHTML(_ text: String) -> Bool {
        let head = text.prefix(512).drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).lowercased()
        if head.hasPrefix("<!doctype html") || head.hasPrefix("<html") { return true }
        var lines = 0, markupLines = 0
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            guard !trimmed.isEmpty else { continue }
            lines += 1
            if opensWithElementTag(trimmed) { markupLines += 1 }
        }
        return markupLines >= 3 && markupLines * 2 >= lines
    }

    /// `<p>`, `<div class=…>`, `</li>`: a tag of a common element at the start of `line`.
    static func opensWithElementTag(_ line: Substring) -> Bool {
        guard line.first == "<" else { return false }
        let name = line.dropFirst().drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber }).lowercased()
        guard commonElements.contains(name) else { return false }
        let after = line.dropFirst().drop(while: { $0 == "/" }).dropFirst(name.count).first
        return after == ">" || after == " " || after == "/" || after == "\t"
    }
}
