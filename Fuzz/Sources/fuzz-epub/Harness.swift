import FuzzSupport
import Retrieval

/// The EPUB loader (ZIP container, package document, chapters as HTML) through `DocumentLoader.load`, as ingest calls it: any bytes give a document or a one-line
/// `UnreadableFile` reason, never a trap, and headings point inside the text in order.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    checkedLoad(fuzzInput(bytes, count), format: .epub)
    return 0
}
