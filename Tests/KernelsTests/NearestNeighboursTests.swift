@testable import Kernels
import XCTest

final class NearestNeighboursTests: XCTestCase {
    /// Deterministic pseudo-random floats in [-1, 1) (a 64-bit LCG), so failures reproduce.
    func randomFloats(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2_000_000) / 1_000_000 - 1
        }
    }

    /// The fast result must hold the reference's rows (scores agree to float rounding) in the same order.
    func assertMatchesReference(rows: Int, dimension: Int, k: Int, threads: Int, file: StaticString = #filePath, line: UInt = #line) {
        let matrix = randomFloats(rows * dimension, seed: UInt64(rows * 31 + dimension))
        let query = randomFloats(dimension, seed: 7)
        let fast = NearestNeighbours.topK(query: query, matrix: matrix, dimension: dimension, k: k, parallelism: Parallelism(threads: threads))
        let reference = NearestNeighbours.referenceTopK(query: query, matrix: matrix, dimension: dimension, k: k)
        XCTAssertEqual(fast.count, min(k, rows), file: file, line: line)
        XCTAssertEqual(fast.map(\.row), reference.map(\.row), file: file, line: line)
        for (f, r) in zip(fast, reference) {
            XCTAssertEqual(f.score, r.score, accuracy: 1e-4 * Float(dimension).squareRoot(), file: file, line: line)
        }
    }

    func testMatchesTheReferenceForManyShapes() {
        for (rows, dimension, k) in [(1, 16, 1), (5, 3, 10), (37, 384, 5), (1000, 384, 10), (999, 17, 7), (20_000, 64, 25)] {
            for threads in [1, 2, 3] { assertMatchesReference(rows: rows, dimension: dimension, k: k, threads: threads) }
        }
    }

    /// A mask leaves rows out before the top k: the result is the reference's top k of the admitted rows.
    func testAMaskAdmitsOnlyItsRowsAndStillFillsK() {
        let rows = 20_000, dimension = 64
        let matrix = randomFloats(rows * dimension, seed: 11)
        let query = randomFloats(dimension, seed: 5)
        let admitted = (0..<rows).map { $0 % 7 == 3 }
        let reference = NearestNeighbours.referenceTopK(query: query, matrix: matrix, dimension: dimension, k: rows)
            .filter { admitted[$0.row] }.prefix(10).map(\.row)
        for threads in [1, 2] {
            let top = NearestNeighbours.topK(query: query, matrix: matrix, dimension: dimension, k: 10, admitted: admitted,
                                             parallelism: Parallelism(threads: threads))
            XCTAssertEqual(top.map(\.row), Array(reference))
        }
    }

    func testTiesGoToTheLowerRowWhateverTheThreadCount() {
        let dimension = 16
        var matrix = [Float](repeating: 0, count: 40_000 * dimension)
        for row in stride(from: 0, to: 40_000, by: 1000) { matrix[row * dimension] = 1 }  // 40 equal best rows
        let query = [Float](repeating: 1, count: dimension)
        let expected = Array(stride(from: 0, to: 10_000, by: 1000))
        for threads in [1, 2, 4] {
            let top = NearestNeighbours.topK(query: query, matrix: matrix, dimension: dimension, k: 10, parallelism: Parallelism(threads: threads))
            XCTAssertEqual(top.map(\.row), expected)
        }
    }

    func testEmptyInputsGiveNoRows() {
        XCTAssertEqual(NearestNeighbours.topK(query: [1, 0], matrix: [], dimension: 2, k: 3, parallelism: Parallelism(threads: 2)), [])
        XCTAssertEqual(NearestNeighbours.topK(query: [1, 0], matrix: [1, 0], dimension: 2, k: 0, parallelism: Parallelism(threads: 1)), [])
    }
}
