import Foundation
import GRDB

/// The index file: documents, their chunks, vectors and the full-text index, behind one SQLite connection
/// pool in WAL mode (readers never block the ingest that writes). Every method maps SQLite failures to `StoreError`.
public final class PassageStore {
    /// The path as the user gave it, for messages.
    public let path: String
    let pool: DatabasePool

    /// Keys of `index_metadata`.
    public enum MetadataKey: String, CaseIterable, Sendable {
        case schemaVersion = "schema_version"
        case chunking = "chunking"
        case encoderModel = "encoder_model"
        case encoderDimension = "encoder_dimension"
        case lastIngest = "last_ingest"
        /// Files the last ingest skipped (unsupported, unreadable, no text): they are never stored, so only counted.
        case lastIngestSkipped = "last_ingest_skipped"
    }

    /// How a command uses the index. Reading never writes to the file (it opens read-only, so an index
    /// on a read-only disk, or one another program holds a write lock on, can still be searched), except
    /// to migrate an older schema of ours when the file is writable.
    public enum Access: Sendable { case read, write }

    /// Opens the index at `path`. With `create` false a missing file is `StoreError.noIndex`; otherwise the
    /// file and its folder are created. Another application's SQLite file is refused before anything is
    /// written to it; older schemas are migrated; a newer one is refused. A write waits up to
    /// `busyTimeout` seconds for another process's transaction (one document of an ingest) to end.
    public static func open(at path: String, create: Bool, access: Access = .write, busyTimeout: Double = 3) throws -> PassageStore {
        guard !path.isEmpty else { throw StoreError.badPath(path: path, problem: "the index path is empty") }
        let url = URL(fileURLWithPath: path)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) {
            if isFolder.boolValue { throw StoreError.badPath(path: path, problem: "is a folder, not an index file") }
            try checkIsOurs(path, busyTimeout: busyTimeout)
        } else {
            guard create, access == .write else { throw StoreError.noIndex(path: path) }
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw StoreError.badPath(path: path, problem: "cannot create its folder (\((error as NSError).localizedFailureReason ?? "permission denied"))")
            }
        }
        return try PassageStore(path: path, access: access, busyTimeout: busyTimeout)
    }

    /// Deletes an index file and its WAL companions.
    public static func remove(at path: String) throws {
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try removeWALCompanions(of: path)
    }

    /// Deletes the `-wal` and `-shm` files beside `path`, where there are any.
    static func removeWALCompanions(of path: String) throws {
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    /// Refuses, with a read-only look that changes nothing, a file that is not an SQLite database or is
    /// another application's database (tables, but none of our migrations).
    static func checkIsOurs(_ path: String, busyTimeout: Double) throws {
        var configuration = Configuration()
        configuration.readonly = true
        // Even a read waits while another opener recovers the WAL index of a file nobody had open.
        configuration.busyMode = .timeout(busyTimeout)
        func isForeign(_ queue: DatabaseQueue) throws -> Bool {
            defer { try? queue.close() }
            return try queue.read { db in
                try !db.tableExists("grdb_migrations") && (try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0) > 0
            }
        }
        do {
            if try readingImmutableIfNeeded(path, { try isForeign(DatabaseQueue(path: $0, configuration: configuration)) }) {
                throw StoreError.notAnIndex(path: path)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.wrapping(error, path: path)
        }
    }

    private init(path: String, access: Access, busyTimeout: Double) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.readonly = access == .read
        // In WAL mode NORMAL never corrupts the file (a crash or kill -9 loses nothing committed; a power cut
        // may lose the last documents, which the next ingest redoes) and skips one fsync per document.
        if access == .write { configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") } }
        do {
            var pool = try Self.openPool(path: path, configuration: configuration)
            let migrator = SchemaMigrations.migrator
            let (superseded, complete) = try pool.read { db in
                (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
            }
            if superseded { throw StoreError.newerSchema(path: path) }
            if !complete {
                // An older index of ours (or a new one whose first writer was killed before its schema was
                // complete): reading it needs the current schema, so even a read command migrates it, through a
                // writable connection of its own.
                let writer = access == .write ? pool : try DatabasePool(path: path, configuration: {
                    var writable = configuration
                    writable.readonly = false
                    return writable
                }())
                try Self.migrate(writer, with: migrator)
                if access == .read {
                    // Fold the migration into the main file and open the read pool afresh: a pool that fell back
                    // to immutable mode reads the main file alone and would never see the new tables in the WAL.
                    try? writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
                    try writer.close()
                    try pool.close()
                    pool = try Self.openPool(path: path, configuration: configuration)
                }
            }
            self.pool = pool
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.wrapping(error, path: path)
        }
    }

    /// Applies the migrations `writer`'s file lacks. Another process (an ingest and a search opening the
    /// same old index) may be migrating it between our check and our turn at the write lock: GRDB reads what
    /// is applied before taking the lock, so ours then fails on a table or column that now exists. If the
    /// index is current, that is all that happened; if the other is still applying a later migration, try
    /// again (each failed try found one more migration applied, so there are at most as many tries as
    /// migrations).
    private static func migrate(_ writer: DatabasePool, with migrator: DatabaseMigrator) throws {
        var tries = 0
        while true {
            do {
                try migrator.migrate(writer)
                return
            } catch {
                if try writer.read(migrator.hasCompletedMigrations) { return }
                tries += 1
                if tries >= SchemaMigrations.currentVersion { throw error }
            }
        }
    }

    /// A pool on `path`. A read-only pool falls back to SQLite's `immutable` mode when the folder does not
    /// let SQLite create the WAL index (`-shm`) it needs even to read: an index on a read-only disk, or
    /// another user's, can still be searched (what an ingest left committed in the main file; ingest folds
    /// its WAL in when it ends).
    static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        guard configuration.readonly else { return try DatabasePool(path: path, configuration: configuration) }
        return try readingImmutableIfNeeded(path) { location in
            let pool = try DatabasePool(path: location, configuration: configuration)
            _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
            return pool
        }
    }

    /// Runs a read-only `open` on `path`, and again on an SQLite URI that opens it as a file nothing will
    /// change while it is read (`immutable=1`: no locks, no -shm) when SQLite cannot read it the ordinary way.
    static func readingImmutableIfNeeded<T>(_ path: String, _ open: (String) throws -> T) throws -> T {
        do {
            return try open(path)
        } catch let error as DatabaseError where [.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(error.resultCode) {
            let unsafe = CharacterSet(charactersIn: "?#%").union(.whitespacesAndNewlines)
            let escaped = URL(fileURLWithPath: path).path.addingPercentEncoding(withAllowedCharacters: unsafe.inverted) ?? path
            return try open("file:" + escaped + "?immutable=1")
        }
    }

    /// Runs a read, mapping SQLite errors to `StoreError`.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch { throw StoreError.wrapping(error, path: path) }
    }

    /// Runs one write transaction, mapping SQLite errors to `StoreError`.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.write(body) } catch { throw StoreError.wrapping(error, path: path) }
    }

    // MARK: metadata

    public func metadata(_ key: MetadataKey) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM index_metadata WHERE key = ?", arguments: [key.rawValue]) }
    }

    public func setMetadata(_ key: MetadataKey, _ value: String) throws {
        try write { db in try Self.setMetadata(key, value, in: db) }
    }

    static func setMetadata(_ key: MetadataKey, _ value: String, in db: Database) throws {
        try db.execute(sql: "INSERT INTO index_metadata (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       arguments: [key.rawValue, value])
    }

    /// Counts and metadata for `rag stats`.
    public func statistics() throws -> IndexStatistics {
        let (documents, chunks, vectors, sentenceVectors, metadata) = try read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM documents") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM chunks") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM chunk_vectors") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM sentence_vectors") ?? 0,
             Dictionary(try Row.fetchAll(db, sql: "SELECT key, value FROM index_metadata").map { ($0[0] as String, $0[1] as String) },
                        uniquingKeysWith: { a, _ in a }))
        }
        var bytes: Int64 = 0
        for suffix in ["", "-wal"] {
            if let attributes = try? FileManager.default.attributesOfItem(atPath: path + suffix),
               let size = attributes[.size] as? NSNumber { bytes += size.int64Value }
        }
        return IndexStatistics(documents: documents, chunks: chunks, vectors: vectors, sentenceVectors: sentenceVectors, fileBytes: bytes, metadata: metadata)
    }

    /// SQLite's own consistency check: "ok", or what is broken.
    public func integrityCheck() throws -> String {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }

    /// Closes the file (a store is unusable afterwards): its WAL is folded in and removed.
    public func close() throws {
        do { try pool.close() } catch { throw StoreError.wrapping(error, path: path) }
    }

    /// Where a rebuild of the index at `path` is built, beside it, until it replaces it.
    public static func stagingPath(forRebuildOf path: String) -> String { path + ".rebuilding" }

    /// Puts the finished, closed index at `staging` in place of the one at `path`, in one rename: readers
    /// see the old index or the new one, never a mix. The old file's WAL companions go first, so they can
    /// never be replayed into the new file.
    public static func replace(_ path: String, with staging: String) throws {
        do {
            try removeWALCompanions(of: path)
            guard rename(staging, path) == 0 else {
                throw StoreError.badPath(path: path, problem: "could not move the rebuilt index into place (\(String(cString: strerror(errno))))")
            }
            try removeWALCompanions(of: staging)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.badPath(path: path, problem: "could not replace it with the rebuilt index (\(error.localizedDescription))")
        }
    }

    /// Folds the WAL into the main file so its size on disk is the index's real size.
    public func checkpoint() throws {
        do { try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) } }
        catch { throw StoreError.wrapping(error, path: path) }
    }
}
