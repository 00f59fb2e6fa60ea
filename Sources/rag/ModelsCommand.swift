import ArgumentParser
import Foundation
import ModelFiles

/// `rag models`: which models rag uses, where they are, and whether they are the exact published files.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models, where they are, and whether their sha256 checks out.")

    @Flag(name: .long, help: "Print the list as JSON.")
    var json = false

    @Flag(name: .long, help: "Hash every file again even when a verification stamp vouches for it.")
    var rehash = false

    struct Entry: Encodable {
        var model: String
        /// What `--model` takes for a decoder (`qwen-1.5b`); nil for the encoder.
        var shortName: String?
        var name: String
        /// Whether scripts/setup fetches it (the large decoder only on request).
        var fetchedBySetup: Bool
        var path: String
        var bytes: Int?
        var present: Bool
        var verified: Bool
        var status: String
        var fetch: String
    }

    func run() throws {
        let directory = ModelDirectory.default
        let entries = try KnownModel.allCases.map { model -> Entry in
            let path = directory.url(for: model).path
            let bytes = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
            let status = try directory.verification(of: model, rehash: rehash)
            let words: String
            switch status {
            case .verified: words = "ok (sha256 verified)"
            case .missing: words = model.isFetchedBySetup ? "missing; run \(model.fetchCommand)" : "not downloaded (optional); \(model.fetchCommand) fetches it"
            case let .wrongSize(actual): words = "wrong size (\(actual) bytes, expected \(model.byteCount)); rerun \(model.fetchCommand)"
            case .hashMismatch: words = "sha256 mismatch; delete it and rerun \(model.fetchCommand)"
            }
            return Entry(model: model.rawValue, shortName: model.shortName, name: model.displayName,
                         fetchedBySetup: model.isFetchedBySetup, path: path, bytes: bytes,
                         present: bytes != nil, verified: status == .verified, status: words, fetch: model.fetchCommand)
        }
        if json {
            try printJSON(entries)
        } else {
            for e in entries {
                let size = e.bytes.map { String(format: "%.1f MB", Double($0) / 1e6) } ?? "-"
                let choice = e.shortName.map { " (--model \($0))" } ?? ""
                print("\(e.model): \(e.name)\(choice)\n  \(e.path)  \(size)  \(e.status)")
            }
        }
    }
}
