/// Keys and values of every position seen so far, per block, in f32: layout [block][position][kvHeads·headDim].
/// Allocated once for the whole context, so decoding never allocates. 24 blocks × 2 × 128 floats = 24.6 KB per
/// position for Qwen2.5-0.5B, i.e. 100 MB for a 4096-token context.
public final class KVCache {
    public let blocks: Int
    public let capacity: Int
    /// Floats per position (kvHeads · headDim).
    public let width: Int
    private let keys: UnsafeMutablePointer<Float>
    private let values: UnsafeMutablePointer<Float>

    public init(blocks: Int, capacity: Int, width: Int) {
        self.blocks = blocks
        self.capacity = capacity
        self.width = width
        keys = .allocate(capacity: blocks * capacity * width)
        values = .allocate(capacity: blocks * capacity * width)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Keys of `block` at `position` (and the positions after it, `width` floats apart).
    @inline(__always)
    public func keys(block: Int, position: Int) -> UnsafeMutablePointer<Float> {
        keys + (block * capacity + position) * width
    }

    /// Values of `block` at `position` (and the positions after it).
    @inline(__always)
    public func values(block: Int, position: Int) -> UnsafeMutablePointer<Float> {
        values + (block * capacity + position) * width
    }
}
