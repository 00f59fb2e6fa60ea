import ArgumentParser
import ModelFiles
import RAGKit

/// Which GGUF decoder model a command uses: --model NAME or PATH, else the verified default Qwen file.
struct DecoderModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The decoder: qwen-0.5b (default; fast), qwen-1.5b (better answers, about 3x slower; scripts/fetch-models decoder-large), or a GGUF file.",
        valueName: "name|path"))
    var model: String?

    /// Opens the model file. The default model must be present and pass its checksum.
    func open() throws -> GGUFFile { try ModelWiring.decoderFile(model) }
}
