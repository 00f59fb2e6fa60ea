import Kernels
import Store

/// How `Retriever` ranks passages.
public enum SearchMode: String, CaseIterable, Sendable, Codable {
    /// BM25 over the full-text index.
    case lexical
    /// Cosine similarity between the query's vector and every stored passage vector, blended with the
    /// passage's best sentence (`PassageScoring`).
    case dense
    /// The two fused (`Fusion`).
    case hybrid
}

/// How hybrid search fuses its ranking by meaning with its ranking by words.
public enum Fusion: Equatable, Sendable {
    /// Reciprocal-rank fusion (Cormack et al. 2009): each ranking gives 1 / (60 + rank); scores are ignored.
    case reciprocalRank
    /// Score-normalised convex fusion: each ranking's scores scaled to 0…1 over its candidates (min–max), then
    /// w · meaning + (1 − w) · words, with w chosen by the question's language (an English question about
    /// Chinese documents shares few words with them, so BM25 mostly ranks noise); a passage missing from a
    /// ranking gets 0 from it.
    case convex(chinese: Double, english: Double)

    /// Convex, 0.6 meaning for Chinese questions and 0.8 for English ones: chosen on the tuning sets of the
    /// dev corpus and of Corpus/ (RRF ranked below dense search alone on the dev corpus); held out, the dev
    /// corpus's R@5 / MRR@10 goes from 0.77 / 0.708 with RRF to 0.90 / 0.800 (BENCHMARKS.md, "Fusion").
    public static let `default` = Fusion.convex(chinese: 0.6, english: 0.8)

    /// The dense share w of a convex fusion for a question in `language`.
    func denseWeight(for language: QuestionLanguage) -> Double? {
        guard case .convex(let chinese, let english) = self else { return nil }
        return language == .chinese ? chinese : english
    }
}

/// One ranked passage.
public struct SearchHit: Equatable, Sendable {
    /// 1-based.
    public var rank: Int
    /// BM25 (lexical), sentence-aware cosine (dense, see `PassageScoring`) or fused RRF score (hybrid);
    /// higher is better within one mode.
    public var score: Double
    public var chunk: StoredChunk
    /// Its rank and score in each ranking the search ran (`--explain`).
    public var explanation: RankExplanation
}

/// Why a search could not run; one line each.
public enum RetrievalError: Error, Equatable, CustomStringConvertible {
    case noSearchableTerms
    case queryTooLong(length: Int, limit: Int)
    case noEncoder
    case noVectors
    case invalidK(Int)
    /// No indexed document passes the filter (its description, `DocumentFilter.description`).
    case noDocumentMatches(filter: String)

    public var description: String {
        switch self {
        case .noSearchableTerms: return "the query has no letters, digits or Chinese characters to search for"
        case .queryTooLong(let length, let limit):
            return "the query is \(length) characters long; the limit is \(limit): ask about one thing at a time"
        case .noEncoder: return "no vectors in this index: the encoder is not available yet (use --mode lexical)"
        case .noVectors: return "no vectors in this index: rerun `rag ingest --rebuild PATH...` with the encoder available (or use --mode lexical)"
        case .invalidK(let k): return "-k \(k) must be at least 1"
        case .noDocumentMatches(let filter): return "no indexed document is \(filter): the patterns are matched against document paths as the document list shows them"
        }
    }
}

/// Finds the passages that answer a query, by words (BM25), by meaning (cosine over encoder vectors) or
/// both fused by rank. The vector matrix is read from the store once, on the first dense search.
public final class Retriever {
    public let store: PassageStore
    public let embedder: TextEmbedder?
    public let parallelism: Parallelism
    /// RRF's damping constant: 60, as in Cormack et al. (2009); it keeps a single first place from dominating.
    public static let fusionConstant = 60.0
    /// Candidates each ranking contributes to hybrid fusion, at least.
    public static let fusionDepth = 50

    /// The best sentence's share of a dense score; `rag eval --sentence-weight` varies it (0: passages only).
    public let sentenceWeight: Float
    /// How hybrid search fuses (a follow-up's several queries are always fused by rank); `rag eval --fusion` varies it.
    public let fusion: Fusion
    /// What reorders a search's candidates before its top k are kept; `rag eval --documents-first` varies it.
    public let reranking: Reranking

    private var matrix: VectorMatrix?

    public init(store: PassageStore, embedder: TextEmbedder?, parallelism: Parallelism = .allCores,
                sentenceWeight: Float = PassageScoring.sentenceWeight, fusion: Fusion = .default, reranking: Reranking = .default) {
        self.store = store; self.embedder = embedder; self.parallelism = parallelism; self.sentenceWeight = sentenceWeight
        self.fusion = fusion; self.reranking = reranking
    }

    /// Hybrid when the index has vectors and an encoder is available to embed the query, else lexical.
    public func defaultMode() throws -> SearchMode {
        guard embedder != nil else { return .lexical }
        return try store.hasVectors() ? .hybrid : .lexical
    }

    /// Longest query, in Unicode scalars: four times what the encoder reads of a query (512 tokens), so a
    /// pasted paragraph still works while a pasted book is refused before BM25 and the encoder see it.
    public static let maximumQueryLength = 2000

    /// Refuses what no search can answer: a query too long to embed, or one without a word in it (only
    /// punctuation, symbols, control characters or undecodable bytes).
    public static func check(query: String) throws {
        let length = query.unicodeScalars.count
        if length > maximumQueryLength { throw RetrievalError.queryTooLong(length: length, limit: maximumQueryLength) }
        if FullTextTerms.matchExpression(for: query) == nil { throw RetrievalError.noSearchableTerms }
    }

    /// The best `k` passages for `query`, from the documents `filter` admits (applied inside each ranking,
    /// before its top k).
    public func search(_ query: String, mode: SearchMode, k: Int, filter: DocumentFilter = .all) throws -> [SearchHit] {
        try search(SearchQuery(query), mode: mode, k: k, filter: filter)
    }

    /// The best `k` passages for a query with companions (a follow-up question): each text is ranked in `mode`,
    /// and all rankings, with the query's prior passages as one more, are fused by reciprocal rank.
    public func search(_ query: SearchQuery, mode: SearchMode, k: Int, filter: DocumentFilter = .all) throws -> [SearchHit] {
        try search(query, mode: mode, k: k, documents: admittedDocuments(filter))
    }

    /// `documents`: what `admittedDocuments` resolved the filter to, once for all the searches of a question. The
    /// rerank stage reorders the best `Reranking.depth` candidates before the top `k` are kept.
    func search(_ query: SearchQuery, mode: SearchMode, k: Int, documents: [Int64]?) throws -> [SearchHit] {
        guard reranking.isActive else { return try unreranked(query, mode: mode, k: k, documents: documents) }
        // The candidates are the search's own top k extended, not a deeper search: fusion still scales its scores
        // over the candidates a top k would see, so the rerank starts from the ranking an unreranked search returns.
        let candidates = try unreranked(query, mode: mode, k: max(k, Reranking.depth), documents: documents, depth: Self.candidateDepth(k: k))
        return Array(reranking.rerank(candidates).prefix(k))
    }

    /// The search's own ranking, before the rerank stage: for probes that ask for the single best passage by
    /// one ranking (the coverage checks), and for the candidates of the rerank.
    /// `depth`: the candidates each ranking contributes to fusion (default `candidateDepth(k:)`).
    func unreranked(_ query: SearchQuery, mode: SearchMode, k: Int, documents: [Int64]?, depth: Int? = nil) throws -> [SearchHit] {
        guard query.companions.isEmpty, query.prior.isEmpty else {
            return try fusedSearch(query, mode: mode, k: k, documents: documents, depth: depth)
        }
        return try singleSearch(query.text, mode: mode, k: k, documents: documents, depth: depth)
    }

    /// The candidates each ranking contributes to the fusion of a top `k`.
    static func candidateDepth(k: Int) -> Int { max(k * 4, fusionDepth) }

    func singleSearch(_ query: String, mode: SearchMode, k: Int, documents: [Int64]?, depth: Int? = nil) throws -> [SearchHit] {
        guard k >= 1 else { throw RetrievalError.invalidK(k) }
        try Self.check(query: query)
        var explanations: [Int64: RankExplanation] = [:]
        func explain(_ chunkID: Int64, _ note: (inout RankExplanation) -> Void) {
            note(&explanations[chunkID, default: RankExplanation(mode: mode)])
        }
        func noteWords(_ ranking: [(chunkID: Int64, score: Double)]) {
            for (index, item) in ranking.enumerated() { explain(item.chunkID) { $0.lexicalRank = index + 1; $0.bm25 = item.score } }
        }
        func noteMeaning(_ ranking: [DenseCandidate]) {
            for (index, item) in ranking.enumerated() {
                explain(item.chunkID) {
                    $0.denseRank = index + 1; $0.denseScore = item.score
                    $0.passageCosine = item.passageCosine; $0.bestSentenceCosine = item.bestSentenceCosine
                }
            }
        }
        let ranked: [(chunkID: Int64, score: Double)]
        switch mode {
        case .lexical:
            ranked = try lexical(query, limit: k, documents: documents)
            noteWords(ranked)
        case .dense:
            let byMeaning = try dense(query, limit: k, documents: documents)
            noteMeaning(byMeaning)
            ranked = byMeaning.map { ($0.chunkID, $0.score) }
        case .hybrid:
            let depth = max(k, depth ?? Self.candidateDepth(k: k))
            let byMeaning = try dense(query, limit: depth, documents: documents)
            let byWords = try lexical(query, limit: depth, documents: documents)
            noteMeaning(byMeaning)
            noteWords(byWords)
            let meaning = byMeaning.map { (chunkID: $0.chunkID, score: $0.score) }
            let denseWeight = fusion.denseWeight(for: QuestionLanguage(of: query))
            if let denseWeight {
                ranked = Array(Self.convexFuse(meaning: meaning, words: byWords, denseWeight: denseWeight).prefix(k))
            } else {
                ranked = Array(Self.fuse([meaning, byWords]).prefix(k))
            }
            for item in ranked { explain(item.chunkID) { $0.fusedScore = item.score; $0.denseWeight = denseWeight } }
        }
        return try hits(ranked, explanations: explanations, mode: mode)
    }

    /// Every text of `query` searched as `singleSearch` would at fusion depth, then all rankings fused. The hits
    /// keep the explanation of the query's own text; their score is the fused one.
    func fusedSearch(_ query: SearchQuery, mode: SearchMode, k: Int, documents: [Int64]?, depth: Int? = nil) throws -> [SearchHit] {
        guard k >= 1 else { throw RetrievalError.invalidK(k) }
        let depth = max(k, depth ?? Self.candidateDepth(k: k))
        var rankings: [[(chunkID: Int64, score: Double)]] = []
        var explanations: [Int64: RankExplanation] = [:]
        for (index, text) in query.texts.enumerated() {
            let found = try singleSearch(text, mode: mode, k: depth, documents: documents)
            if index == 0 { for hit in found { explanations[hit.chunk.id] = hit.explanation } }
            rankings.append(found.map { ($0.chunk.id, $0.score) })
        }
        if !query.prior.isEmpty {
            let admitted = try documents.map { Set(try store.chunkIDs(ofDocuments: $0)) }
            rankings.append(query.prior.filter { admitted?.contains($0) ?? true }.map { ($0, 1) })
        }
        let ranked = Array(Self.fuse(rankings).prefix(k))
        for item in ranked { explanations[item.chunkID, default: RankExplanation(mode: mode)].fusedScore = item.score }
        return try hits(ranked, explanations: explanations, mode: mode)
    }

    /// The ranked chunk ids as hits, read from the store, with their explanations.
    func hits(_ ranked: [(chunkID: Int64, score: Double)], explanations: [Int64: RankExplanation], mode: SearchMode) throws -> [SearchHit] {
        let chunks = try store.chunks(ids: ranked.map(\.chunkID))
        let scores = Dictionary(ranked.map { ($0.chunkID, $0.score) }, uniquingKeysWith: { a, _ in a })
        return chunks.enumerated().map {
            SearchHit(rank: $0.offset + 1, score: scores[$0.element.id] ?? 0, chunk: $0.element,
                      explanation: explanations[$0.element.id] ?? RankExplanation(mode: mode))
        }
    }

    /// The ids of the documents `filter` admits; nil when it admits everything.
    func admittedDocuments(_ filter: DocumentFilter) throws -> [Int64]? {
        guard !filter.admitsEverything else { return nil }
        let admitted = try store.documentPaths().filter { filter.admits(path: $0.path) }.map(\.id)
        guard !admitted.isEmpty else { throw RetrievalError.noDocumentMatches(filter: filter.description) }
        return admitted
    }

    func lexical(_ query: String, limit: Int, documents: [Int64]?) throws -> [(chunkID: Int64, score: Double)] {
        return try store.lexicalSearch(query, limit: limit, documentIDs: documents).map { ($0.chunkID, $0.score) }
    }

    /// A passage ranked by meaning, with the parts of its score.
    struct DenseCandidate {
        var chunkID: Int64
        var score: Double
        var passageCosine: Float
        var bestSentenceCosine: Float?
    }

    func dense(_ query: String, limit: Int, documents: [Int64]?) throws -> [DenseCandidate] {
        guard let embedder else { throw RetrievalError.noEncoder }
        if let recorded = try store.metadata(.encoderModel), recorded != embedder.modelID {
            throw StoreError.encoderMismatch(indexModel: recorded, currentModel: embedder.modelID)
        }
        let matrix = try self.matrix ?? store.vectorMatrix(model: embedder.modelID)
        self.matrix = matrix
        guard matrix.count > 0 else { throw RetrievalError.noVectors }
        let vector = try embedder.embedQuery(query)
        guard vector.count == matrix.dimension else {
            throw StoreError.dimensionMismatch(expected: matrix.dimension, got: vector.count)
        }
        let admitted = try documents.map { documents in
            let chunks = Set(try store.chunkIDs(ofDocuments: documents))
            return matrix.chunkIDs.map(chunks.contains)
        }
        let candidates = try nearest(vector, in: matrix, model: embedder.modelID, k: max(limit, PassageScoring.candidateDepth),
                                     admitted: admitted)
            .map { (chunkID: matrix.chunkIDs[$0.row], cosine: $0.score) }
        let sentences = try store.sentenceVectors(chunkIDs: candidates.map(\.chunkID))
        let rescored = candidates.map { candidate in
            let best = sentences[candidate.chunkID].flatMap { PassageScoring.bestSentence($0, query: vector) }
            let score = PassageScoring.score(passage: candidate.cosine, bestSentence: best, sentenceWeight: sentenceWeight)
            return DenseCandidate(chunkID: candidate.chunkID, score: Double(score), passageCosine: candidate.cosine, bestSentenceCosine: best)
        }
        return Array(rescored.sorted { $0.score > $1.score || ($0.score == $1.score && $0.chunkID < $1.chunkID) }.prefix(limit))
    }

    /// Candidates the 8-bit scan offers for each row the exact ranking keeps: its scores are off by about a
    /// thousandth at most, so the true top k sits inside the approximate top 2k (recall 1.0 on real e5 vectors
    /// and on random ones, tested; BENCHMARKS.md).
    public static let rescoringFactor = 2

    /// The `k` rows nearest `vector` by exact cosine: the quantised matrix's top `rescoringFactor`·k, ranked again
    /// by their f32 vectors (encoder `model`'s) read from the store.
    func nearest(_ vector: [Float], in matrix: VectorMatrix, model: String, k: Int, admitted: [Bool]?) throws -> [NearestNeighbours.ScoredRow] {
        let approximate = matrix.rows.topK(query: vector, k: k * Self.rescoringFactor, admitted: admitted, parallelism: parallelism)
        let exact = try store.passageVectors(chunkIDs: approximate.map { matrix.chunkIDs[$0.row] }, model: model)
        return NearestNeighbours.rescored(approximate, k: k) { row in
            exact[matrix.chunkIDs[row]].map { VectorMath.dot(vector, $0, count: vector.count) }
        }
    }

    /// Convex fusion of min–max normalised scores (see `Fusion.convex`); ties by chunk id.
    static func convexFuse(meaning: [(chunkID: Int64, score: Double)], words: [(chunkID: Int64, score: Double)],
                           denseWeight: Double) -> [(chunkID: Int64, score: Double)] {
        var fused: [Int64: Double] = [:]
        for (ranking, weight) in [(meaning, denseWeight), (words, 1 - denseWeight)] {
            guard let high = ranking.map(\.score).max(), let low = ranking.map(\.score).min() else { continue }
            let span = high - low
            for item in ranking { fused[item.chunkID, default: 0] += weight * (span > 0 ? (item.score - low) / span : 1) }
        }
        return fused.map { (chunkID: $0.key, score: $0.value) }
            .sorted { $0.score > $1.score || ($0.score == $1.score && $0.chunkID < $1.chunkID) }
    }

    /// Reciprocal-rank fusion: each ranking gives 1 / (fusionConstant + rank) to its items; ties by chunk id.
    static func fuse(_ rankings: [[(chunkID: Int64, score: Double)]]) -> [(chunkID: Int64, score: Double)] {
        var fused: [Int64: Double] = [:]
        for ranking in rankings {
            for (index, item) in ranking.enumerated() { fused[item.chunkID, default: 0] += 1 / (fusionConstant + Double(index + 1)) }
        }
        return fused.map { (chunkID: $0.key, score: $0.value) }
            .sorted { $0.score > $1.score || ($0.score == $1.score && $0.chunkID < $1.chunkID) }
    }
}
