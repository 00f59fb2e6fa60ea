/// y = W·x (+ bias) for one activation vector: the single-token decode step of every linear layer. Memory-bound:
/// each weight byte is read once, decoded in registers and multiplied straight away by the format's fused `dot`
/// (no f32 copy of the weights). Rows are split across threads.
public enum MatrixVector {
    /// y[r] = W[r]·x + bias[r] for every row r. `x`: W.columns floats, `bias`: W.rows floats or nil,
    /// `y`: W.rows floats (overwritten; must not overlap `x`).
    public static func multiply(_ w: WeightMatrix, _ x: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                                into y: UnsafeMutablePointer<Float>, parallelism: Parallelism) {
        parallelism.forEachChunk(of: w.rows) { rows in
            switch w.type {
            case .f32: multiplyRows(F32Format.self, w, rows, x, bias, y)
            case .f16: multiplyRows(F16Format.self, w, rows, x, bias, y)
            case .q4_0: multiplyRows(Q4_0Format.self, w, rows, x, bias, y)
            case .q5_0: multiplyRows(Q5_0Format.self, w, rows, x, bias, y)
            case .q8_0: multiplyRows(Q8_0Format.self, w, rows, x, bias, y)
            case .q4_K: multiplyRows(Q4_KFormat.self, w, rows, x, bias, y)
            case .q6_K: multiplyRows(Q6_KFormat.self, w, rows, x, bias, y)
            }
        }
    }

    /// The row loop, specialised per format so the fused `dot` inlines.
    @inline(__always)
    static func multiplyRows<Format: BlockFormat>(_ format: Format.Type, _ w: WeightMatrix, _ rows: Range<Int>,
                                                  _ x: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                                                  _ y: UnsafeMutablePointer<Float>) {
        let blocks = w.columns / Format.weightsPerBlock
        for r in rows {
            y[r] = Format.dot(blocks: w.row(r), count: blocks, x) + (bias?[r] ?? 0)
        }
    }

    /// y[t·rows + r] = rowDot(row r, t) + bias[r] for every row r and each of `vectors` activation vectors t,
    /// rows split across threads: the loop of the int8 paths. A row is read from memory once for all the
    /// vectors and each product is computed exactly as it would be for its vector alone, so a batch of a few
    /// tokens (prompt-lookup decoding's verification) gives bit-for-bit the results of single-token decode steps
    /// for little more than one step's memory traffic.
    @inline(__always)
    static func forEachRow(_ w: WeightMatrix, vectors: Int, bias: UnsafePointer<Float>?,
                           into y: UnsafeMutablePointer<Float>, parallelism: Parallelism,
                           _ rowDot: (UnsafeRawPointer, Int) -> Float) {
        parallelism.forEachChunk(of: w.rows) { rows in
            for r in rows {
                let row = w.row(r), b = bias?[r] ?? 0
                for t in 0..<vectors { y[t * w.rows + r] = rowDot(row, t) + b }
            }
        }
    }

    /// The f32 product of each of `vectors` consecutive activation vectors in `x`, one after another (the
    /// fallback of the int8 paths for several vectors).
    static func multiplyEach(_ w: WeightMatrix, _ x: [Float], vectors: Int, bias: UnsafePointer<Float>?,
                             into y: UnsafeMutablePointer<Float>, parallelism: Parallelism) {
        x.withUnsafeBufferPointer { x in
            for t in 0..<vectors {
                multiply(w, x.baseAddress! + t * w.columns, bias: bias, into: y + t * w.rows, parallelism: parallelism)
            }
        }
    }

    /// y[t·rows + r] = row r's products with all `vectors` activation vectors + bias[r], the products written
    /// into `out` by one call per row (a several-vector kernel that decodes each weight block once).
    @inline(__always)
    static func forEachRow(_ w: WeightMatrix, vectors: Int, bias: UnsafePointer<Float>?,
                           into y: UnsafeMutablePointer<Float>, parallelism: Parallelism,
                           _ rowDots: (UnsafeRawPointer, UnsafeMutablePointer<Float>) -> Void) {
        parallelism.forEachChunk(of: w.rows) { rows in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: vectors) { out in
                for r in rows {
                    rowDots(w.row(r), out.baseAddress!)
                    let b = bias?[r] ?? 0
                    for t in 0..<vectors { y[t * w.rows + r] = out[t] + b }
                }
            }
        }
    }

    /// Each row through the reference decoder, summed in double precision: the oracle.
    public static func reference(_ w: WeightMatrix, _ x: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                                 into y: UnsafeMutablePointer<Float>) {
        var row = [Float](repeating: 0, count: w.columns)
        for r in 0..<w.rows {
            w.referenceDequantizeRow(r, into: &row)
            var sum = Double(bias?[r] ?? 0)
            for c in 0..<w.columns { sum += Double(row[c]) * Double(x[c]) }
            y[r] = Float(sum)
        }
    }
}
