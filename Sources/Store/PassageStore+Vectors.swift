import Foundation
import GRDB

/// Vector storage: float32 little-endian BLOBs, read back as one contiguous matrix for exact search.
extension PassageStore {
    /// True when at least one vector is stored.
    public func hasVectors() throws -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM chunk_vectors)") ?? false }
    }

    /// Every vector written by encoder `model`, in chunk-id order, as one row-major matrix read in one
    /// sequential scan (each row is a byte copy of its BLOB). Rows of the wrong length are an error.
    public func vectorMatrix(model: String) throws -> VectorMatrix {
        guard let dimension = try metadata(.encoderDimension).flatMap(Int.init),
              try metadata(.encoderModel) == model else {
            return VectorMatrix(chunkIDs: [], values: [], dimension: 0)
        }
        return try read { db in
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM chunk_vectors WHERE model_id = ?", arguments: [model]) ?? 0
            var chunkIDs: [Int64] = []
            chunkIDs.reserveCapacity(count)
            var values = [Float](repeating: 0, count: count * dimension)
            let rowBytes = dimension * MemoryLayout<Float>.size
            let rows = try Row.fetchCursor(db, sql: "SELECT chunk_id, vector FROM chunk_vectors WHERE model_id = ? ORDER BY chunk_id",
                                           arguments: [model])
            try values.withUnsafeMutableBytes { destination in
                while let row = try rows.next() {
                    guard chunkIDs.count < count else { break }  // rows added since the count: ignore them
                    let offset = chunkIDs.count * rowBytes
                    try row.withUnsafeData(atIndex: 1) { data in
                        guard let data, data.count == rowBytes else {
                            throw StoreError.dimensionMismatch(expected: dimension, got: (data?.count ?? 0) / MemoryLayout<Float>.size)
                        }
                        data.copyBytes(to: UnsafeMutableRawBufferPointer(rebasing: destination[offset..<(offset + rowBytes)]))
                    }
                    chunkIDs.append(row[0])
                }
            }
            values.removeLast(values.count - chunkIDs.count * dimension)
            VectorBlob.fixByteOrder(&values)
            return VectorMatrix(chunkIDs: chunkIDs, values: values, dimension: dimension)
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
