/// A matrix of vectors kept as signed 8-bit codes with one scale per row (row ≈ codes × scale): a quarter of
/// the memory of the f32 rows, and a quarter of the bytes a search streams. Its scores are approximate, so a
/// search takes more candidates than it needs and ranks them again by their exact f32 vectors
/// (`NearestNeighbours.rescored`).
///
/// Per-row absmax scaling: each code is off by at most half a step (scale / 2), so a score is off by at most
/// scale / 2 · ‖query‖₁ (`errorBound`); for 384-dimension e5 vectors that bound is about 0.01 and the real error
/// is at most about a thousandth (0.0013 over 133 questions against 479 corpus vectors, AskEndToEndTests).
public struct QuantisedRows: Sendable {
    public let dimension: Int
    /// count × dimension codes, row-major.
    public private(set) var codes: [Int8] = []
    /// One per row: the row's largest absolute value / 127.
    public private(set) var scales: [Float] = []

    public var count: Int { scales.count }

    public init(dimension: Int) {
        precondition(dimension > 0, "a row has at least one value")
        self.dimension = dimension
    }

    /// Quantises `rows` (a multiple of `dimension` floats, row-major).
    public init(rows: [Float], dimension: Int) {
        self.init(dimension: dimension)
        precondition(rows.count % dimension == 0, "shapes disagree")
        reserveCapacity(rows.count / dimension)
        rows.withUnsafeBufferPointer { all in
            for start in stride(from: 0, to: rows.count, by: dimension) { append(UnsafeBufferPointer(rebasing: all[start..<start + dimension])) }
        }
    }

    public mutating func reserveCapacity(_ rows: Int) {
        codes.reserveCapacity(rows * dimension)
        scales.reserveCapacity(rows)
    }

    /// Quantises one row of `dimension` floats onto the end.
    public mutating func append(_ row: UnsafeBufferPointer<Float>) {
        precondition(row.count == dimension, "a row has `dimension` values")
        let largest = row.reduce(0) { max($0, abs($1)) }
        let scale = largest / 127
        let inverse = scale > 0 ? 1 / scale : 0
        for value in row { codes.append(Int8((value * inverse).rounded())) }
        scales.append(scale)
    }

    /// Row `row` back as floats (codes × scale).
    public func dequantised(row: Int) -> [Float] {
        (0..<dimension).map { Float(codes[row * dimension + $0]) * scales[row] }
    }

    /// The most an approximate score of `row` can differ from the exact dot product with `query` whose L1 norm
    /// is `queryL1`.
    public func errorBound(row: Int, queryL1: Float) -> Float { scales[row] / 2 * queryL1 }

    /// The `k` rows with the highest approximate dot product with `query` (`dimension` floats), best first;
    /// only rows whose `admitted` entry is true when a mask is given. Ties go to the lower row.
    public func topK(query: [Float], k: Int, admitted: [Bool]? = nil, parallelism: Parallelism) -> [NearestNeighbours.ScoredRow] {
        precondition(query.count == dimension, "the query has `dimension` values")
        precondition(admitted.map { $0.count == count } ?? true, "one admitted entry per row")
        return query.withUnsafeBufferPointer { q in
            codes.withUnsafeBufferPointer { c in
                scales.withUnsafeBufferPointer { s in
                    func run(_ mask: UnsafePointer<Bool>?) -> [NearestNeighbours.ScoredRow] {
                        NearestNeighbours.inBands(rows: count, k: k, parallelism: parallelism) { band, k in
                            Self.scan(query: q.baseAddress!, codes: c.baseAddress!, scales: s.baseAddress!, rows: band,
                                      dimension: dimension, k: k, admitted: mask)
                        }
                    }
                    guard let admitted else { return run(nil) }
                    return admitted.withUnsafeBufferPointer { run($0.baseAddress!) }
                }
            }
        }
    }

    /// One band, four rows at a time sharing each 16-float slice of the query, then the rest one by one.
    static func scan(query: UnsafePointer<Float>, codes: UnsafePointer<Int8>, scales: UnsafePointer<Float>, rows: Range<Int>,
                     dimension: Int, k: Int, admitted: UnsafePointer<Bool>?) -> [NearestNeighbours.ScoredRow] {
        var heap = BoundedHeap(capacity: k)
        var r = rows.lowerBound
        while r + 4 <= rows.upperBound {
            let sums = dot4(query, codes + r * dimension, dimension: dimension)
            for lane in 0..<4 where admitted?[r + lane] ?? true {
                heap.offer(NearestNeighbours.ScoredRow(row: r + lane, score: sums[lane] * scales[r + lane]))
            }
            r += 4
        }
        while r < rows.upperBound {
            if admitted?[r] ?? true {
                heap.offer(NearestNeighbours.ScoredRow(row: r, score: dot(query, codes + r * dimension, dimension: dimension) * scales[r]))
            }
            r += 1
        }
        return heap.sortedBestFirst()
    }

    /// Σ query · code over four consecutive rows of codes (each `dimension` bytes), before their scales.
    @inline(__always)
    static func dot4(_ query: UnsafePointer<Float>, _ rows: UnsafePointer<Int8>, dimension: Int) -> SIMD4<Float> {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        let q = UnsafeRawPointer(query), m = UnsafeRawPointer(rows)
        var j = 0
        while j + 16 <= dimension {
            let x = q.loadUnaligned(fromByteOffset: j * 4, as: SIMD16<Float>.self)
            a0.addProduct(x, SIMDWidening.floats(m.loadUnaligned(fromByteOffset: j, as: SIMD16<Int8>.self)))
            a1.addProduct(x, SIMDWidening.floats(m.loadUnaligned(fromByteOffset: dimension + j, as: SIMD16<Int8>.self)))
            a2.addProduct(x, SIMDWidening.floats(m.loadUnaligned(fromByteOffset: 2 * dimension + j, as: SIMD16<Int8>.self)))
            a3.addProduct(x, SIMDWidening.floats(m.loadUnaligned(fromByteOffset: 3 * dimension + j, as: SIMD16<Int8>.self)))
            j += 16
        }
        var result = SIMD4<Float>(VectorMath.horizontalSum(a0), VectorMath.horizontalSum(a1),
                                  VectorMath.horizontalSum(a2), VectorMath.horizontalSum(a3))
        while j < dimension {  // tail when dimension is not a multiple of 16
            let x = query[j]
            result += SIMD4(x * Float(rows[j]), x * Float(rows[dimension + j]), x * Float(rows[2 * dimension + j]),
                            x * Float(rows[3 * dimension + j]))
            j += 1
        }
        return result
    }

    @inline(__always)
    static func dot(_ query: UnsafePointer<Float>, _ row: UnsafePointer<Int8>, dimension: Int) -> Float {
        var sum: Float = 0
        for j in 0..<dimension { sum += query[j] * Float(row[j]) }
        return sum
    }
}

extension NearestNeighbours {
    /// Approximate candidates ranked again by exact scores: `exactScore(row)` for each (nil: the row is gone,
    /// left out), best first, the first `k`. Ties go to the lower row, as in `topK`.
    public static func rescored(_ candidates: [ScoredRow], k: Int, exactScore: (Int) throws -> Float?) rethrows -> [ScoredRow] {
        let exact = try candidates.compactMap { candidate in try exactScore(candidate.row).map { ScoredRow(row: candidate.row, score: $0) } }
        return Array(exact.sorted { $0.ranksBefore($1) }.prefix(k))
    }
}
