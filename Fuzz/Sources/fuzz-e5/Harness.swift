import Foundation
import FuzzSupport
import ModelFiles
import Tokenization

/// `E5S1` parsing from bytes: any input must either parse or throw an `E5ModelFileError`, never trap or read out of
/// bounds. A file that parses binds tensors or refuses them with an error, and its tokenizer (built at once when the
/// encoder loads) tokenises text.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let file: E5ModelFile
    do {
        file = try E5ModelFile(data: fuzzInput(bytes, count), url: URL(fileURLWithPath: "/fuzz/input.bin"))
    } catch is E5ModelFileError {
        return 0
    } catch {
        invariantFailed("E5ModelFile threw \(type(of: error)), not E5ModelFileError: \(error)")
    }
    let h = file.hyperparameters
    for name in file.tensorNames {
        // Binding with the header's sizes either succeeds (then the view lies inside the file) or throws.
        if let vector = try? file.vector(name, count: h.hiddenSize), let first = vector.first, let last = vector.last {
            blackHole(first + last)
        }
        blackHole(try? file.matrix(name, rows: h.hiddenSize, columns: h.hiddenSize))
    }
    let tokenizer = UnigramTokenizer(model: file)
    blackHole(tokenizer.encode("passage: 预训练 is pre-training, ｔｅｓｔ\u{200B}!"))
    return 0
}
