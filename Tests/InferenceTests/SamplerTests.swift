import XCTest
@testable import Inference

/// The sampling stages and the generator's stop-string handling, on hand-made logits.
final class SamplerTests: XCTestCase {
    let logits: [Float] = [0.5, 3.0, -1.0, 2.0, 2.9, 0.0]

    func testGreedyTakesTheArgmax() {
        var sampler = Sampler(.greedy)
        XCTAssertEqual(sampler.sample(logits: logits, history: []), 1)
    }

    func testTopKOneIsGreedyAtAnyTemperature() {
        var settings = Sampler.Settings()
        settings.temperature = 5
        settings.topK = 1
        var sampler = Sampler(settings)
        for _ in 0..<20 { XCTAssertEqual(sampler.sample(logits: logits, history: []), 1) }
    }

    func testSameSeedSameTokensAndSamplingStaysInsideTheFilters() {
        var settings = Sampler.Settings()
        settings.temperature = 1.5
        settings.topK = 3
        settings.topP = 1
        settings.minP = 0
        var a = Sampler(settings), b = Sampler(settings)
        let drawsA = (0..<200).map { _ in a.sample(logits: logits, history: []) }
        let drawsB = (0..<200).map { _ in b.sample(logits: logits, history: []) }
        XCTAssertEqual(drawsA, drawsB)
        XCTAssertEqual(Set(drawsA), [1, 4, 3], "top-3 keeps ids 1, 4, 3 and all of them get drawn")
    }

    func testTopPMinPAndPenaltyStages() {
        var candidates = TokenCandidates(logits: logits)
        TopP(p: 0.5).apply(&candidates, history: [])
        XCTAssertEqual(candidates.ids, [1, 4], "3.0 and 2.9 hold more than half of the mass; 3.0 alone does not")

        candidates = TokenCandidates(logits: logits)
        MinP(minP: 0.3).apply(&candidates, history: [])
        XCTAssertEqual(candidates.ids, [1, 4, 3], "e^(2−3) ≈ 0.37 ≥ 0.3 stays, e^(0.5−3) does not")

        candidates = TokenCandidates(logits: logits)
        RepetitionPenalty(penalty: 2).apply(&candidates, history: [1, 2])
        XCTAssertEqual(candidates.logits[1], 1.5)
        XCTAssertEqual(candidates.logits[2], -2.0)
        XCTAssertEqual(candidates.logits[3], 2.0)
    }

    func testTopCandidatesAreTheModelsOwnProbabilities() {
        let top = Sampler.topCandidates(logits: [0, Float(log(4.0))], count: 5)
        XCTAssertEqual(top.map(\.id), [1, 0])
        XCTAssertEqual(top[0].probability, 0.8, accuracy: 1e-6)
        XCTAssertEqual(top[1].probability, 0.2, accuracy: 1e-6)
    }

    func testStopStringsCutAndHoldBack() {
        XCTAssertEqual(TokenGenerator.firstStop(in: "abc\n\nUser:", ["User:", "\n\n"]).map { "abc\n\nUser:"[..<$0] }, "abc")
        XCTAssertNil(TokenGenerator.firstStop(in: "abc", ["x"]))
        XCTAssertEqual(TokenGenerator.heldBack("hello Us", ["User:"]), 2)
        XCTAssertEqual(TokenGenerator.heldBack("hello", ["User:"]), 0)
    }
}

/// The prompt cache keeps the longest shared prefix, less the token that must be run again for its logits.
final class PromptCachePrefixTests: XCTestCase {
    func testTheReusablePrefix() {
        XCTAssertEqual(TokenGenerator.reusablePrefix(cached: [], prompt: [1, 2, 3]), 0)
        XCTAssertEqual(TokenGenerator.reusablePrefix(cached: [1, 2, 9, 9], prompt: [1, 2, 3]), 2)
        XCTAssertEqual(TokenGenerator.reusablePrefix(cached: [1, 2, 3, 4, 5], prompt: [1, 2, 3]), 2, "the whole prompt cached: rerun its last token")
        XCTAssertEqual(TokenGenerator.reusablePrefix(cached: [7], prompt: [1, 2, 3]), 0)
    }
}
