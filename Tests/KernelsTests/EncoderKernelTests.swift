import Foundation
import XCTest
@testable import Kernels

/// Fast encoder kernels against their plain references.
final class EncoderKernelTests: XCTestCase {
    var rng = SeededGenerator(seed: 42)

    func randomFloats(_ count: Int, in range: ClosedRange<Float> = -1...1) -> [Float] {
        (0..<count).map { _ in Float.random(in: range, using: &rng) }
    }

    /// Random Q4_0 blocks with finite scales.
    func randomQ4_0(rows: Int, columns: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<(rows * columns / 32) {
            withUnsafeBytes(of: Float16(Float.random(in: -0.1...0.1, using: &rng)).bitPattern) { bytes += $0 }
            for _ in 0..<16 { bytes.append(UInt8.random(in: 0...255, using: &rng)) }
        }
        return bytes
    }

    func checkMultiply(type: TensorType, n: Int, rows: Int, columns: Int, bias: Bool, threads: Int) {
        let weights: [UInt8] = type == .q4_0
            ? randomQ4_0(rows: rows, columns: columns)
            : randomFloats(rows * columns).withUnsafeBytes { Array($0) }
        let x = randomFloats(n * columns)
        let b = randomFloats(rows)
        var fast = [Float](repeating: .nan, count: n * rows)
        var reference = [Float](repeating: .nan, count: n * rows)
        weights.withUnsafeBytes { raw in
            let w = WeightMatrix(type: type, rows: rows, columns: columns, base: raw.baseAddress!)!
            b.withUnsafeBufferPointer { biasBuffer in
                MatrixMultiply.multiply(x, rows: n, weights: w, bias: bias ? biasBuffer.baseAddress : nil, into: &fast,
                                        parallelism: Parallelism(threads: threads))
                MatrixMultiply.referenceMultiply(x, rows: n, weights: w, bias: bias ? biasBuffer.baseAddress : nil, into: &reference)
            }
        }
        for i in 0..<(n * rows) {
            XCTAssertEqual(fast[i], reference[i], accuracy: 1e-4 * Float(columns).squareRoot(),
                           "\(type) n=\(n) rows=\(rows) columns=\(columns) at \(i)")
        }
    }

    func testMatrixMultiplyMatchesReference() {
        checkMultiply(type: .q4_0, n: 13, rows: 72, columns: 96, bias: true, threads: 2)   // edges in both tiles
        checkMultiply(type: .q4_0, n: 130, rows: 32, columns: 64, bias: false, threads: 3) // several token blocks
        checkMultiply(type: .f32, n: 5, rows: 7, columns: 50, bias: true, threads: 1)      // k not a multiple of 16
        checkMultiply(type: .q4_0, n: 1, rows: 40, columns: 384, bias: true, threads: 2)   // the 16-token kernel
        checkMultiply(type: .q4_0, n: 48, rows: 16, columns: 64, bias: true, threads: 1)   // a 32 block then a 16 block
    }

    func testExpAndErfMatchLibm() {
        let xs = randomFloats(4096, in: -20...20) + [-87, -50, 0, 1e-8, 50, 88]
        for start in stride(from: 0, to: xs.count - 15, by: 16) {
            let v = SIMD16<Float>((0..<16).map { xs[start + $0] })
            let e = FastMath.exp(v), r = FastMath.erf(v * 0.25)
            for i in 0..<16 {
                let expected = Foundation.exp(Double(v[i]))
                XCTAssertEqual(Double(e[i]), expected, accuracy: 1e-6 * expected, "exp(\(v[i]))")
                XCTAssertEqual(Double(r[i]), Foundation.erf(Double(v[i] * 0.25)), accuracy: 1e-6, "erf(\(v[i] * 0.25))")
            }
        }
    }

    func testGELUMatchesReference() {
        var x = randomFloats(1000, in: -8...8) + [0, -0.5, 0.5, 3]
        let expected = x.map(GELU.reference)
        GELU.apply(&x, count: x.count)
        for i in x.indices { XCTAssertEqual(x[i], expected[i], accuracy: 2e-6 * max(1, abs(expected[i]))) }
    }

    func testSoftmaxMatchesReference() {
        for count in [1, 7, 16, 37, 512] {
            var x = randomFloats(count, in: -30...30)
            var expected = x
            Softmax.apply(&x, count: count)
            Softmax.reference(&expected, count: count)
            for i in 0..<count { XCTAssertEqual(x[i], expected[i], accuracy: 1e-6) }
        }
    }

    func testLayerNormMatchesReference() {
        let width = 384, rows = 3
        var x = randomFloats(rows * width, in: -5...5)
        let residual = randomFloats(rows * width), weight = randomFloats(width), bias = randomFloats(width)
        var expected = x
        LayerNorm.apply(&x, adding: residual, rows: rows, width: width, weight: weight, bias: bias, epsilon: 1e-12)
        for r in 0..<rows {
            expected.withUnsafeMutableBufferPointer { e in
                residual.withUnsafeBufferPointer { res in
                    LayerNorm.reference(e.baseAddress! + r * width, adding: res.baseAddress! + r * width, width: width,
                                        weight: weight, bias: bias, epsilon: 1e-12)
                }
            }
        }
        for i in x.indices { XCTAssertEqual(x[i], expected[i], accuracy: 1e-4) }
    }
}

/// Deterministic xorshift so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return state
    }
}
