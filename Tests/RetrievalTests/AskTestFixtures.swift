import Foundation
@testable import Retrieval
@testable import Store

/// Test-only embedder: hashed character unigrams and bigrams in 256 buckets, L2-normalised, so texts that
/// share wording get close vectors. It lets the answer pipeline run without the real encoder.
final class CharacterBagTestEmbedder: TextEmbedder {
    let modelID = "test-character-bag"
    let dimension = 256
    var queriesEmbedded = 0

    func embedPassages(_ texts: [String]) throws -> [[Float]] { texts.map(vector) }
    func embedQuery(_ text: String) throws -> [Float] { queriesEmbedded += 1; return vector(text) }

    func vector(_ text: String) -> [Float] {
        var v = [Float](repeating: 0, count: dimension)
        let scalars = Array(text.unicodeScalars).filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }
        for (i, s) in scalars.enumerated() {
            v[Int(s.value % 251)] += 1
            if i + 1 < scalars.count { v[Int((s.value &* 31 &+ scalars[i + 1].value) % UInt32(dimension))] += 1 }
        }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? v.map { $0 / norm } : v
    }
}

/// Test-only answer writer: one token per Unicode scalar, a fixed template overhead, and a scripted answer
/// streamed one Character at a time. Records what it was asked.
final class ScriptedTestWriter: AnswerWriter {
    static let templateOverhead = 10
    let contextLength: Int
    var answer: String
    var prompts: [(system: String, user: String)] = []
    /// Every prompt whole, turn by turn.
    var conversations: [[ChatTurn]] = []

    init(contextLength: Int = 4096, answer: String) { self.contextLength = contextLength; self.answer = answer }

    func tokenCount(_ text: String) -> Int { text.unicodeScalars.count }
    func promptTokenCount(_ turns: [ChatTurn]) -> Int { turns.reduce(Self.templateOverhead) { $0 + tokenCount($1.content) } }

    func write(_ turns: [ChatTurn], settings: GenerationSettings,
               onPiece: (GeneratedPiece) throws -> Void) throws -> GenerationReport {
        let system = turns.first { $0.role == .system }?.content ?? "", user = turns.last { $0.role == .user }?.content ?? ""
        prompts.append((system, user))
        conversations.append(turns)
        for character in answer { try onPiece(GeneratedPiece(text: String(character))) }
        return GenerationReport(promptTokens: promptTokenCount(system: system, user: user), generatedTokens: answer.count,
                                timeToFirstTokenMs: 1, decodeTokensPerSecond: 100, stopReason: "eos")
    }
}

/// A temporary index built from a few documents with the test embedder; removed afterwards.
final class AskTestIndex {
    let folder: URL
    let store: PassageStore
    let embedder = CharacterBagTestEmbedder()

    init(documents: [String: String]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rag-ask-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try PassageStore.open(at: folder.appendingPathComponent("index.sqlite").path, create: true)
        for (name, text) in documents {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
        if !documents.isEmpty {
            let chunker = Chunker(parameters: try ChunkingParameters(size: 120, overlap: 0), counter: CharacterCounter())
            _ = try Ingestor(store: store, chunker: chunker, embedder: embedder).ingest([folder.path], workingDirectory: folder)
        }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    static let pretraining = """
        # 预训练
        预训练是语言模型的第一个训练阶段。模型读入大量网页和书籍，根据前面的文字预测下一个词元。预训练不需要人工标注，因为目标就是文本本身。
        """
    static let finetuning = """
        # 监督微调
        监督微调在预训练之后进行。研究人员编写指令和回答的示例，让模型学会按照指令作答。
        """
    static let corpus = ["pretraining.md": pretraining, "finetuning.md": finetuning]
}

func storedChunk(_ text: String, source: String = "doc.md", ordinal: Int = 0) -> StoredChunk {
    StoredChunk(id: Int64(ordinal + 1), documentPath: source, documentTitle: source, ordinal: ordinal, text: text,
                start: 0, end: text.unicodeScalars.count, headingPath: [])
}
