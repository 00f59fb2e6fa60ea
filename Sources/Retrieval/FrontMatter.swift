/// YAML front matter, as static-site generators write it at the top of Markdown: a first line `---`,
/// `key: value` lines, and a closing `---` or `...`. It describes the page rather than being part of it,
/// so loaders drop it and keep only its `title:`.
enum FrontMatter {
    /// `source` without its front matter, and the front matter's title when it has one.
    static func split(_ source: String) -> (body: String, title: String?) {
        let lines = source.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first?.trimmingSpaces() == "---",
              let end = lines.dropFirst().firstIndex(where: { ["---", "..."].contains($0.trimmingSpaces()) }) else {
            return (source, nil)
        }
        let title = lines[1..<end].lazy.compactMap(Self.title(in:)).first
        return (lines[(end + 1)...].joined(separator: "\n"), title)
    }

    /// The value of a `title: …` line, unquoted; nil for other keys and empty titles.
    static func title(in line: Substring) -> String? {
        guard line.hasPrefix("title:") else { return nil }
        var value = line.dropFirst("title:".count).trimmingSpaces()
        if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
            value = String(value.dropFirst().dropLast())
        }
        return value.isEmpty ? nil : value
    }
}
