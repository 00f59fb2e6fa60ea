/// LayerNorm over rows of `width` floats: (x − mean) / √(variance + ε) · weight + bias, biased variance,
/// optionally after adding a residual. This is the post-LN step of BERT-style encoders.
public enum LayerNorm {
    /// x[r] = LayerNorm(x[r] + residual[r]) for `rows` rows (`residual` nil: LayerNorm(x[r])).
    public static func apply(_ x: UnsafeMutablePointer<Float>, adding residual: UnsafePointer<Float>?, rows: Int,
                             width: Int, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, epsilon: Float) {
        for r in 0..<rows {
            let row = x + r * width
            if let residual {
                let other = residual + r * width
                for i in 0..<width { row[i] += other[i] }
            }
            var sum: Float = 0
            for i in 0..<width { sum += row[i] }
            let mean = sum / Float(width)
            var squares: Float = 0
            for i in 0..<width { let d = row[i] - mean; squares += d * d }
            let inverse = 1 / (squares / Float(width) + epsilon).squareRoot()
            for i in 0..<width { row[i] = (row[i] - mean) * inverse * weight[i] + bias[i] }
        }
    }

    /// The same in double precision, one row: the oracle.
    public static func reference(_ x: UnsafeMutablePointer<Float>, adding residual: UnsafePointer<Float>?, width: Int,
                                 weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, epsilon: Float) {
        var values = (0..<width).map { Double(x[$0]) + Double(residual?[$0] ?? 0) }
        let mean = values.reduce(0, +) / Double(width)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(width)
        let inverse = 1 / (variance + Double(epsilon)).squareRoot()
        for i in 0..<width {
            values[i] = (values[i] - mean) * inverse * Double(weight[i]) + Double(bias[i])
            x[i] = Float(values[i])
        }
    }
}
