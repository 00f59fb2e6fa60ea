import FuzzSupport
import Retrieval

/// The docx loader (ZIP container, WordprocessingML) through `DocumentLoader.load`, as ingest calls it: any bytes give a document or a one-line
/// `UnreadableFile` reason, never a trap, and headings point inside the text in order.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    checkedLoad(fuzzInput(bytes, count), format: .docx)
    return 0
}
