import ArgumentParser
import Foundation
import RAGKit
import Retrieval

/// `rag chat`: questions in a row, where each may lean on the one before ("它和微调有什么区别？"). A
/// follow-up is searched with the previous question beside it and the passages the previous answer cited
/// (`FollowUpSearch`); the generator sees the latest turns that fit its budget. On a terminal it is a
/// prompt; from a pipe it reads one JSON object per line, so scripts can hold a conversation.
struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Ask questions in a conversation: follow-ups are understood with the turns before them.",
        discussion: """
            On a terminal: type a question and press Enter; /new starts a new conversation, /quit (or Ctrl-D) ends.
            From a pipe: one JSON object per line, {"question": "…"}; add "new": true to forget the turns before it.
            With --json each answer is one line of JSON: rag ask --json's object with "turn" added (or {"turn", "error"}).
            """)

    @OptionGroup var ask: AskOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let session = try ask.openSession()
        let settings = ask.settings
        let interactive = isatty(STDIN_FILENO) != 0
        if interactive, !output.json {
            print("Ask about the indexed documents. /new starts over, /quit or Ctrl-D ends.")
        }
        var conversation = ChatConversation(session: session, settings: settings)
        var failed = 0
        while true {
            if interactive { try StandardStreams.writeOutput(conversation.answered == 0 ? "\n> " : "\n» ") }
            guard let line = readLine() else { break }
            let request: ChatRequest
            do { request = try interactive ? ChatRequest(typed: line) : ChatRequest(jsonLine: line) } catch {
                failed += 1
                try report(error, turn: conversation.answered + 1)
                continue
            }
            switch request {
            case .skip: continue
            case .quit: return try finish(failed: failed)
            case .newConversation: conversation.startOver()
            case .ask(let question, let startsOver):
                if startsOver { conversation.startOver() }
                do { try ask(question, in: &conversation) } catch let error as OutputError { throw error } catch {
                    failed += 1
                    try report(error, turn: conversation.answered + 1)
                }
            }
        }
        try finish(failed: failed)
    }

    func ask(_ question: String, in conversation: inout ChatConversation) throws {
        let loading = { [output] in output.note("loading the generator…") }
        if output.json {
            var pieces: [GeneratedPiece] = []
            let answer = try conversation.ask(question, onLoadingGenerator: loading) { event in
                if case .piece(let piece) = event { pieces.append(piece) }
            }
            var report = AskReport(answer: answer, pieces: ask.sampling.showProbs ? pieces : nil)
            report.turn = conversation.answered
            try StandardStreams.writeOutput(String(decoding: try WireFormat.encodeLine(report), as: UTF8.self) + "\n")
        } else {
            let view = AskView(mode: ask.mode)
            if isatty(STDIN_FILENO) == 0 { view.question(question) }  // typed questions are on the screen already
            let answer = try conversation.ask(question, onLoadingGenerator: loading, onEvent: view.handle)
            view.finish(answer)
            try StandardStreams.flushOutput()
        }
    }

    /// A turn that failed: one JSON line with --json, else one line on stderr; the conversation goes on.
    func report(_ error: Error, turn: Int) throws {
        if output.json {
            try StandardStreams.writeOutput(String(decoding: try WireFormat.encodeLine(ChatError(turn: turn, error: "\(error)")), as: UTF8.self) + "\n")
        } else {
            StandardStreams.writeError("Error: \(error)\n")
        }
    }

    func finish(failed: Int) throws {
        if failed > 0 { throw CommandFailure(failed == 1 ? "1 question was not answered" : "\(failed) questions were not answered") }
    }

    struct ChatError: Encodable { var turn: Int; var error: String }
}

/// What one line of `rag chat`'s input asks for.
enum ChatRequest: Equatable {
    case ask(String, startsOver: Bool)
    case newConversation
    case quit
    /// A blank line.
    case skip

    /// A line typed at the prompt: a question, or /new, /quit, /exit.
    init(typed line: String) throws {
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
        switch text {
        case "": self = .skip
        case "/new", "/reset": self = .newConversation
        case "/quit", "/exit", "/q": self = .quit
        default:
            if text.hasPrefix("/") { throw CommandFailure("unknown command \(text): /new starts over, /quit ends") }
            self = .ask(text, startsOver: false)
        }
    }

    /// A line of piped input: {"question": "…", "new": true?}.
    init(jsonLine line: String) throws {
        struct Line: Decodable { var question: String?; var new: Bool? }
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { self = .skip; return }
        guard let parsed = try? JSONDecoder().decode(Line.self, from: Data(text.utf8)) else {
            throw CommandFailure("each input line must be a JSON object such as {\"question\": \"什么是预训练？\"}")
        }
        let question = parsed.question?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if question.isEmpty {
            guard parsed.new == true else { throw CommandFailure("the line has no \"question\"") }
            self = .newConversation
        } else {
            self = .ask(question, startsOver: parsed.new == true)
        }
    }
}
