/// An embedder that remembers the last query's vector, so the retriever's dense search and the answerer's
/// sentence ranking embed a question once. Passages pass straight through.
final class QueryVectorMemo: TextEmbedder {
    let base: TextEmbedder
    private var last: (text: String, vector: [Float])?

    init(_ base: TextEmbedder) { self.base = base }

    var modelID: String { base.modelID }
    var dimension: Int { base.dimension }

    func embedPassages(_ texts: [String]) throws -> [[Float]] { try base.embedPassages(texts) }

    func embedQuery(_ text: String) throws -> [Float] {
        if let last, last.text == text { return last.vector }
        let vector = try base.embedQuery(text)
        last = (text, vector)
        return vector
    }
}
