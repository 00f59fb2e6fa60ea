import Foundation

/// One line of an eval file: a question and what a good answer draws on.
public struct EvalQuestion: Equatable, Sendable {
    /// 1-based line number in the file, for messages.
    public var line: Int
    public var question: String
    /// Documents (paths as ingested) that answer the question; empty for unanswerable questions.
    public var sources: [String]
    /// A generated answer is correct when it contains one of these (case-insensitive).
    public var mustContain: [String]
    public var unanswerable: Bool
}

/// A malformed eval file, with the line to fix.
public enum EvalFileError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case badLine(path: String, line: Int, reason: String)
    case empty(path: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        case .badLine(let path, let line, let reason): return "\(path):\(line): \(reason)"
        case .empty(let path): return "\(path) has no questions"
        }
    }
}

/// Reads eval files: JSON Lines of {"q", "source" or "sources", optional "must_contain", optional
/// "unanswerable"} (see eval/README.md). Blank lines are skipped.
public enum EvalSet {
    struct Line: Decodable {
        var q: String?
        var source: String?
        var sources: [String]?
        var must_contain: [String]?
        var unanswerable: Bool?
    }

    public static func load(path: String) throws -> [EvalQuestion] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw EvalFileError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EvalFileError.unreadable(path: path, reason: "not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> [EvalQuestion] {
        var questions: [EvalQuestion] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineText = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !lineText.isEmpty else { continue }
            let line: Line
            do { line = try JSONDecoder().decode(Line.self, from: Data(lineText.utf8)) } catch {
                throw EvalFileError.badLine(path: path, line: index + 1, reason: "not a JSON object with string fields q, source(s), must_contain")
            }
            guard let q = line.q, !q.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw EvalFileError.badLine(path: path, line: index + 1, reason: "no question in \"q\"")
            }
            let sources = (line.sources ?? []) + (line.source.map { [$0] } ?? [])
            let unanswerable = line.unanswerable ?? false
            if sources.isEmpty, !unanswerable {
                throw EvalFileError.badLine(path: path, line: index + 1, reason: "no \"source\" (use \"unanswerable\": true for questions the documents do not answer)")
            }
            questions.append(EvalQuestion(line: index + 1, question: q, sources: sources, mustContain: line.must_contain ?? [],
                                          unanswerable: unanswerable))
        }
        guard !questions.isEmpty else { throw EvalFileError.empty(path: path) }
        return questions
    }
}
