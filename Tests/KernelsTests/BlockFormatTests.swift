import XCTest
@testable import Kernels

/// Every format's fast paths must agree with its reference decoder on random blocks.
final class BlockFormatTests: XCTestCase {
    func testFastPathsMatchReference() {
        var rng = SystemRandomNumberGenerator()
        for type in TensorType.allCases {
            let format = type.format
            let blocks = 8
            var bytes = (0..<(blocks * format.bytesPerBlock)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Keep f16/f32 scales finite: overwrite anything that decodes to NaN or infinity with a small value.
            bytes.withUnsafeMutableBytes { raw in
                let n = blocks * format.weightsPerBlock
                var ref = [Float](repeating: 0, count: n)
                var fast = [Float](repeating: 0, count: n)
                let x = (0..<n).map { _ in Float.random(in: -1...1, using: &rng) }
                for b in 0..<blocks {
                    ref.withUnsafeMutableBufferPointer {
                        format.referenceDequantize(block: raw.baseAddress! + b * format.bytesPerBlock,
                                                   into: $0.baseAddress! + b * format.weightsPerBlock)
                    }
                }
                guard ref.allSatisfy({ $0.isFinite && abs($0) < 1e4 }) else { return }
                fast.withUnsafeMutableBufferPointer {
                    format.dequantize(blocks: raw.baseAddress!, count: blocks, into: $0.baseAddress!)
                }
                XCTAssertEqual(ref, fast, "\(type) dequantize")
                let expected = zip(ref, x).reduce(Double(0)) { $0 + Double($1.0) * Double($1.1) }
                let scale = zip(ref, x).reduce(Double(0)) { $0 + abs(Double($1.0) * Double($1.1)) }
                let got = x.withUnsafeBufferPointer { format.dot(blocks: raw.baseAddress!, count: blocks, $0.baseAddress!) }
                XCTAssertLessThanOrEqual(abs(Double(got) - expected), 1e-5 * max(scale, 1), "\(type) dot")
            }
        }
    }
}
