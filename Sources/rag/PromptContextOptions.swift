import ArgumentParser
import Retrieval

extension PromptContext: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public var defaultValueDescription: String { name }
}

/// `--context`: what of each retrieved passage the generator reads (`rag ask`, `chat` and `eval`).
struct PromptContextOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "What the generator reads of each passage: 'passages' (each from its start, as much as fits) or 'focused:B,N' (its B sentences closest to the question with N neighbours either side, in document order, under their headings; 'focused' is \(PromptContext.focusedDefault.name)). The default measured best on the eval set (BENCHMARKS.md).",
        valueName: "context"))
    var context: PromptContext = .default
}
