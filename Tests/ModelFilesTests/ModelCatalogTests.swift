import Foundation
import XCTest
import Checksum
@testable import ModelFiles

/// The catalog must refuse missing, truncated and altered files with messages that name the fix.
final class ModelCatalogTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testMissingModelNamesTheFetchCommand() {
        let models = ModelDirectory(url: directory)
        XCTAssertThrowsError(try models.verifiedURL(for: .encoder)) { error in
            XCTAssertEqual(error as? ModelCatalogError, .missing(.encoder, path: models.url(for: .encoder).path))
            XCTAssertTrue("\(error)".contains("scripts/fetch-models encoder"))
        }
    }

    func testTruncatedModelIsRejectedBySize() throws {
        let models = ModelDirectory(url: directory)
        try Data(count: 1000).write(to: models.url(for: .decoder))
        XCTAssertEqual(try models.verification(of: .decoder, rehash: false), .wrongSize(actual: 1000))
        XCTAssertThrowsError(try models.verifiedURL(for: .decoder))
    }

    func testRightSizeWrongBytesIsAHashMismatchEvenWithAForgedStamp() throws {
        let models = ModelDirectory(url: directory)
        let file = models.url(for: .encoder)
        try Data(count: KnownModel.encoder.byteCount).write(to: file)
        XCTAssertEqual(try models.verification(of: .encoder, rehash: false), .hashMismatch)
        // A stamp for another size/mtime does not vouch for this file.
        try "\(KnownModel.encoder.sha256) 1 1\n".write(to: file.appendingPathExtension("verified"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try models.verification(of: .encoder, rehash: false), .hashMismatch)
    }

    /// Issue 9: 100 bytes flipped in place with the mtime put back used to pass as "ok (sha256 verified)",
    /// because the stamp only held size and mtime; the change time moves with any write.
    func testAStampDoesNotVouchForAFileRewrittenInPlaceAndRehashDropsIt() throws {
        let real = ModelDirectory.default.url(for: .encoder)
        try XCTSkipUnless(FileManager.default.fileExists(atPath: real.path), "the encoder is not fetched")
        let models = ModelDirectory(url: directory)
        let file = models.url(for: .encoder)
        try FileManager.default.copyItem(at: real, to: file)
        XCTAssertEqual(try models.verification(of: .encoder, rehash: false), .verified)
        let stamp = file.appendingPathExtension("verified")
        XCTAssertTrue(FileManager.default.fileExists(atPath: stamp.path))
        XCTAssertEqual(try models.verification(of: .encoder, rehash: false), .verified, "the stamp is used")

        let modified = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date)
        usleep(20_000)  // a later change time, whatever the file system's clock resolution
        let handle = try FileHandle(forUpdating: file)
        try handle.seek(toOffset: 40_000_000)
        let original = try XCTUnwrap(try handle.read(upToCount: 100))
        try handle.seek(toOffset: 40_000_000)
        try handle.write(contentsOf: Data(original.map { ~$0 }))
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: file.path)

        XCTAssertEqual(try models.verification(of: .encoder, rehash: false), .hashMismatch)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stamp.path), "a failed check removes the stamp")
        XCTAssertThrowsError(try models.verifiedURL(for: .encoder))
    }

    func testDecodersHaveShortNames() {
        XCTAssertEqual(KnownModel(decoderNamed: "qwen-0.5b"), .decoder)
        XCTAssertEqual(KnownModel(decoderNamed: "qwen-1.5b"), .largeDecoder)
        XCTAssertNil(KnownModel(decoderNamed: "qwen-7b"))
        XCTAssertEqual(KnownModel.largeDecoder.fetchCommand, "scripts/fetch-models decoder-large")
    }

    func testRealModelsVerifyWhenPresent() throws {
        let models = ModelDirectory.default
        let present = KnownModel.allCases.filter { FileManager.default.fileExists(atPath: models.url(for: $0).path) }
        try XCTSkipIf(present.isEmpty, "no model downloaded; run scripts/fetch-models to include this check")
        for model in present {
            XCTAssertEqual(try models.verification(of: model, rehash: false), .verified, model.fileName)
        }
    }
}
