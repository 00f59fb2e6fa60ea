import ArgumentParser
import ModelFiles
import RAGKit

/// Which GGUF decoder model a command uses: --model PATH, else the verified default Qwen file.
struct DecoderModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A GGUF model file (default: the downloaded Qwen2.5 model).", valueName: "path"))
    var model: String?

    /// Opens the model file. The default model must be present and pass its checksum.
    func open() throws -> GGUFFile { try ModelWiring.decoderFile(path: model) }
}
