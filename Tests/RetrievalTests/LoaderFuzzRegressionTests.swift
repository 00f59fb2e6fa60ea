import Foundation
@testable import Retrieval
import XCTest

/// Replays the inputs the loader fuzzers (Fuzz/fuzz-docx, fuzz-epub, fuzz-pdf) found crashing, through the call
/// the harness makes: each must now be a one-line skip reason. A fixture file under Tests/Fixtures/fuzz/<target>/
/// is enough; an empty folder fails, so the test cannot pass vacuously.
final class LoaderFuzzRegressionTests: XCTestCase {
    func replay(_ target: String, as format: DocumentFormat) throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/fuzz/\(target)").standardizedFileURL
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil).sorted { $0.path < $1.path }
        XCTAssertFalse(files.isEmpty, "no fixtures in \(folder.path)")
        for url in files {
            XCTAssertThrowsError(try DocumentLoader.load(Data(contentsOf: url), format: format, fileName: url.lastPathComponent)) { error in
                let reason = (error as? UnreadableFile)?.description ?? ""
                XCTAssertTrue(!reason.isEmpty && !reason.contains("\n"), "\(url.lastPathComponent): \(error)")
            }
        }
    }

    /// ZIPFoundation's in-memory archives trapped on a central directory pointing past the data.
    func testDocxWhoseDirectoryPointsPastTheEndIsDamaged() throws { try replay("docx", as: .docx) }
    func testEPUBWhoseDirectoryPointsPastTheEndIsDamaged() throws { try replay("epub", as: .epub) }
}
