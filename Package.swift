// swift-tools-version:6.1
import PackageDescription

// Layering (each arrow is "may import"):
//   CKernels ← Kernels ← ModelFiles ← Tokenization ← Inference        (the engine: no SQLite, no CLI)
//   Checksum ← Store ← Retrieval                           (documents, chunks, vectors, search)
//   CPoppler, CTesseract, CInflate ← Retrieval            (PDF text and OCR; the docx and EPUB containers)
//   RAGKit ← Inference, Retrieval, Store                   (the pipeline every front-end shares: model wiring,
//                                                           adapters, wire formats)
//   RAGServer ← RAGKit, plus Hummingbird                   (`rag serve`: the HTTP API and the web page)
//   RAGMCP ← RAGKit, plus the MCP Swift SDK               (`rag mcp`: the index as a Model Context Protocol server)
//   rag ← RAGKit, RAGServer, RAGMCP, plus ArgumentParser   (thin command line)
// Retrieval talks to the engine only through its own protocols; RAGKit wires the two together.

/// SIMD code is 50–250x slower without a target CPU (swiftc defaults to baseline x86-64): see shared PERF.md.
let nativeCPU: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "native"]),
    .swiftLanguageMode(.v5),
]
/// Kernels additionally drop overflow checks in release builds; every bound they rely on is checked by callers.
let kernelSettings: [SwiftSetting] = nativeCPU + [
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "rag",
    products: [
        .executable(name: "rag", targets: ["rag"]),
        // For the libFuzzer harnesses in Fuzz/, a separate package that imports these by path.
        .library(name: "ModelFiles", targets: ["ModelFiles"]),
        .library(name: "Tokenization", targets: ["Tokenization"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "Retrieval", targets: ["Retrieval"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),  // the SDK's logger, pointed at stderr
    ],
    targets: [
        .target(name: "Checksum", swiftSettings: nativeCPU),
        // Int8 dot products in C: the one instruction family Swift cannot emit (PERF.md §4). BENCHMARKS.md, Decoder.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-march=native", "-O3"])]),
        .target(name: "Kernels", dependencies: ["CKernels"], swiftSettings: kernelSettings),
        .target(name: "ModelFiles", dependencies: ["Kernels", "Checksum"], swiftSettings: nativeCPU),
        .target(name: "Tokenization", dependencies: ["ModelFiles"], swiftSettings: nativeCPU),
        .target(name: "Inference", dependencies: ["Kernels", "ModelFiles", "Tokenization"], swiftSettings: kernelSettings),
        .target(name: "Store", dependencies: ["Checksum", "Kernels", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: nativeCPU),
        // PDF text through Debian's poppler (its GLib API); scripts/setup installs the -dev package.
        .systemLibrary(name: "CPoppler", pkgConfig: "poppler-glib", providers: [.apt(["libpoppler-glib-dev"])]),
        // OCR of image-only PDF pages (`rag ingest --ocr`); its language data comes from tesseract-ocr-chi-sim/-eng.
        .systemLibrary(name: "CTesseract", pkgConfig: "tesseract", providers: [.apt(["libtesseract-dev"])]),
        // Raw inflate for the docx and EPUB containers (our own ZIP reader: ZipContainer.swift says why).
        .systemLibrary(name: "CInflate", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "Retrieval", dependencies: ["Store", "Checksum", "Kernels", "CPoppler", "CTesseract", "CInflate"], swiftSettings: nativeCPU),
        .target(name: "RAGKit", dependencies: ["Kernels", "ModelFiles", "Tokenization", "Inference", "Store", "Retrieval"],
                swiftSettings: nativeCPU),
        .target(name: "RAGServer", dependencies: ["RAGKit", "Retrieval", "Store", "ModelFiles", "Inference", .product(name: "Hummingbird", package: "hummingbird")],
                resources: [.embedInCode("Web/index.html"), .embedInCode("Web/openapi.json")], swiftSettings: nativeCPU),
        .target(name: "RAGMCP", dependencies: ["RAGKit", "Kernels", "Retrieval", "Store", .product(name: "MCP", package: "swift-sdk"),
                                            .product(name: "Logging", package: "swift-log")],
                swiftSettings: nativeCPU),
        .executableTarget(
            name: "rag",
            dependencies: [
                "RAGKit", "RAGServer", "RAGMCP", "Checksum", "Kernels", "ModelFiles", "Tokenization", "Inference", "Store", "Retrieval",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: nativeCPU),

        .testTarget(name: "ChecksumTests", dependencies: ["Checksum"], swiftSettings: nativeCPU),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels"], swiftSettings: nativeCPU),
        .testTarget(name: "ModelFilesTests", dependencies: ["ModelFiles", "Kernels"], swiftSettings: nativeCPU),
        .testTarget(name: "TokenizationTests", dependencies: ["Tokenization", "ModelFiles"], swiftSettings: nativeCPU),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "Tokenization", "ModelFiles", "Kernels"], swiftSettings: nativeCPU),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Checksum"], swiftSettings: nativeCPU),
        .testTarget(name: "RetrievalTests", dependencies: ["Retrieval", "Store", "ZIPFoundation"], swiftSettings: nativeCPU),
        .testTarget(name: "RAGKitTests", dependencies: ["RAGKit", "Retrieval", "Store"], swiftSettings: nativeCPU),
        .testTarget(name: "RAGServerTests", dependencies: ["RAGServer", "RAGKit", "Retrieval", "Store",
                                                           .product(name: "HummingbirdTesting", package: "hummingbird")],
                    swiftSettings: nativeCPU),
        .testTarget(name: "RAGMCPTests", dependencies: ["RAGMCP", "RAGKit", "Kernels", "Retrieval", "Store", "ModelFiles", .product(name: "MCP", package: "swift-sdk")],
                    swiftSettings: nativeCPU),
        .testTarget(name: "RAGCommandTests", dependencies: ["rag", "RAGKit", "Retrieval", "Store", "Kernels"], swiftSettings: nativeCPU),
    ]
)
