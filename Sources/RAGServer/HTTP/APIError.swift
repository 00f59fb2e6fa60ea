import Foundation
import Hummingbird
import ModelFiles
import Inference
import RAGKit
import Retrieval
import Store

/// Every failure a client sees: a status and the OpenAI-shaped body
/// `{"error": {"message": "...", "type": "...", "code": "..."}}` whose message is the library's one line.
struct APIError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var message: String
    var type: String
    var code: String?
    /// Seconds a client should wait before trying again (503).
    var retryAfter: Int?

    init(_ status: HTTPResponse.Status, _ message: String, type: String = "invalid_request_error", code: String? = nil,
         retryAfter: Int? = nil) {
        self.status = status; self.message = message; self.type = type; self.code = code; self.retryAfter = retryAfter
    }

    static func badRequest(_ message: String, code: String? = nil) -> APIError { APIError(.badRequest, message, code: code) }

    /// The status and body for any error a route throws: the library's typed errors by what they mean to a
    /// client, anything else as a server error with its one-line description.
    init(for error: Error) {
        switch error {
        case let error as APIError: self = error
        case let error as ServingError:
            switch error {
            case .queueFull: self.init(.serviceUnavailable, error.description, type: "server_busy", code: "queue_full", retryAfter: 5)
            case .clientGone: self.init(.init(code: 499, reasonPhrase: "Client Closed Request"), error.description)
            }
        case let error as RetrievalError:
            switch error {
            case .noSearchableTerms, .queryTooLong: self.init(.badRequest, error.description, code: "bad_query")
            case .invalidK(let k): self.init(.badRequest, "\"k\": \(k) must be at least 1", code: "bad_k")
            case .noDocumentMatches: self.init(.badRequest, error.description, code: "no_matching_documents")
            case .noEncoder, .noVectors:
                self.init(.conflict, "this index has no vectors: search with \"mode\": \"lexical\", or rebuild it with `rag ingest --rebuild`",
                          code: "no_vectors")
            }
        case let error as RemoteGeneratorError: self.init(.badGateway, error.description, type: "server_error", code: "generator_failed")
        case let error as ModelCatalogError: self.init(.serviceUnavailable, error.description, type: "server_error", code: "model_unavailable")
        case let error as PromptError: self.init(.badRequest, error.description, code: "prompt_too_long")
        case let error as InferenceError: self.init(.internalServerError, error.description, type: "server_error", code: "inference")
        case let error as AskError:
            switch error {
            case .emptyQuestion: self.init(.badRequest, error.description, code: "bad_query")
            case .emptyIndex: self.init(.conflict, error.description, code: "empty_index")
            }
        case let error as StoreError:
            switch error {
            case .noIndex: self.init(.notFound, error.description, code: "no_index")
            case .locked: self.init(.serviceUnavailable, error.description, type: "server_busy", code: "index_locked", retryAfter: 2)
            case .encoderMismatch, .dimensionMismatch:
                self.init(.conflict, error.description, code: "index_model_mismatch")
            default: self.init(.internalServerError, error.description, type: "server_error", code: "store")
            }
        case let error as HTTPError:
            self.init(error.status, error.body ?? error.status.reasonPhrase, code: error.status == .notFound ? "not_found" : nil)
        case let error as HTTPResponseError where error.status == .contentTooLarge:  // NIO's "too many bytes" from collectBody
            self.init(.contentTooLarge, "the request body is over the server's limit", code: "body_too_large")
        default:
            self.init(.internalServerError, String(describing: error), type: "server_error")
        }
    }

    struct Body: Encodable {
        struct Detail: Encodable { var message: String; var type: String; var code: String? }
        var error: Detail
    }

    var body: Body { Body(error: .init(message: message, type: type, code: code)) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONResponse.make(body, status: status)
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}

/// Turns every error a route throws into its JSON body, unknown routes and oversized bodies included, so a
/// client never sees an HTML page or a dropped connection.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try APIError(for: error).response(from: request, context: context)
        }
    }
}
