/// Plain little-endian IEEE-754 single precision: a "block" of one weight.
public enum F32Format: BlockFormat {
    public static let weightsPerBlock = 1
    public static let bytesPerBlock = 4

    public static func referenceDequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        out.pointee = block.loadUnaligned(as: Float.self)
    }

    public static func dequantize(blocks: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(out).copyMemory(from: blocks, byteCount: count * 4)
    }

    public static func dot(blocks: UnsafeRawPointer, count: Int, _ x: UnsafePointer<Float>) -> Float {
        VectorMath.dot(blocks.assumingMemoryBound(to: Float.self), x, count: count)
    }
}
