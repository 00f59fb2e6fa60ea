import Foundation
import GRDB
import Kernels

/// Vector storage: float32 little-endian BLOBs, read back as one contiguous matrix for exact search.
extension PassageStore {
    /// True when at least one vector is stored.
    public func hasVectors() throws -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM chunk_vectors)") ?? false }
    }

    /// Every vector written by encoder `model`, in chunk-id order, quantised to 8 bits per value as it is
    /// read in one sequential scan (the f32 matrix is never held whole: searches rank its candidates again
    /// with `passageVectors`). Rows of the wrong length are an error.
    public func vectorMatrix(model: String) throws -> VectorMatrix {
        guard let dimension = try metadata(.encoderDimension).flatMap(Int.init), dimension > 0,
              try metadata(.encoderModel) == model else {
            return VectorMatrix(chunkIDs: [], rows: QuantisedRows(dimension: 1))
        }
        return try read { db in
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM chunk_vectors WHERE model_id = ?", arguments: [model]) ?? 0
            var chunkIDs: [Int64] = []
            chunkIDs.reserveCapacity(count)
            var quantised = QuantisedRows(dimension: dimension)
            quantised.reserveCapacity(count)
            var scratch = [Float](repeating: 0, count: dimension)
            let rows = try Row.fetchCursor(db, sql: "SELECT chunk_id, vector FROM chunk_vectors WHERE model_id = ? ORDER BY chunk_id",
                                           arguments: [model])
            while let row = try rows.next() {
                guard chunkIDs.count < count else { break }  // rows added since the count: ignore them
                try row.withUnsafeData(atIndex: 1) { data in
                    guard let data, data.count == dimension * MemoryLayout<Float>.size else {
                        throw StoreError.dimensionMismatch(expected: dimension, got: (data?.count ?? 0) / MemoryLayout<Float>.size)
                    }
                    scratch.withUnsafeMutableBytes { _ = data.copyBytes(to: $0) }
                }
                VectorBlob.fixByteOrder(&scratch)
                scratch.withUnsafeBufferPointer { quantised.append($0) }
                chunkIDs.append(row[0])
            }
            return VectorMatrix(chunkIDs: chunkIDs, rows: quantised)
        }
    }

    /// The exact f32 vectors of some chunks written by encoder `model` (chunks without one are left out).
    public func passageVectors(chunkIDs: [Int64], model: String) throws -> [Int64: [Float]] {
        guard !chunkIDs.isEmpty, let dimension = try metadata(.encoderDimension).flatMap(Int.init) else { return [:] }
        return try read { db in
            var result: [Int64: [Float]] = [:]
            let placeholders = Array(repeating: "?", count: chunkIDs.count).joined(separator: ",")
            let rows = try Row.fetchCursor(db, sql: "SELECT chunk_id, vector FROM chunk_vectors WHERE model_id = ? AND chunk_id IN (\(placeholders))",
                                           arguments: StatementArguments([model as DatabaseValueConvertible] + chunkIDs))
            while let row = try rows.next() {
                let blob: Data = row[1]
                guard blob.count == dimension * MemoryLayout<Float>.size else {
                    throw StoreError.dimensionMismatch(expected: dimension, got: blob.count / MemoryLayout<Float>.size)
                }
                result[row[0]] = VectorBlob.decode(blob)
            }
            return result
        }
    }
}

extension PassageStore {
    /// The stored sentence vectors of some chunks, each chunk's in sentence order; chunks without any are
    /// left out. Blobs whose length is not the index's dimension are an error.
    public func sentenceVectors(chunkIDs: [Int64]) throws -> [Int64: [SentenceVector]] {
        guard !chunkIDs.isEmpty, let dimension = try metadata(.encoderDimension).flatMap(Int.init) else { return [:] }
        return try read { db in
            var result: [Int64: [SentenceVector]] = [:]
            let placeholders = Array(repeating: "?", count: chunkIDs.count).joined(separator: ",")
            let rows = try Row.fetchCursor(db, sql: """
                SELECT chunk_id, start_offset, end_offset, vector FROM sentence_vectors
                WHERE chunk_id IN (\(placeholders)) ORDER BY chunk_id, ordinal
                """, arguments: StatementArguments(chunkIDs))
            while let row = try rows.next() {
                let blob: Data = row[3]
                guard blob.count == dimension * MemoryLayout<Float>.size else {
                    throw StoreError.dimensionMismatch(expected: dimension, got: blob.count / MemoryLayout<Float>.size)
                }
                result[row[0], default: []].append(SentenceVector(start: row[1], end: row[2], vector: VectorBlob.decode(blob)))
            }
            return result
        }
    }
}

/// The on-disk form of one vector: its floats as little-endian IEEE-754 binary32, no header.
public enum VectorBlob {
    public static func encode(_ vector: [Float]) -> Data {
        var littleEndian = vector
        fixByteOrder(&littleEndian)
        return littleEndian.withUnsafeBytes { Data($0) }
    }

    public static func decode(_ data: Data) -> [Float] {
        var values = [Float](repeating: 0, count: data.count / MemoryLayout<Float>.size)
        values.withUnsafeMutableBytes { _ = data.copyBytes(to: $0) }
        fixByteOrder(&values)
        return values
    }

    /// Swaps bytes on big-endian machines; a no-op on the little-endian ones we run on.
    @inline(__always)
    static func fixByteOrder(_ values: inout [Float]) {
        #if _endian(big)
        for i in values.indices { values[i] = Float(bitPattern: values[i].bitPattern.byteSwapped) }
        #endif
    }
}
