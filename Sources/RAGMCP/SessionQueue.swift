import Dispatch
import Foundation
import Kernels
import RAGKit

/// The server's one `RAGSession`, behind a serial queue of its own. A session is not thread-safe, and its
/// work (the encoder, the decoder, SQLite) is long and blocking: run on Swift concurrency's cooperative
/// threads (two on a 2-core machine) it would stall the transport, so a cancellation or a ping could not
/// even be read while an answer is generated. Here a tool call waits for its turn without holding a thread.
///
/// The session opens on first use, not at start: a server whose index does not exist yet starts anyway,
/// each call that needs the index says so (`StoreError.noIndex`), and the first call after an ingest
/// made the file finds it.
final class SessionQueue: @unchecked Sendable {  // `session` is read and written on `queue` only
    let indexPath: String
    let parallelism: Parallelism
    let decoderPath: String?
    private let queue = DispatchQueue(label: "rag.mcp.session")
    private var session: RAGSession?

    init(indexPath: String, parallelism: Parallelism, decoderPath: String?) {
        self.indexPath = indexPath; self.parallelism = parallelism; self.decoderPath = decoderPath
    }

    /// Runs `body` on the queue after the calls before it. A call cancelled while it waits never starts
    /// (it throws `CancellationError`); one cancelled while it runs sees `stop.isSet` and may end early.
    func perform<T>(_ body: @escaping (Turn) throws -> T) async throws -> T {
        let stop = StopFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
                queue.async {
                    guard !stop.isSet else { return continuation.resume(throwing: CancellationError()) }
                    continuation.resume(with: Result { try body(Turn(queue: self, stop: stop)) })
                }
            }
        } onCancel: {
            stop.set()
        }
    }

    /// What a call holds while it runs on the queue.
    struct Turn {
        fileprivate let queue: SessionQueue
        /// Set when the client cancelled the call.
        let stop: StopFlag

        /// The session, opened now if it is not open yet.
        func session() throws -> RAGSession {
            if let session = queue.session { return session }
            let opened = try RAGSession(indexPath: queue.indexPath, parallelism: queue.parallelism, decoderPath: queue.decoderPath)
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
