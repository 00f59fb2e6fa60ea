import Dispatch

/// A serial queue of blocking work that async callers await without holding a thread of Swift's cooperative
/// pool (two threads on a two-core machine: one long matrix product there would stall every other task).
public final class BlockingWorker: @unchecked Sendable {
    private let queue: DispatchQueue

    public init(label: String) { queue = DispatchQueue(label: label, qos: .userInitiated) }

    /// Runs `body` after the work queued before it, on the worker's thread.
    public func run<T>(_ body: @escaping () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
