/// Byte-level BPE merges as token ids: the starting token of each byte and, for each mergeable pair of tokens,
/// its rank (position in the merges list; lower merges first) and the token it merges into.
struct MergeTable: Sendable {
    /// The single-byte token for each byte value.
    let byteTokens: [Int32]
    /// Pair (left << 32 | right) → rank.
    private let rankOfPair: [UInt64: Int32]
    /// Per rank: the pair it merges and the result.
    let lefts: [Int32]
    let rights: [Int32]
    let results: [Int32]

    init(byteTokens: [Int32], pairs: [(left: Int32, right: Int32, result: Int32)]) {
        self.byteTokens = byteTokens
        var rankOfPair: [UInt64: Int32] = [:]
        rankOfPair.reserveCapacity(pairs.count)
        var lefts: [Int32] = [], rights: [Int32] = [], results: [Int32] = []
        lefts.reserveCapacity(pairs.count)
        rights.reserveCapacity(pairs.count)
        results.reserveCapacity(pairs.count)
        for pair in pairs {
            let key = Self.key(pair.left, pair.right)
            guard rankOfPair[key] == nil else { continue }  // a repeated merge keeps its first (lowest) rank
            rankOfPair[key] = Int32(lefts.count)
            lefts.append(pair.left)
            rights.append(pair.right)
            results.append(pair.result)
        }
        self.rankOfPair = rankOfPair
        self.lefts = lefts
        self.rights = rights
        self.results = results
    }

    var count: Int { lefts.count }

    @inline(__always)
    static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// The rank of merging `left` with `right`, if they merge.
    @inline(__always)
    func rank(_ left: Int32, _ right: Int32) -> Int32? {
        rankOfPair[Self.key(left, right)]
    }
}

/// Runs the merges over one word at a time, keeping its buffers between words (one per `encode` call).
///
/// The classic algorithm: start from one token per byte, repeatedly merge the adjacent pair with the lowest rank
/// (the leftmost one on ties) until no pair merges. A min-heap of candidate pairs and a linked list of symbols
/// make a long word (a Chinese sentence is one word) O(n log n) instead of O(n²).
struct BPEWordMerger {
    private var ids: [Int32] = []
    private var previous: [Int32] = []
    private var next: [Int32] = []
    /// Candidates as rank << 32 | left position, so the smallest value is the lowest rank, then the leftmost.
    private var heap: [UInt64] = []

    mutating func merge(_ word: UnsafeBufferPointer<UInt8>, with table: MergeTable, into out: inout [Int]) {
        let n = word.count
        if n == 1 {
            out.append(Int(table.byteTokens[Int(word[0])]))
            return
        }
        ids.removeAll(keepingCapacity: true)
        previous.removeAll(keepingCapacity: true)
        next.removeAll(keepingCapacity: true)
        heap.removeAll(keepingCapacity: true)
        for i in 0..<n {
            ids.append(table.byteTokens[Int(word[i])])
            previous.append(Int32(i - 1))
            next.append(i + 1 < n ? Int32(i + 1) : -1)
        }
        for i in 0..<(n - 1) { pushCandidate(left: i, table) }

        while let top = popMin() {
            let rank = Int(top >> 32), left = Int(top & 0xFFFF_FFFF)
            let right = Int(next[left])
            // Stale candidates: one side was merged into something else since this pair was pushed.
            guard right >= 0, ids[left] == table.lefts[rank], ids[right] == table.rights[rank] else { continue }
            ids[left] = table.results[rank]
            ids[right] = -1
            let after = next[right]
            next[left] = after
            if after >= 0 { previous[Int(after)] = Int32(left) }
            if previous[left] >= 0 { pushCandidate(left: Int(previous[left]), table) }
            pushCandidate(left: left, table)
        }
        var i = 0
        while i >= 0 {
            out.append(Int(ids[i]))
            i = Int(next[i])
        }
    }

    @inline(__always)
    private mutating func pushCandidate(left: Int, _ table: MergeTable) {
        let right = Int(next[left])
        guard right >= 0, let rank = table.rank(ids[left], ids[right]) else { return }
        heap.append(UInt64(rank) << 32 | UInt64(left))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    @inline(__always)
    private mutating func popMin() -> UInt64? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return last }
        let top = heap[0]
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count && heap[left] < heap[smallest] { smallest = left }
            if right < heap.count && heap[right] < heap[smallest] { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
