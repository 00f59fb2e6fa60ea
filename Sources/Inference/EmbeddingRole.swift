/// Which side of a retrieval pair a text is: e5 was trained with a `query: ` / `passage: ` prefix on each.
public enum EmbeddingRole: String, Sendable, CaseIterable {
    case query
    case passage

    /// The prefix the model expects, with exactly one space after the colon.
    public var prefix: String {
        switch self {
        case .query: "query: "
        case .passage: "passage: "
        }
    }
}
