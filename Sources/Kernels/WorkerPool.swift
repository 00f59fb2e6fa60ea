import CKernels
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Long-lived worker threads that spin briefly between jobs. A decode step or a short query's matrix product
/// takes 20–250 µs, about as long as libdispatch takes to wake a sleeping worker, so with
/// `DispatchQueue.concurrentPerform` much of the second core's share went to hand-offs (BENCHMARKS.md). Workers
/// here poll for the next job for up to `spinSeconds` after each one, then sleep on a condition variable.
///
/// One job at a time: a caller that finds the pool busy (another thread's job, or a job started from inside a
/// job) gets nil from `run` and does the work another way.
final class WorkerPool: @unchecked Sendable {
    /// Sized for this machine: one worker per core besides the caller's.
    static let shared = WorkerPool(workers: ProcessInfoCores.active - 1)

    /// How long an idle worker polls before sleeping: long enough to span the gaps between a step's parallel
    /// parts, short enough that an idle process stops using the CPU at once.
    static let spinSeconds = 0.002

    let workers: Int
    /// Bumped once per job; a worker runs a job when it sees a value it has not run yet.
    private let epoch = Atomic<Int>(0)
    /// Workers that have not yet finished (or, beyond `participants`, acknowledged) the current job. Every
    /// worker reports, so none still reads `body` or `participants` when the next job writes them.
    private let remaining = Atomic<Int>(0)
    /// Workers asleep (or about to sleep) on `wake`.
    private let sleepers = Atomic<Int>(0)
    /// Set while a job runs, so a second caller does not overwrite it.
    private let busy = Atomic<Bool>(false)
    /// The current job: its body and how many of the workers take part. Written before `epoch` is bumped and
    /// read after it is seen, so the atomics order every access.
    private var body: ((Int) -> Void)?
    private var participants = 0
    private var mutex = pthread_mutex_t()
    private var wake = pthread_cond_t()

    init(workers: Int) {
        self.workers = max(0, workers)
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&wake, nil)
        for index in 0..<self.workers {
            var thread = pthread_t()
            let context = Unmanaged.passRetained(WorkerContext(pool: self, index: index + 1)).toOpaque()
            let created = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                context.pool.workerLoop(index: context.index)
                return nil
            }, context)
            precondition(created == 0, "cannot start worker thread \(index + 1)")
            pthread_detach(thread)
        }
    }

    /// Runs `body(0) … body(count − 1)` with `body(0)` on the calling thread and the others on workers 1…,
    /// returning when all have finished. Nil (and nothing run) when the pool is busy or too small.
    func run(_ count: Int, _ body: (Int) -> Void) -> Void? {
        guard count - 1 <= workers, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return nil
        }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { body in
            self.body = body
            participants = count - 1
            remaining.store(workers, ordering: .relaxed)
            epoch.add(1, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(&mutex)
                pthread_cond_broadcast(&wake)
                pthread_mutex_unlock(&mutex)
            }
            body(0)
            while remaining.load(ordering: .acquiring) > 0 { rag_cpu_relax() }
            self.body = nil
        }
        return ()
    }

    private func workerLoop(index: Int) {
        var seen = 0
        while true {
            seen = waitForJob(after: seen)
            if index <= participants, let body { body(index) }
            remaining.subtract(1, ordering: .releasing)
        }
    }

    /// Polls `epoch` until it passes `seen`, then sleeps until it does; returns the new value.
    private func waitForJob(after seen: Int) -> Int {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(Self.spinSeconds * 1e9)
        var polls = 0
        while true {
            let current = epoch.load(ordering: .acquiring)
            if current != seen { return current }
            rag_cpu_relax()
            polls += 1
            if polls % 256 == 0, DispatchTime.now().uptimeNanoseconds > deadline { break }
        }
        pthread_mutex_lock(&mutex)
        sleepers.add(1, ordering: .sequentiallyConsistent)
        var current = epoch.load(ordering: .sequentiallyConsistent)
        while current == seen {
            pthread_cond_wait(&wake, &mutex)
            current = epoch.load(ordering: .sequentiallyConsistent)
        }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(&mutex)
        return current
    }
}

/// What a worker thread is started with.
private final class WorkerContext {
    let pool: WorkerPool
    let index: Int
    init(pool: WorkerPool, index: Int) { self.pool = pool; self.index = index }
}
