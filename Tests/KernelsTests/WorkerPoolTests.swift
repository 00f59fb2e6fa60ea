import Foundation
@testable import Kernels
import XCTest

/// `Parallelism.forEachChunk` on the spinning worker pool: every index exactly once, across job after job,
/// after workers have gone to sleep, from inside a job and from two threads at once.
final class WorkerPoolTests: XCTestCase {
    /// Runs one forEachChunk over `count` items and checks each was visited exactly once.
    func checkCoverage(_ parallelism: Parallelism, count: Int, file: StaticString = #filePath, line: UInt = #line) {
        let visits = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(count, 1))
        defer { visits.deallocate() }
        visits.initialize(repeating: 0)
        parallelism.forEachChunk(of: count) { range in
            for i in range { visits[i] += 1 }
        }
        XCTAssertTrue(visits.prefix(count).allSatisfy { $0 == 1 }, "count \(count)", file: file, line: line)
    }

    func testManyConsecutiveJobsCoverEveryIndexOnce() {
        let two = Parallelism(threads: 2)
        for job in 0..<20_000 { checkCoverage(two, count: job % 7 + 1) }
    }

    func testJobsAfterTheWorkersFellAsleep() {
        let two = Parallelism(threads: 2)
        for _ in 0..<5 {
            Thread.sleep(forTimeInterval: WorkerPool.spinSeconds * 3)
            checkCoverage(two, count: 1000)
        }
    }

    func testAJobStartedInsideAJobRunsWithoutThePool() {
        let two = Parallelism(threads: 2)
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2)
        defer { counts.deallocate() }
        counts.initialize(repeating: 0)
        two.forEachChunk(of: 2) { outer in
            for o in outer {
                var inner = 0
                let lock = NSLock()
                two.forEachChunk(of: 100) { range in lock.lock(); inner += range.count; lock.unlock() }
                counts[o] = inner
            }
        }
        XCTAssertEqual(Array(counts), [100, 100])
    }

    func testTwoCallersAtOnceBothFinish() {
        let group = DispatchGroup()
        for _ in 0..<2 {
            DispatchQueue.global().async(group: group) {
                for _ in 0..<2000 { self.checkCoverage(Parallelism(threads: 2), count: 64) }
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 60), .success)
    }

    func testMoreThreadsThanWorkersFallsBack() {
        checkCoverage(Parallelism(threads: WorkerPool.shared.workers + 3), count: 50)
    }
}
