import XCTest
@testable import Kernels

/// The decoder's fast kernels (quantised dequantise/dot, matrix-vector, RMSNorm, RoPE, SwiGLU) against their
/// plain references, on random data with realistic scales.
final class DecoderKernelTests: XCTestCase {
    var rng = SeededGenerator(seed: 7)

    /// Byte offsets of the f16 scale fields in one block of each quantised format.
    static let scaleOffsets: [TensorType: [Int]] = [.q4_0: [0], .q5_0: [0], .q8_0: [0], .q4_K: [0, 2], .q6_K: [208]]

    /// `blocks` random blocks of `type` whose f16 scales are small and finite.
    func randomBlocks(_ type: TensorType, count blocks: Int) -> [UInt8] {
        var bytes = (0..<(blocks * type.bytesPerBlock)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        for b in 0..<blocks {
            for offset in Self.scaleOffsets[type] ?? [] {
                let bits = Float16(Float.random(in: -0.05...0.05, using: &rng)).bitPattern
                bytes[b * type.bytesPerBlock + offset] = UInt8(bits & 0xFF)
                bytes[b * type.bytesPerBlock + offset + 1] = UInt8(bits >> 8)
            }
        }
        return bytes
    }

    func randomFloats(_ count: Int) -> [Float] { (0..<count).map { _ in Float.random(in: -1...1, using: &rng) } }

    func testQuantisedDequantizeAndDotMatchReference() {
        for type in [TensorType.q5_0, .q8_0, .q4_K, .q6_K] {
            let blocks = 6, n = blocks * type.weightsPerBlock
            let bytes = randomBlocks(type, count: blocks)
            let x = randomFloats(n)
            var reference = [Float](repeating: 0, count: n), fast = [Float](repeating: .nan, count: n)
            bytes.withUnsafeBytes { raw in
                for b in 0..<blocks {
                    type.format.referenceDequantize(block: raw.baseAddress! + b * type.bytesPerBlock,
                                                    into: &reference[b * type.weightsPerBlock])
                }
                type.format.dequantize(blocks: raw.baseAddress!, count: blocks, into: &fast)
                for i in 0..<n {
                    XCTAssertEqual(fast[i], reference[i], accuracy: 1e-6 * max(1, abs(reference[i])), "\(type) weight \(i)")
                }
                let expected = zip(reference, x).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                let magnitude = zip(reference, x).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
                let got = type.format.dot(blocks: raw.baseAddress!, count: blocks, x)
                XCTAssertEqual(Double(got), expected, accuracy: 1e-5 * max(magnitude, 1), "\(type) dot")
            }
        }
    }

    func testMatrixVectorMatchesReferenceForEveryFormat() {
        for type in [TensorType.f32, .q4_0, .q5_0, .q8_0, .q4_K, .q6_K] {
            let rows = 37, columns = 512
            let bytes: [UInt8] = type == .f32
                ? randomFloats(rows * columns).withUnsafeBytes { Array($0) }
                : randomBlocks(type, count: rows * columns / type.weightsPerBlock)
            let x = randomFloats(columns), bias = randomFloats(rows)
            var reference = [Float](repeating: 0, count: rows)
            bytes.withUnsafeBytes { raw in
                let w = WeightMatrix(type: type, rows: rows, columns: columns, base: raw.baseAddress!)!
                MatrixVector.reference(w, x, bias: bias, into: &reference)
                // Tolerance per row: float rounding relative to Σ|w·x| (rows of large weights cancel).
                var row = [Float](repeating: 0, count: columns)
                let magnitude: [Float] = (0..<rows).map { r in
                    w.referenceDequantizeRow(r, into: &row)
                    return zip(row, x).reduce(abs(bias[r])) { $0 + abs($1.0 * $1.1) }
                }
                for threads in [1, 2, 3] {
                    var fast = [Float](repeating: .nan, count: rows)
                    MatrixVector.multiply(w, x, bias: bias, into: &fast, parallelism: Parallelism(threads: threads))
                    for r in 0..<rows {
                        XCTAssertEqual(fast[r], reference[r], accuracy: 1e-5 * max(1, magnitude[r]),
                                       "\(type) row \(r), \(threads) threads")
                    }
                }
            }
        }
    }

    func testRMSNormMatchesReference() {
        let width = 904, rows = 3  // not a multiple of 16: exercises the tail
        let x = randomFloats(rows * width), weight = randomFloats(width)
        var fast = [Float](repeating: 0, count: rows * width)
        RMSNorm.apply(x, rows: rows, width: width, weight: weight, epsilon: 1e-6, into: &fast)
        for r in 0..<rows {
            var reference = [Float](repeating: 0, count: width)
            x.withUnsafeBufferPointer {
                RMSNorm.reference($0.baseAddress! + r * width, width: width, weight: weight, epsilon: 1e-6, into: &reference)
            }
            for i in 0..<width { XCTAssertEqual(fast[r * width + i], reference[i], accuracy: 1e-5) }
        }
    }

    func testRotaryEmbeddingMatchesReferenceAndKeepsNorm() {
        let rope = RotaryEmbedding(headDimension: 64, base: 1_000_000)
        let heads = 3
        for position in [0, 1, 17, 4000] {
            var x = randomFloats(heads * 64)
            var expected = x
            var cosines = [Float](repeating: 0, count: 32), sines = [Float](repeating: 0, count: 32)
            rope.angles(position: position, cosines: &cosines, sines: &sines)
            rope.rotate(&x, heads: heads, cosines: cosines, sines: sines)
            for h in 0..<heads {
                expected.withUnsafeMutableBufferPointer { rope.referenceRotate($0.baseAddress! + h * 64, position: position) }
            }
            for i in 0..<x.count { XCTAssertEqual(x[i], expected[i], accuracy: 1e-5, "position \(position)") }
            if position == 0 { XCTAssertEqual(x, expected, "position 0 is the identity") }
        }
        // Pair (0, 32) of a unit vector along element 0 at position 1 rotates by exactly 1 radian (frequency 1).
        var unit = [Float](repeating: 0, count: 64); unit[0] = 1
        rope.referenceRotate(&unit, position: 1)
        XCTAssertEqual(unit[0], Float(cos(1.0)), accuracy: 1e-6)
        XCTAssertEqual(unit[32], Float(sin(1.0)), accuracy: 1e-6)
    }

    func testSwiGLUMatchesReference() {
        let count = 4864 + 5
        let gate = randomFloats(count).map { $0 * 8 }, up = randomFloats(count)
        var fast = gate, reference = gate
        SwiGLU.apply(gate: &fast, up: up, count: count)
        SwiGLU.reference(gate: &reference, up: up, count: count)
        for i in 0..<count { XCTAssertEqual(fast[i], reference[i], accuracy: 1e-5 * max(1, abs(reference[i]))) }
    }
}

/// The 8-bit activation rounding that mirrors llama.cpp's Q8_0 / Q8_K activation blocks.
final class ActivationRoundingTests: XCTestCase {
    func testRoundingErrorIsBoundedAndExactValuesSurvive() {
        var rng = SeededGenerator(seed: 5)
        let x = (0..<512).map { _ in Float.random(in: -3...3, using: &rng) }
        for type in [TensorType.q5_0, .q4_K] {
            var out = [Float](repeating: .nan, count: 512)
            ActivationRounding.apply(x, count: 512, for: type, into: &out)
            let block = ActivationRounding.blockSize(for: type)!
            for start in stride(from: 0, to: 512, by: block) {
                let amax = x[start..<(start + block)].map(abs).max()!
                for i in start..<(start + block) {
                    // Half a step of amax/127, plus the f16 rounding of the Q8_0 scale.
                    XCTAssertEqual(out[i], x[i], accuracy: amax / 127 * 0.5 + amax * 1e-3, "\(type) \(i)")
                }
            }
        }
        // Integers within ±127 with 127 present are exactly representable: they come back unchanged.
        let integers = (0..<256).map { Float(($0 * 37) % 255 - 127) }
        var out = [Float](repeating: 0, count: 256)
        ActivationRounding.apply(integers, count: 256, for: .q6_K, into: &out)
        XCTAssertEqual(out, integers)
        // f32 weights keep f32 activations; an all-zero block stays zero.
        ActivationRounding.apply(x, count: 256, for: .f32, into: &out)
        XCTAssertEqual(out, Array(x.prefix(256)))
        ActivationRounding.apply([Float](repeating: 0, count: 256), count: 256, for: .q4_K, into: &out)
        XCTAssertEqual(out, [Float](repeating: 0, count: 256))
    }
}

/// The integer paths (C int8 kernels where the build has them, Swift otherwise) against the f32 reference on
/// the same rounded activation.
extension DecoderKernelTests {
    /// For each type: random weights, the reference on `rounded`, and `multiply` on every path and thread count.
    func checkInt8Paths(_ types: [TensorType], rows: Int, columns: Int, rounded: [Float],
                        multiply: (WeightMatrix, [Float], inout [Float], Parallelism, MatrixVector.Int8Path) -> Void) {
        let bias = randomFloats(rows)
        let paths: [MatrixVector.Int8Path] = MatrixVector.hasNativeInt8 ? [.native, .swift] : [.swift]
        for type in types {
            let bytes = randomBlocks(type, count: rows * columns / type.weightsPerBlock)
            bytes.withUnsafeBytes { raw in
                let w = WeightMatrix(type: type, rows: rows, columns: columns, base: raw.baseAddress!)!
                var reference = [Float](repeating: 0, count: rows)
                MatrixVector.reference(w, rounded, bias: bias, into: &reference)
                for path in paths {
                    for threads in [1, 2] {
                        var fast = [Float](repeating: .nan, count: rows)
                        multiply(w, bias, &fast, Parallelism(threads: threads), path)
                        for r in 0..<rows {
                            XCTAssertEqual(fast[r], reference[r], accuracy: 1e-3 * max(1, abs(reference[r])), "\(type) \(path) row \(r)")
                        }
                    }
                }
            }
        }
    }

    func testInt8MatrixVectorMatchesReferenceOnRoundedActivation() {
        let columns = 896
        let x = randomFloats(columns).map { $0 * 3 }
        let activation = x.withUnsafeBufferPointer { Q8Activation($0.baseAddress!, count: columns) }
        var rounded = [Float](repeating: 0, count: columns)
        ActivationRounding.apply(x, count: columns, for: .q5_0, into: &rounded)
        XCTAssertEqual(activation.dequantized(), rounded, "same integers and scales as ActivationRounding")
        checkInt8Paths([.q5_0, .q8_0], rows: 29, columns: columns, rounded: rounded) { w, bias, y, parallelism, path in
            MatrixVector.multiply(w, activation, bias: bias, into: &y, parallelism: parallelism, path: path)
        }
    }

    /// Odd block counts (the tail after pairs of blocks) and the extreme byte −128 in Q8_0 weights.
    func testNativeInt8KernelsHandleTailsAndExtremes() throws {
        try XCTSkipUnless(MatrixVector.hasNativeInt8, "this build has no C int8 kernels (no AVX2)")
        let kernels = self
        for (type, columns) in [(TensorType.q5_0, 96), (.q8_0, 96), (.q8_0, 32)] {
            var bytes = kernels.randomBlocks(type, count: columns / 32)
            if type == .q8_0 { bytes[2] = 0x80; bytes[3] = 0x7F }
            let x = kernels.randomFloats(columns)
            let activation = x.withUnsafeBufferPointer { Q8Activation($0.baseAddress!, count: columns) }
            bytes.withUnsafeBytes { raw in
                let w = WeightMatrix(type: type, rows: 1, columns: columns, base: raw.baseAddress!)!
                var reference: Float = 0, native: Float = .nan
                MatrixVector.reference(w, activation.dequantized(), bias: nil, into: &reference)
                MatrixVector.multiply(w, activation, bias: nil, into: &native, parallelism: Parallelism(threads: 1), path: .native)
                XCTAssertEqual(native, reference, accuracy: 1e-4 * max(1, abs(reference)), "\(type) \(columns)")
            }
        }
    }

    /// The K-quant integer kernels against the f32 reference on the same Q8_K-rounded activation.
    func testQ8KMatrixVectorMatchesReferenceOnRoundedActivation() {
        let columns = 768
        let x = randomFloats(columns).map { $0 * 5 }
        let activation = x.withUnsafeBufferPointer { Q8KActivation($0.baseAddress!, count: columns) }
        var rounded = [Float](repeating: 0, count: columns)
        ActivationRounding.apply(x, count: columns, for: .q4_K, into: &rounded)
        XCTAssertEqual(activation.dequantized(), rounded, "same integers and scales as ActivationRounding")
        let values = activation.values.map(Int.init)
        XCTAssertEqual(activation.sums16.map(Int.init), (0..<(columns / 16)).map { g in values[(16 * g)..<(16 * g + 16)].reduce(0, +) })
        checkInt8Paths([.q4_K, .q6_K], rows: 13, columns: columns, rounded: rounded) { w, bias, y, parallelism, path in
            MatrixVector.multiply(w, activation, bias: bias, into: &y, parallelism: parallelism, path: path)
        }
        // An all-zero activation block quantises to zeros with a zero scale.
        let zeros = [Float](repeating: 0, count: 256)
        let quiet = zeros.withUnsafeBufferPointer { Q8KActivation($0.baseAddress!, count: 256) }
        XCTAssertEqual(quiet.dequantized(), zeros)
    }

    /// The int8 GEMM of prefill against the plain f32 product on the activations it quantises (rounded as llama.cpp
    /// rounds them for each weight type), for every format it takes: token counts that leave a partial group and
    /// an empty one, rows that leave a partial panel and a partial 4-row tile, 1 and 2 threads.
    func testInt8MatrixMultiplyMatchesReferenceOnRoundedActivations() throws {
        try XCTSkipUnless(Int8MatrixMultiply.isAvailable, "this build has no int8 GEMM (no AVX-512 VNNI or AVX2)")
        XCTAssertFalse(Int8MatrixMultiply.supports(.f32))
        for (type, columns) in [(TensorType.q4_0, 96), (.q5_0, 96), (.q8_0, 64), (.q4_K, 512), (.q6_K, 512)]
        where Int8MatrixMultiply.supports(type) {
            let rows = 37
            let bytes = randomBlocks(type, count: rows * columns / type.weightsPerBlock)
            let bias = randomFloats(rows)
            for tokens in [1, 5, 37] {
                let x = randomFloats(tokens * columns).map { $0 * 3 }
                var rounded = [Float](repeating: 0, count: x.count)
                ActivationRounding.apply(x, count: x.count, for: type, into: &rounded)
                bytes.withUnsafeBytes { raw in
                    let w = WeightMatrix(type: type, rows: rows, columns: columns, base: raw.baseAddress!)!
                    var reference = [Float](repeating: 0, count: tokens * rows)
                    MatrixMultiply.referenceMultiply(rounded, rows: tokens, weights: w, bias: bias, into: &reference)
                    for threads in [1, 2] {
                        var y = [Float](repeating: .nan, count: tokens * rows)
                        Int8MatrixMultiply.multiply(x, rows: tokens, weights: w, bias: bias, into: &y,
                                                    parallelism: Parallelism(threads: threads))
                        for i in y.indices {
                            XCTAssertEqual(y[i], reference[i], accuracy: 1e-3 * max(1, abs(reference[i])),
                                           "\(type), \(tokens) tokens, \(threads) threads, output \(i)")
                        }
                    }
                }
            }
        }
    }

    /// The AVX2 kernel sums two steps of byte products in 16 bits before widening them, which holds while |w| ≤ 32
    /// (Q6_K's −32 reaches 2·2·255·32 = 32640): every weight at its format's largest magnitude against activations
    /// that all quantise to ±127 is the sum closest to overflowing, so a wrapped total shows here.
    func testInt8MatrixMultiplyHoldsAtTheLargestProducts() throws {
        try XCTSkipUnless(Int8MatrixMultiply.isAvailable, "this build has no int8 GEMM (no AVX-512 VNNI or AVX2)")
        // Each format's quant bytes and the byte that gives its largest-magnitude weight there.
        let extremes: [(TensorType, Range<Int>, UInt8)] = [
            (.q4_0, 2..<18, 0x00),    // nibble 0: −8
            (.q5_0, 2..<22, 0x00),    // fifth bits and nibbles 0: −16
            (.q4_K, 16..<144, 0xFF),  // nibble 15: 15
            (.q6_K, 0..<192, 0x00),   // low and high bits 0: −32
        ]
        for (type, quants, byte) in extremes where Int8MatrixMultiply.supports(type) {
            let rows = 4, columns = 512, tokens = 3
            var bytes = randomBlocks(type, count: rows * columns / type.weightsPerBlock)
            for b in 0..<(bytes.count / type.bytesPerBlock) {
                for i in quants { bytes[b * type.bytesPerBlock + i] = byte }
            }
            for sign: Float in [1, -1] {
                let x = [Float](repeating: sign, count: tokens * columns)
                bytes.withUnsafeBytes { raw in
                    let w = WeightMatrix(type: type, rows: rows, columns: columns, base: raw.baseAddress!)!
                    var reference = [Float](repeating: 0, count: tokens * rows)
                    MatrixMultiply.referenceMultiply(x, rows: tokens, weights: w, bias: nil, into: &reference)
                    var y = [Float](repeating: .nan, count: tokens * rows)
                    Int8MatrixMultiply.multiply(x, rows: tokens, weights: w, bias: nil, into: &y,
                                                parallelism: Parallelism(threads: 1))
                    for i in y.indices {
                        XCTAssertEqual(y[i], reference[i], accuracy: 1e-3 * max(1, abs(reference[i])),
                                       "\(type), activations \(sign), output \(i)")
                    }
                }
            }
        }
    }

    /// Several activation vectors in one call give, bit for bit, what each gives alone: prompt-lookup decoding
    /// relies on it to accept exactly the tokens plain decoding would choose.
    func testSeveralVectorsMultiplyExactlyAsEachAlone() {
        let vectors = 11  // more than the C kernels take at once (8)
        for (type, columns) in [(TensorType.q5_0, 96), (.q8_0, 96), (.q4_K, 512), (.q6_K, 512)] {
            let rows = 7
            let bytes = randomBlocks(type, count: rows * columns / type.weightsPerBlock)
            let bias = randomFloats(rows)
            let x = randomFloats(columns * vectors).map { $0 * 3 }
            let paths: [MatrixVector.Int8Path] = MatrixVector.hasNativeInt8 ? [.swift, .native] : [.swift]
            bytes.withUnsafeBytes { raw in
                let w = WeightMatrix(type: type, rows: rows, columns: columns, base: raw.baseAddress!)!
                x.withUnsafeBufferPointer { x in
                    for path in paths {
                        for threads in [1, 2] {
                            let parallelism = Parallelism(threads: threads)
                            func product(_ first: Int, _ count: Int) -> [Float] {
                                var y = [Float](repeating: .nan, count: rows * count)
                                let start = x.baseAddress! + first * columns
                                if type == .q4_K || type == .q6_K {
                                    MatrixVector.multiply(w, Q8KActivation(start, count: columns, vectors: count), bias: bias,
                                                          into: &y, parallelism: parallelism, path: path)
                                } else {
                                    MatrixVector.multiply(w, Q8Activation(start, count: columns, vectors: count), bias: bias,
                                                          into: &y, parallelism: parallelism, path: path)
                                }
                                return y
                            }
                            let alone = (0..<vectors).flatMap { product($0, 1) }
                            XCTAssertEqual(product(0, vectors), alone, "\(type), \(path), \(threads) threads")
                        }
                    }
                }
            }
        }
    }
}
