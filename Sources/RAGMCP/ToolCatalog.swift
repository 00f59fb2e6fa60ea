import MCP
import Retrieval

/// The tools `rag mcp` offers, by name, with the JSON Schemas of what each takes and returns. The
/// output schemas describe the wire formats of RAGKit (`SearchReport`, `AskReport`, …) as
/// `structuredContent` carries them; clients may check results against them (the Python SDK does).
enum ToolCatalog {
    static let search = "search_documents"
    static let read = "read_document"
    static let ask = "ask"
    static let list = "list_documents"
    static let ingest = "ingest"

    /// Most passages one search returns, and most one question retrieves (and offers the generator).
    static let searchLimit = 50
    static let askLimit = 20

    /// The tools to list: `ingest` only when the server may write to the index.
    static func tools(ingestAllowed: Bool) -> [Tool] {
        [searchTool, readTool, askTool, listTool] + (ingestAllowed ? [ingestTool] : [])
    }

    /// The schema of `in` / `not_in`: globs over document paths as list_documents names them.
    static func documentGlobs(_ purpose: String) -> Value {
        ["type": "array", "items": ["type": "string"],
         "description": .string(purpose + " (paths as list_documents names them; `*` also crosses folders, e.g. \"*.pdf\"; "
            + "a pattern without / may match the file name alone; one ending in / is a whole folder).")]
    }

    static let searchTool = Tool(
        name: search, title: "Search the documents",
        description: "The passages of the indexed documents that best match a query (Chinese or English), best first, "
            + "with their source path, passage number, headings, score, and character offsets into the document "
            + "(pass them to read_document to read around a hit).",
        inputSchema: input([
            "query": ["type": "string", "description": "What to look for."],
            "k": ["type": "integer", "minimum": 1, "maximum": .int(searchLimit), "default": 5, "description": "How many passages."],
            "mode": ["type": "string", "enum": .array(SearchMode.allCases.map { .string($0.rawValue) }),
                     "description": .string("lexical (BM25 words), dense (encoder meaning) or hybrid (both, fused by rank). "
                        + "Default: hybrid when the index has vectors, else lexical.")],
            "in": documentGlobs("Only documents whose path matches one of these globs"),
            "not_in": documentGlobs("Leave out documents whose path matches one of these globs"),
            "explain": ["type": "boolean", "default": false,
                        "description": "Add to each hit why it ranked there: its rank and BM25 score by words, its passage and best-sentence cosines and rank by meaning, the fused score."],
        ], required: ["query"]),
        annotations: .init(readOnlyHint: true, idempotentHint: true, openWorldHint: false),
        outputSchema: object([
            "query": ["type": "string"],
            "mode": ["type": "string"],
            "hits": ["type": "array", "items": hitSchema],
        ], required: ["query", "mode", "hits"]))

    static let readTool = Tool(
        name: read, title: "Read a document",
        description: "The cleaned text of one indexed document, whole or a range of it by character offsets "
            + "(Unicode code points, end exclusive, as search hits give them).",
        inputSchema: input([
            "source": ["type": "string",
                       "description": "The document: its path as search hits and list_documents name it, or its rag://document/{id} URI."],
            "start": ["type": "integer", "minimum": 0, "description": "First character (default 0)."],
            "end": ["type": "integer", "minimum": 0, "description": "Character after the last (default: the end of the document)."],
        ], required: ["source"]),
        annotations: .init(readOnlyHint: true, idempotentHint: true, openWorldHint: false),
        outputSchema: object([
            "id": ["type": "integer"], "uri": ["type": "string"], "source": ["type": "string"], "title": ["type": "string"],
            "start": ["type": "integer"], "end": ["type": "integer"], "length": ["type": "integer"], "text": ["type": "string"],
        ], required: ["id", "uri", "source", "title", "start", "end", "length", "text"]))

    static let askTool = Tool(
        name: ask, title: "Ask the documents",
        description: "A grounded answer from the indexed documents: the sentences they say (quoted, with sources), an answer "
            + "the local model writes from the retrieved passages with [n] citations, and each generated sentence checked "
            + "against the passages. When the documents do not cover the question, covered is false, message says so, "
            + "and nothing is generated. Generating takes seconds; progress is reported when asked for.",
        inputSchema: input([
            "question": ["type": "string", "description": "The question, in Chinese or English."],
            "k": ["type": "integer", "minimum": 1, "maximum": .int(askLimit), "default": .int(AskSettings.defaultK),
                  "description": "Passages to retrieve and give the generator."],
            "mode": ["type": "string", "enum": .array(AnswerMode.allCases.map { .string($0.rawValue) }), "default": "compare",
                     "description": "retrieve (passages and quoted sentences only, about a second), generate (the model's cited answer) or compare (both)."],
            "in": documentGlobs("Only passages of documents whose path matches one of these globs"),
            "not_in": documentGlobs("Leave out documents whose path matches one of these globs"),
        ], required: ["question"]),
        annotations: .init(readOnlyHint: true, idempotentHint: true, openWorldHint: false),
        outputSchema: object([
            "question": ["type": "string"],
            "mode": ["type": "string"],
            "language": ["type": "string"],
            "covered": ["type": "boolean"],
            "message": ["type": ["string", "null"]],
            "best_similarity": ["type": "number"],
            "best_passage_similarity": ["type": "number"],
            "coverage_threshold": ["type": "number"],
            "shares_term": ["type": "boolean"],
            "retrieval": object([
                "hits": ["type": "array", "items": hitSchema],
                "answer": ["type": ["string", "null"]],
                "quotes": ["type": ["array", "null"], "items": object([
                    "text": ["type": "string"], "source": ["type": "string"], "chunk": ["type": "integer"], "similarity": ["type": "number"],
                ], required: ["text", "source", "chunk", "similarity"])],
            ], required: ["hits", "answer", "quotes"]),
            "generation": ["anyOf": [["type": "null"], object([
                "answer": ["type": "string"],
                "cited_answer": ["type": "string"],
                "citations": ["type": "array", "items": object([
                    "n": ["type": "integer"], "source": ["type": "string"], "chunk": ["type": "integer"],
                    "by": ["type": "string", "enum": ["model", "grounding"]],
                ], required: ["n", "source", "chunk", "by"])],
                "invalid_citations": ["type": "array", "items": ["type": "integer"]],
                "said_unknown": ["type": "boolean"],
                "grounding": ["type": "array", "items": object([
                    "sentence": ["type": "string"], "similarity": ["type": "number"], "supported": ["type": "boolean"],
                ], required: ["sentence", "similarity", "supported"])],
                "stop_reason": ["type": "string"],
            ], required: ["answer", "cited_answer", "citations", "invalid_citations", "said_unknown", "grounding", "stop_reason"])]],
        ], required: ["question", "mode", "language", "covered", "message", "retrieval", "generation"]))

    static let listTool = Tool(
        name: list, title: "List the documents",
        description: "Every indexed document: id (its resource is rag://document/{id}), path, title, passage count, size and "
            + "when it was last ingested.",
        inputSchema: input([:], required: []),
        annotations: .init(readOnlyHint: true, idempotentHint: true, openWorldHint: false),
        outputSchema: object([
            "documents": ["type": "array", "items": object([
                "id": ["type": "integer"], "path": ["type": "string"], "title": ["type": "string"],
                "chunks": ["type": "integer"], "bytes": ["type": "integer"], "sha256": ["type": "string"],
                "encoder_model": ["type": "string"], "ingested_at": ["type": "string"],
            ], required: ["id", "path", "title", "chunks", "bytes", "sha256", "ingested_at"])],
        ], required: ["documents"]))

    static let ingestTool = Tool(
        name: ingest, title: "Add files to the index",
        description: "Indexes files and folders (.txt, .md, .html, .pdf, .docx, .epub; folders recursively) inside the folders "
            + "this server was started to allow (--allow-ingest); unchanged files are skipped, changed ones replaced. "
            + "Returns what `rag ingest --json` prints.",
        inputSchema: input([
            "paths": ["type": "array", "items": ["type": "string"], "minItems": 1,
                      "description": "Files or folders, absolute or relative to the server's working directory."],
        ], required: ["paths"]),
        annotations: .init(readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false),
        outputSchema: object([
            "index": ["type": "string"], "files": ["type": "integer"], "changed": ["type": "integer"], "added": ["type": "integer"],
            "replaced": ["type": "integer"], "unchanged": ["type": "integer"],
            "skipped": ["type": "array", "items": object(["path": ["type": "string"], "reason": ["type": "string"]],
                                                          required: ["path", "reason"])],
            "notes": ["type": "array", "items": object(["path": ["type": "string"], "note": ["type": "string"]], required: ["path", "note"])],
            "pruned": ["type": "array", "items": ["type": "string"]],
            "chunks": ["type": "integer"], "vectors": ["type": "integer"], "sentence_vectors": ["type": "integer"],
            "seconds": ["type": "number"],
        ], required: ["index", "files", "changed", "added", "replaced", "unchanged", "skipped", "notes", "chunks", "seconds"]))

    /// One search hit as `SearchReport.Hit` encodes it (`page`/`pages` only for paged documents).
    static let hitSchema = object([
        "rank": ["type": "integer"], "score": ["type": "number"], "source": ["type": "string"], "chunk": ["type": "integer"],
        "start": ["type": "integer"], "end": ["type": "integer"], "text": ["type": "string"],
        "heading": ["type": "array", "items": ["type": "string"]], "title": ["type": "string"],
        "page": ["type": "integer"], "pages": ["type": "array", "items": ["type": "integer"]],
        "explain": object([
            "lexical_rank": ["type": "integer"], "bm25": ["type": "number"], "dense_rank": ["type": "integer"],
            "passage_cosine": ["type": "number"], "best_sentence_cosine": ["type": "number"], "dense_score": ["type": "number"],
            "fused_score": ["type": "number"], "dense_weight": ["type": "number"], "search_rank": ["type": "integer"],
            "summary": ["type": "string"],
        ], required: ["summary"]),
    ], required: ["rank", "score", "source", "chunk", "start", "end", "text", "heading", "title"])

    /// A tool's input: an object that takes no property it does not name (a misspelt option is an error,
    /// as `ToolArguments` reports it, not silently ignored).
    static func input(_ properties: [String: Value], required: [String]) -> Value {
        var schema = object(properties, required: required)
        if case .object(var fields) = schema { fields["additionalProperties"] = false; schema = .object(fields) }
        return schema
    }

    /// An object with these properties; outputs stay open, so a field added later breaks no client.
    static func object(_ properties: [String: Value], required: [String]) -> Value {
        ["type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) })]
    }
}
