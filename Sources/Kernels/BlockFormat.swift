/// One block layout of weights: how many weights a block holds, how many bytes it takes, and how to turn it
/// back into floats. Every format keeps a plain `referenceDequantize` (the oracle) next to its fast kernels,
/// and tests compare the two.
public protocol BlockFormat {
    /// Weights in one block.
    static var weightsPerBlock: Int { get }
    /// Bytes in one block.
    static var bytesPerBlock: Int { get }

    /// Decodes one block, the obviously-correct way. Writes `weightsPerBlock` floats to `out`.
    static func referenceDequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>)

    /// Decodes `count` consecutive blocks into `count * weightsPerBlock` floats (fast path).
    static func dequantize(blocks: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>)

    /// Dot product of `count` consecutive blocks with `count * weightsPerBlock` f32 activations (fast path).
    static func dot(blocks: UnsafeRawPointer, count: Int, _ x: UnsafePointer<Float>) -> Float
}

extension BlockFormat {
    /// Default fast path: the reference decoder, block by block. Formats override it with SIMD code.
    public static func dequantize(blocks: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        for b in 0..<count {
            referenceDequantize(block: blocks + b * bytesPerBlock, into: out + b * weightsPerBlock)
        }
    }

    /// Default fused dot: decode one block at a time into a small buffer and accumulate with SIMD.
    public static func dot(blocks: UnsafeRawPointer, count: Int, _ x: UnsafePointer<Float>) -> Float {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: weightsPerBlock) { scratch in
            var sum: Float = 0
            for b in 0..<count {
                referenceDequantize(block: blocks + b * bytesPerBlock, into: scratch.baseAddress!)
                sum += VectorMath.dot(scratch.baseAddress!, x + b * weightsPerBlock, count: weightsPerBlock)
            }
            return sum
        }
    }
}
