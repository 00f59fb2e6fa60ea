import Foundation
import FuzzSupport
import ModelFiles

/// GGUF parsing from bytes: any input must either parse or throw a `GGUFError`, never trap or read out of bounds.
/// A file that parses has every metadata value and tensor placed inside it, so reading them all must not fail.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let url = URL(fileURLWithPath: "/fuzz/input.gguf")
    let file: GGUFFile
    do {
        file = try GGUFFile(data: fuzzInput(bytes, count), url: url)
    } catch is GGUFError {
        return 0
    } catch {
        invariantFailed("GGUFFile threw \(type(of: error)), not GGUFError: \(error)")
    }
    guard file.metadataKeys.count == file.metadata.count, file.tensorNames.count == file.tensors.count else {
        invariantFailed("directory counts disagree")
    }
    for name in file.tensorNames {
        guard let info = file.tensors[name] else { invariantFailed("tensor \(name) listed but missing") }
        guard info.offset >= 0, file.dataOffset + info.offset + info.byteCount <= file.fileSize else {
            invariantFailed("tensor \(name) lies outside the file")
        }
        let data = file.bytes(for: info)  // touch both ends so AddressSanitizer checks the bounds
        if let first = data.first, let last = data.last { blackHole(first &+ last) }
    }
    // Every typed view of every value, as model loaders read them.
    for key in file.metadataKeys {
        guard let value = file.metadata[key] else { invariantFailed("key \(key) listed but missing") }
        blackHole(value.typeName, value.intValue, value.doubleValue, value.stringValue, value.boolValue)
        if let array = value.arrayValue {
            blackHole(array.count, array.elementTypeName, array.intValues, array.floatValues, array.stringValues)
        }
    }
    return 0
}
