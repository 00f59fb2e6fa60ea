/// Reads an HTML page into blocks with a small tolerant scanner (no DOM): text of scripts, styles and
/// page chrome (nav, aside, footer, page-level header, forms) is dropped, block elements end paragraphs,
/// h1–h6 become headings, entities are decoded, and `<title>` names the document.
enum HTMLLoader {
    /// Elements whose whole content is never prose.
    static let rawTextElements: Set<String> = ["script", "style", "textarea"]
    /// Page chrome: navigation and boilerplate around the content.
    static let chromeElements: Set<String> = ["nav", "aside", "footer", "noscript", "template", "svg", "form", "button", "select", "iframe", "head"]
    /// Elements that end a paragraph when they open or close.
    static let blockElements: Set<String> = [
        "p", "div", "section", "article", "main", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody",
        "tr", "td", "th", "blockquote", "pre", "hr", "figure", "figcaption", "caption", "address", "details", "summary",
        "header", "body", "html",
    ]

    static func blocks(from source: String) -> (blocks: [CleanDocument.Block], title: String?) {
        var scanner = Scanner(Array(source.unicodeScalars))
        scanner.run()
        return (scanner.blocks, scanner.title)
    }

    struct Scanner {
        let s: [Unicode.Scalar]
        var i = 0
        var blocks: [CleanDocument.Block] = []
        var title: String?
        var paragraph = String.UnicodeScalarView()
        var heading: (level: Int, text: String.UnicodeScalarView)?
        var titleText: String.UnicodeScalarView?
        var chrome: [String] = []     // open chrome elements; text is dropped while non-empty
        var contentDepth = 0          // open article/main elements: a header inside them is content
        var preDepth = 0

        init(_ scalars: [Unicode.Scalar]) { s = scalars }

        mutating func run() {
            while i < s.count {
                if s[i] == "<" { tag() } else if s[i] == "&" { text(HTMLEntities.decode(s, at: &i)) } else { text(s[i]); i += 1 }
            }
            endParagraph()
        }

        mutating func text(_ c: Unicode.Scalar) {
            let c = (c == "\n" || c == "\r") && preDepth == 0 ? " " : c
            if titleText != nil { titleText!.append(c); return }
            guard chrome.isEmpty else { return }
            if heading != nil { heading!.text.append(c) } else { paragraph.append(c) }
        }

        mutating func text(_ string: String) { for c in string.unicodeScalars { text(c) } }

        mutating func endParagraph() {
            let content = String(paragraph)
            paragraph = String.UnicodeScalarView()
            if !content.allSatisfy(\.isWhitespace) { blocks.append(.paragraph(content)) }
        }

        func starts(with literal: String, at position: Int) -> Bool {
            var j = position
            for c in literal.unicodeScalars {
                guard j < s.count, Character(s[j]).lowercased() == Character(c).lowercased() else { return false }
                j += 1
            }
            return true
        }

        /// Moves past the first occurrence of `literal` (case-insensitive), or to the end.
        mutating func skip(past literal: String) {
            while i < s.count, !starts(with: literal, at: i) { i += 1 }
            i = min(s.count, i + literal.unicodeScalars.count)
        }

        mutating func tag() {
            if starts(with: "<!--", at: i) { skip(past: "-->"); return }
            var j = i + 1
            let closing = j < s.count && s[j] == "/"
            if closing { j += 1 }
            var name = ""
            while j < s.count, s[j].properties.isAlphabetic || ("0"..."9").contains(s[j]) {
                name.unicodeScalars.append(s[j]); j += 1
            }
            guard !name.isEmpty else {
                if j < s.count, s[j] == "!" || s[j] == "?" { skip(past: ">") } else { text(s[i]); i += 1 }
                return
            }
            name = name.lowercased()
            var quote: Unicode.Scalar? = nil
            while j < s.count {  // to the closing '>' outside attribute quotes
                if let q = quote { if s[j] == q { quote = nil } } else if s[j] == "\"" || s[j] == "'" { quote = s[j] } else if s[j] == ">" { break }
                j += 1
            }
            let selfClosing = j > 0 && j < s.count && s[j - 1] == "/"
            i = min(s.count, j + 1)
            if !closing, HTMLLoader.rawTextElements.contains(name) { skip(past: "</" + name); skip(past: ">"); return }
            closing ? close(name) : open(name, selfClosing: selfClosing)
        }

        mutating func open(_ name: String, selfClosing: Bool) {
            if name == "title" { titleText = String.UnicodeScalarView(); return }
            if HTMLLoader.chromeElements.contains(name) || (name == "header" && contentDepth == 0) || !chrome.isEmpty && chrome.contains(name) {
                if !selfClosing { chrome.append(name) }
                return
            }
            guard chrome.isEmpty else { return }
            if name == "article" || name == "main" { contentDepth += 1 }
            if name == "pre" { preDepth += 1 }
            if let level = Self.headingLevel(name) {
                endParagraph()
                heading = (level, String.UnicodeScalarView())
            } else if name == "br" {
                if heading != nil { heading!.text.append(" ") } else { paragraph.append("\n") }
            } else if HTMLLoader.blockElements.contains(name) {
                endHeadingOrParagraph()
            }
        }

        mutating func close(_ name: String) {
            if name == "title", let t = titleText { title = String(t); titleText = nil; return }
            if let last = chrome.lastIndex(of: name) { chrome.removeSubrange(last...); return }
            guard chrome.isEmpty else { return }
            if name == "article" || name == "main" { contentDepth = max(0, contentDepth - 1) }
            if name == "pre" { preDepth = max(0, preDepth - 1) }
            if Self.headingLevel(name) != nil || HTMLLoader.blockElements.contains(name) { endHeadingOrParagraph() }
        }

        mutating func endHeadingOrParagraph() {
            if let h = heading {
                let content = String(h.text)
                if !content.allSatisfy(\.isWhitespace) { blocks.append(.heading(level: h.level, text: content)) }
                heading = nil
            } else {
                endParagraph()
            }
        }

        static func headingLevel(_ name: String) -> Int? {
            guard name.count == 2, name.first == "h", let level = Int(String(name.last!)), (1...6).contains(level) else { return nil }
            return level
        }
    }
}

/// HTML character references: numeric (`&#20013;`, `&#x4E2D;`) and the named ones that occur in prose.
enum HTMLEntities {
    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "ensp": " ", "emsp": " ",
        "thinsp": " ", "ideographicspace": "\u{3000}", "mdash": "—", "ndash": "–", "hellip": "…", "laquo": "«", "raquo": "»",
        "ldquo": "“", "rdquo": "”", "lsquo": "‘", "rsquo": "’", "copy": "©", "reg": "®", "trade": "™", "middot": "·",
        "times": "×", "divide": "÷", "deg": "°", "plusmn": "±", "bull": "•", "para": "¶", "sect": "§", "yen": "¥",
        "euro": "€", "pound": "£", "cent": "¢", "shy": "\u{AD}", "zwj": "\u{200D}", "zwnj": "\u{200C}",
    ]

    /// Decodes the reference starting at `s[i]` (an `&`) and moves `i` past it; an `&` that starts no
    /// known reference stays a literal `&`.
    static func decode(_ s: [Unicode.Scalar], at i: inout Int) -> String {
        var j = i + 1, body = ""
        while j < s.count, j - i <= 32, s[j] != ";" {
            guard s[j].properties.isAlphabetic || ("0"..."9").contains(s[j]) || s[j] == "#" else { break }
            body.unicodeScalars.append(s[j]); j += 1
        }
        guard j < s.count, s[j] == ";", !body.isEmpty else { i += 1; return "&" }
        let decoded: String?
        if body.hasPrefix("#x") || body.hasPrefix("#X") {
            decoded = UInt32(body.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
        } else if body.hasPrefix("#") {
            decoded = UInt32(body.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
        } else {
            decoded = named[body] ?? named[body.lowercased()]
        }
        guard let decoded else { i += 1; return "&" }
        i = j + 1
        return decoded
    }
}
