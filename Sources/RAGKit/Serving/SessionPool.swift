/// Workers that take turns serving short requests (searches, embeddings, retrieval-only answers): each
/// request runs on the first idle worker, or waits, in arrival order, for one. Each worker holds its own
/// session, store connection and encoder, so requests on different workers run at the same time.
public actor SessionPool {
    private var idle: [SessionWorker]
    private var waiting: [CheckedContinuation<SessionWorker, Never>] = []
    public nonisolated let size: Int

    public init(workers: [SessionWorker]) {
        precondition(!workers.isEmpty, "a pool needs a worker")
        idle = workers
        size = workers.count
    }

    /// Runs `body` on a worker's session as soon as one is free.
    public nonisolated func run<T>(_ body: @escaping (RAGSession) throws -> T) async throws -> T {
        let worker = await take()
        do {
            let result = try await worker.run(body)
            await giveBack(worker)
            return result
        } catch {
            await giveBack(worker)
            throw error
        }
    }

    private func take() async -> SessionWorker {
        if let worker = idle.popLast() { return worker }
        return await withCheckedContinuation { waiting.append($0) }
    }

    private func giveBack(_ worker: SessionWorker) {
        if waiting.isEmpty { idle.append(worker) } else { waiting.removeFirst().resume(returning: worker) }
    }
}
