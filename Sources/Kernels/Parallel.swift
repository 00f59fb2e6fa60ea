import Dispatch

/// Splits work over a fixed number of threads. `threads` comes from the user's `--threads` (default: all
/// cores); 1 runs inline with no dispatch overhead.
public struct Parallelism: Sendable {
    /// Number of worker threads, at least 1.
    public let threads: Int

    public init(threads: Int) { self.threads = max(1, threads) }

    /// All cores of this machine.
    public static var allCores: Parallelism { Parallelism(threads: ProcessInfoCores.active) }

    /// Runs `body` over contiguous sub-ranges of `0..<count` covering it exactly, one per thread (on the
    /// spinning `WorkerPool`). `body` must only write to memory its own range owns.
    public func forEachChunk(of count: Int, _ body: (Range<Int>) -> Void) {
        let workers = min(threads, count)
        guard workers > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        let chunk = { (w: Int) in
            let lo = count * w / workers, hi = count * (w + 1) / workers
            if lo < hi { body(lo..<hi) }
        }
        if WorkerPool.shared.run(workers, chunk) != nil { return }
        // The pool is busy (a nested or concurrent call) or smaller than asked: libdispatch's threads.
        DispatchQueue.concurrentPerform(iterations: workers, execute: chunk)
    }
}

/// Core count, read once.
enum ProcessInfoCores {
    static let active: Int = {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }()
}

#if canImport(Glibc)
import Glibc
#endif
