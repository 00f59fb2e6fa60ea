import XCTest
@testable import Retrieval
import Store

final class AnswererTests: XCTestCase {
    func settings(_ mode: AnswerMode, threshold: Float) -> AskSettings {
        var settings = AskSettings()
        settings.mode = mode
        settings.k = 2
        settings.coverage = CoverageThresholds(uniform: threshold)
        return settings
    }

    func testCompareRetrievesQuotesGeneratesAndGrounds() throws {
        let index = try AskTestIndex(documents: AskTestIndex.corpus)
        let writer = ScriptedTestWriter(answer: "预训练是语言模型的第一个训练阶段[1]。")
        var loads = 0, events: [String] = []
        let answerer = Answerer(store: index.store, embedder: index.embedder, makeWriter: { loads += 1; return writer })
        let answer = try answerer.answer("什么是预训练", settings: settings(.compare, threshold: 0)) { event in
            switch event {
            case .retrieved: events.append("retrieved")
            case .piece: events.append("piece")
            }
        }
        XCTAssertEqual(loads, 1)
        XCTAssertEqual(events.first, "retrieved")
        XCTAssertEqual(events.count, 1 + answer.generation!.text.count)
        XCTAssertTrue(answer.covered)
        XCTAssertTrue(answer.retrieval.hits.first!.chunk.documentPath.hasSuffix("pretraining.md"))
        XCTAssertFalse(try XCTUnwrap(answer.retrieval.quotes).isEmpty)
        let generation = try XCTUnwrap(answer.generation)
        XCTAssertEqual(generation.citations.map(\.n), [1])
        XCTAssertTrue(generation.citations[0].source.hasSuffix("pretraining.md"))
        XCTAssertEqual(generation.grounding.count, 1)
        XCTAssertTrue(generation.grounding[0].isSupported)
        XCTAssertTrue(writer.prompts[0].user.contains("问题：什么是预训练"))
        XCTAssertEqual(index.embedder.queriesEmbedded, 2, "the question once, the generated sentence once")
    }

    /// An English question over a Chinese index searches by the decoder's Chinese translation, which the answer
    /// reports; the coverage decision still holds the question itself against its threshold.
    func testEnglishQuestionsSearchAChineseIndexByTheirTranslation() throws {
        let index = try AskTestIndex(documents: AskTestIndex.corpus)
        XCTAssertGreaterThan(try index.store.chineseShare(), 0.9)
        let writer = ScriptedTestWriter(answer: "什么是监督微调？\n")
        let answerer = Answerer(store: index.store, embedder: index.embedder, makeWriter: { writer })
        let answer = try answerer.answer("What is supervised fine-tuning?", settings: settings(.retrieve, threshold: 0))
        XCTAssertEqual(answer.retrieval.searchedAs, "什么是监督微调？")
        XCTAssertEqual(writer.prompts.map(\.system), [CrossLanguageSearch.instruction])
        XCTAssertTrue(answer.retrieval.hits.first!.chunk.documentPath.hasSuffix("finetuning.md"))
        XCTAssertEqual(answer.language, .english, "answered, and held against the threshold, as an English question")

        let off = Answerer(store: index.store, embedder: index.embedder, crossLanguage: .off,
                           makeWriter: { XCTFail("loaded"); throw AskError.emptyQuestion })
        XCTAssertNil(try off.answer("What is supervised fine-tuning?", settings: settings(.retrieve, threshold: 0)).retrieval.searchedAs)
        let echoing = Answerer(store: index.store, embedder: index.embedder,
                               makeWriter: { ScriptedTestWriter(answer: "What is supervised fine-tuning?") })
        XCTAssertNil(try echoing.answer("What is supervised fine-tuning?", settings: settings(.retrieve, threshold: 0)).retrieval.searchedAs,
                     "a reply that is not Chinese: the question searches as written")
    }

    /// The decoder's reply becomes one line of Chinese; a reply that is not Chinese, or has nothing to search, is no
    /// translation. The question is translated greedily, under the instruction that measured best.
    func testATranslationIsOneLineOfChineseOrNothing() throws {
        let writer = ScriptedTestWriter(answer: "\n  预训练是什么？\n\n它有什么用？ ")
        XCTAssertEqual(try CrossLanguageSearch.translation(of: "What is pretraining, and what is it for?", by: writer),
                       "预训练是什么？ 它有什么用？")
        XCTAssertEqual(writer.prompts.first?.user, "What is pretraining, and what is it for?")
        XCTAssertNil(try CrossLanguageSearch.translation(of: "What?", by: ScriptedTestWriter(answer: "Sure! Here it is.")))
        XCTAssertNil(try CrossLanguageSearch.translation(of: "What?", by: ScriptedTestWriter(answer: "？！")))
        XCTAssertEqual(try AskTestIndex(documents: [:]).store.chineseShare(), 0, "an empty index is not Chinese")
    }

    func testChineseQuestionsAndEnglishIndexesAreSearchedAsWritten() throws {
        let english = try AskTestIndex(documents: ["a.md": "# Pretraining\n\nPretraining teaches a model to predict the next token from a large amount of text."])
        XCTAssertLessThan(try english.store.chineseShare(), 0.1)
        let never = { () throws -> AnswerWriter in XCTFail("loaded"); throw AskError.emptyQuestion }
        let answer = try Answerer(store: english.store, embedder: english.embedder, makeWriter: never)
            .answer("What is pretraining?", settings: settings(.retrieve, threshold: 0))
        XCTAssertNil(answer.retrieval.searchedAs)
        let chinese = try AskTestIndex(documents: AskTestIndex.corpus)
        XCTAssertNil(try Answerer(store: chinese.store, embedder: chinese.embedder, makeWriter: never)
            .answer("什么是预训练", settings: settings(.retrieve, threshold: 0)).retrieval.searchedAs)
    }

    func testRetrieveModeNeverLoadsTheGenerator() throws {
        let index = try AskTestIndex(documents: AskTestIndex.corpus)
        let answerer = Answerer(store: index.store, embedder: index.embedder, makeWriter: { XCTFail("loaded"); throw AskError.emptyQuestion })
        let answer = try answerer.answer("什么是监督微调", settings: settings(.retrieve, threshold: 0))
        XCTAssertNil(answer.generation)
        XCTAssertNotNil(answer.retrieval.quotes)
    }

    func testGenerateModeComputesNoExtractiveAnswer() throws {
        let index = try AskTestIndex(documents: AskTestIndex.corpus)
        let answerer = Answerer(store: index.store, embedder: index.embedder,
                                makeWriter: { ScriptedTestWriter(answer: "资料中没有相关信息。") })
        let answer = try answerer.answer("什么是监督微调", settings: settings(.generate, threshold: 0))
        XCTAssertNil(answer.retrieval.quotes)
        XCTAssertEqual(answer.generation?.saidUnknown, true)
        XCTAssertEqual(answer.generation?.citations, [])
    }

    func testQuestionUnderTheCoverageThresholdIsNotAnswered() throws {
        let index = try AskTestIndex(documents: AskTestIndex.corpus)
        let answerer = Answerer(store: index.store, embedder: index.embedder, makeWriter: { XCTFail("generator called"); throw AskError.emptyQuestion })
        let answer = try answerer.answer("量子计算机的工作原理是什么", settings: settings(.compare, threshold: 0.99))
        XCTAssertFalse(answer.covered)
        XCTAssertLessThan(answer.bestSimilarity, 0.99)
        XCTAssertNil(answer.generation)
        XCTAssertNil(answer.retrieval.quotes)
        XCTAssertEqual(answer.notCoveredMessage, QuestionLanguage.chinese.notCoveredMessage)
    }

    func testEmptyIndexIsAnError() throws {
        let index = try AskTestIndex(documents: [:])
        let answerer = Answerer(store: index.store, embedder: index.embedder, makeWriter: { XCTFail("loaded"); throw AskError.emptyQuestion })
        XCTAssertThrowsError(try answerer.answer("什么是预训练", settings: AskSettings())) { error in
            XCTAssertEqual(error as? AskError, .emptyIndex(path: index.store.path))
            XCTAssertTrue("\(error)".contains("rag ingest"))
        }
    }

    func testQuestionLongerThanTheContextIsAnErrorBeforeGenerating() throws {
        let index = try AskTestIndex(documents: AskTestIndex.corpus)
        let writer = ScriptedTestWriter(contextLength: 200, answer: "不该出现")
        let answerer = Answerer(store: index.store, embedder: index.embedder, makeWriter: { writer })
        let question = "预训练" + String(repeating: "是什么意思", count: 60)
        XCTAssertThrowsError(try answerer.answer(question, settings: settings(.generate, threshold: 0))) { error in
            guard case PromptError.questionTooLong = error else { return XCTFail("\(error)") }
        }
        XCTAssertTrue(writer.prompts.isEmpty)
    }
}
