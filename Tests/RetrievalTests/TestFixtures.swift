import Foundation
import Glibc
@testable import Retrieval

/// A temporary folder per test, removed afterwards.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("rag-retrieval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL { try write(name, Data(text.utf8)) }

    @discardableResult
    func write(_ name: String, _ data: Data) throws -> URL {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
        return file
    }

    var indexPath: String { url.appendingPathComponent("index.sqlite").path }
}

/// Encodes UTF-8 text as GB18030 with glibc's iconv, the way a Chinese editor would save it.
func gb18030(_ text: String) -> Data {
    let converter = iconv_open("GB18030", "UTF-8")
    precondition(converter != iconv_t(bitPattern: -1), "glibc has no GB18030 converter")
    defer { iconv_close(converter) }
    var input = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
    let written: Int = input.withUnsafeMutableBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer in
            var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var inLeft = inBuffer.count, outLeft = outBuffer.count
            precondition(iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1, "iconv failed")
            return outBuffer.count - outLeft
        }
    }
    return Data(output[..<written])
}

/// A deterministic test-only embedder: counts of hashed character bigrams (and characters) in 64
/// buckets, L2-normalised. Texts sharing characters get similar vectors; it stands in for the real
/// encoder in tests only.
final class HashedBigramEmbedder: TextEmbedder {
    let modelID: String
    let dimension = 64
    var passagesEmbedded = 0
    var calls = 0
    /// Throws on every call after this many (ingest embeds one document per call; for interruption tests).
    var failAfterCalls = Int.max

    struct Failure: Error {}

    init(modelID: String = "test-hashed-bigrams") { self.modelID = modelID }

    func embedPassages(_ texts: [String]) throws -> [[Float]] {
        if calls >= failAfterCalls { throw Failure() }
        calls += 1
        passagesEmbedded += texts.count
        return texts.map(vector)
    }

    func embedQuery(_ text: String) throws -> [Float] { vector(text) }

    func vector(_ text: String) -> [Float] {
        var v = [Float](repeating: 0, count: dimension)
        let scalars = Array(text.unicodeScalars).filter { !$0.properties.isWhitespace }
        for (i, s) in scalars.enumerated() {
            v[Int(s.value % 61)] += 0.5
            if i + 1 < scalars.count { v[Int((s.value &* 31 &+ scalars[i + 1].value) % UInt32(dimension))] += 1 }
        }
        let norm = (v.reduce(0) { $0 + $1 * $1 }).squareRoot()
        return norm > 0 ? v.map { $0 / norm } : v
    }
}
