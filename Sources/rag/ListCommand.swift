import ArgumentParser
import Foundation
import Store

/// `rag list`: the documents in an index.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the documents in the index with their passage counts.")

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var output: OutputOptions

    struct Entry: Encodable {
        var path: String
        var title: String
        var chunks: Int
        var bytes: Int64
        var sha256: String
        var encoderModel: String?

        enum CodingKeys: String, CodingKey { case path, title, chunks, bytes, sha256, encoderModel = "encoder_model" }
    }

    func run() throws {
        let entries = try indexOptions.openExisting().allDocuments().map {
            Entry(path: $0.path, title: $0.title, chunks: $0.chunkCount, bytes: $0.size, sha256: $0.sha256, encoderModel: $0.encoderModel)
        }
        if output.json { try printJSON(entries); return }
        if entries.isEmpty { print("the index holds no documents"); return }
        for entry in entries {
            print(String(format: "%5d  ", entry.chunks) + "\(entry.path.oneLine)  \(entry.title.oneLine)")
        }
        output.note("\(entries.count) documents, \(entries.reduce(0) { $0 + $1.chunks }) passages")
    }
}
