/// What happened to one file during an ingest.
public enum FileOutcome: Equatable, Sendable {
    case added(chunks: Int)
    case replaced(chunks: Int)
    case unchanged
    case skipped(reason: String)
}

/// Progress of an ingest, as it happens: first the file count, then one event per file.
public enum IngestEvent: Equatable, Sendable {
    case started(files: Int)
    /// A path that was found but will not be read (unsupported type, a device, a broken link…), before any file.
    case passedOver(SkippedFile)
    /// A long document's passages and sentences being embedded: `done` of `total` texts (before its `.file`).
    case embedding(index: Int, path: String, done: Int, total: Int)
    /// `index` counts from 1.
    case file(index: Int, path: String, outcome: FileOutcome)
}

/// The result of an ingest, for the final line or `--json`.
public struct IngestSummary: Equatable, Sendable, Codable {
    public var files = 0
    public var added = 0
    public var replaced = 0
    public var unchanged = 0
    public var skipped: [SkippedFile] = []
    /// Files indexed in part, and what was left out (pages without a text layer).
    public var notes: [FileNote] = []
    public var pruned: [String] = []
    /// Chunks written in this run (new and replaced documents).
    public var chunks = 0
    /// Passage vectors written in this run (0 without an encoder).
    public var vectors = 0
    /// Sentence vectors written in this run, for dense scoring and quoting (see `PassageScoring`).
    public var sentenceVectors = 0
    public var seconds = 0.0

    /// Files whose chunks were (re)written.
    public var changed: Int { added + replaced }
}

/// A file that was indexed with something left out, and what (one line).
public struct FileNote: Equatable, Sendable, Codable {
    public var path: String
    public var note: String
}

/// Ingest failures that stop the run (a single bad file never does: it is skipped with a reason).
public enum IngestError: Error, Equatable, CustomStringConvertible {
    case unreadablePath(String, reason: String)
    case encoderUnavailable(indexModel: String)
    case embedderReturned(vectors: Int, expected: Int)

    public var description: String {
        switch self {
        case .unreadablePath(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .encoderUnavailable(let model):
            return "this index holds vectors from \(model) but no encoder is available: fetch it with scripts/fetch-models, or rebuild with `rag ingest --rebuild PATH...`"
        case .embedderReturned(let vectors, let expected):
            return "the encoder returned \(vectors) vectors for \(expected) passages"
        }
    }
}
