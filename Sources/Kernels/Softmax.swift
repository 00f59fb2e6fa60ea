import Foundation

/// Softmax of one row in place, max-subtracted so large scores cannot overflow.
public enum Softmax {
    public static func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        let raw = UnsafeMutableRawPointer(x)
        var maximum = -Float.infinity
        for i in 0..<count { maximum = Swift.max(maximum, x[i]) }
        var i = 0
        var sums = SIMD16<Float>()
        let shift = SIMD16<Float>(repeating: maximum)
        while i + 16 <= count {
            let e = FastMath.exp(raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self) - shift)
            sums += e
            raw.storeBytes(of: e, toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        var sum = VectorMath.horizontalSum(sums)
        if i < count {
            // Tail: pad to 16 lanes with −∞ (e^−∞ clamps to a value that is masked out below).
            var tail = SIMD16<Float>(repeating: 0)
            for j in i..<count { tail[j - i] = x[j] - maximum }
            let e = FastMath.exp(tail)
            for j in i..<count { x[j] = e[j - i]; sum += e[j - i] }
        }
        let scale = 1 / sum
        for j in 0..<count { x[j] *= scale }
    }

    /// Plain softmax with libm `exp` in double precision: the oracle.
    public static func reference(_ x: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        var maximum = -Float.infinity
        for i in 0..<count { maximum = Swift.max(maximum, x[i]) }
        var sum = 0.0
        for i in 0..<count { sum += Foundation.exp(Double(x[i] - maximum)) }
        for i in 0..<count { x[i] = Float(Foundation.exp(Double(x[i] - maximum)) / sum) }
    }
}
