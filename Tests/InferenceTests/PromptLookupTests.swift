import XCTest
@testable import Inference

final class PromptLookupTests: XCTestCase {
    func testDraftsWhatFollowedTheLatestLongestMatch() {
        let lookup = PromptLookup(longestMatch: 3, shortestMatch: 2, draftLength: 4)
        // "7 8 9" occurs at 0 and 6; the latest (6) is followed by 4 5.
        XCTAssertEqual(lookup.draft(after: [7, 8, 9, 1, 2, 3, 7, 8, 9, 4, 5, 0, 7, 8, 9], limit: 10), [4, 5, 0, 7])
        // No 3-gram matches; the 2-gram "2 3" does.
        XCTAssertEqual(lookup.draft(after: [1, 2, 3, 4, 5, 6, 9, 2, 3], limit: 10), [4, 5, 6, 9])
        XCTAssertEqual(lookup.draft(after: [1, 2, 3, 4, 5, 6, 9, 2, 3], limit: 2), [4, 5], "the caller's limit")
        XCTAssertEqual(lookup.draft(after: [1, 2, 3, 4, 5, 6, 9, 2, 3], limit: 0), [])
        // A single shared token is not enough at shortestMatch 2; nothing at all matches in a short history.
        XCTAssertEqual(lookup.draft(after: [1, 2, 3, 9, 3], limit: 10), [])
        XCTAssertEqual(lookup.draft(after: [4], limit: 10), [])
        // An overlapping match: in a run of one token the draft continues the run.
        XCTAssertEqual(lookup.draft(after: [6, 6, 6, 6], limit: 10), [6])
    }

    func testDraftLengthGrowsWhenKeptAndShrinksWhenRejected() {
        let lookup = PromptLookup(draftLength: 6)
        XCTAssertEqual(lookup.nextLength(after: 3, drafted: 3, kept: 3), 5)
        XCTAssertEqual(lookup.nextLength(after: 5, drafted: 5, kept: 5), 6, "at most draftLength")
        XCTAssertEqual(lookup.nextLength(after: 4, drafted: 4, kept: 1), 3)
        XCTAssertEqual(lookup.nextLength(after: 1, drafted: 1, kept: 0), 1, "at least one")
        XCTAssertEqual(lookup.nextLength(after: 4, drafted: 0, kept: 0), 4, "no draft, no change")
    }
}
