import ModelFiles

/// The hyper-parameters of a decoder-only Transformer, read from GGUF keys `<architecture>.*` and checked for
/// sanity (the file is hostile input: a head count of 0 or a head size that does not divide must not crash us).
public struct ModelConfig: Equatable, Sendable {
    public var architecture: String
    public var blockCount: Int
    /// Width of the residual stream (896 for Qwen2.5-0.5B).
    public var embeddingLength: Int
    /// Hidden width of the feed-forward block (4864).
    public var feedForwardLength: Int
    public var headCount: Int
    /// Key/value heads (grouped-query attention: each serves headCount / kvHeadCount query heads).
    public var kvHeadCount: Int
    /// RoPE frequency base θ.
    public var ropeBase: Float
    public var rmsNormEpsilon: Float
    /// The longest context the model was trained for.
    public var trainedContextLength: Int
    public var vocabularySize: Int

    public var headDimension: Int { embeddingLength / headCount }
    /// Width of one position's keys (or values) across all KV heads.
    public var kvDimension: Int { kvHeadCount * headDimension }

    public init(architecture: String, blockCount: Int, embeddingLength: Int, feedForwardLength: Int, headCount: Int,
                kvHeadCount: Int, ropeBase: Float, rmsNormEpsilon: Float, trainedContextLength: Int,
                vocabularySize: Int) throws {
        self.architecture = architecture
        self.blockCount = blockCount
        self.embeddingLength = embeddingLength
        self.feedForwardLength = feedForwardLength
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount
        self.ropeBase = ropeBase
        self.rmsNormEpsilon = rmsNormEpsilon
        self.trainedContextLength = trainedContextLength
        self.vocabularySize = vocabularySize
        try validate()
    }

    /// Reads the `<architecture>.*` keys; the vocabulary size comes from the token embedding's row count.
    public init(file: GGUFFile, architecture: String) throws {
        let a = architecture
        let embedding = try file.tensor(named: "token_embd.weight")
        try self.init(architecture: a,
                      blockCount: try file.int("\(a).block_count"),
                      embeddingLength: try file.int("\(a).embedding_length"),
                      feedForwardLength: try file.int("\(a).feed_forward_length"),
                      headCount: try file.int("\(a).attention.head_count"),
                      kvHeadCount: try file.int("\(a).attention.head_count_kv"),
                      ropeBase: try file.float("\(a).rope.freq_base"),
                      rmsNormEpsilon: try file.float("\(a).attention.layer_norm_rms_epsilon"),
                      trainedContextLength: try file.int("\(a).context_length"),
                      vocabularySize: embedding.rows)
    }

    private func validate() throws {
        func check(_ ok: Bool, _ key: String, _ value: Any) throws {
            if !ok { throw InferenceError.badHyperparameter(key: "\(architecture).\(key)", value: "\(value)") }
        }
        let limit = 1 << 20
        try check((1...4096).contains(blockCount), "block_count", blockCount)
        try check((1...limit).contains(embeddingLength), "embedding_length", embeddingLength)
        try check((1...limit).contains(feedForwardLength), "feed_forward_length", feedForwardLength)
        try check((1...embeddingLength).contains(headCount) && embeddingLength % headCount == 0,
                  "attention.head_count", headCount)
        try check(headDimension % 2 == 0, "attention.head_count", headCount)
        try check((1...headCount).contains(kvHeadCount) && headCount % kvHeadCount == 0,
                  "attention.head_count_kv", kvHeadCount)
        try check(ropeBase.isFinite && ropeBase > 1, "rope.freq_base", ropeBase)
        try check(rmsNormEpsilon.isFinite && rmsNormEpsilon > 0 && rmsNormEpsilon < 1,
                  "attention.layer_norm_rms_epsilon", rmsNormEpsilon)
        try check(trainedContextLength > 0, "context_length", trainedContextLength)
        try check((1...(1 << 24)).contains(vocabularySize), "vocabulary size", vocabularySize)
    }
}
