import ArgumentParser
import Foundation
import RAGKit
import Retrieval

extension AnswerMode: ExpressibleByArgument {}

/// `rag ask QUESTION`: answers from the indexed documents, twice: the sentences the documents already
/// say (retrieval-based) and new text the decoder writes from the passages (generative), side by side.
struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer a question from the indexed documents: quoted passages and a generated, cited answer.")

    @Argument(help: "The question, in Chinese or English.")
    var question: String

    @Option(help: "retrieve (passages and quoted sentences), generate (the decoder's cited answer) or compare (both).")
    var mode: AnswerMode = .compare

    @Option(name: .customShort("k"), parsing: .unconditional, help: "Passages to retrieve and give the generator.")
    var k = AskSettings.defaultK

    @OptionGroup var documents: DocumentFilterOptions
    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var decoderModel: DecoderModelOptions
    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if k < 1 { throw ValidationError("-k must be at least 1") }
        if question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("the question is empty") }
    }

    func run() throws {
        try Retriever.check(query: question)
        let session = try RAGSession(indexPath: indexOptions.path, parallelism: compute.parallelism, decoderModel: decoderModel.model)
        let loading = { [output] in output.note("loading the generator…") }
        var settings = AskSettings()
        settings.mode = mode
        settings.k = k
        settings.filter = documents.filter
        settings.generation = sampling.settings

        if output.json {
            var pieces: [GeneratedPiece] = []
            let answer = try session.answer(question, settings: settings, onLoadingGenerator: loading) { event in
                if case .piece(let piece) = event { pieces.append(piece) }
            }
            try printJSON(AskReport(answer: answer, pieces: sampling.showProbs ? pieces : nil))
        } else {
            let view = AskView(mode: mode)
            view.question(question)
            let answer = try session.answer(question, settings: settings, onLoadingGenerator: loading, onEvent: view.handle)
            view.finish(answer)
        }
    }
}
