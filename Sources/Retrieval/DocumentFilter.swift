import Foundation

/// Which documents a search may return (`--in GLOB`, `--not-in GLOB`): a document is admitted when it matches
/// one of `included` (or `included` is empty) and none of `excluded`. Patterns are shell globs (`*`, `?`,
/// `[...]`) matched against the path as ingest recorded it (`rag list`), where `*` also crosses folders
/// (`*.pdf` is every PDF); a pattern without `/` may instead match the file name alone (`09-*.md`), and one
/// ending in `/` is everything under that folder (`manuals/`). The search applies it before ranking, so `k`
/// hits still come back when that many admitted passages exist.
public struct DocumentFilter: Equatable, Sendable {
    public var included: [String]
    public var excluded: [String]

    public init(included: [String] = [], excluded: [String] = []) {
        self.included = included; self.excluded = excluded
    }

    /// Admits every document.
    public static let all = DocumentFilter()

    public var admitsEverything: Bool { included.isEmpty && excluded.isEmpty }

    public func admits(path: String) -> Bool {
        if !included.isEmpty && !included.contains(where: { Self.matches($0, path) }) { return false }
        return !excluded.contains(where: { Self.matches($0, path) })
    }

    /// The filter in words, for messages any front-end can show: `in "Corpus/*", not in "*.pdf"`.
    public var description: String {
        func quoted(_ patterns: [String]) -> String { patterns.map { "\"\($0)\"" }.joined(separator: " or ") }
        return ((included.isEmpty ? [] : ["in " + quoted(included)]) + (excluded.isEmpty ? [] : ["not in " + quoted(excluded)]))
            .joined(separator: ", ")
    }

    static func matches(_ pattern: String, _ path: String) -> Bool {
        let glob = pattern.hasSuffix("/") ? pattern + "*" : pattern
        if fnmatch(glob, path, 0) == 0 { return true }
        guard !glob.contains("/"), let slash = path.lastIndex(of: "/") else { return false }
        return fnmatch(glob, String(path[path.index(after: slash)...]), 0) == 0
    }
}
