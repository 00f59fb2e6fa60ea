import Foundation
import XCTest
import ModelFiles

/// Replays every input the fuzzers (Fuzz/, scripts/fuzz) found crashing a model-file reader, through the same call
/// the harness makes: each must now be refused with the reader's own error. Adding a fixture file under
/// Tests/Fixtures/fuzz/<target>/ is enough; the folder being empty is a failure, so the test cannot pass vacuously.
final class FuzzRegressionTests: XCTestCase {
    static func fixtures(_ target: String) throws -> [URL] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/fuzz/\(target)").standardizedFileURL
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .sorted { $0.path < $1.path }
        XCTAssertFalse(files.isEmpty, "no fixtures in \(folder.path)")
        return files
    }

    func testGGUFCrashesAreRefused() throws {
        for url in try Self.fixtures("gguf") {
            XCTAssertThrowsError(try GGUFFile(data: Data(contentsOf: url), url: url), url.lastPathComponent) { error in
                XCTAssert(error is GGUFError, "\(url.lastPathComponent): \(error)")
            }
        }
    }
}
