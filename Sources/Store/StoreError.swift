import GRDB

/// Everything that can go wrong with an index file, each with a one-line message that says what to do.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// No index file at this path (search, stats and list never create one).
    case noIndex(path: String)
    /// Another process (usually a running `rag ingest`) holds the write lock for longer than we wait.
    case locked(path: String)
    /// The file was migrated by a newer rag whose schema this build does not know.
    case newerSchema(path: String)
    /// The file is not an SQLite database, or not one of ours.
    case notAnIndex(path: String)
    /// An SQLite database whose pages are damaged (a disk error, or a file cut short by a copy).
    case damaged(path: String)
    /// The index's vectors came from a different encoder than the one this rag runs.
    case encoderMismatch(indexModel: String, currentModel: String)
    /// A vector whose length disagrees with the index's recorded dimension.
    case dimensionMismatch(expected: Int, got: Int)
    /// The index path cannot hold an index: empty, a folder, or a folder that cannot be made.
    case badPath(path: String, problem: String)
    /// The file, its folder or its disk does not let us write (permissions, an immutable file, a read-only mount).
    case readOnly(path: String)
    /// The disk is full: the write in progress was rolled back, everything committed before it is kept.
    case diskFull(path: String)
    /// SQLite could not open the file (a folder we may not read or write, or a vanished file).
    case cannotOpen(path: String)
    /// Any other SQLite failure, with SQLite's own message.
    case database(path: String, message: String)

    public var description: String {
        switch self {
        case .noIndex(let path):
            return "no index at \(path): run `rag ingest PATH...` first (or pass --index)"
        case .locked(let path):
            return "the index \(path) is busy: another process (a rag ingest, or another program) is writing to it; wait for it to finish and retry"
        case .newerSchema(let path):
            return "the index \(path) was created by a newer version of rag: upgrade rag or rebuild with `rag ingest --rebuild PATH...`"
        case .notAnIndex(let path):
            return "\(path) is not a rag index: pass another --index, or delete the file"
        case .damaged(let path):
            return "the index \(path) is damaged: rebuild it with `rag ingest --rebuild PATH...`"
        case .encoderMismatch(let indexModel, let currentModel):
            return "the index was built with encoder \(indexModel) but this rag uses \(currentModel): rerun `rag ingest --rebuild PATH...`"
        case .dimensionMismatch(let expected, let got):
            return "vector has \(got) dimensions but the index stores \(expected): rerun `rag ingest --rebuild PATH...`"
        case .badPath(let path, let problem):
            return path.isEmpty ? "\(problem): pass --index PATH" : "\(path) \(problem): pass another --index"
        case .readOnly(let path):
            return "cannot write to the index \(path): it, or its folder, is read-only (permissions, an immutable file or a read-only disk); searching it still works"
        case .diskFull(let path):
            return "the disk holding \(path) is full: the document being written was rolled back and everything stored before it is kept; free some space and rerun"
        case .cannotOpen(let path):
            return "cannot open the index \(path): check that you may read it and write to its folder"
        case .database(let path, let message):
            return "index \(path): \(message)"
        }
    }

    /// Translates GRDB's errors into ours; anything that is not a `DatabaseError` passes through unchanged.
    static func wrapping(_ error: Error, path: String) -> Error {
        guard let dbError = error as? DatabaseError else { return error }
        switch dbError.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return StoreError.locked(path: path)
        case .SQLITE_NOTADB: return StoreError.notAnIndex(path: path)
        case .SQLITE_CORRUPT: return StoreError.damaged(path: path)
        case .SQLITE_READONLY: return StoreError.readOnly(path: path)
        case .SQLITE_FULL: return StoreError.diskFull(path: path)
        case .SQLITE_CANTOPEN: return StoreError.cannotOpen(path: path)
        default: return StoreError.database(path: path, message: dbError.message ?? "\(dbError.resultCode)")
        }
    }
}
