import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Retrieval

/// A generator on another machine: any server with OpenAI's streaming `/v1/chat/completions` (llama-server,
/// vLLM, Ollama, another `rag serve` with its `rag-generator` model). Only the writing goes there; retrieval,
/// the prompt, grounding and citations stay here. The prompt budget is counted with a local tokenizer (`counter`,
/// the default Qwen2.5 one): exact for Qwen2.5 models, an estimate for others, hence a margin in `contextLength`.
public final class RemoteAnswerWriter: AnswerWriter {
    public let endpoint: URL
    public let model: String
    let apiKey: String?
    let counter: QwenChatPrompt
    public let contextLength: Int

    /// `base` is the server's OpenAI root, e.g. http://gpu-box:8080/v1.
    public init(base: URL, model: String, apiKey: String?, counter: QwenChatPrompt, contextLength: Int) {
        endpoint = base.appendingPathComponent("chat/completions")
        self.model = model; self.apiKey = apiKey; self.counter = counter; self.contextLength = contextLength
    }

    public func tokenCount(_ text: String) -> Int { counter.tokenCount(text) }
    public func promptTokenCount(_ turns: [ChatTurn]) -> Int { counter.ids(turns).count }

    struct Body: Encodable {
        struct Message: Encodable { var role: String; var content: String }
        var model: String, messages: [Message], stream = true, temperature: Float, topP: Float, maxTokens: Int, seed: UInt64
        enum CodingKeys: String, CodingKey { case model, messages, stream, temperature, topP = "top_p", maxTokens = "max_tokens", seed }
    }

    struct Chunk: Decodable {
        struct Choice: Decodable {
            struct Delta: Decodable { var content: String? }
            var delta: Delta?
            var finishReason: String?
            enum CodingKeys: String, CodingKey { case delta, finishReason = "finish_reason" }
        }
        struct Usage: Decodable { var promptTokens: Int?; var completionTokens: Int?
            enum CodingKeys: String, CodingKey { case promptTokens = "prompt_tokens", completionTokens = "completion_tokens" } }
        struct Failure: Decodable { var message: String }
        var choices: [Choice]?
        var usage: Usage?
        var error: Failure?
    }

    public func write(_ turns: [ChatTurn], settings: GenerationSettings,
                      onPiece: (GeneratedPiece) throws -> Void) throws -> GenerationReport {
        var request = URLRequest(url: endpoint, timeoutInterval: 600)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        request.httpBody = try JSONEncoder().encode(Body(
            model: model, messages: turns.map { .init(role: $0.role.rawValue, content: $0.content) },
            temperature: settings.temperature, topP: settings.topP, maxTokens: settings.maxTokens, seed: settings.seed))

        let started = Date()
        var firstAt: Date?, pieces = 0, stop = "eos", usage: Chunk.Usage?
        try LineStream.post(request) { line in
            guard line.hasPrefix("data:") else { return }
            let payload = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
            guard payload != "[DONE]", let chunk = try? JSONDecoder().decode(Chunk.self, from: Data(payload.utf8)) else { return }
            if let failure = chunk.error { throw RemoteGeneratorError.failed(endpoint: endpoint.absoluteString, message: failure.message) }
            usage = chunk.usage ?? usage
            for choice in chunk.choices ?? [] {
                if let text = choice.delta?.content, !text.isEmpty {
                    if firstAt == nil { firstAt = Date() }
                    pieces += 1
                    try onPiece(GeneratedPiece(text: text))
                }
                if let reason = choice.finishReason { stop = reason == "length" ? "max_tokens" : "eos" }
            }
        }
        let first = firstAt ?? Date(), end = Date()
        let generated = usage?.completionTokens ?? pieces
        return GenerationReport(promptTokens: usage?.promptTokens ?? promptTokenCount(turns), generatedTokens: generated,
                                timeToFirstTokenMs: first.timeIntervalSince(started) * 1000,
                                decodeTokensPerSecond: Double(max(generated - 1, 0)) / max(end.timeIntervalSince(first), 1e-9),
                                stopReason: stop)
    }
}

/// Why the remote generator gave no answer; one line each.
public enum RemoteGeneratorError: Error, Equatable, CustomStringConvertible {
    case unreachable(endpoint: String, reason: String)
    case status(endpoint: String, code: Int, message: String)
    case failed(endpoint: String, message: String)

    public var description: String {
        switch self {
        case .unreachable(let endpoint, let reason): return "the generator at \(endpoint) cannot be reached: \(reason)"
        case .status(let endpoint, let code, let message): return "the generator at \(endpoint) answered \(code): \(message)"
        case .failed(let endpoint, let message): return "the generator at \(endpoint) failed: \(message)"
        }
    }
}

/// A POST whose response body is handed over line by line as it arrives, on the caller's thread (so the
/// handler may throw to stop reading: the request is cancelled).
enum LineStream {
    static func post(_ request: URLRequest, onLine: (String) throws -> Void) throws {
        let reader = Reader()
        let session = URLSession(configuration: .ephemeral, delegate: reader, delegateQueue: nil)
        defer { session.invalidateAndCancel() }
        let task = session.dataTask(with: request)
        task.resume()
        let endpoint = request.url?.absoluteString ?? "?"
        while let event = reader.next() {
            switch event {
            case .line(let line):
                do { try onLine(line) } catch { task.cancel(); throw error }
            case .status(let code, let body):
                throw RemoteGeneratorError.status(endpoint: endpoint, code: code, message: Self.message(in: body))
            case .failure(let reason):
                throw RemoteGeneratorError.unreachable(endpoint: endpoint, reason: reason)
            }
        }
    }

    /// The `error.message` of an OpenAI-style error body, else the body's first line.
    static func message(in body: String) -> String {
        struct Failure: Decodable { struct Detail: Decodable { var message: String }; var error: Detail }
        if let failure = try? JSONDecoder().decode(Failure.self, from: Data(body.utf8)) { return failure.error.message }
        return String(body.split(separator: "\n").first ?? "no message").prefix(300).description
    }

    enum Event { case line(String), status(Int, String), failure(String) }

    /// Collects the body on URLSession's queue; `next()` hands out complete lines, then nil at the end.
    final class Reader: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        private let lock = NSCondition()
        private var events: [Event] = []
        private var pending = Data()
        private var status = 200
        private var finished = false

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
            status = (response as? HTTPURLResponse)?.statusCode ?? 200
            completionHandler(.allow)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            lock.lock(); defer { lock.signal(); lock.unlock() }
            pending.append(data)
            guard status < 300 else { return }  // an error body is read whole, at the end
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                events.append(.line(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)))
                pending = Data(pending[(newline + 1)...])
            }
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
            lock.lock(); defer { lock.signal(); lock.unlock() }
            if let error, (error as NSError).code != NSURLErrorCancelled {
                events.append(.failure(error.localizedDescription))
            } else if status >= 300 {
                events.append(.status(status, String(decoding: pending, as: UTF8.self)))
            } else if !pending.isEmpty {
                events.append(.line(String(decoding: pending, as: UTF8.self)))
            }
            finished = true
        }

        func next() -> Event? {
            lock.lock(); defer { lock.unlock() }
            while events.isEmpty, !finished { lock.wait() }
            return events.isEmpty ? nil : events.removeFirst()
        }
    }
}
