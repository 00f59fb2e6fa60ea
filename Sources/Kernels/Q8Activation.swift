import CKernels

/// An activation vector quantised once per matrix-vector product to ggml Q8_0 blocks (32 values, scale
/// d = amax/127 rounded to f16, q = round-to-nearest-even(x·127/amax)), the same integers llama.cpp multiplies.
/// The C int8 kernels read the bytes directly; the Swift fallback widens them to Int16 once per product.
/// Several vectors of the same length may be quantised together (`vectors`), each exactly as it would be alone.
public struct Q8Activation {
    /// Values per vector.
    public let count: Int
    public let vectors: Int
    /// vectors × count values in −127…127.
    let values: [Int8]
    /// One scale per block of 32.
    let scales: [Float]

    /// Quantises `vectors` consecutive vectors of `count` floats (a multiple of 32).
    public init(_ x: UnsafePointer<Float>, count: Int, vectors: Int = 1) {
        precondition(count % 32 == 0, "Q8 activations come in blocks of 32")
        self.count = count
        self.vectors = vectors
        var values = [Int8](repeating: 0, count: count * vectors)
        var scales = [Float](repeating: 0, count: count * vectors / 32)
        values.withUnsafeMutableBufferPointer { codes in
            for b in 0..<(count * vectors / 32) { scales[b] = Self.quantise(x + 32 * b, into: codes.baseAddress! + 32 * b) }
        }
        self.values = values
        self.scales = scales
    }

    /// Quantises one block of 32 floats into `codes` and returns its scale.
    @inline(__always)
    static func quantise(_ block: UnsafePointer<Float>, into codes: UnsafeMutablePointer<Int8>) -> Float {
        var amax: Float = 0
        for i in 0..<32 { amax = max(amax, abs(block[i])) }
        let inverse: Float = amax != 0 ? 127 / amax : 0
        for i in 0..<32 { codes[i] = Int8((block[i] * inverse).rounded(.toNearestOrEven)) }
        return Float(Float16(amax / 127))
    }

    /// The dequantised values d·q (what `ActivationRounding` produces for Q8_0): for tests and references.
    public func dequantized() -> [Float] {
        (0..<(count * vectors)).map { scales[$0 / 32] * Float(values[$0]) }
    }
}

extension Q5_0Format {
    /// Σ w·x over `count` blocks against 8-bit activation blocks (`values`, one `scales` entry per 32). Weights (−16…15) times activations
    /// (−127…127) stay within Int16 for a pair of products (2·16·127), so each block is two 16-lane integer
    /// multiplies, one add and a single conversion to float.
    @inline(__always)
    static func dot(blocks: UnsafeRawPointer, count: Int, _ table: UnsafePointer<UInt64>,
                    _ values: UnsafePointer<Int16>, _ scales: UnsafePointer<Float>) -> Float {
        let rv = UnsafeRawPointer(values)
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
        @inline(__always) func block(_ b: Int) -> SIMD16<Float> {
            let block = blocks + b * bytesPerBlock
            let d = Float(halfBits: block.loadUnaligned(as: UInt16.self)) * scales[b]
            let qh = block.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
            let high0 = unsafeBitCast(SIMD2(table[Int(qh & 0xFF)], table[Int((qh >> 8) & 0xFF)]), to: SIMD16<UInt8>.self)
            let high1 = unsafeBitCast(SIMD2(table[Int((qh >> 16) & 0xFF)], table[Int(qh >> 24)]), to: SIMD16<UInt8>.self)
            let bytes = block.loadUnaligned(fromByteOffset: 6, as: SIMD16<UInt8>.self)
            let q0 = (bytes & 0x0F) | high0, q1 = (bytes &>> 4) | high1
            var w0 = SIMD16<Int16>(), w1 = SIMD16<Int16>()
            for i in 0..<16 { w0[i] = Int16(q0[i]); w1[i] = Int16(q1[i]) }
            w0 &-= 16
            w1 &-= 16
            let x0 = rv.loadUnaligned(fromByteOffset: b * 64, as: SIMD16<Int16>.self)
            let x1 = rv.loadUnaligned(fromByteOffset: b * 64 + 32, as: SIMD16<Int16>.self)
            let products = w0 &* x0 &+ w1 &* x1
            var wide = SIMD16<Int32>()
            for i in 0..<16 { wide[i] = Int32(products[i]) }
            var floats = SIMD16<Float>()
            for i in 0..<16 { floats[i] = Float(wide[i]) }
            return floats * d
        }
        var b = 0
        while b + 2 <= count {
            acc0 += block(b)
            acc1 += block(b + 1)
            b += 2
        }
        if b < count { acc0 += block(b) }
        return VectorMath.horizontalSum(acc0 + acc1)
    }
}

extension MatrixVector {
    /// True when this build has the C int8 kernels (`CKernels`: AVX-512 VNNI or AVX2).
    public static let hasNativeInt8 = rag_int8_kernels_available() != 0

    /// Which kernel `multiply(_:_:bias:into:parallelism:)` runs.
    public enum Int8Path: Sendable { case native, swift }

    /// y = W·a (+ bias) with `a` already quantised to 8 bits: integer dot products for Q5_0 weights (the most
    /// common type in the Qwen file and the slowest to decode to f32) and Q8_0 (its output projection), in C
    /// where the build has the instructions (`path` .native) and in Swift otherwise (Q8_0 then takes the f32
    /// path on the dequantised activation, with identical rounding). Other types take the f32 path.
    /// With several vectors in `a`, `y` holds a.vectors × W.rows results (see `forEachRow`).
    public static func multiply(_ w: WeightMatrix, _ a: Q8Activation, bias: UnsafePointer<Float>?,
                                into y: UnsafeMutablePointer<Float>, parallelism: Parallelism,
                                path: Int8Path = hasNativeInt8 ? .native : .swift) {
        precondition(a.count == w.columns, "activation length must equal the matrix's columns")
        let blocks = w.columns / 32
        if path == .native, w.type == .q5_0 || w.type == .q8_0 {
            a.values.withUnsafeBufferPointer { bytes in
                a.scales.withUnsafeBufferPointer { scales in
                    if a.vectors == 1 {
                        let dot = w.type == .q5_0 ? rag_q5_0_q8_0_dot : rag_q8_0_q8_0_dot
                        forEachRow(w, vectors: 1, bias: bias, into: y, parallelism: parallelism) { row, _ in
                            dot(row, Int32(blocks), bytes.baseAddress!, scales.baseAddress!)
                        }
                    } else {
                        let dots = w.type == .q5_0 ? rag_q5_0_q8_0_dots : rag_q8_0_q8_0_dots
                        forEachRow(w, vectors: a.vectors, bias: bias, into: y, parallelism: parallelism) { row, out in
                            dots(row, Int32(blocks), Int32(a.vectors), bytes.baseAddress!, scales.baseAddress!, out)
                        }
                    }
                }
            }
            return
        }
        guard w.type == .q5_0 else {
            multiplyEach(w, a.dequantized(), vectors: a.vectors, bias: bias, into: y, parallelism: parallelism)
            return
        }
        Q5_0Format.fifthBits.withUnsafeBufferPointer { table in
            a.values.map(Int16.init).withUnsafeBufferPointer { values in
                a.scales.withUnsafeBufferPointer { scales in
                    forEachRow(w, vectors: a.vectors, bias: bias, into: y, parallelism: parallelism) { row, t in
                        Q5_0Format.dot(blocks: row, count: blocks, table.baseAddress!, values.baseAddress! + t * a.count,
                                       scales.baseAddress! + t * blocks)
                    }
                }
            }
        }
    }
}
