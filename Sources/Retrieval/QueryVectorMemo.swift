/// An embedder that remembers the last few queries' vectors, so the retriever's dense searches and the
/// answerer's sentence ranking embed a question once, and a follow-up's question and joined query once each.
/// Passages pass straight through.
final class QueryVectorMemo: TextEmbedder {
    let base: TextEmbedder
    /// Queries remembered, most recent last.
    static let capacity = 4
    private var recent: [(text: String, vector: [Float])] = []

    init(_ base: TextEmbedder) { self.base = base }

    var modelID: String { base.modelID }
    var dimension: Int { base.dimension }

    func embedPassages(_ texts: [String]) throws -> [[Float]] { try base.embedPassages(texts) }

    func embedQuery(_ text: String) throws -> [Float] {
        if let hit = recent.firstIndex(where: { $0.text == text }) {
            recent.append(recent.remove(at: hit))
            return recent[recent.count - 1].vector
        }
        let vector = try base.embedQuery(text)
        recent.append((text, vector))
        if recent.count > Self.capacity { recent.removeFirst() }
        return vector
    }
}
