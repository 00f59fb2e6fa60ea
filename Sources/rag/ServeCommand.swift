import ArgumentParser
import Foundation
import Hummingbird
import Logging
import RAGKit
import RAGServer

/// `rag serve`: the index behind an HTTP API and a web page.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Answer questions over HTTP: a web page at /, rag's JSON API and OpenAI-compatible routes under /v1.",
        discussion: """
            Listens on 127.0.0.1 (this machine only) unless --host says otherwise; any other address needs \
            --api-key (or RAG_API_KEY), which clients send as `Authorization: Bearer KEY`, or an explicit --no-auth. \
            Routes: GET /, /health, /openapi.json, /v1/documents, /v1/models; POST /v1/search, /v1/ask, \
            /v1/documents (multipart upload), /v1/chat/completions, /v1/embeddings; DELETE /v1/documents/ID. \
            README.md has curl examples.
            """)

    @Option(help: "Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface).")
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: "Port to listen on (0: any free port, printed at start).")
    var port = 8080

    @Option(name: .customLong("api-key"), help: ArgumentHelp("Key clients must send as a Bearer token (default: $RAG_API_KEY).", valueName: "key"))
    var apiKey: String?

    @Flag(name: .customLong("no-auth"), help: "Serve a non-loopback address without a key (anyone who can reach it reads the documents).")
    var noAuth = false

    @Option(name: .customLong("cors-origin"), help: ArgumentHelp("Let scripts of this origin call the API (CORS); none by default.", valueName: "origin"))
    var corsOrigin: String?

    @Option(help: ArgumentHelp("Folder uploaded files are saved in (default: uploads/ beside the index).", valueName: "path"))
    var uploads: String?

    @Option(name: .customLong("queue"), parsing: .unconditional, help: "Generated answers that may wait for the decoder before requests get 503.")
    var queueCapacity = 8

    @Option(name: .customLong("search-workers"), parsing: .unconditional, help: "Searches served side by side (each holds an encoder).")
    var searchWorkers = 2

    @Option(name: .customLong("max-upload-size"), help: ArgumentHelp("Largest upload request, e.g. 64M.", valueName: "size"))
    var maxUploadSize = "64M"

    @Option(name: .customLong("generator-url"), help: ArgumentHelp("Let another OpenAI-compatible server write the generated answers (e.g. http://gpu-box:8080/v1); retrieval, grounding and citations stay here.", valueName: "url"))
    var generatorURL: String?

    @Option(name: .customLong("generator-model"), help: ArgumentHelp("The model to ask the --generator-url server for (default: rag-generator, the decoder of another rag serve).", valueName: "name"))
    var generatorModel = "rag-generator"

    @Option(name: .customLong("generator-key"), help: ArgumentHelp("API key for the --generator-url server (default: $RAG_GENERATOR_KEY).", valueName: "key"))
    var generatorKey: String?

    @Flag(name: .customLong("no-prompt-cache"), help: "Prefill every prompt whole (to measure what the prompt cache saves).")
    var noPromptCache = false

    @OptionGroup var decoderModel: DecoderModelOptions
    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var compute: ComputeOptions

    func validate() throws {
        if queueCapacity < 0 { throw ValidationError("--queue must be 0 or more") }
        if let generatorURL {
            guard let url = URL(string: generatorURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--generator-url \(generatorURL) is not an http(s) URL such as http://gpu-box:8080/v1")
            }
        }
        if searchWorkers < 1 { throw ValidationError("--search-workers must be at least 1") }
        if IngestCommand.bytes(maxUploadSize) == nil { throw ValidationError("--max-upload-size \(maxUploadSize) is not a size: give bytes, or a number with k, M or G (such as 64M)") }
    }

    func run() async throws {
        var settings = ServeSettings(indexPath: indexOptions.path, uploadsFolder: uploads, threads: compute.parallelism.threads)
        settings.host = host
        settings.port = port
        settings.apiKey = apiKey ?? ProcessInfo.processInfo.environment["RAG_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        settings.allowsNoAuth = noAuth
        settings.corsOrigin = corsOrigin
        settings.decoderModel = decoderModel.model
        settings.reusesPromptCache = !noPromptCache
        if let generatorURL, let base = URL(string: generatorURL) {
            let key = generatorKey ?? ProcessInfo.processInfo.environment["RAG_GENERATOR_KEY"].flatMap { $0.isEmpty ? nil : $0 }
            settings.remoteGenerator = RemoteGenerator(base: base, model: generatorModel, apiKey: key)
        }
        settings.queueCapacity = queueCapacity
        settings.searchWorkers = searchWorkers
        settings.limits.uploadBytes = IngestCommand.bytes(maxUploadSize).map { Int(clamping: $0) } ?? settings.limits.uploadBytes
        try settings.validate()
        let service = try RAGService(settings: settings)

        var logger = Logger(label: "rag.serve")
        logger.logLevel = output.quiet ? .error : .notice
        let note = output.note, index = settings.indexPath, keyed = settings.apiKey != nil
        let app = RAGServer.application(for: service, logger: logger) { port in
            let shown = host.contains(":") ? "[\(host)]" : host
            note("rag serve: listening on http://\(shown):\(port)/ (index \(index)\(keyed ? ", API key required" : ""))")
        }
        try await app.runService()
    }
}
