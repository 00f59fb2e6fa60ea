import ArgumentParser
import Retrieval

extension CrossLanguageSearch: ExpressibleByArgument {}

/// `--cross-language`, shared by `rag search`, `rag ask`, `rag chat` and `rag eval`.
struct CrossLanguageOptions: ParsableArguments {
    @Option(name: .customLong("cross-language"), help: ArgumentHelp("How an English query searches a mostly Chinese index: translate (the decoder translates it into Chinese, about 0.3 s, and that searches) or off (as written).", valueName: "way"))
    var crossLanguage = CrossLanguageSearch.default
}
