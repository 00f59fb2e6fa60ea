import ArgumentParser
import Foundation
import ModelFiles

/// Which GGUF decoder model a command uses: --model PATH, else the verified default Qwen file.
struct DecoderModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A GGUF model file (default: the downloaded Qwen2.5 model).", valueName: "path"))
    var model: String?

    /// Opens the model file. The default model must be present and pass its checksum.
    func open() throws -> GGUFFile {
        let url = try model.map { URL(fileURLWithPath: $0) } ?? ModelDirectory.default.verifiedURL(for: .decoder)
        return try GGUFFile(url: url)
    }
}
