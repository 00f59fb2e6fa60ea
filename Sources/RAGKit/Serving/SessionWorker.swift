/// A `RAGSession` with a thread of its own: its requests run one at a time, as `RAGSession` requires, and
/// off Swift's cooperative pool (`BlockingWorker`).
public final class SessionWorker: @unchecked Sendable {
    private let session: RAGSession
    private let thread: BlockingWorker

    public init(session: RAGSession, label: String) {
        self.session = session
        thread = BlockingWorker(label: label)
    }

    /// Runs `body` with the session, after the requests queued before it.
    public func run<T>(_ body: @escaping (RAGSession) throws -> T) async throws -> T {
        try await thread.run { [session] in try body(session) }
    }
}
