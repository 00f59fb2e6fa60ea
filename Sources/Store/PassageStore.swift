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

    /// Opens the index at `path`. With `create` false a missing file is `StoreError.noIndex`; otherwise the
    /// file and its folder are created. Older schemas are migrated; a newer one is refused. A write waits
    /// up to `busyTimeout` seconds for another process's transaction (one document of an ingest) to end.
    public static func open(at path: String, create: Bool, busyTimeout: Double = 3) throws -> PassageStore {
        let url = URL(fileURLWithPath: path)
        if !FileManager.default.fileExists(atPath: url.path) {
            guard create else { throw StoreError.noIndex(path: path) }
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        return try PassageStore(path: path, busyTimeout: busyTimeout)
    }

    /// Deletes an index file and its WAL companions (for `--rebuild`).
    public static func remove(at path: String) throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    private init(path: String, busyTimeout: Double) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        // In WAL mode NORMAL never corrupts the file (a crash or kill -9 loses nothing committed; a power cut
        // may lose the last documents, which the next ingest redoes) and skips one fsync per document.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            let migrator = SchemaMigrations.migrator
            let (foreign, superseded, complete) = try pool.read { db in
                // Another application's database: tables, but none of our migrations. Never migrate it.
                (try !db.tableExists("grdb_migrations") && (try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0) > 0,
                 try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
            }
            if foreign { throw StoreError.notAnIndex(path: path) }
            if superseded { throw StoreError.newerSchema(path: path) }
            // Another process (an ingest and a search opening the same old index) may be migrating it between
            // our check and our turn at the write lock: GRDB reads what is applied before taking the lock, so
            // ours then fails on a table or column that now exists. If the index is current, that is all that
            // happened; if the other is still applying a later migration, try again (each failed try found
            // one more migration applied, so there are at most as many tries as migrations).
            var tries = 0
            while !complete {
                do {
                    try migrator.migrate(pool)
                    break
                } catch {
                    if try pool.read(migrator.hasCompletedMigrations) { break }
                    tries += 1
                    if tries >= SchemaMigrations.currentVersion { throw error }
                }
            }
        } catch {
            throw StoreError.wrapping(error, path: path)
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

    /// Folds the WAL into the main file so its size on disk is the index's real size.
    public func checkpoint() throws {
        do { try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) } }
        catch { throw StoreError.wrapping(error, path: path) }
    }
}
