import Foundation
@testable import Retrieval

/// The committed files in Tests/Fixtures/documents (made by scripts/make-document-fixtures).
enum DocumentFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/documents").standardizedFileURL

    static func data(_ name: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(name)) }

    /// The fixture read as ingest reads it: format from its extension, then from its bytes.
    static func load(_ name: String) throws -> LoadedDocument {
        try DocumentLoader.load(data(name), format: DocumentFormat(fileExtension: (name as NSString).pathExtension)!, fileName: name)
    }

    /// The skip reason ingest would report for `data` named `name`, or nil when it loads.
    static func skipReason(_ data: Data, named name: String) -> String? {
        do {
            _ = try DocumentLoader.load(data, format: DocumentFormat(fileExtension: (name as NSString).pathExtension)!, fileName: name)
            return nil
        } catch let error as UnreadableFile {
            return error.description
        } catch {
            return "unexpected \(error)"
        }
    }
}
