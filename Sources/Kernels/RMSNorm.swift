/// RMSNorm over rows of `width` floats: x / √(mean(x²) + ε) · weight. The pre-norm of Llama/Qwen-style blocks
/// (no mean subtraction, no bias).
public enum RMSNorm {
    /// out[r] = RMSNorm(x[r]) · weight for `rows` rows of `width` floats (`out` may equal `x`).
    public static func apply(_ x: UnsafePointer<Float>, rows: Int, width: Int, weight: UnsafePointer<Float>,
                             epsilon: Float, into out: UnsafeMutablePointer<Float>) {
        let rw = UnsafeRawPointer(weight)
        for r in 0..<rows {
            let row = x + r * width, target = out + r * width
            let scale = 1 / (VectorMath.dot(row, row, count: width) / Float(width) + epsilon).squareRoot()
            let rx = UnsafeRawPointer(row), ro = UnsafeMutableRawPointer(target)
            var i = 0
            while i + 16 <= width {
                let v = rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self) * scale
                ro.storeBytes(of: v * rw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self),
                              toByteOffset: i * 4, as: SIMD16<Float>.self)
                i += 16
            }
            while i < width {
                target[i] = row[i] * scale * weight[i]
                i += 1
            }
        }
    }

    /// One row in double precision: the oracle.
    public static func reference(_ x: UnsafePointer<Float>, width: Int, weight: UnsafePointer<Float>, epsilon: Float,
                                 into out: UnsafeMutablePointer<Float>) {
        var squares = 0.0
        for i in 0..<width { squares += Double(x[i]) * Double(x[i]) }
        let scale = 1 / (squares / Double(width) + Double(epsilon)).squareRoot()
        for i in 0..<width { out[i] = Float(Double(x[i]) * scale * Double(weight[i])) }
    }
}
