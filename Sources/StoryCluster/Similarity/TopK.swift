/// Bounded top-k lists for every row, as fixed-capacity binary min-heaps in flat storage.
///
/// Each row keeps its `capacity` best `(index, score)` candidates, "best" meaning the higher
/// score, then the smaller index. Until a row's list is full every candidate is kept, in
/// arrival order; when it fills it is made a heap whose root is the worst kept candidate, so a
/// new candidate is rejected in O(1) by comparing with ``floor(_:)``. (Many rows of a story
/// graph never fill their 200 edge slots, and pay no heap order at all.)
///
/// - Complexity: `insert` is O(1) until the list is full, O(capacity) once to make the heap,
///   then O(log capacity); memory is O(rows · capacity).
struct TopKHeaps {
  let capacity: Int
  let rowCount: Int
  /// The rows kept (`0..<rowCount`, or a distributed task's part of them); the methods take
  /// row numbers in this range.
  var rows: Range<Int> { base..<(base + rowCount) }
  private let base: Int
  private(set) var scores: [Float]
  private(set) var indices: [Int32]
  private(set) var counts: [Int32]
  /// Per row, the smallest score that can still enter (the root's when full).
  private(set) var floors: [Float]

  init(rowCount: Int, capacity: Int) {
    self.init(rows: 0..<rowCount, capacity: capacity)
  }

  /// Heaps for rows `rows` only.
  init(rows: Range<Int>, capacity: Int) {
    let rowCount = rows.count
    self.capacity = capacity
    self.rowCount = rowCount
    base = rows.lowerBound
    scores = [Float](repeating: 0, count: rowCount * capacity)
    indices = [Int32](repeating: 0, count: rowCount * capacity)
    counts = [Int32](repeating: 0, count: rowCount)
    floors = [Float](repeating: capacity > 0 ? .leastNonzeroMagnitude : .infinity, count: rowCount)
  }

  /// The smallest score worth offering to `row`.
  @inline(__always)
  func floor(_ row: Int) -> Float { floors[row &- base] }

  /// Offers candidate `index` with `score` to `row`'s list.
  @inline(__always)
  mutating func insert(row: Int, index: Int32, score: Float) {
    withStorage { $0.insert(row: row, index: index, score: score) }
  }

  /// The heaps' storage as pointers, for a loop that offers many candidates: each
  /// ``insert(row:index:score:)`` on the arrays checks their uniqueness (twice, and again for
  /// the count and floor it writes), which a scan of millions of scores pays on every offer.
  /// `body` must not let the view escape.
  @inline(__always)
  mutating func withStorage<R>(_ body: (Storage) throws -> R) rethrows -> R {
    let capacity = self.capacity
    let base = self.base
    return try scores.withUnsafeMutableBufferPointer { s in
      try indices.withUnsafeMutableBufferPointer { x in
        try counts.withUnsafeMutableBufferPointer { c in
          try floors.withUnsafeMutableBufferPointer { f in
            try body(
              Storage(capacity: capacity, base: base, scores: s, indices: x, counts: c, floors: f))
          }
        }
      }
    }
  }

  /// A view of the heaps' storage (``withStorage(_:)``); the same operations as the heaps'.
  struct Storage {
    let capacity: Int
    let base: Int
    let scores: UnsafeMutableBufferPointer<Float>
    let indices: UnsafeMutableBufferPointer<Int32>
    let counts: UnsafeMutableBufferPointer<Int32>
    let floors: UnsafeMutableBufferPointer<Float>

    /// The smallest score worth offering to `row`.
    @inline(__always)
    func floor(_ row: Int) -> Float { floors[row &- base] }

    /// Offers candidate `index` with `score` to `row`'s list.
    @inline(__always)
    func insert(row: Int, index: Int32, score: Float) {
      let row = row &- self.base
      let base = row * capacity
      let n = Int(counts[row])
      let s = scores
      let x = indices
      let capacity = self.capacity
      @inline(__always) func worse(_ a: Int, _ b: Int) -> Bool {
        s[a] < s[b] || (s[a] == s[b] && x[a] > x[b])
      }
      /// Moves the entry at `start` down until no child is worse.
      @inline(__always) func siftDown(_ start: Int) {
        var c = start
        while true {
          let l = base + 2 * (c - base) + 1
          if l >= base + capacity { break }
          var m = l
          if l + 1 < base + capacity && worse(l + 1, l) { m = l + 1 }
          guard worse(m, c) else { break }
          s.swapAt(c, m)
          x.swapAt(c, m)
          c = m
        }
      }
      if n < capacity {
        // Not full: kept in arrival order (nothing is rejected yet); made a heap once full,
        // by Floyd's construction (each inner node sifted down, the last first).
        s[base + n] = score
        x[base + n] = index
        counts[row] = Int32(n + 1)
        if n + 1 == capacity {
          for start in stride(from: capacity / 2 - 1, through: 0, by: -1) {
            siftDown(base + start)
          }
          floors[row] = s[base]
        }
        return
      }
      // Full: replace the root only when the candidate is better.
      if score < s[base] || (score == s[base] && index >= x[base]) { return }
      s[base] = score
      x[base] = index
      siftDown(base)
      floors[row] = s[base]
    }
  }

  /// The candidates kept for `row` with their scores, in no particular order.
  func entries(_ row: Int) -> [(score: Float, index: Int32)] {
    let row = row - self.base
    let base = row * capacity
    return (base..<(base + Int(counts[row]))).map { (scores[$0], indices[$0]) }
  }
}
