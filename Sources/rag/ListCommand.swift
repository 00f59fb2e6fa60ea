import ArgumentParser
import Foundation
import RAGKit
import Store

/// `rag list`: the documents in an index.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the documents in the index with their passage counts.")

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let entries = try indexOptions.openExisting().allDocuments().map(DocumentEntry.init)
        if output.json { try printJSON(entries); return }
        if entries.isEmpty { print("the index holds no documents"); return }
        for entry in entries {
            print(String(format: "%5d  ", entry.chunks) + "\(entry.path.oneLine)  \(entry.title.oneLine)")
        }
        output.note("\(entries.count) documents, \(entries.reduce(0) { $0 + $1.chunks }) passages")
    }
}
