import ArgumentParser
import Foundation
import Inference
import RAGKit

extension EmbeddingRole: EnumerableFlag {}

/// `rag embed TEXT...`: the encoder's vectors for some texts, for inspection and scripting.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Print the multilingual-e5-small vector of each text.")

    @Argument(help: "Texts to embed.")
    var texts: [String]

    @Flag(help: "Embed as a search query (`query: ` prefix) or as a passage (`passage: ` prefix).")
    var role: EmbeddingRole = .query

    @Flag(name: .long, help: "Print JSON: [{\"text\", \"role\", \"tokens\", \"vector\"}].")
    var json = false

    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if texts.isEmpty { throw ValidationError("give at least one text to embed") }
    }

    struct Embedding: Encodable {
        var text: String
        var role: String
        var tokens: Int
        var vector: [Float]
    }

    func run() throws {
        let embedder = try E5Embedder(threads: compute.parallelism.threads)
        let encoder = embedder.encoder
        let vectors = encoder.embed(texts, role: role, parallelism: compute.parallelism)
        let embeddings = zip(texts, vectors).map {
            Embedding(text: $0, role: role.rawValue, tokens: encoder.tokenCount($0, role: role), vector: $1)
        }
        if json {
            try printJSON(embeddings)
        } else {
            for e in embeddings {
                print("\(e.role) (\(e.tokens) tokens): \(e.text)")
                print(e.vector.map { String(format: "%.6f", $0) }.joined(separator: " "))
            }
        }
    }
}
