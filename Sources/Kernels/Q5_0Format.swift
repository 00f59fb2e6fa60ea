/// ggml Q5_0: 32 weights in 22 bytes. f16 `d`, a little-endian u32 of fifth bits (bit j for weight j), then
/// nibbles laid out as in Q4_0; w = d·((nibble | highBit << 4) − 16).
public enum Q5_0Format: BlockFormat {
    public static let weightsPerBlock = 32
    public static let bytesPerBlock = 22

    public static func referenceDequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = Float(halfBits: block.loadUnaligned(as: UInt16.self))
        let qh = block.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
        let qs = block + 6
        for j in 0..<16 {
            let byte = qs.load(fromByteOffset: j, as: UInt8.self)
            let low = Int(byte & 0x0F) | Int((qh >> UInt32(j)) & 1) << 4
            let high = Int(byte >> 4) | Int((qh >> UInt32(j + 16)) & 1) << 4
            out[j] = d * Float(low - 16)
            out[j + 16] = d * Float(high - 16)
        }
    }
}
