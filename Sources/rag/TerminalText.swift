import Foundation
import Store

/// Text for an 80-column terminal: display widths (CJK and full-width forms take two columns), word-aware
/// wrapping with a hanging indent, and ANSI colours only when stdout is a terminal and NO_COLOR is unset.
struct TerminalText {
    /// Text wraps at 78 so closing punctuation can hang into the last two of 80 columns.
    static let width = 78
    let colours: Bool

    static var forStandardOutput: TerminalText {
        TerminalText(colours: isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
    }

    enum Style: String { case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", blue = "34", cyan = "36" }

    func styled(_ text: String, _ style: Style) -> String {
        colours ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// Columns `scalar` takes: 2 for East Asian wide and full-width characters, 0 for combining marks.
    static func columns(_ scalar: Unicode.Scalar) -> Int {
        if FullTextTerms.isCJKScalar(scalar) { return 2 }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF:
            return 2
        default:
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format, .control: return 0
            default: return 1
            }
        }
    }

    /// Punctuation that must not begin a line in Chinese typesetting.
    static let noLineStart: Set<Unicode.Scalar> = ["。", "，", "、", "；", "：", "？", "！", "”", "’", "」", "』", "）", "》", "】", "…"]

    static func columns(_ text: String) -> Int { text.unicodeScalars.reduce(0) { $0 + columns($1) } }

    /// `text` wrapped to `width` columns: the first line starts with `first`, the others with `indent`.
    /// Breaks between Latin words, or anywhere between CJK characters; never inside a character.
    static func wrap(_ text: String, first: String, indent: String, width: Int = width) -> String {
        var lines: [String] = []
        var line = first, column = columns(first)
        var word = "", wordColumns = 0
        func flushWord() {
            guard !word.isEmpty else { return }
            // Closing punctuation may hang one character past the width rather than start a line (kinsoku).
            let hangs = word.unicodeScalars.count == 1 && word.unicodeScalars.first.map(Self.noLineStart.contains) == true
            if column + wordColumns > width + (hangs ? 2 : 0), column > columns(indent) {
                lines.append(line.trimmedTrailingSpaces); line = indent; column = columns(indent)
            }
            line += word; column += wordColumns
            word = ""; wordColumns = 0
        }
        for character in text {
            if character.isNewline { flushWord(); lines.append(line.trimmedTrailingSpaces); line = indent; column = columns(indent); continue }
            let w = columns(String(character))
            let breaksAnywhere = character.unicodeScalars.first.map { columns($0) == 2 } ?? false
            if character == " " {
                flushWord()
                if column < width { line += " "; column += 1 }
            } else if breaksAnywhere {
                flushWord()
                word = String(character); wordColumns = w
                flushWord()
            } else {
                word.append(character); wordColumns += w
            }
        }
        flushWord()
        lines.append(line.trimmedTrailingSpaces)
        return lines.joined(separator: "\n")
    }

    /// A section rule: "── Title ─────…" to the full width.
    func rule(_ title: String) -> String {
        let head = "── \(title) "
        return styled(head + String(repeating: "─", count: max(3, Self.width + 2 - Self.columns(head))), .bold)
    }
}

/// Prints streamed text wrapped at the terminal width with an indent, as pieces arrive.
final class StreamingWrapper {
    let indent: String
    private var column: Int

    init(indent: String) { self.indent = indent; column = 0 }

    func write(_ piece: String) {
        var out = ""
        for character in piece {
            if column == 0 { out += indent; column = TerminalText.columns(indent) }
            if character.isNewline { out += "\n"; column = 0; continue }
            let w = TerminalText.columns(String(character))
            let hangs = character.unicodeScalars.count == 1 && TerminalText.noLineStart.contains(character.unicodeScalars.first!)
            if column + w > TerminalText.width + (hangs ? 2 : 0) { out += "\n" + indent; column = TerminalText.columns(indent) }
            if character == " ", column == TerminalText.columns(indent) { continue }
            out.append(character); column += w
        }
        print(out, terminator: "")
        fflush(stdout)
    }

    func finish() { if column > 0 { print("") }; column = 0 }
}

extension String {
    /// The text on one line: control characters (a newline or escape in a file name) shown as \u{…}.
    var oneLine: String {
        guard unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            if scalar.properties.generalCategory == .control { out += "\\u{" + String(scalar.value, radix: 16) + "}" }
            else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    var trimmedTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
