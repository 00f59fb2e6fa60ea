import Kernels
import Store

/// What `rag ask` computes: the passages and their extractive answer, the generated answer, or both.
public enum AnswerMode: String, CaseIterable, Sendable, Codable {
    case retrieve, generate, compare

    var extracts: Bool { self != .generate }
    var generates: Bool { self != .retrieve }
}

/// The knobs of one question.
public struct AskSettings: Sendable {
    /// Passages retrieved (and offered to the generator). Chosen with `rag eval`; see BENCHMARKS.md.
    public static let defaultK = 5

    public var mode: AnswerMode = .compare
    public var k = defaultK
    /// The documents the passages may come from.
    public var filter = DocumentFilter.all
    /// The conversation so far, oldest turn first: a follow-up is searched with the last turn beside it
    /// (`followUpSearch`), and the generator sees as many of the latest turns as its budget leaves room for.
    public var conversation: [ConversationTurn] = []
    public var followUpSearch = FollowUpSearch.default
    /// What of each passage the generator sees.
    public var context = PromptContext.default
    public var coverage = CoverageThresholds.calibrated
    public var generation = GenerationSettings()
    public var extractive = ExtractiveAnswer()

    public init() {}
}

/// The best sentence similarity (encoder cosine, "query: " question vs "passage: " sentence of the top-k
/// passages) under which the documents are taken not to cover a question: nothing is quoted or generated.
/// One threshold per question language, because an English question scores lower against Chinese
/// documents even when they answer it. Calibrated with `rag eval` on eval/corpus-eval.jsonl (BENCHMARKS.md).
public struct CoverageThresholds: Equatable, Sendable {
    /// Midpoints between the highest unanswerable and the lowest answerable question of the eval set
    /// (k=5, hybrid, 400-token chunks): Chinese 0.878 | 0.885, English 0.799 | 0.804. Thin margins: e5's
    /// cosines crowd together on a corpus that is all about one subject.
    public static let calibrated = CoverageThresholds(chinese: 0.882, english: 0.802)

    public var chinese: Float
    public var english: Float
    /// Whether a covered question must also share a word (or a Chinese character) with some passage.
    /// e5 places strings without meaning ("qwertyuiop", "???") close to everything on a one-subject
    /// corpus, above the thresholds; BM25 finds nothing for them, while real questions, even English
    /// ones about Chinese documents, share a term with their passages (all of eval/corpus-eval.jsonl do).
    public var requiresSharedTerm = true

    public init(chinese: Float, english: Float) { self.chinese = chinese; self.english = english }
    /// The same threshold for every language (-1 with no shared term required: answer everything).
    public init(uniform: Float, requiresSharedTerm: Bool = true) {
        chinese = uniform; english = uniform; self.requiresSharedTerm = requiresSharedTerm
    }

    public func threshold(for language: QuestionLanguage) -> Float {
        language == .chinese ? chinese : english
    }

    /// Whether the documents answer a question whose best sentence has `similarity` and that shares
    /// (`sharesTerm`) or does not share a term with the index.
    public func covers(similarity: Float, language: QuestionLanguage, sharesTerm: Bool) -> Bool {
        similarity >= threshold(for: language) && (sharesTerm || !requiresSharedTerm)
    }
}

/// The retrieval-based half: the passages found and the sentences quoted from them.
public struct RetrievedAnswer: Sendable {
    public var hits: [SearchHit]
    /// nil when the mode does not extract or the documents do not cover the question.
    public var quotes: [QuotedSentence]?
    /// What the passages were searched for instead of the question: its Chinese translation (`CrossLanguageSearch`).
    public var searchedAs: String? = nil
}

/// The generative half: what the model wrote from which prompt, what it cites and how grounded it is.
public struct GeneratedAnswer: Sendable {
    public var prompt: AnswerPrompt
    /// The text as the model wrote it.
    public var text: String
    /// `text` with the citations `CitationAttribution` added.
    public var citedText: String
    /// The model's own citations, then the attributed ones.
    public var citations: [Citation]
    /// Numbers the model wrote as "[n]" with no passage n in the prompt.
    public var invalidCitations: [Int]
    public var grounding: [GroundedSentence]
    /// True when the model answered with the prompt's "the passages do not say" sentence.
    public var saidUnknown: Bool
    public var report: GenerationReport
}

/// The whole answer to one question.
public struct Answer: Sendable {
    public var question: String
    public var mode: AnswerMode
    public var language: QuestionLanguage
    /// The highest encoder cosine between the question and a sentence of the retrieved passages: the
    /// coverage signal (-1 when the passages have no sentence long enough to judge).
    public var bestSimilarity: Float
    /// The highest cosine between the question and a whole passage of the index.
    public var bestPassageSimilarity: Float
    /// The threshold `bestSimilarity` was held against, for the question's language.
    public var coverageThreshold: Float
    /// Whether BM25 finds any passage sharing a term with the question (see `CoverageThresholds.requiresSharedTerm`).
    public var sharesTerm: Bool
    /// False when `bestSimilarity` is under the coverage threshold, or no passage shares a term with the
    /// question: then nothing is quoted or generated.
    public var covered: Bool
    public var retrieval: RetrievedAnswer
    public var generation: GeneratedAnswer?

    /// The "documents do not cover this" message, when they do not.
    public var notCoveredMessage: String? { covered ? nil : language.notCoveredMessage }
}

/// Stages of an answer as they complete, for a display that streams.
public enum AnswerEvent {
    /// Retrieval (and the extractive answer) are done; generation, if any, starts now.
    case retrieved(RetrievedAnswer, covered: Bool, bestSimilarity: Float)
    /// One more piece of the generated answer.
    case piece(GeneratedPiece)
}

/// Questions `rag ask` refuses before answering, one line each.
public enum AskError: Error, Equatable, CustomStringConvertible {
    case emptyIndex(path: String)
    case emptyQuestion

    public var description: String {
        switch self {
        case .emptyIndex(let path): return "the index \(path) has no passages yet: add documents with `rag ingest PATH...` first"
        case .emptyQuestion: return "the question is empty"
        }
    }
}

/// Answers a question from the index: retrieve (hybrid search) → quote the best sentences → build the
/// prompt → generate → check the generated sentences against the passages. When no passage is close
/// enough in meaning, it says the documents do not cover the question and never calls the generator.
public final class Answerer {
    public let store: PassageStore
    let embedder: QueryVectorMemo
    let retriever: Retriever
    /// Loads the generator; called only when a question needs one (loading takes a moment).
    let makeWriter: () throws -> AnswerWriter
    private var writer: AnswerWriter?

    /// The best sentence's share of a dense score (see `PassageScoring`).
    public var sentenceWeight: Float { retriever.sentenceWeight }
    public var fusion: Fusion { retriever.fusion }
    public var reranking: Reranking { retriever.reranking }
    /// How English questions search a Chinese index; `rag eval --cross-language` varies it.
    public let crossLanguage: CrossLanguageSearch
    /// Whether the index is mostly Chinese, read once (an ingest makes a new answerer: `RAGSession`).
    private var indexIsChinese: Bool?
    /// The last query translated and its translation (an eval searches each question twice).
    private var lastTranslation: (text: String, translation: String?)?

    public init(store: PassageStore, embedder: TextEmbedder, parallelism: Parallelism = .allCores,
                sentenceWeight: Float = PassageScoring.sentenceWeight, fusion: Fusion = .default, reranking: Reranking = .default,
                crossLanguage: CrossLanguageSearch = .default, makeWriter: @escaping () throws -> AnswerWriter) {
        self.store = store
        self.embedder = QueryVectorMemo(embedder)
        self.retriever = Retriever(store: store, embedder: self.embedder, parallelism: parallelism, sentenceWeight: sentenceWeight,
                                   fusion: fusion, reranking: reranking)
        self.makeWriter = makeWriter
        self.crossLanguage = crossLanguage
    }

    /// An error thrown by `onEvent` (a client that went away) stops the answer where it is and is rethrown.
    public func answer(_ question: String, settings: AskSettings, onEvent: (AnswerEvent) throws -> Void = { _ in }) throws -> Answer {
        guard !question.trimmingWhitespace.isEmpty else { throw AskError.emptyQuestion }
        try Retriever.check(query: question)
        guard try store.statistics().chunks > 0 else { throw AskError.emptyIndex(path: store.path) }
        let language = QuestionLanguage(of: question)

        let documents = try retriever.admittedDocuments(settings.filter)
        let query = settings.followUpSearch.query(for: question, after: settings.conversation.last)
        let searched = try translated(query)
        let searchedAs = searched == query ? nil : searched.text
        // The passages an answer reads keep the search's own order: several of the best page's passages help more
        // than the best passage of more pages (documents first: 31 → 25 key facts of 84; BENCHMARKS.md, "Rerank").
        let (hits, bestPassage) = try retrieve(searched, k: settings.k, documents: documents, reranked: false)
        let chunks = hits.map(\.chunk)
        let pool = try PassageSentences(chunks: chunks, stored: store.sentenceVectors(chunkIDs: chunks.map(\.id)), embedder: embedder)
        // Quotes are chosen by what was searched: a translated question picks Chinese sentences better than its
        // English (Corpus/'s English questions: 12 → 17 of 22 quotes with the expected fact; BENCHMARKS.md).
        let quotedQuestion = searchedAs ?? question
        let queryVector = try embedder.embedQuery(quotedQuestion)
        // A follow-up ("它要多少算力？") may say little by itself: it is covered when it or the query it was
        // searched with is close enough to a passage sentence, and shares a term with the index.
        let searchedTexts = ([question] + query.texts).uniqued()
        let similarities = try searchedTexts.map { try pool.similarities(to: embedder.embedQuery($0)) }
            .reduce(into: [Float](repeating: -1, count: pool.sentences.count)) { best, row in
                for index in best.indices { best[index] = max(best[index], row[index]) }
            }
        let best = similarities.max() ?? -1
        let threshold = settings.coverage.threshold(for: language)
        let sharesTerm = try searchedTexts.contains { try !retriever.unreranked(SearchQuery($0), mode: .lexical, k: 1, documents: documents).isEmpty }
        var retrieval = RetrievedAnswer(hits: hits, quotes: nil, searchedAs: searchedAs)
        var answer = Answer(question: question, mode: settings.mode, language: language, bestSimilarity: best,
                            bestPassageSimilarity: bestPassage, coverageThreshold: threshold, sharesTerm: sharesTerm,
                            covered: settings.coverage.covers(similarity: best, language: language, sharesTerm: sharesTerm),
                            retrieval: retrieval, generation: nil)
        guard answer.covered else {
            try onEvent(.retrieved(retrieval, covered: false, bestSimilarity: best))
            return answer
        }
        if settings.mode.extracts {
            retrieval.quotes = settings.extractive.quote(question: quotedQuestion, queryVector: queryVector, from: pool)
            answer.retrieval = retrieval
        }
        try onEvent(.retrieved(retrieval, covered: true, bestSimilarity: best))
        if settings.mode.generates {
            let excerpts = PassageExcerpt.excerpts(of: chunks, context: settings.context, pool: pool, similarities: similarities)
            answer.generation = try generate(question, excerpts: excerpts, pool: pool, settings: settings, onEvent: onEvent)
        }
        return answer
    }

    /// The top `k` passages by hybrid search as a list of sources (reranked), and the best dense cosine of any
    /// passage with the question (hybrid scores are fusion scores and say nothing about absolute relevance).
    public func retrieve(_ query: SearchQuery, k: Int, mode: SearchMode = .hybrid,
                         filter: DocumentFilter = .all) throws -> (hits: [SearchHit], bestSimilarity: Float) {
        try retrieve(translated(query), k: k, mode: mode, documents: retriever.admittedDocuments(filter))
    }

    /// `query` as it searches: its text replaced by the decoder's Chinese translation when it is English, the
    /// index mostly Chinese and `crossLanguage` says so (see `CrossLanguageSearch`).
    public func translated(_ query: SearchQuery) throws -> SearchQuery {
        guard crossLanguage == .translate, QuestionLanguage(of: query.text) == .english else { return query }
        let chinese = try indexIsChinese ?? (store.chineseShare() >= CrossLanguageSearch.chineseIndexShare)
        indexIsChinese = chinese
        guard chinese else { return query }
        let translation: String?
        if let last = lastTranslation, last.text == query.text {
            translation = last.translation
        } else {
            translation = try CrossLanguageSearch.translation(of: query.text, by: loadedWriter())
            lastTranslation = (query.text, translation)
        }
        guard let translation else { return query }
        var searched = query
        searched.text = translation
        return searched
    }

    /// `reranked`: through the rerank stage, as a list of sources is (`Reranking`), or in the search's own order.
    func retrieve(_ query: SearchQuery, k: Int, mode: SearchMode = .hybrid, documents: [Int64]?,
                  reranked: Bool = true) throws -> (hits: [SearchHit], bestSimilarity: Float) {
        let best = try retriever.unreranked(SearchQuery(query.text), mode: .dense, k: 1, documents: documents).first.map { Float($0.score) } ?? -1
        let hits = reranked ? try retriever.search(query, mode: mode, k: k, documents: documents)
                            : try retriever.unreranked(query, mode: mode, k: k, documents: documents)
        return (hits, best)
    }

    /// The generator, made on first use (it also translates questions: `CrossLanguageSearch`).
    func loadedWriter() throws -> AnswerWriter {
        if let writer { return writer }
        let made = try makeWriter()
        writer = made
        return made
    }

    func generate(_ question: String, excerpts: [PassageExcerpt], pool: PassageSentences, settings: AskSettings,
                  onEvent: (AnswerEvent) throws -> Void) throws -> GeneratedAnswer {
        let writer = try loadedWriter()
        let prompt = try PromptBuilder(writer: writer).prompt(question: question, excerpts: excerpts, conversation: settings.conversation,
                                                              maxAnswerTokens: settings.generation.maxTokens)
        var text = ""
        let report = try writer.write(prompt.turns, settings: settings.generation) { piece in
            text += piece.text
            try onEvent(.piece(piece))
        }
        let (modelCitations, invalid) = CitationParser.resolve(CitationParser.numbers(in: text), passages: prompt.passages)
        let numbers = excerpts.indices.map { $0 < prompt.passages.count ? $0 + 1 : nil }
        // A generated sentence counts as supported when a passage sentence is at least as close to it as the
        // passages must be to a question to cover it: one calibrated number, in the question's language.
        let support = Grounding(supportThreshold: settings.coverage.threshold(for: prompt.language))
        let grounding = try support.ground(answer: text, to: question, in: pool, passageNumbers: numbers, embedder: embedder)
        let saidUnknown = text.contains(prompt.language.unknownAnswer.trimmingCharacters(in: ["。", "."]))
        // "The passages do not say" cites nothing, however close it happens to be to some passage sentence.
        let (citedText, citations) = saidUnknown ? (text, modelCitations)
            : CitationAttribution.attribute(grounding: grounding, modelCitations: modelCitations, passages: prompt.passages)
        return GeneratedAnswer(prompt: prompt, text: text, citedText: citedText, citations: citations, invalidCitations: invalid,
                               grounding: grounding, saidUnknown: saidUnknown, report: report)
    }
}
