import ArgumentParser
import Foundation
import Inference
import Kernels
import RAGKit
import Retrieval

/// `rag bench …` (hidden): timing loops the scripts/bench-* scripts drive, so process start-up and model loading
/// stay out of the measured numbers. Prints one JSON object.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Timing loops for scripts/bench-embed and scripts/bench-search.",
        shouldDisplay: false, subcommands: [BenchEmbedCommand.self, BenchSearchCommand.self, BenchMatrixMultiplyCommand.self,
                                         BenchMatrixVectorCommand.self, BenchLoadCommand.self])
}

/// Monotonic seconds.
func monotonicSeconds() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}

/// `rag bench embed --texts FILE`: passages/s over every line of FILE (one batch, best of `--repeat`), then the
/// median latency of embedding one query.
struct BenchEmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "embed", abstract: "Embedding throughput and latency.")

    @Option(help: "File with one passage per line.") var texts: String
    @Option(parsing: .unconditional, help: "Passage batches to time (best is reported).") var rounds = 3
    @Option(help: "The query whose latency is measured.") var query = "怎么让模型更听话"
    @Option(parsing: .unconditional, help: "Query embeddings to time (median is reported).") var queries = 30
    @Option(help: ArgumentHelp("The encoder's matrix products: int8 (default; AVX-512 VNNI or AVX2, else f32) or f32 (the reference GEMM).",
                               valueName: "int8|f32"))
    var kernels: MatrixKernels = .int8
    @OptionGroup var compute: ComputeOptions

    struct Report: Encodable {
        var engine: String
        var threads: Int
        var passages: Int
        var tokens: Int
        var passagesPerSecond: Double
        var tokensPerSecond: Double
        var queryMilliseconds: Double
    }

    func run() throws {
        let passages = try String(contentsOfFile: texts, encoding: .utf8).split(separator: "\n").map(String.init)
        let embedder = try E5Embedder(threads: compute.parallelism.threads, kernels: kernels)
        let encoder = embedder.encoder, parallelism = compute.parallelism
        let tokens = passages.reduce(0) { $0 + encoder.tokenCount($1, role: .passage) }
        var best = Double.infinity
        for _ in 0..<max(1, rounds) {
            let start = monotonicSeconds()
            _ = encoder.embed(passages, role: .passage, parallelism: parallelism)
            best = min(best, monotonicSeconds() - start)
        }
        var latencies: [Double] = []
        for _ in 0..<max(1, queries) {
            let start = monotonicSeconds()
            _ = encoder.embed([query], role: .query, parallelism: parallelism)
            latencies.append(monotonicSeconds() - start)
        }
        try printJSON(Report(engine: kernels == .int8 ? "rag" : "rag f32", threads: parallelism.threads, passages: passages.count, tokens: tokens,
                             passagesPerSecond: Double(passages.count) / best, tokensPerSecond: Double(tokens) / best,
                             queryMilliseconds: (latencies.median ?? 0) * 1000))
    }
}

/// `rag bench search --rows N`: median top-10 latency of cosine search over N random unit vectors (384
/// dimensions), as `rag search --mode dense` runs it: the 8-bit scan for the top 2k, ranked again by the f32
/// vectors (held in memory here, read from SQLite in the product), with its recall against the exact f32 top k;
/// or (`--scan f32`) the exact f32 scan alone.
struct BenchSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Top-k vector search latency and recall.")

    enum Scan: String, ExpressibleByArgument { case int8, f32 }

    @Option(parsing: .unconditional, help: "Stored vectors.") var rows: Int
    @Option(parsing: .unconditional, help: "Vector length.") var dimension = 384
    @Option(parsing: .unconditional, help: "Queries to time (median is reported).") var queries = 30
    @Option(name: .customShort("k"), parsing: .unconditional, help: "Neighbours per query.") var k = 10
    @Option(help: "int8 (the quantised scan rag search runs, then exact rescoring) or f32 (the exact scan).") var scan = Scan.int8
    @OptionGroup var compute: ComputeOptions

    struct Report: Encodable {
        var engine: String
        var threads: Int
        var rows: Int
        var k: Int
        var milliseconds: Double
        /// Share of the exact f32 top k found (1 for the f32 scan itself).
        var recall: Double
        /// Bytes the scan streams per query.
        var scannedBytes: Int
        enum CodingKeys: String, CodingKey { case engine, threads, rows, k, milliseconds, recall, scannedBytes = "scanned_bytes" }
    }

    func run() throws {
        var generator = SplitMix(seed: 7)
        func unitVector() -> [Float] {
            let v = (0..<dimension).map { _ in Float(generator.nextUnit() - 0.5) }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / norm }
        }
        var matrix = [Float]()
        matrix.reserveCapacity(rows * dimension)
        for _ in 0..<rows { matrix += unitVector() }
        let quantised = scan == .int8 ? QuantisedRows(rows: matrix, dimension: dimension) : nil
        var latencies: [Double] = [], found = 0, wanted = 0
        for _ in 0..<max(1, queries) {
            let query = unitVector()
            let start = monotonicSeconds()
            let hits: [NearestNeighbours.ScoredRow]
            if let quantised {
                let candidates = quantised.topK(query: query, k: k * Retriever.rescoringFactor, parallelism: compute.parallelism)
                hits = matrix.withUnsafeBufferPointer { all in
                    NearestNeighbours.rescored(candidates, k: k) { VectorMath.dot(query, all.baseAddress! + $0 * dimension, count: dimension) }
                }
            } else {
                hits = NearestNeighbours.topK(query: query, matrix: matrix, dimension: dimension, k: k, parallelism: compute.parallelism)
            }
            latencies.append(monotonicSeconds() - start)
            let exact = quantised == nil ? hits : NearestNeighbours.topK(query: query, matrix: matrix, dimension: dimension, k: k,
                                                                         parallelism: compute.parallelism)
            found += Set(hits.map(\.row)).intersection(exact.map(\.row)).count
            wanted += exact.count
        }
        try printJSON(Report(engine: "rag-\(scan.rawValue)", threads: compute.parallelism.threads, rows: rows, k: k,
                             milliseconds: (latencies.median ?? 0) * 1000, recall: Double(found) / Double(max(1, wanted)),
                             scannedBytes: rows * (scan == .int8 ? dimension + 4 : dimension * 4)))
    }
}

/// A tiny deterministic generator for synthetic benchmark data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// `rag bench gemm`: GFLOP/s of `Int8MatrixMultiply` or `MatrixMultiply` on random weights of one type (Q4_0, e5's,
/// by default; the decoder's types to see what prefill costs), shaped like e5's FFN unless told (best of `--rounds`).
struct BenchMatrixMultiplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gemm", abstract: "Matrix multiply GFLOP/s.")

    @Option(parsing: .unconditional, help: "Token rows.") var tokens = 512
    @Option(parsing: .unconditional, help: "Weight rows (outputs).") var outputs = 1536
    @Option(parsing: .unconditional, help: "Weight columns (inputs), a multiple of 32.") var inputs = 384
    @Option(parsing: .unconditional, help: "Multiplies to time (best is reported).") var rounds = 5
    @Option(help: "Weight type: q4_0, q5_0, q8_0, q4_k or q6_k (inputs a multiple of 256 for the K-quants).") var type = "q4_0"
    @Option(help: ArgumentHelp("int8 (Int8MatrixMultiply, what prefill and the encoder run; quantising the activations included) or f32 (MatrixMultiply, the reference).",
                               valueName: "int8|f32"))
    var kernels: MatrixKernels = .int8
    @OptionGroup var compute: ComputeOptions

    func run() throws {
        let choices: [TensorType] = [.q4_0, .q5_0, .q8_0, .q4_K, .q6_K]
        guard let type = choices.first(where: { $0.description.lowercased() == self.type.lowercased() }) else {
            throw ValidationError("--type must be one of " + choices.map { $0.description.lowercased() }.joined(separator: ", "))
        }
        guard inputs % type.weightsPerBlock == 0 else { throw ValidationError("--inputs must be a multiple of \(type.weightsPerBlock) for \(type)") }
        if kernels == .int8, !Int8MatrixMultiply.isAvailable {
            throw ValidationError("this build has no int8 GEMM (it needs AVX-512 VNNI or AVX2): use --kernels f32")
        }
        var generator = SplitMix(seed: 3)
        let weights = BenchMatrixVectorCommand.randomBlocks(type, rows: outputs, columns: inputs, generator: &generator)
        let x = (0..<(tokens * inputs)).map { _ in Float(generator.nextUnit() - 0.5) }
        var y = [Float](repeating: 0, count: tokens * outputs)
        var best = Double.infinity
        weights.withUnsafeBytes { raw in
            let w = WeightMatrix(type: type, rows: outputs, columns: inputs, base: raw.baseAddress!)!
            for _ in 0..<max(1, rounds) {
                let start = monotonicSeconds()
                switch kernels {
                case .int8:
                    Int8MatrixMultiply.multiply(x, rows: tokens, weights: w, bias: nil, into: &y, parallelism: compute.parallelism)
                case .f32:
                    MatrixMultiply.multiply(x, rows: tokens, weights: w, bias: nil, into: &y, parallelism: compute.parallelism)
                }
                best = min(best, monotonicSeconds() - start)
            }
        }
        let flops = 2.0 * Double(tokens) * Double(outputs) * Double(inputs)
        print("{\"type\": \"\(type)\", \"kernels\": \"\(kernels)\", " + String(format: "\"threads\": %d, \"tokens\": %d, \"outputs\": %d, \"inputs\": %d, \"gflops\": %.1f}",
                     compute.parallelism.threads, tokens, outputs, inputs, flops / best / 1e9))
    }
}

/// `rag bench matvec`: decode's matrix-vector step for each quantised type of the Qwen file, through the
/// Swift kernels and the C int8 kernels (`CKernels`), on random weights of Qwen2.5-0.5B's FFN shape. Each
/// timed call includes quantising the activation, as in decode. Reports weight GB/s (hot cache, best of
/// `--rounds`) per type and path: the measurement behind keeping the C target.
struct BenchMatrixVectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "matvec", abstract: "Matrix-vector GB/s per weight type, Swift vs C.")

    @Option(parsing: .unconditional, help: "Calls to time per type and path (best is reported).") var rounds = 50
    @Option(parsing: .unconditional,
            help: "Activation vectors per call, each multiplied as in its own decode step (prompt-lookup's verification pass).")
    var vectors = 1
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if vectors < 1 { throw ValidationError("--vectors must be at least 1") }
    }

    struct Row: Encodable {
        var type: String; var rows: Int; var columns: Int; var vectors: Int; var path: String
        /// Weight bytes over the call's time (each weight is read once for all the vectors).
        var gigabytesPerSecond: Double
        var microseconds: Double
    }

    func run() throws {
        var generator = SplitMix(seed: 5)
        var report: [Row] = []
        // Q5_0/Q8_0 as the gate/up and output projections (4864 rows of 896), K-quants as the down projection.
        for (type, rows, columns) in [(TensorType.q5_0, 4864, 896), (.q8_0, 4864, 896), (.q4_K, 896, 4864), (.q6_K, 896, 4864)] {
            let weights = Self.randomBlocks(type, rows: rows, columns: columns, generator: &generator)
            let x = (0..<(columns * vectors)).map { _ in Float(generator.nextUnit() * 4 - 2) }
            var y = [Float](repeating: 0, count: rows * vectors)
            let paths: [MatrixVector.Int8Path] = MatrixVector.hasNativeInt8 ? [.swift, .native] : [.swift]
            weights.withUnsafeBytes { raw in
                let w = WeightMatrix(type: type, rows: rows, columns: columns, base: raw.baseAddress!)!
                for path in paths {
                    var best = Double.infinity
                    for _ in 0..<max(1, rounds) {
                        let start = monotonicSeconds()
                        x.withUnsafeBufferPointer { x in
                            if type == .q4_K || type == .q6_K {
                                MatrixVector.multiply(w, Q8KActivation(x.baseAddress!, count: columns, vectors: vectors),
                                                      bias: nil, into: &y,
                                                      parallelism: compute.parallelism, path: path)
                            } else {
                                MatrixVector.multiply(w, Q8Activation(x.baseAddress!, count: columns, vectors: vectors),
                                                      bias: nil, into: &y,
                                                      parallelism: compute.parallelism, path: path)
                            }
                        }
                        best = min(best, monotonicSeconds() - start)
                    }
                    report.append(Row(type: type.description, rows: rows, columns: columns, vectors: vectors,
                                      path: path == .native ? "c" : "swift",
                                      gigabytesPerSecond: Double(weights.count) / best / 1e9, microseconds: best * 1e6))
                }
            }
        }
        try printJSON(report)
    }

    /// Random blocks with small finite f16 scales where the format keeps them.
    static func randomBlocks(_ type: TensorType, rows: Int, columns: Int, generator: inout SplitMix) -> [UInt8] {
        let blocks = rows * columns / type.weightsPerBlock
        var bytes = (0..<(blocks * type.bytesPerBlock)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let scaleOffsets: [Int] = switch type {
        case .q4_K: [0, 2]
        case .q6_K: [208]
        default: [0]
        }
        for b in 0..<blocks {
            for offset in scaleOffsets {
                let bits = Float16(Float(generator.nextUnit()) * 0.02).bitPattern
                bytes[b * type.bytesPerBlock + offset] = UInt8(bits & 0xFF)
                bytes[b * type.bytesPerBlock + offset + 1] = UInt8(bits >> 8)
            }
        }
        return bytes
    }
}
