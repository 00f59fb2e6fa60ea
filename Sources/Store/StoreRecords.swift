import Foundation
import Kernels

/// A document as the store remembers it: enough to decide whether a file on disk changed.
public struct StoredDocument: Equatable, Sendable {
    public var id: Int64
    public var path: String
    public var absolutePath: String
    public var sha256: String
    public var size: Int64
    public var mtime: Double
    public var title: String
    public var chunking: String
    public var encoderModel: String?
    /// False for documents embedded before sentence vectors existed: the next ingest re-embeds them.
    public var hasSentenceVectors: Bool
    public var chunkCount: Int
    public var ingestedAt: Double
}

/// A document about to be written; its chunks and optional vectors travel with it.
public struct NewDocument: Sendable {
    public var path: String
    public var absolutePath: String
    public var sha256: String
    public var size: Int64
    public var mtime: Double
    public var title: String
    public var format: String
    public var encoding: String
    public var chunking: String

    public init(path: String, absolutePath: String, sha256: String, size: Int64, mtime: Double, title: String,
                format: String, encoding: String, chunking: String) {
        self.path = path; self.absolutePath = absolutePath; self.sha256 = sha256; self.size = size
        self.mtime = mtime; self.title = title; self.format = format; self.encoding = encoding; self.chunking = chunking
    }
}

/// One passage of a document: its text and where it sits in the cleaned document.
public struct NewChunk: Equatable, Sendable {
    public var text: String
    /// Unicode-scalar offsets into the cleaned document text, end exclusive.
    public var start: Int
    public var end: Int
    /// Enclosing headings, outermost first.
    public var headingPath: [String]
    public var tokenCount: Int
    /// The pages the passage is on, for paged documents (PDF); nil for the others.
    public var pages: ClosedRange<Int>?

    public init(text: String, start: Int, end: Int, headingPath: [String], tokenCount: Int, pages: ClosedRange<Int>? = nil) {
        self.text = text; self.start = start; self.end = end; self.headingPath = headingPath; self.tokenCount = tokenCount
        self.pages = pages
    }
}

/// A stored chunk with its document's path, as search results need it.
public struct StoredChunk: Equatable, Sendable {
    public var id: Int64
    public var documentPath: String
    public var documentTitle: String
    public var ordinal: Int
    public var text: String
    public var start: Int
    public var end: Int
    public var headingPath: [String]
    /// The pages the passage is on, for paged documents (PDF); nil for the others.
    public var pages: ClosedRange<Int>? = nil

    /// How citations name the passage's place: "p.12", "pp.12–13", or nil without pages.
    public var pageLabel: String? { pages?.pageLabel }
}

extension ClosedRange where Bound == Int {
    /// Pages as citations name them: "p.12", "pp.12–13".
    public var pageLabel: String { count == 1 ? "p.\(lowerBound)" : "pp.\(lowerBound)–\(upperBound)" }
}

/// A document's vectors, all from encoder `modelID`: one `ChunkVectors` per chunk, in chunk order.
public struct DocumentVectors: Sendable {
    public var modelID: String
    public var chunks: [ChunkVectors]

    public init(modelID: String, chunks: [ChunkVectors]) {
        self.modelID = modelID; self.chunks = chunks
    }

    /// Passage vectors only, no sentences.
    public init(modelID: String, passages: [[Float]]) {
        self.init(modelID: modelID, chunks: passages.map { ChunkVectors(passage: $0, sentences: []) })
    }
}

/// One chunk's vector and the vectors of the sentences in it that were embedded on their own.
public struct ChunkVectors: Equatable, Sendable {
    public var passage: [Float]
    public var sentences: [SentenceVector]

    public init(passage: [Float], sentences: [SentenceVector]) {
        self.passage = passage; self.sentences = sentences
    }
}

/// A sentence of a chunk and its vector.
public struct SentenceVector: Equatable, Sendable {
    /// Unicode-scalar offsets into the chunk's text, end exclusive.
    public var start: Int
    public var end: Int
    public var vector: [Float]

    public init(start: Int, end: Int, vector: [Float]) {
        self.start = start; self.end = end; self.vector = vector
    }
}

/// A lexical hit: chunk id and BM25 relevance (higher is better; SQLite's bm25() negated).
public struct LexicalHit: Equatable, Sendable {
    public var chunkID: Int64
    public var score: Double
}

/// All passage vectors of one encoder as one contiguous row-major matrix of 8-bit codes, ready for a SIMD scan.
public struct VectorMatrix: Sendable {
    /// Row i of `rows` belongs to chunk `chunkIDs[i]`.
    public var chunkIDs: [Int64]
    /// The vectors, 8 bits per value: what a search scans before it ranks candidates by their exact vectors.
    public var rows: QuantisedRows

    public init(chunkIDs: [Int64], rows: QuantisedRows) { self.chunkIDs = chunkIDs; self.rows = rows }

    public var dimension: Int { rows.dimension }
    public var count: Int { chunkIDs.count }
}

/// What `rag stats` shows.
public struct IndexStatistics: Sendable {
    public var documents: Int
    public var chunks: Int
    public var vectors: Int
    public var sentenceVectors: Int
    public var fileBytes: Int64
    public var metadata: [String: String]
}
