@testable import Kernels
import XCTest

/// The 8-bit copy of a vector matrix: its codes, its approximate scores and their bound, and the rescoring
/// that gives back the exact top k.
final class QuantisedRowsTests: XCTestCase {
    /// Deterministic unit vectors (a 64-bit LCG), so failures reproduce.
    func unitRows(_ rows: Int, dimension: Int, seed: UInt64) -> [Float] {
        var state = seed
        var values: [Float] = []
        for _ in 0..<rows {
            let row = (0..<dimension).map { _ -> Float in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Float(Int64(bitPattern: state >> 11) % 2_000_000) / 1_000_000 - 1
            }
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            values += row.map { $0 / norm }
        }
        return values
    }

    func testCodesAreWithinHalfAStepAndScoresWithinTheirBound() {
        for dimension in [1, 17, 384] {
            let rows = 37, matrix = unitRows(rows, dimension: dimension, seed: UInt64(dimension))
            let quantised = QuantisedRows(rows: matrix, dimension: dimension)
            XCTAssertEqual(quantised.count, rows)
            XCTAssertEqual(quantised.codes.count, rows * dimension)
            for row in 0..<rows {
                XCTAssertEqual(quantised.codes[(row * dimension)..<(row + 1) * dimension].map { abs(Int($0)) }.max(), 127, "absmax scaling")
                for (got, want) in zip(quantised.dequantised(row: row), matrix[(row * dimension)..<(row + 1) * dimension]) {
                    XCTAssertEqual(got, want, accuracy: quantised.scales[row] / 2 * 1.0001)
                }
            }
            let query = unitRows(1, dimension: dimension, seed: 99)
            let l1 = query.reduce(0) { $0 + abs($1) }
            let approximate = quantised.topK(query: query, k: rows, parallelism: Parallelism(threads: 1))
            XCTAssertEqual(approximate.count, rows)
            for hit in approximate {
                let exact = zip(query, matrix[(hit.row * dimension)...]).reduce(Float(0)) { $0 + $1.0 * $1.1 }
                XCTAssertEqual(hit.score, exact, accuracy: quantised.errorBound(row: hit.row, queryL1: l1) + 1e-5)
            }
        }
        XCTAssertEqual(QuantisedRows(rows: [0, 0, 0], dimension: 3).codes, [0, 0, 0], "a zero row stays zero")
    }

    /// Threads and the 4-row blocks do not change the approximate ranking: it equals a plain loop over the codes.
    func testTheScanMatchesAPlainLoopAtAnyThreadCount() {
        let rows = 20_003, dimension = 64
        let quantised = QuantisedRows(rows: unitRows(rows, dimension: dimension, seed: 3), dimension: dimension)
        let query = unitRows(1, dimension: dimension, seed: 4)
        let plain = (0..<rows).map { row in
            NearestNeighbours.ScoredRow(row: row, score: (0..<dimension).reduce(Float(0)) { $0 + query[$1] * Float(quantised.codes[row * dimension + $1]) } * quantised.scales[row])
        }
        for threads in [1, 2, 3] {
            let fast = quantised.topK(query: query, k: 25, parallelism: Parallelism(threads: threads))
            let expected = plain.sorted { $0.ranksBefore($1) }.prefix(25)
            XCTAssertEqual(fast.map(\.row), expected.map(\.row), "\(threads) threads")
        }
        let admitted = (0..<rows).map { $0 % 5 == 2 }
        let masked = quantised.topK(query: query, k: 10, admitted: admitted, parallelism: Parallelism(threads: 2))
        XCTAssertEqual(masked.map(\.row), plain.filter { admitted[$0.row] }.sorted { $0.ranksBefore($1) }.prefix(10).map(\.row))
    }

    /// The approximate top 2k ranked again by exact scores is the exact top k (random unit vectors: cosines
    /// spread more thinly than e5's, the real-vector check is in AskEndToEndTests).
    func testRescoringTheApproximateTopTwoKGivesTheExactTopK() {
        let rows = 50_000, dimension = 384, k = 10
        let matrix = unitRows(rows, dimension: dimension, seed: 21)
        let quantised = QuantisedRows(rows: matrix, dimension: dimension)
        for seed in 0..<5 {
            let query = unitRows(1, dimension: dimension, seed: 1000 + UInt64(seed))
            let exact = NearestNeighbours.topK(query: query, matrix: matrix, dimension: dimension, k: k, parallelism: Parallelism(threads: 2))
            let candidates = quantised.topK(query: query, k: 2 * k, parallelism: Parallelism(threads: 2))
            let rescored = matrix.withUnsafeBufferPointer { all in
                NearestNeighbours.rescored(candidates, k: k) { VectorMath.dot(query, all.baseAddress! + $0 * dimension, count: dimension) }
            }
            XCTAssertEqual(Set(rescored.map(\.row)), Set(exact.map(\.row)), "query \(seed)")
        }
    }
}
