import ArgumentParser
import Foundation
import ModelFiles
import RAGKit
import Retrieval

/// `rag eval FILE.jsonl`: how well the index answers a question set (format in eval/README.md): retrieval
/// recall@1/5/10 and MRR@10 per source file, whether unanswerable questions fall under the coverage
/// threshold, and how often the extractive and generated answers contain an expected string. On a file of
/// conversations: the last turns' recall searched with and without the turns before them.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure retrieval and answers against a JSON Lines question set (see eval/README.md).")

    @Argument(help: "The question set: one {\"q\", \"source\", \"must_contain\", \"unanswerable\"} object per line, or one {\"turns\": [such objects]} conversation per line.")
    var file: String

    @Flag(name: .customLong("retrieval-only"), help: "Skip generation (about 100 answers take 10 minutes or more on 2 cores).")
    var retrievalOnly = false

    @Option(name: .customLong("search-mode"), help: "Ranking measured for recall: lexical, dense or hybrid.")
    var searchMode: SearchMode = .hybrid

    @Option(name: .customShort("k"), parsing: .unconditional, help: "Passages given to the extractive answer and the generator.")
    var k = AskSettings.defaultK

    @Option(name: .customLong("coverage-threshold"), parsing: .unconditional, help: "Best sentence similarity under which a question counts as not covered, for every language (default: the calibrated per-language thresholds).")
    var coverageThreshold: Float?

    @Option(name: .customLong("lexical-weight"), parsing: .unconditional, help: "Weight of shared wording beside the encoder cosine when quoting sentences.")
    var lexicalWeight = ExtractiveAnswer.defaultLexicalWeight

    @Option(name: .customLong("sentence-weight"), parsing: .unconditional, help: "Share of a passage's best sentence in its dense score (0: the passage's own cosine only).")
    var sentenceWeight = PassageScoring.sentenceWeight

    enum FusionChoice: String, ExpressibleByArgument { case rrf, convex }

    @Option(help: "How hybrid search fuses its two rankings: rrf (reciprocal rank) or convex (min–max normalised scores, weighted by --dense-weight).")
    var fusion = FusionChoice.convex

    @Option(name: .customLong("dense-weight"), parsing: .unconditional, help: "With --fusion convex: the share of meaning (dense) in the fused score of a Chinese question; the rest is words (BM25). Default: rag's, 0.6.")
    var denseWeight: Double?

    @Option(name: .customLong("dense-weight-english"), parsing: .unconditional, help: "The same for English questions (default: --dense-weight if given, else rag's 0.8).")
    var denseWeightEnglish: Double?

    @Option(name: .customLong("documents-first"), help: "Whether the rerank stage puts each document's best passage before any document's second: yes or no (default: rag's, \(Reranking.default.documentsFirst ? "yes" : "no")).")
    var documentsFirst: YesNo?

    enum YesNo: String, ExpressibleByArgument { case yes, no }

    @Option(name: .customLong("follow-up-search"), help: ArgumentHelp("How a conversation's follow-ups are searched for their answers: \(FollowUpSearch.allCases.map(\.rawValue).joined(separator: ", ")) (recall is reported for all).", valueName: "way"))
    var followUpSearch = FollowUpSearch.default

    @OptionGroup var crossLanguage: CrossLanguageOptions
    @OptionGroup var promptContext: PromptContextOptions
    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var decoderModel: DecoderModelOptions
    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if k < 1 { throw ValidationError("-k must be at least 1") }
        if !(0...1).contains(sentenceWeight) { throw ValidationError("--sentence-weight must be between 0 and 1") }
        if !lexicalWeight.isFinite { throw ValidationError("--lexical-weight must be a number") }
        if let coverageThreshold, !(-1...1).contains(coverageThreshold) { throw ValidationError("--coverage-threshold must be between -1 and 1") }
        if !(0...1).contains(denseWeight ?? 0) || !(0...1).contains(denseWeightEnglish ?? 0) {
            throw ValidationError("--dense-weight and --dense-weight-english must be between 0 and 1")
        }
    }

    func run() throws {
        let loaded = try EvalSet.loadFile(path: file)
        let session = try RAGSession(indexPath: indexOptions.path, parallelism: compute.parallelism, decoderModel: decoderModel.model)
        let answerer = try session.answerer(sentenceWeight: sentenceWeight,
                                            fusion: fusion == .convex ? convexFusion : .reciprocalRank,
                                            reranking: Reranking(documentsFirst: documentsFirst.map { $0 == .yes } ?? Reranking.default.documentsFirst),
                                            crossLanguage: crossLanguage.crossLanguage)
        var settings = AskSettings()
        settings.k = k
        if let coverageThreshold { settings.coverage = CoverageThresholds(uniform: coverageThreshold) }
        settings.extractive = ExtractiveAnswer(lexicalWeight: lexicalWeight)
        settings.generation = sampling.settings
        settings.followUpSearch = followUpSearch
        settings.context = promptContext.context
        switch loaded {
        case .questions(let questions): try evaluate(questions, answerer: answerer, settings: settings)
        case .conversations(let conversations): try evaluate(conversations, answerer: answerer, settings: settings)
        }
    }

    /// rag's convex fusion, with the weights given on the command line.
    var convexFusion: Fusion {
        guard case .convex(let chinese, let english) = Fusion.default else { return Fusion.default }
        return .convex(chinese: denseWeight ?? chinese, english: denseWeightEnglish ?? denseWeight ?? english)
    }

    func evaluate(_ questions: [EvalQuestion], answerer: Answerer, settings: AskSettings) throws {
        let evaluation = RetrievalEvaluation(answerer: answerer, settings: settings, searchMode: searchMode, generate: !retrievalOnly)
        var outcomes: [EvalOutcome] = []
        for (index, question) in questions.enumerated() {
            output.note("[\(index + 1)/\(questions.count)] \(question.question)")
            outcomes.append(try evaluation.evaluate(question))
        }
        let report = EvalReport(file: file, searchMode: searchMode, k: k, coverage: settings.coverage,
                                lexicalWeight: lexicalWeight, outcomes: outcomes, generated: !retrievalOnly,
                                context: settings.context, generator: decoderModel.model ?? KnownModel.decoder.shortName!)
        if output.json { try printJSON(report) } else { print(report.text) }
    }

    func evaluate(_ conversations: [EvalConversation], answerer: Answerer, settings: AskSettings) throws {
        let evaluation = FollowUpEvaluation(answerer: answerer, settings: settings, generate: !retrievalOnly)
        var outcomes: [FollowUpOutcome] = []
        for (index, conversation) in conversations.enumerated() {
            output.note("[\(index + 1)/\(conversations.count)] " + conversation.turns.map(\.question).joined(separator: " → "))
            outcomes.append(try evaluation.evaluate(conversation))
        }
        let report = FollowUpEvalReport(file: file, k: k, outcomes: outcomes, generated: !retrievalOnly)
        if output.json { try printJSON(report) } else { print(report.text) }
    }
}
