import Foundation
import Retrieval

/// The JSON bodies of rag's own routes. Unknown fields are ignored; a known field of the wrong type is a
/// 400 naming it (`Request.decodeJSON`); values are checked against the server's limits by `validated`.

/// `POST /v1/search`: `{"query": "...", "k": 5, "mode": "hybrid", "in": ["*.pdf"], "not_in": [...], "explain": true}`,
/// as `rag search QUERY -k K --mode MODE --in GLOB --not-in GLOB --explain`.
struct SearchBody: Decodable {
    var query: String
    var k: Int?
    var mode: String?
    var included: [String]?
    var excluded: [String]?
    var explain: Bool?

    enum CodingKeys: String, CodingKey { case query, k, mode, included = "in", excluded = "not_in", explain }

    func validated(_ limits: ServeSettings.Limits) throws -> (query: String, k: Int, mode: SearchMode?, filter: DocumentFilter) {
        (try Validate.text(query, field: "query"), try Validate.k(k ?? 5, limits), try Validate.mode(mode),
         try Validate.filter(included: included, excluded: excluded))
    }
}

/// `POST /v1/ask`: the question and the options of `rag ask`.
struct AskBody: Decodable {
    var question: String
    var mode: String?
    var k: Int?
    var stream: Bool?
    var showProbs: Bool?
    var maxTokens: Int?
    var temperature: Float?
    var topK: Int?
    var topP: Float?
    var seed: UInt64?
    var included: [String]?
    var excluded: [String]?

    enum CodingKeys: String, CodingKey {
        case question, mode, k, stream, showProbs = "show_probs", maxTokens = "max_tokens", temperature
        case topK = "top_k", topP = "top_p", seed, included = "in", excluded = "not_in"
    }

    func settings(_ limits: ServeSettings.Limits) throws -> AskSettings {
        var settings = AskSettings()
        if let mode {
            guard let parsed = AnswerMode(rawValue: mode) else {
                throw APIError.badRequest("\"mode\" must be one of \(AnswerMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            settings.mode = parsed
        }
        settings.k = try Validate.k(k ?? AskSettings.defaultK, limits)
        settings.filter = try Validate.filter(included: included, excluded: excluded)
        try Validate.generation(&settings.generation, maxTokens: maxTokens, temperature: temperature, topK: topK, topP: topP,
                                seed: seed, limits: limits)
        settings.generation.candidatesPerToken = showProbs == true ? 5 : 0
        return settings
    }
}

/// The checks every route shares, with messages that name the field.
enum Validate {
    static func text(_ value: String, field: String) throws -> String {
        guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw APIError.badRequest("\"\(field)\" is empty") }
        try Retriever.check(query: value)
        return value
    }

    static func k(_ k: Int, _ limits: ServeSettings.Limits) throws -> Int {
        guard (1...limits.maxK).contains(k) else { throw APIError.badRequest("\"k\" must be between 1 and \(limits.maxK)") }
        return k
    }

    /// `in` / `not_in`: at most 64 globs of at most 512 characters each, none empty.
    static func filter(included: [String]?, excluded: [String]?) throws -> DocumentFilter {
        for (field, patterns) in [("in", included ?? []), ("not_in", excluded ?? [])] {
            guard patterns.count <= 64 else { throw APIError.badRequest("\"\(field)\" takes at most 64 patterns") }
            guard patterns.allSatisfy({ !$0.isEmpty && $0.count <= 512 }) else {
                throw APIError.badRequest("\"\(field)\" patterns must be 1 to 512 characters long")
            }
        }
        return DocumentFilter(included: included ?? [], excluded: excluded ?? [])
    }

    static func mode(_ mode: String?) throws -> SearchMode? {
        guard let mode else { return nil }
        guard let parsed = SearchMode(rawValue: mode) else {
            throw APIError.badRequest("\"mode\" must be one of \(SearchMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return parsed
    }

    static func generation(_ settings: inout GenerationSettings, maxTokens: Int?, temperature: Float?, topK: Int?, topP: Float?,
                           seed: UInt64?, limits: ServeSettings.Limits) throws {
        if let maxTokens {
            guard (1...limits.maxAnswerTokens).contains(maxTokens) else {
                throw APIError.badRequest("\"max_tokens\" must be between 1 and \(limits.maxAnswerTokens)")
            }
            settings.maxTokens = maxTokens
        }
        if let temperature {
            guard temperature.isFinite, (0...2).contains(temperature) else { throw APIError.badRequest("\"temperature\" must be between 0 and 2") }
            settings.temperature = temperature
        }
        if let topK {
            guard topK >= 0 else { throw APIError.badRequest("\"top_k\" must be 0 (off) or more") }
            settings.topK = topK
        }
        if let topP {
            guard topP.isFinite, topP > 0, topP <= 1 else { throw APIError.badRequest("\"top_p\" must be above 0 and at most 1") }
            settings.topP = topP
        }
        if let seed { settings.seed = seed }
    }
}
