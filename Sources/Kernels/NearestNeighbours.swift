/// Exact maximum-inner-product search over a contiguous row-major f32 matrix: the dense retrieval kernel.
/// Stored vectors are L2-normalised, so the dot product is the cosine similarity. Each thread scans its
/// own band of rows with SIMD dot products (four rows per pass share each query load) and keeps its best
/// `k` in a bounded heap; the per-thread winners are merged at the end. Ties go to the lower row, so the
/// result does not depend on the thread count.
public enum NearestNeighbours {
    /// One matrix row and its score against the query.
    public struct ScoredRow: Equatable, Sendable {
        public var row: Int
        public var score: Float
        public init(row: Int, score: Float) { self.row = row; self.score = score }

        /// Higher score first; equal scores by lower row.
        @inline(__always)
        public func ranksBefore(_ other: ScoredRow) -> Bool {
            score > other.score || (score == other.score && row < other.row)
        }
    }

    /// Below this many rows one thread is faster than waking others.
    static let rowsPerThreadMinimum = 8_192

    /// The `k` rows of `matrix` (rows × dimension floats) with the highest dot product with `query`
    /// (dimension floats), best first; only rows whose `admitted` entry is true when a mask (one Bool per
    /// row) is given, so a filtered search still finds `k` rows when that many are admitted.
    public static func topK(query: UnsafePointer<Float>, matrix: UnsafePointer<Float>, rows: Int, dimension: Int,
                            k: Int, admitted: UnsafePointer<Bool>? = nil, parallelism: Parallelism) -> [ScoredRow] {
        guard dimension > 0 else { return [] }
        return inBands(rows: rows, k: k, parallelism: parallelism) { band, k in
            scan(query: query, matrix: matrix, rows: band, dimension: dimension, k: k, admitted: admitted)
        }
    }

    /// The best `k` of `rows`, with each thread's band of rows ranked by `scan` (band, k) and the winners merged.
    static func inBands(rows: Int, k: Int, parallelism: Parallelism,
                        scan: (Range<Int>, Int) -> [ScoredRow]) -> [ScoredRow] {
        let k = min(k, rows)
        guard k > 0 else { return [] }
        let bands = max(1, min(parallelism.threads, rows / rowsPerThreadMinimum))
        var perBand = [[ScoredRow]](repeating: [], count: bands)
        perBand.withUnsafeMutableBufferPointer { results in
            Parallelism(threads: bands).forEachChunk(of: bands) { bandRange in
                for band in bandRange { results[band] = scan(rows * band / bands..<rows * (band + 1) / bands, k) }
            }
        }
        var merged = BoundedHeap(capacity: k)
        for band in perBand { for candidate in band { merged.offer(candidate) } }
        return merged.sortedBestFirst()
    }

    /// Convenience over arrays; `matrix.count` must be a multiple of `dimension`, `query.count == dimension`
    /// and `admitted`, when given, has one entry per row.
    public static func topK(query: [Float], matrix: [Float], dimension: Int, k: Int, admitted: [Bool]? = nil,
                            parallelism: Parallelism) -> [ScoredRow] {
        precondition(query.count == dimension && dimension > 0 && matrix.count % dimension == 0, "shapes disagree")
        precondition(admitted.map { $0.count == matrix.count / dimension } ?? true, "one admitted entry per row")
        return query.withUnsafeBufferPointer { q in
            matrix.withUnsafeBufferPointer { m in
                func run(_ mask: UnsafePointer<Bool>?) -> [ScoredRow] {
                    topK(query: q.baseAddress!, matrix: m.baseAddress!, rows: matrix.count / dimension, dimension: dimension,
                         k: k, admitted: mask, parallelism: parallelism)
                }
                guard let admitted else { return run(nil) }
                return admitted.withUnsafeBufferPointer { run($0.baseAddress!) }
            }
        }
    }

    /// The oracle: every score by a plain loop, a full sort, the first `k`.
    public static func referenceTopK(query: [Float], matrix: [Float], dimension: Int, k: Int) -> [ScoredRow] {
        let rows = matrix.count / dimension
        var scored: [ScoredRow] = []
        for r in 0..<rows {
            var sum: Float = 0
            for j in 0..<dimension { sum += query[j] * matrix[r * dimension + j] }
            scored.append(ScoredRow(row: r, score: sum))
        }
        scored.sort { $0.ranksBefore($1) }
        return Array(scored.prefix(k))
    }

    /// One band: four rows at a time share each 16-float slice of the query, the rest one by one; rows the
    /// mask leaves out are scored (the four share their loads) but never offered.
    static func scan(query: UnsafePointer<Float>, matrix: UnsafePointer<Float>, rows: Range<Int>, dimension: Int, k: Int,
                     admitted: UnsafePointer<Bool>?) -> [ScoredRow] {
        var heap = BoundedHeap(capacity: k)
        var r = rows.lowerBound
        while r + 4 <= rows.upperBound {
            let scores = dot4(query, matrix + r * dimension, dimension: dimension)
            for lane in 0..<4 where admitted?[r + lane] ?? true { heap.offer(ScoredRow(row: r + lane, score: scores[lane])) }
            r += 4
        }
        while r < rows.upperBound {
            if admitted?[r] ?? true {
                heap.offer(ScoredRow(row: r, score: VectorMath.dot(query, matrix + r * dimension, count: dimension)))
            }
            r += 1
        }
        return heap.sortedBestFirst()
    }

    /// Dot products of `query` with four consecutive rows starting at `rows` (each `dimension` floats).
    @inline(__always)
    static func dot4(_ query: UnsafePointer<Float>, _ rows: UnsafePointer<Float>, dimension: Int) -> SIMD4<Float> {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        let q = UnsafeRawPointer(query), m = UnsafeRawPointer(rows)
        let stride = dimension * 4  // bytes per row
        var byte = 0
        while byte + 64 <= stride {
            let x = q.loadUnaligned(fromByteOffset: byte, as: SIMD16<Float>.self)
            a0.addProduct(x, m.loadUnaligned(fromByteOffset: byte, as: SIMD16<Float>.self))
            a1.addProduct(x, m.loadUnaligned(fromByteOffset: stride + byte, as: SIMD16<Float>.self))
            a2.addProduct(x, m.loadUnaligned(fromByteOffset: 2 * stride + byte, as: SIMD16<Float>.self))
            a3.addProduct(x, m.loadUnaligned(fromByteOffset: 3 * stride + byte, as: SIMD16<Float>.self))
            byte += 64
        }
        var result = SIMD4<Float>(VectorMath.horizontalSum(a0), VectorMath.horizontalSum(a1),
                                  VectorMath.horizontalSum(a2), VectorMath.horizontalSum(a3))
        var j = byte / 4
        while j < dimension {  // tail when dimension is not a multiple of 16
            let x = query[j]
            result += SIMD4(x * rows[j], x * rows[dimension + j], x * rows[2 * dimension + j], x * rows[3 * dimension + j])
            j += 1
        }
        return result
    }
}

/// The best `capacity` rows seen so far, as a min-heap whose root is the worst of them, so a candidate
/// that cannot enter costs one comparison.
struct BoundedHeap {
    typealias ScoredRow = NearestNeighbours.ScoredRow
    let capacity: Int
    var items: [ScoredRow] = []

    init(capacity: Int) { self.capacity = capacity; items.reserveCapacity(capacity) }

    @inline(__always)
    mutating func offer(_ candidate: ScoredRow) {
        if items.count < capacity {
            items.append(candidate)
            siftUp(items.count - 1)
        } else if capacity > 0, candidate.ranksBefore(items[0]) {
            items[0] = candidate
            siftDown(0)
        }
    }

    /// `a` is closer to the root than `b` should be: it ranks after it.
    @inline(__always)
    func worse(_ a: Int, _ b: Int) -> Bool { items[b].ranksBefore(items[a]) }

    mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard worse(child, parent) else { return }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1, right = left + 1
            var worst = parent
            if left < items.count, worse(left, worst) { worst = left }
            if right < items.count, worse(right, worst) { worst = right }
            if worst == parent { return }
            items.swapAt(parent, worst)
            parent = worst
        }
    }

    func sortedBestFirst() -> [ScoredRow] { items.sorted { $0.ranksBefore($1) } }
}
