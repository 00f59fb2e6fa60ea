@testable import Retrieval
@testable import Store
import XCTest

/// Follow-up questions: how they are searched with the previous turn, and which earlier turns the prompt keeps.
final class ConversationTests: XCTestCase {
    let previous = ConversationTurn(question: "什么是预训练？", answer: "预训练是第一个训练阶段[1]。", citedChunkIDs: [7, 3])

    func testFollowUpQueriesPutThePreviousQuestionBesideTheNewOne() {
        let question = "它需要多少算力？", joined = "什么是预训练？\n它需要多少算力？"
        XCTAssertEqual(FollowUpSearch.fused.query(for: question, after: nil), SearchQuery(question), "a first question is searched alone")
        XCTAssertEqual(FollowUpSearch.questionOnly.query(for: question, after: previous), SearchQuery(question))
        XCTAssertEqual(FollowUpSearch.joined.query(for: question, after: previous), SearchQuery(joined))
        XCTAssertEqual(FollowUpSearch.fused.query(for: question, after: previous), SearchQuery(question, companions: [joined]))
        XCTAssertEqual(FollowUpSearch.fusedWithCitations.query(for: question, after: previous),
                       SearchQuery(question, companions: [joined], prior: [7, 3]))
        // The joined query stays searchable however long the previous question was: its start is cut.
        let long = ConversationTurn(question: String(repeating: "预训练", count: 1000) + "结尾", answer: "")
        let cut = FollowUpSearch.joined.query(for: question, after: long).text
        XCTAssertEqual(cut.unicodeScalars.count, Retriever.maximumQueryLength)
        XCTAssertTrue(cut.hasSuffix("结尾\n" + question))
        XCTAssertNoThrow(try Retriever.check(query: cut))
    }

    func testAnswersLeaveTheirCitationMarkersOutOfTheHistory() {
        XCTAssertEqual(previous.answerWithoutCitations, "预训练是第一个训练阶段。")
    }

    /// Fusion: a passage found by the question and by its companion outranks one found by either alone, and the
    /// prior passages count as one more ranking, inside the document filter like every other.
    func testFusedSearchRanksByEveryQueryAndThePriorPassages() throws {
        let folder = try TemporaryFolder()
        try folder.write("a.md", "# 预训练\n\n预训练在海量无标注文本上预测下一个词元。")
        try folder.write("b.md", "# 微调\n\n监督微调用人工写的问答继续训练。")
        try folder.write("c.md", "# 注意力\n\nAttention lets every token look at the others.")
        let store = try PassageStore.open(at: folder.indexPath, create: true)
        let chunker = Chunker(parameters: try ChunkingParameters(), counter: CharacterCounter())
        _ = try Ingestor(store: store, chunker: chunker, embedder: nil).ingest(["."], workingDirectory: folder.url)
        let retriever = Retriever(store: store, embedder: nil)
        let alone = try retriever.search("attention", mode: .lexical, k: 3)
        XCTAssertEqual(alone.map(\.chunk.documentPath), ["c.md"])

        let companion = try retriever.search("无标注 attention", mode: .lexical, k: 3)
        XCTAssertEqual(Set(companion.map(\.chunk.documentPath)), ["a.md", "c.md"])
        let fused = try retriever.search(SearchQuery("attention", companions: ["无标注 attention"]), mode: .lexical, k: 3)
        XCTAssertEqual(fused.map(\.chunk.documentPath), ["c.md", "a.md"], "c.md is in both rankings, a.md in one")
        let companionRank = Double(try XCTUnwrap(companion.first { $0.chunk.documentPath == "c.md" }).rank)
        XCTAssertEqual(fused[0].score, 1 / (Retriever.fusionConstant + 1) + 1 / (Retriever.fusionConstant + companionRank), accuracy: 1e-12)
        XCTAssertEqual(fused[0].explanation.lexicalRank, 1, "the hit keeps the question's own ranks")
        XCTAssertNotNil(fused[0].explanation.fusedScore)

        let fine = try XCTUnwrap(retriever.search("微调", mode: .lexical, k: 1).first).chunk.id
        let withPrior = try retriever.search(SearchQuery("attention", prior: [fine]), mode: .lexical, k: 3)
        XCTAssertEqual(Set(withPrior.map(\.chunk.documentPath)), ["c.md", "b.md"])
        let filtered = try retriever.search(SearchQuery("attention", prior: [fine]), mode: .lexical, k: 3,
                                            filter: DocumentFilter(included: ["c.md"]))
        XCTAssertEqual(filtered.map(\.chunk.documentPath), ["c.md"], "a prior passage outside the filter is left out")
    }

    /// The prompt keeps the latest earlier turns that fit a third of its budget, oldest dropped first, each answer
    /// without its "[n]"; the passages and the question come after them.
    func testThePromptKeepsTheLatestTurnsThatFit() throws {
        let writer = ScriptedTestWriter(contextLength: 600, answer: "")
        let builder = PromptBuilder(writer: writer)  // budget 600 - 256 = 344, history at most 114 tokens
        let turns = [
            ConversationTurn(question: "第一个问题？", answer: String(repeating: "旧", count: 40)),
            ConversationTurn(question: "第二个问题？", answer: String(repeating: "中", count: 60) + "[1]"),
            ConversationTurn(question: "第三个问题？", answer: "最新的回答[2]。"),
        ]
        let chunk = StoredChunk(id: 1, documentPath: "a.md", documentTitle: "a", ordinal: 0, text: "预训练是第一个阶段。", start: 0, end: 10, headingPath: [])
        let prompt = try builder.prompt(question: "它呢？", passages: [chunk], conversation: turns, maxAnswerTokens: 256)
        XCTAssertEqual(prompt.history, [ChatTurn(.user, "第二个问题？"), ChatTurn(.assistant, String(repeating: "中", count: 60)),
                                        ChatTurn(.user, "第三个问题？"), ChatTurn(.assistant, "最新的回答。")])
        XCTAssertEqual(prompt.turns.map(\.role), [.system, .user, .assistant, .user, .assistant, .user])
        XCTAssertTrue(prompt.turns.last!.content.contains("[1] 预训练是第一个阶段。"))
        XCTAssertEqual(prompt.tokenCount, writer.promptTokenCount(prompt.turns))
        XCTAssertEqual(try builder.prompt(question: "它呢？", passages: [chunk], maxAnswerTokens: 256).history, [])
    }

    /// An answer after earlier turns: searched with them, written with them, and the turn it makes keeps its own citations.
    func testAFollowUpIsAnsweredWithThePreviousTurn() throws {
        let index = try AskTestIndex(documents: AskTestIndex.corpus)
        let writer = ScriptedTestWriter(answer: "预训练不需要人工标注[1]。")
        let answerer = Answerer(store: index.store, embedder: index.embedder, makeWriter: { writer })
        var settings = AskSettings()
        settings.coverage = CoverageThresholds(uniform: 0)
        let first = try answerer.answer("什么是预训练？", settings: settings)
        let turn = ConversationTurn(first)
        XCTAssertEqual(turn.question, "什么是预训练？")
        XCTAssertEqual(turn.citedChunkIDs, [first.generation!.prompt.passages[0].chunk.id])

        settings.conversation = [turn]
        let embeddedBefore = index.embedder.queriesEmbedded
        let followUp = try answerer.answer("它要人工标注吗？", settings: settings)
        XCTAssertEqual(index.embedder.queriesEmbedded - embeddedBefore, 2, "the question and the joined query once each (the generated sentence is the first answer's, still remembered)")
        XCTAssertTrue(followUp.retrieval.hits.first!.chunk.documentPath.hasSuffix("pretraining.md"))
        let asked = try XCTUnwrap(writer.conversations.last)
        XCTAssertEqual(Array(asked[1...2]), [ChatTurn(.user, "什么是预训练？"), ChatTurn(.assistant, "预训练不需要人工标注。")])
        XCTAssertTrue(asked.last!.content.hasSuffix("问题：它要人工标注吗？"))
        XCTAssertEqual(followUp.generation?.citations.map(\.n), [1], "the answer's citations are its own passages'")
    }

    func testConversationFilesAreReadAndMixedFilesRefused() throws {
        let text = """
            {"turns": [{"q": "什么是预训练？", "source": "a.md"}, {"q": "它要多久？", "source": "a.md", "must_contain": ["数周"]}]}
            """
        guard case .conversations(let conversations) = try EvalSet.parseFile(text, path: "f.jsonl") else { return XCTFail("not conversations") }
        XCTAssertEqual(conversations.count, 1)
        XCTAssertEqual(conversations[0].turns.map(\.question), ["什么是预训练？", "它要多久？"])
        XCTAssertEqual(conversations[0].turns[1].mustContain, ["数周"])
        let mixed = text + "\n{\"q\": \"什么是微调？\", \"source\": \"b.md\"}"
        XCTAssertThrowsError(try EvalSet.parseFile(mixed, path: "f.jsonl")) {
            XCTAssertEqual(($0 as? EvalFileError).map { "\($0)" }?.hasPrefix("f.jsonl:2: the file mixes"), true)
        }
        XCTAssertThrowsError(try EvalSet.parse(text, path: "f.jsonl"), "a question file cannot be a conversation file")
        XCTAssertThrowsError(try EvalSet.parseFile("{\"turns\": [{\"q\": \"x\", \"source\": \"a\"}]}", path: "f.jsonl"))
    }
}
