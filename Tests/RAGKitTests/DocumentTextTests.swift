import Foundation
import ModelFiles
@testable import RAGKit
import Retrieval
@testable import Store
import XCTest

/// `DocumentText` puts a document back together from its passages; it must give back exactly the cleaned
/// text the loader made (the offsets of search hits point into that text), for every format and for
/// chunkings that leave many gaps between passages.
final class DocumentTextTests: XCTestCase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func sources() throws -> [URL] {
        let corpus = try FileManager.default.contentsOfDirectory(at: Self.repositoryRoot.appendingPathComponent("Corpus"), includingPropertiesForKeys: nil)
        let fixtures = ["fine-tuning.docx", "handbook.epub", "pretraining-zh.pdf", "training-two-column.pdf"].map {
            Self.repositoryRoot.appendingPathComponent("Tests/Fixtures/documents").appendingPathComponent($0)
        }
        return corpus.filter { DocumentFormat(fileExtension: $0.pathExtension) != nil }.sorted { $0.path < $1.path } + fixtures
    }

    func testThePassagesOfEveryDocumentGiveBackItsCleanedText() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: ModelDirectory.default.url(for: .encoder).path), "the encoder is not fetched")
        let (counter, unit) = ModelWiring.tokenCounter(for: try ModelWiring.embedder(threads: 2))
        let files = try sources()
        XCTAssertEqual(files.count, 18)
        // The default chunking, one without overlap (a gap at every boundary) and one small enough to cut sentences.
        for (size, overlap) in [(400, 60), (120, 0), (24, 0)] {
            let chunker = Chunker(parameters: try ChunkingParameters(size: size, overlap: overlap, unit: unit), counter: counter)
            var gaps = 0
            for file in files {
                let loaded = try DocumentLoader.load(Data(contentsOf: file), format: XCTUnwrap(DocumentFormat(fileExtension: file.pathExtension)),
                                                     fileName: file.lastPathComponent)
                let chunks = chunker.chunks(of: loaded.document)
                let stored = chunks.enumerated().map { ordinal, chunk in
                    StoredChunk(id: Int64(ordinal + 1), documentPath: file.path, documentTitle: loaded.document.title, ordinal: ordinal,
                                text: chunk.text, start: chunk.start, end: chunk.end, headingPath: chunk.headingPath, pages: chunk.pages)
                }
                gaps += zip(chunks, chunks.dropFirst()).filter { $0.end < $1.start }.count
                let document = StoredDocument(id: 1, path: file.path, absolutePath: file.path, sha256: "", size: 0, mtime: 0,
                                              title: loaded.document.title, chunking: "", encoderModel: nil, hasSentenceVectors: true,
                                              chunkCount: chunks.count, ingestedAt: 0)
                let text = DocumentText(document: document, chunks: stored.shuffled())
                XCTAssertTrue(text.text == loaded.document.text,
                              "\(file.lastPathComponent), size \(size) overlap \(overlap): \(Self.firstDifference(text.text, loaded.document.text))")
                XCTAssertEqual(text.length, loaded.document.text.unicodeScalars.count)
                for chunk in chunks {
                    XCTAssertEqual(try text.range(start: chunk.start, end: chunk.end).text, chunk.text)
                }
            }
            XCTAssertGreaterThan(gaps, overlap == 0 ? 50 : 0, "size \(size) overlap \(overlap) leaves gaps between passages")
        }
    }

    /// Where two texts part, in Unicode scalars, with a little of each around it.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        let at = (0..<min(x.count, y.count)).first { x[$0] != y[$0] } ?? min(x.count, y.count)
        func around(_ s: [Unicode.Scalar]) -> String {
            String(String.UnicodeScalarView(s[max(0, at - 12)..<min(s.count, at + 12)])).debugDescription
        }
        return "scalar \(at): \(around(x)) vs \(around(y)) (lengths \(x.count), \(y.count))"
    }

    func testRangesOutsideTheTextAreOneLineErrors() throws {
        let document = StoredDocument(id: 7, path: "a.md", absolutePath: "/a.md", sha256: "", size: 0, mtime: 0, title: "a", chunking: "",
                                      encoderModel: nil, hasSentenceVectors: true, chunkCount: 2, ingestedAt: 0)
        let chunks = [StoredChunk(id: 1, documentPath: "a.md", documentTitle: "a", ordinal: 0, text: "预训练。", start: 0, end: 4, headingPath: []),
                      StoredChunk(id: 2, documentPath: "a.md", documentTitle: "a", ordinal: 1, text: "Fine.", start: 6, end: 11, headingPath: [])]
        let text = DocumentText(document: document, chunks: chunks)
        XCTAssertEqual(text.text, "预训练。\n\nFine.")
        XCTAssertEqual(try text.range(start: 2, end: 8).text, "练。\n\nFi")
        XCTAssertEqual(try text.range(start: 6, end: 500).range, 6..<11, "an end past the text is the end")
        XCTAssertEqual(try text.range(start: 11, end: nil).text, "")
        XCTAssertThrowsError(try text.range(start: 12, end: nil)) {
            XCTAssertEqual("\($0)", "start 12 is past the end of the document (11 characters)")
        }
        XCTAssertThrowsError(try text.range(start: 5, end: 3)) { XCTAssertEqual("\($0)", "end 3 is before start 5") }
        XCTAssertThrowsError(try text.range(start: -1, end: nil)) { XCTAssertEqual($0 as? DocumentRangeError, .negativeStart(-1)) }
    }
}
