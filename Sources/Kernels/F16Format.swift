/// IEEE-754 half precision: a "block" of one weight, 2 bytes.
public enum F16Format: BlockFormat {
    public static let weightsPerBlock = 1
    public static let bytesPerBlock = 2

    public static func referenceDequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        out.pointee = Float(halfBits: block.loadUnaligned(as: UInt16.self))
    }
}

extension Float {
    /// Decodes an IEEE-754 half-precision bit pattern (one F16C instruction with a native target CPU).
    @inlinable @inline(__always)
    public init(halfBits: UInt16) {
        self = Float(Float16(bitPattern: halfBits))
    }
}
