import Foundation
import Kernels
import RAGKit

/// The server's one `RAGSession`, on a `BlockingWorker` of its own: a session is not thread-safe, and its
/// work (the encoder, the decoder, SQLite) is long and blocking, so it must not hold one of Swift's few
/// cooperative threads while the transport waits to read a cancellation or a ping.
///
/// The session opens on first use, not at start: a server whose index does not exist yet starts anyway,
/// each call that needs the index says so (`StoreError.noIndex`), and the first call after an ingest
/// made the file finds it. It keeps its decoder's prompt cache from one answer to the next, as a server's does.
final class SessionQueue: @unchecked Sendable {  // `session` is read and written on `worker` only
    let indexPath: String
    let parallelism: Parallelism
    let decoderModel: String?
    private let worker = BlockingWorker(label: "rag.mcp.session")
    private var session: RAGSession?

    init(indexPath: String, parallelism: Parallelism, decoderModel: String?) {
        self.indexPath = indexPath; self.parallelism = parallelism; self.decoderModel = decoderModel
    }

    /// Runs `body` after the calls before it. A call cancelled while it waits never starts (it throws
    /// `CancellationError`); one cancelled while it runs sees `turn.stop` set and stops where it can.
    func perform<T>(_ body: @escaping (Turn) throws -> T) async throws -> T {
        let stop = StopFlag()
        return try await withTaskCancellationHandler {
            try await worker.run {
                guard !stop.isSet else { throw CancellationError() }
                return try body(Turn(queue: self, stop: stop))
            }
        } onCancel: {
            stop.set()
        }
    }

    /// What a call holds while it runs on the worker.
    struct Turn {
        fileprivate let queue: SessionQueue
        /// Set when the client cancelled the call.
        let stop: StopFlag

        /// The session, opened now if it is not open yet.
        func session() throws -> RAGSession {
            if let session = queue.session { return session }
            let opened = try RAGSession(indexPath: queue.indexPath, parallelism: queue.parallelism, decoderModel: queue.decoderModel,
                                        reusesPromptCache: true)
            queue.session = opened
            return opened
        }
    }
}

/// A flag one thread sets and another reads: a client's cancellation, seen by the work it stops.
final class StopFlag: @unchecked Sendable {  // `value` is guarded by `lock`
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
