import Foundation
import FuzzSupport
import Retrieval

/// Encoding detection and decoding (UTF-8 with or without BOM, UTF-16 with BOM, GB18030 through iconv), then the
/// plain-text loader: any bytes either decode or are refused as `UndecodableText`; decoded text is never blank and
/// has no control characters but tab, line breaks and form feed.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = fuzzInput(bytes, count)
    let text: String
    do {
        text = try TextDecoding.decode(data).text
    } catch is UndecodableText {
        return 0
    } catch {
        invariantFailed("TextDecoding threw \(type(of: error)), not UndecodableText: \(error)")
    }
    if text.unicodeScalars.allSatisfy(\.properties.isWhitespace) { invariantFailed("decoded text is blank") }
    if let bad = text.unicodeScalars.first(where: { $0.value < 0x20 && !"\t\n\r\u{0C}".unicodeScalars.contains($0) }) {
        invariantFailed("decoded text keeps control character U+\(String(bad.value, radix: 16))")
    }
    checkedLoad(data, format: .text)
    return 0
}
