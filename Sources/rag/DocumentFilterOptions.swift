import ArgumentParser
import Retrieval

/// `--in GLOB` / `--not-in GLOB` on search and ask: which documents the passages may come from.
struct DocumentFilterOptions: ParsableArguments {
    @Option(name: .customLong("in"), help: ArgumentHelp(
        "Only passages of documents whose path (as rag list shows it) matches this glob; repeatable. `*` also crosses folders ('*.pdf'), a pattern without / may match the file name alone, one ending in / is a whole folder ('manuals/').",
        valueName: "glob"))
    var included: [String] = []

    @Option(name: .customLong("not-in"), help: ArgumentHelp("Leave out documents whose path matches this glob; repeatable.", valueName: "glob"))
    var excluded: [String] = []

    var filter: DocumentFilter { DocumentFilter(included: included, excluded: excluded) }
}
