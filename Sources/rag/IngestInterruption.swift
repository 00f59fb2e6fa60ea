import Dispatch
import Foundation
import Retrieval
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C (SIGINT) during `rag ingest`: says how much of this run is stored and exits 130, the status a shell gives
/// an interrupted command. Each document is written in one transaction, so stopping at any point loses at most the
/// document being written (SQLite rolls it back when the index is next opened), as a kill does; a rerun finishes.
final class IngestInterruption: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0, seen = 0, written = 0
    private let source: DispatchSourceSignal
    /// A rebuild writes beside the index: interrupting it leaves the old index as it was.
    private let rebuild: Bool

    /// Takes SIGINT over from the default action (terminate) for the rest of the process.
    init(rebuild: Bool = false) {
        self.rebuild = rebuild
        signal(SIGINT, SIG_IGN)  // delivered to the dispatch source instead
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [unowned self] in self.interrupted() }
        source.resume()
    }

    /// Follows the ingest: an added or replaced file's event comes after its transaction committed.
    func record(_ event: IngestEvent) {
        lock.lock(); defer { lock.unlock() }
        switch event {
        case .started(let files): total = files
        case .file(let index, _, let outcome):
            seen = index
            switch outcome {
            case .added, .replaced: written += 1
            case .unchanged, .skipped: break
            }
        case .passedOver, .embedding: break
        }
    }

    private func interrupted() -> Never {
        lock.lock()
        let (total, seen, written) = (self.total, self.seen, self.written)
        lock.unlock()
        let clear = isatty(STDERR_FILENO) != 0 ? "\r\u{1B}[K" : ""  // over a progress bar
        let line = clear + (rebuild
            ? "interrupted: the rebuild stopped after \(seen) of \(total) files; the index is as it was before it; rerun to rebuild\n"
            : "interrupted: \(written) documents written by this run are stored (\(seen) of \(total) files "
                + "done); rerun the same command to finish\n")
        // write(2), not FileHandle: async-signal-context safe enough and never throws (stderr may be closed).
        _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        _exit(130)  // not exit(): the main thread may be inside SQLite; atexit handlers must not run under it
    }
}
