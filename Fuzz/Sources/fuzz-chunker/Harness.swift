import Foundation
import FuzzSupport
import Retrieval

/// The chunker's invariants on any document. Input: byte 0 picks the size (16…143 characters), byte 1 the overlap
/// (below the size), the rest is UTF-8 text; blank-line-separated parts that start with `#` become headings.
/// Every passage must be non-empty, exactly its text's span of the document, within the budget (with a character
/// counter every unit is one scalar, so there is no unsplittable unit larger than 16), in document order, and all
/// passages together must cover every non-whitespace character: chunking loses nothing.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = fuzzInput(bytes, count)
    guard data.count >= 2 else { return 0 }
    let size = 16 + Int(data[data.startIndex] & 0x7F)
    let overlap = Int(data[data.startIndex + 1]) % size
    let source = String(decoding: data.dropFirst(2), as: UTF8.self)
    let blocks: [CleanDocument.Block] = source.components(separatedBy: "\n\n").map { part in
        let hashes = part.prefix(while: { $0 == "#" }).count
        return hashes > 0 ? .heading(level: min(hashes, 6), text: String(part.dropFirst(hashes))) : .paragraph(part)
    }
    let document = CleanDocument(blocks: blocks, title: nil, fallbackTitle: "fuzz")
    let counter = CharacterCounter()
    guard let parameters = try? ChunkingParameters(size: size, overlap: overlap) else {
        invariantFailed("parameters size=\(size) overlap=\(overlap) refused")
    }
    let chunks = Chunker(parameters: parameters, counter: counter).chunks(of: document)

    let text = Array(document.text.unicodeScalars)
    var covered = [Bool](repeating: false, count: text.count)
    var previous: (start: Int, end: Int)? = nil
    for (i, chunk) in chunks.enumerated() {
        let context = "passage \(i) [\(chunk.start), \(chunk.end)) of \(text.count) scalars, size \(size) overlap \(overlap)"
        guard 0 <= chunk.start, chunk.start < chunk.end, chunk.end <= text.count else { invariantFailed("\(context): bad range") }
        guard String(String.UnicodeScalarView(text[chunk.start..<chunk.end])) == chunk.text else {
            invariantFailed("\(context): text is not the document's span")
        }
        guard !chunk.text.unicodeScalars.allSatisfy(\.properties.isWhitespace) else { invariantFailed("\(context): blank") }
        guard chunk.tokenCount == counter.tokenCount(chunk.text) else { invariantFailed("\(context): wrong token count") }
        guard chunk.tokenCount <= size else { invariantFailed("\(context): \(chunk.tokenCount) characters over the budget") }
        if let previous, !(chunk.start > previous.start && chunk.end >= previous.end) {
            invariantFailed("\(context): not after passage [\(previous.start), \(previous.end))")
        }
        previous = (chunk.start, chunk.end)
        for j in chunk.start..<chunk.end { covered[j] = true }
    }
    if let lost = text.indices.first(where: { !covered[$0] && !text[$0].properties.isWhitespace }) {
        invariantFailed("character U+\(String(text[lost].value, radix: 16)) at \(lost) is in no passage (size \(size) overlap \(overlap))")
    }
    return 0
}
