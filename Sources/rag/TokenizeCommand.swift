import ArgumentParser
import Foundation
import ModelFiles
import Tokenization

/// `rag tokenize TEXT`: the decoder's token ids for a text, with the piece of text each one stands for.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Show the decoder model's tokens for a text.",
        discussion: "Special-token text such as <|im_start|> becomes its single token, as in the model's chat prompts.")

    @Argument(help: "The text to tokenize.")
    var text: String

    @Flag(name: .long, help: "Print {\"ids\": [...], \"pieces\": [...]} on stdout.")
    var json = false

    @OptionGroup var modelOptions: DecoderModelOptions

    func run() throws {
        let tokenizer = try BPETokenizer(gguf: modelOptions.open())
        let ids = tokenizer.encode(text)
        let pieces = ids.map(tokenizer.piece(for:))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(Report(ids: ids, pieces: pieces)), as: UTF8.self))
        } else {
            print(Self.render(ids: ids, pieces: pieces))
        }
    }

    struct Report: Encodable {
        let ids: [Int]
        let pieces: [String]
    }

    /// One token per line: id, then the piece quoted with its whitespace made visible.
    static func render(ids: [Int], pieces: [String]) -> String {
        let width = ids.map { String($0).count }.max() ?? 0
        var lines = zip(ids, pieces).map { id, piece in
            String(repeating: " ", count: width - String(id).count) + "\(id)  " + quoted(piece)
        }
        lines.append("\(ids.count) token\(ids.count == 1 ? "" : "s")")
        return lines.joined(separator: "\n")
    }

    /// `piece` in double quotes with newlines, tabs, quotes and other control characters escaped.
    static func quoted(_ piece: String) -> String {
        var out = "\""
        for scalar in piece.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
