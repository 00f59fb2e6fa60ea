import MCP
import Retrieval

/// One tool call's arguments, read by name. Anything missing, mistyped, out of range or unknown is a
/// `ToolArgumentError`: the client gets its one line as a tool error and can correct the call.
struct ToolArguments {
    let tool: String
    private let values: [String: Value]

    /// Refuses names the tool does not take (a misspelt "top_k" would otherwise be silently ignored).
    init(tool: String, _ values: [String: Value]?, accepted: [String]) throws {
        self.tool = tool
        self.values = (values ?? [:]).filter { !$0.value.isNull }  // null is how some clients leave an option out
        if let unknown = self.values.keys.sorted().first(where: { !accepted.contains($0) }) {
            throw ToolArgumentError.unknown(tool: tool, name: unknown, accepted: accepted)
        }
    }

    func string(_ name: String) throws -> String? {
        guard let value = values[name] else { return nil }
        guard let text = value.stringValue else { throw ToolArgumentError.wrongType(tool: tool, name: name, expected: "a string") }
        return text
    }

    /// A string that must be given and hold more than whitespace.
    func requiredText(_ name: String) throws -> String {
        guard let text = try string(name) else { throw ToolArgumentError.missing(tool: tool, name: name) }
        guard !text.allSatisfy(\.isWhitespace) else { throw ToolArgumentError.empty(tool: tool, name: name) }
        return text
    }

    /// An integer in `range`; a JSON number with no fraction (5.0) counts as one.
    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = values[name] else { return nil }
        let number: Int?
        switch value {
        case .int(let n): number = n
        case .double(let d) where d.rounded() == d && abs(d) < 1e15: number = Int(d)
        default: number = nil
        }
        guard let number else { throw ToolArgumentError.wrongType(tool: tool, name: name, expected: "an integer") }
        guard range.contains(number) else { throw ToolArgumentError.outOfRange(tool: tool, name: name, value: number, range: range) }
        return number
    }

    /// One of a string enumeration's raw values.
    func choice<Choice: RawRepresentable & CaseIterable>(_ name: String, of: Choice.Type) throws -> Choice? where Choice.RawValue == String {
        guard let text = try string(name) else { return nil }
        guard let chosen = Choice(rawValue: text) else {
            throw ToolArgumentError.notAChoice(tool: tool, name: name, value: text, choices: Choice.allCases.map(\.rawValue))
        }
        return chosen
    }

    /// A boolean; nil when absent.
    func boolean(_ name: String) throws -> Bool? {
        guard let value = values[name] else { return nil }
        guard case .bool(let flag) = value else { throw ToolArgumentError.wrongType(tool: tool, name: name, expected: "true or false") }
        return flag
    }

    /// An array of strings, or one string taken as an array of one; nil when absent.
    func strings(_ name: String) throws -> [String]? {
        guard let value = values[name] else { return nil }
        if let single = value.stringValue { return [single] }
        guard let items = value.arrayValue, case let strings = items.compactMap(\.stringValue), strings.count == items.count else {
            throw ToolArgumentError.wrongType(tool: tool, name: name, expected: "an array of strings")
        }
        return strings
    }

    /// The `in` / `not_in` globs of search and ask.
    func documentFilter() throws -> DocumentFilter {
        DocumentFilter(included: try strings("in") ?? [], excluded: try strings("not_in") ?? [])
    }

    /// A non-empty array of strings that must be given.
    func requiredStrings(_ name: String) throws -> [String] {
        guard let value = values[name] else { throw ToolArgumentError.missing(tool: tool, name: name) }
        guard let items = value.arrayValue, case let strings = items.compactMap(\.stringValue), strings.count == items.count else {
            throw ToolArgumentError.wrongType(tool: tool, name: name, expected: "an array of strings")
        }
        guard !strings.isEmpty else { throw ToolArgumentError.empty(tool: tool, name: name) }
        return strings
    }
}

/// A tool call whose arguments do not fit the tool's input schema, in one line.
enum ToolArgumentError: Error, Equatable, CustomStringConvertible {
    case missing(tool: String, name: String)
    case empty(tool: String, name: String)
    case wrongType(tool: String, name: String, expected: String)
    case outOfRange(tool: String, name: String, value: Int, range: ClosedRange<Int>)
    case notAChoice(tool: String, name: String, value: String, choices: [String])
    case unknown(tool: String, name: String, accepted: [String])

    var description: String {
        switch self {
        case .missing(let tool, let name): "\(tool) needs the argument \"\(name)\""
        case .empty(let tool, let name): "\(tool): \"\(name)\" is empty"
        case .wrongType(let tool, let name, let expected): "\(tool): \"\(name)\" must be \(expected)"
        case .outOfRange(let tool, let name, let value, let range):
            "\(tool): \"\(name)\" is \(value); it must be from \(range.lowerBound) to \(range.upperBound)"
        case .notAChoice(let tool, let name, let value, let choices):
            "\(tool): \"\(name)\" is \"\(value)\"; it must be one of \(choices.joined(separator: ", "))"
        case .unknown(let tool, let name, let accepted):
            accepted.isEmpty ? "\(tool) takes no arguments (got \"\(name)\")"
                : "\(tool) takes \(accepted.map { "\"\($0)\"" }.joined(separator: ", ")); \"\(name)\" is not one of them"
        }
    }
}
