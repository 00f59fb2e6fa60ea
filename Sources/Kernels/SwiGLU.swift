import Foundation

/// The gated feed-forward activation of Llama/Qwen blocks: out = SiLU(gate) ⊙ up, SiLU(x) = x / (1 + e^−x).
public enum SwiGLU {
    /// gate[i] = SiLU(gate[i]) · up[i] for `count` floats, in place in `gate`.
    public static func apply(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        let rg = UnsafeMutableRawPointer(gate), ru = UnsafeRawPointer(up)
        let one = SIMD16<Float>(repeating: 1)
        var i = 0
        while i + 16 <= count {
            let g = rg.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            let silu = g / (one + FastMath.exp(-g))
            rg.storeBytes(of: silu * ru.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self),
                          toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count {
            gate[i] = gate[i] / (1 + Foundation.exp(-gate[i])) * up[i]
            i += 1
        }
    }

    /// Double precision with libm `exp`: the oracle.
    public static func reference(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let g = Double(gate[i])
            gate[i] = Float(g / (1 + Foundation.exp(-g)) * Double(up[i]))
        }
    }
}
