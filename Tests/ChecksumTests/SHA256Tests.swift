import Foundation
import XCTest
import Checksum

/// Known-answer vectors from FIPS 180-4 / NIST, plus messages that straddle the padding boundaries.
final class SHA256Tests: XCTestCase {
    func testKnownAnswers() {
        XCTAssertEqual(SHA256.hex(of: ""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(of: "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(of: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(of: String(repeating: "a", count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testIncrementalUpdatesMatchOneShot() {
        let bytes = Data((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        for split in [0, 1, 55, 56, 63, 64, 65, 500] {
            var hasher = SHA256()
            hasher.update(bytes.prefix(split))
            hasher.update(bytes.dropFirst(split))
            XCTAssertEqual(hasher.finalize(), { var h = SHA256(); h.update(bytes); return h.finalize() }(), "split \(split)")
        }
    }

    func testFileDigestMatchesDataDigest() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        let bytes = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0) })
        try bytes.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertEqual(try SHA256.hex(ofFileAt: url), SHA256.hex(of: bytes))
    }
}
