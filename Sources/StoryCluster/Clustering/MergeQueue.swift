/// A merge candidate of average linkage: two cluster keys and an upper bound of their average.
struct MergeCandidate {
  var score: Double
  var a: Int32
  var b: Int32

  /// Whether `self` must be popped before `other`: higher score, then smaller keys.
  @inline(__always)
  func precedes(_ other: MergeCandidate) -> Bool {
    score != other.score ? score > other.score : (a != other.a ? a < other.a : b < other.b)
  }
}

/// A 4-ary max-heap of merge candidates, built in O(n) from the initial pairs.
///
/// A 4-ary heap halves the depth of a binary one, and the comparison is inlined rather than
/// called through a closure: popping millions of candidates is the hot loop of average linkage.
///
/// - Complexity: `push` O(log n), `pop` O(4 log₄ n); building from n items O(n).
struct MergeQueue {
  private var items: [MergeCandidate]

  /// Creates a heap holding `items`.
  init(_ items: [MergeCandidate]) {
    self.items = items
    if items.count > 1 {
      for c in stride(from: (items.count - 2) / 4, through: 0, by: -1) { siftDown(c) }
    }
  }

  /// The candidate `pop` would return next.
  func peek() -> MergeCandidate? { items.first }

  /// The number of queued candidates.
  var count: Int { items.count }

  /// Adds a candidate.
  mutating func push(_ element: MergeCandidate) {
    items.append(element)
    var c = items.count - 1
    while c > 0 {
      let p = (c - 1) / 4
      guard element.precedes(items[p]) else { break }
      items[c] = items[p]
      c = p
    }
    items[c] = element
  }

  /// Removes and returns the first candidate.
  mutating func pop() -> MergeCandidate? {
    guard let top = items.first else { return nil }
    let last = items.removeLast()
    if !items.isEmpty {
      items[0] = last
      siftDown(0)
    }
    return top
  }

  private mutating func siftDown(_ start: Int) {
    let count = items.count
    let element = items[start]
    var c = start
    while true {
      let first = 4 * c + 1
      if first >= count { break }
      var best = first
      var k = first + 1
      let end = min(first + 4, count)
      while k < end {
        if items[k].precedes(items[best]) { best = k }
        k += 1
      }
      guard items[best].precedes(element) else { break }
      items[c] = items[best]
      c = best
    }
    items[c] = element
  }
}
