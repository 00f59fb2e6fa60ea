import Foundation

/// Softmax of one row in place, max-subtracted so large scores cannot overflow.
public enum Softmax {
    public static func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        let raw = UnsafeMutableRawPointer(x)
        let whole = count & ~15
        // Maximum: 16 lanes at a time, then the tail.
        var maxima = SIMD16<Float>(repeating: -.infinity)
        var i = 0
        while i < whole {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            for l in 0..<16 { maxima[l] = Swift.max(maxima[l], v[l]) }
            i += 16
        }
        var maximum = maxima.max()
        for j in whole..<count { maximum = Swift.max(maximum, x[j]) }
        // Exponentials and their sum.
        let shift = SIMD16<Float>(repeating: maximum)
        var sums = SIMD16<Float>()
        i = 0
        while i < whole {
            let e = FastMath.exp(raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self) - shift)
            sums += e
            raw.storeBytes(of: e, toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        var sum = VectorMath.horizontalSum(sums)
        if whole < count {
            var tail = SIMD16<Float>(repeating: 0)
            for j in whole..<count { tail[j - whole] = x[j] - maximum }
            let e = FastMath.exp(tail)
            for j in whole..<count { x[j] = e[j - whole]; sum += e[j - whole] }
        }
        // Normalise.
        let scale = SIMD16<Float>(repeating: 1 / sum)
        i = 0
        while i < whole {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            raw.storeBytes(of: v * scale, toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        for j in whole..<count { x[j] *= scale[0] }
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
