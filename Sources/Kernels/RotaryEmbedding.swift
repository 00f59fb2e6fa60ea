import Foundation

/// Rotary position embedding, "NeoX" style (Qwen2, Llama in HF layout): within each head of `headDimension`
/// floats, element i and element i + headDimension/2 form a pair rotated by angle position · base^(−2i/headDimension).
public struct RotaryEmbedding: Sendable {
    public let headDimension: Int
    /// The frequency base θ (1e6 for Qwen2.5).
    public let base: Float
    /// base^(−2i/headDimension) for i in 0..<headDimension/2 (radians per position).
    let frequencies: [Double]

    public init(headDimension: Int, base: Float) {
        precondition(headDimension % 2 == 0, "rotary head dimension must be even")
        self.headDimension = headDimension
        self.base = base
        let half = headDimension / 2
        frequencies = (0..<half).map { Foundation.pow(Double(base), -2 * Double($0) / Double(headDimension)) }
    }

    /// cos and sin of every pair's angle at `position`, written to `cosines`/`sines` (headDimension/2 floats each).
    /// Compute once per token and reuse for all its heads.
    public func angles(position: Int, cosines: UnsafeMutablePointer<Float>, sines: UnsafeMutablePointer<Float>) {
        for i in 0..<frequencies.count {
            let angle = Double(position) * frequencies[i]
            cosines[i] = Float(Foundation.cos(angle))
            sines[i] = Float(Foundation.sin(angle))
        }
    }

    /// Rotates `heads` consecutive heads at `x` in place with angles from `angles(position:…)`.
    public func rotate(_ x: UnsafeMutablePointer<Float>, heads: Int, cosines: UnsafePointer<Float>,
                       sines: UnsafePointer<Float>) {
        let half = headDimension / 2
        for h in 0..<heads {
            let head = x + h * headDimension
            for i in 0..<half {
                let a = head[i], b = head[i + half]
                head[i] = a * cosines[i] - b * sines[i]
                head[i + half] = a * sines[i] + b * cosines[i]
            }
        }
    }

    /// One head at `position`, angles computed in double precision from scratch: the oracle.
    public func referenceRotate(_ head: UnsafeMutablePointer<Float>, position: Int) {
        let half = headDimension / 2
        for i in 0..<half {
            let angle = Double(position) * Foundation.pow(Double(base), -2 * Double(i) / Double(headDimension))
            let a = Double(head[i]), b = Double(head[i + half])
            head[i] = Float(a * Foundation.cos(angle) - b * Foundation.sin(angle))
            head[i + half] = Float(a * Foundation.sin(angle) + b * Foundation.cos(angle))
        }
    }
}
