// swift-tools-version:6.1
import PackageDescription

// libFuzzer harnesses for rag's readers of untrusted input, kept out of the root package so its `swift build` and
// `swift test` are untouched. Build and run them with scripts/fuzz: it passes `--sanitize=fuzzer` (SwiftPM then lets
// libFuzzer supply `main`) plus `-Xswiftc -sanitize=fuzzer,address`, which instruments every Swift module, the
// library code under test included, for coverage and AddressSanitizer.
//
// Each harness is one executable target exporting `LLVMFuzzerTestOneInput`; its seed corpus is Corpus/<name>/.

/// One harness: `fuzz-<name>` built from Sources/fuzz-<name>, importing the given root-package products.
func harness(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: "fuzz-\(name)",
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: "rag") },
        swiftSettings: [.swiftLanguageMode(.v5)])
}

let package = Package(
    name: "RagFuzz",
    dependencies: [.package(name: "rag", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "Retrieval", package: "rag")], swiftSettings: [.swiftLanguageMode(.v5)]),
        harness("gguf", ["ModelFiles"]),
        harness("e5", ["ModelFiles", "Tokenization"]),
        harness("text-decoding", ["Retrieval"]),
        harness("html", ["Retrieval"]),
        harness("markdown", ["Retrieval"]),
        harness("fts-query", ["Store"]),
        harness("chunker", ["Retrieval"]),
        harness("pdf", ["Retrieval"]),
        harness("docx", ["Retrieval"]),
        harness("epub", ["Retrieval"]),
    ]
)
