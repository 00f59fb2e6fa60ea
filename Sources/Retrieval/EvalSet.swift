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

/// A conversation of an eval file: questions asked in a row, each after the ones before it.
public struct EvalConversation: Equatable, Sendable {
    /// 1-based line number in the file (every turn carries it too).
    public var line: Int
    public var turns: [EvalQuestion]
}

/// What an eval file holds: single questions, or conversations.
public enum EvalFile: Equatable, Sendable {
    case questions([EvalQuestion])
    case conversations([EvalConversation])
}

/// Reads eval files: JSON Lines of {"q", "source" or "sources", optional "must_contain", optional
/// "unanswerable"}, or of {"turns": [such objects]} for conversations (see eval/README.md). Blank lines are skipped.
public enum EvalSet {
    struct Line: Decodable {
        var q: String?
        var source: String?
        var sources: [String]?
        var must_contain: [String]?
        var unanswerable: Bool?
        var turns: [Line]?
    }

    /// A file of single questions.
    public static func load(path: String) throws -> [EvalQuestion] {
        try parse(text(of: path), path: path)
    }

    /// A file of single questions or of conversations.
    public static func loadFile(path: String) throws -> EvalFile {
        try parseFile(text(of: path), path: path)
    }

    public static func parse(_ text: String, path: String) throws -> [EvalQuestion] {
        guard case .questions(let questions) = try parseFile(text, path: path) else {
            throw EvalFileError.badLine(path: path, line: 1, reason: "a conversation (\"turns\") where a question was expected")
        }
        return questions
    }

    public static func parseFile(_ text: String, path: String) throws -> EvalFile {
        var questions: [EvalQuestion] = [], conversations: [EvalConversation] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineText = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !lineText.isEmpty else { continue }
            let number = index + 1
            let line: Line
            do { line = try JSONDecoder().decode(Line.self, from: Data(lineText.utf8)) } catch {
                throw EvalFileError.badLine(path: path, line: number, reason: "not a JSON object with string fields q, source(s), must_contain (or an array \"turns\" of them)")
            }
            if let turns = line.turns {
                guard turns.count >= 2 else { throw EvalFileError.badLine(path: path, line: number, reason: "a conversation needs at least two \"turns\"") }
                conversations.append(EvalConversation(line: number, turns: try turns.map { try question($0, line: number, path: path) }))
            } else {
                questions.append(try question(line, line: number, path: path))
            }
            if !questions.isEmpty, !conversations.isEmpty {
                throw EvalFileError.badLine(path: path, line: number, reason: "the file mixes single questions and conversations (\"turns\"): keep them in two files")
            }
        }
        if !conversations.isEmpty { return .conversations(conversations) }
        guard !questions.isEmpty else { throw EvalFileError.empty(path: path) }
        return .questions(questions)
    }

    static func question(_ line: Line, line number: Int, path: String) throws -> EvalQuestion {
        guard let q = line.q, !q.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw EvalFileError.badLine(path: path, line: number, reason: "no question in \"q\"")
        }
        let sources = (line.sources ?? []) + (line.source.map { [$0] } ?? [])
        let unanswerable = line.unanswerable ?? false
        if sources.isEmpty, !unanswerable {
            throw EvalFileError.badLine(path: path, line: number, reason: "no \"source\" (use \"unanswerable\": true for questions the documents do not answer)")
        }
        return EvalQuestion(line: number, question: q, sources: sources, mustContain: line.must_contain ?? [], unanswerable: unanswerable)
    }

    static func text(of path: String) throws -> String {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw EvalFileError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EvalFileError.unreadable(path: path, reason: "not UTF-8 text")
        }
        return text
    }
}
