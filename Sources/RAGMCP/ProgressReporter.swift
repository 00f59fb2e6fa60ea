import MCP

/// Sends `notifications/progress` for one request whose client asked for them (a `progressToken` in the
/// request's `_meta`), in the order they were reported: the work reports from the session's queue, and
/// one task sends them, so a notification never overtakes another or the result.
final class ProgressReporter: @unchecked Sendable {  // `steps` is touched by the reporting queue only
    private let updates: AsyncStream<(progress: Double, message: String)>.Continuation?
    private let sender: Task<Void, Never>?
    private var steps = 0.0

    /// Reports nothing when `token` is nil (the client did not ask) or the server is gone.
    init(server: Server?, token: ProgressToken?) {
        guard let server, let token else { updates = nil; sender = nil; return }
        let (stream, continuation) = AsyncStream.makeStream(of: (progress: Double, message: String).self)
        updates = continuation
        sender = Task {
            for await update in stream {
                try? await server.notify(ProgressNotification.message(
                    .init(progressToken: token, progress: update.progress, message: update.message)))
            }
        }
    }

    /// One more step done: progress counts steps (1, 2, 3…; the total is not known in advance).
    func step(_ message: String) {
        guard let updates else { return }
        steps += 1
        updates.yield((steps, message))
    }

    /// Waits until every reported step has been sent (call before returning the result).
    func finish() async {
        updates?.finish()
        await sender?.value
    }
}
