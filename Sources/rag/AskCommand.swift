import ArgumentParser
import Foundation
import RAGKit
import Retrieval

extension AnswerMode: ExpressibleByArgument {}
extension FollowUpSearch: ExpressibleByArgument {}

/// `rag ask QUESTION`: answers from the indexed documents, twice: the sentences the documents already
/// say (retrieval-based) and new text the decoder writes from the passages (generative), side by side.
struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer a question from the indexed documents: quoted passages and a generated, cited answer.")

    @Argument(help: "The question, in Chinese or English.")
    var question: String

    @OptionGroup var ask: AskOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("the question is empty") }
    }

    func run() throws {
        try Retriever.check(query: question)
        let session = try ask.openSession()
        let loading = { [output] in output.note("loading the generator…") }
        let settings = ask.settings

        if output.json {
            var pieces: [GeneratedPiece] = []
            let answer = try session.answer(question, settings: settings, onLoadingGenerator: loading) { event in
                if case .piece(let piece) = event { pieces.append(piece) }
            }
            try printJSON(AskReport(answer: answer, pieces: ask.sampling.showProbs ? pieces : nil))
        } else {
            let view = AskView(mode: ask.mode)
            view.question(question)
            let answer = try session.answer(question, settings: settings, onLoadingGenerator: loading, onEvent: view.handle)
            view.finish(answer)
        }
    }
}
