import ArgumentParser
import RAGKit
import Retrieval

/// What `rag ask` and `rag chat` share: how a question is answered, from which documents, by which model.
struct AskOptions: ParsableArguments {
    @Option(help: "retrieve (passages and quoted sentences), generate (the decoder's cited answer) or compare (both).")
    var mode: AnswerMode = .compare

    @Option(name: .customShort("k"), parsing: .unconditional, help: "Passages to retrieve and give the generator.")
    var k = AskSettings.defaultK

    @OptionGroup var crossLanguage: CrossLanguageOptions
    @OptionGroup var documents: DocumentFilterOptions
    @OptionGroup var promptContext: PromptContextOptions
    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var decoderModel: DecoderModelOptions
    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if k < 1 { throw ValidationError("-k must be at least 1") }
    }

    /// The settings of every question asked with these options.
    var settings: AskSettings {
        var settings = AskSettings()
        settings.mode = mode
        settings.k = k
        settings.filter = documents.filter
        settings.generation = sampling.settings
        settings.context = promptContext.context
        return settings
    }

    func openSession() throws -> RAGSession {
        try RAGSession(indexPath: indexOptions.path, parallelism: compute.parallelism, decoderModel: decoderModel.model,
                       crossLanguage: crossLanguage.crossLanguage)
    }
}
