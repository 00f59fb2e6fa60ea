import Retrieval

/// `rag ingest --json` output.
public struct IngestReport: Encodable {
    public var index: String
    public var summary: IngestSummary

    public init(index: String, summary: IngestSummary) { self.index = index; self.summary = summary }

    enum CodingKeys: String, CodingKey {
        case index, files, changed, added, replaced, unchanged, skipped, notes, pruned, chunks, vectors, sentenceVectors = "sentence_vectors", seconds
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(summary.files, forKey: .files)
        try c.encode(summary.changed, forKey: .changed)
        try c.encode(summary.added, forKey: .added)
        try c.encode(summary.replaced, forKey: .replaced)
        try c.encode(summary.unchanged, forKey: .unchanged)
        try c.encode(summary.skipped, forKey: .skipped)
        try c.encode(summary.notes, forKey: .notes)
        try c.encode(summary.pruned, forKey: .pruned)
        try c.encode(summary.chunks, forKey: .chunks)
        try c.encode(summary.vectors, forKey: .vectors)
        try c.encode(summary.sentenceVectors, forKey: .sentenceVectors)
        try c.encode((summary.seconds * 1000).rounded() / 1000, forKey: .seconds)
    }
}
