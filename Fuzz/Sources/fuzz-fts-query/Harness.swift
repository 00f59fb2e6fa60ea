import Foundation
import FuzzSupport
import Store

/// One small index per fuzzing process, in the real schema (made by the store's own migrations).
let store: PassageStore = {
    let path = NSTemporaryDirectory() + "rag-fuzz-fts-\(getpid()).sqlite"
    try? PassageStore.remove(at: path)
    do {
        let store = try PassageStore.open(at: path, create: true)
        let text = "预训练是训练大语言模型的第一个阶段。Attention is all you need; BM25 ranks \"quoted\" terms."
        let document = NewDocument(path: "seed.txt", absolutePath: "/fuzz/seed.txt", sha256: String(repeating: "0", count: 64),
                                   size: Int64(text.utf8.count), mtime: 0, title: "seed", format: "txt",
                                   encoding: "utf-8", chunking: "characters size=400 overlap=60")
        _ = try store.replaceDocument(document, chunks: [
            NewChunk(text: text, start: 0, end: text.unicodeScalars.count, headingPath: [], tokenCount: 60),
        ])
        atexit { try? PassageStore.remove(at: NSTemporaryDirectory() + "rag-fuzz-fts-\(getpid()).sqlite") }
        return store
    } catch {
        invariantFailed("cannot create the fuzzing index at \(path): \(error)")
    }
}()

/// The FTS query builder, end to end: whatever a user types (any bytes, as UTF-8 with repairs), the MATCH expression
/// `FullTextTerms` builds must run in SQLite FTS5 without an error: no input may be read as FTS5 syntax.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let query = String(decoding: fuzzInput(bytes, count), as: UTF8.self)
    do {
        blackHole(try store.lexicalSearch(query, limit: 3))
    } catch {
        invariantFailed("lexical search for \(query.debugDescription) failed: \(error)")
    }
    return 0
}
