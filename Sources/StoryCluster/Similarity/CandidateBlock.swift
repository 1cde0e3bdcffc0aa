/// A pair that passed the float filter.
struct Candidate {
  var a: Int32
  var b: Int32
  var score: Float
}

/// One row block's candidates in `(a, b)` order, eight bytes each: row `a`'s are
/// `entries[rowStarts[a - rows.lowerBound]..<rowStarts[a - rows.lowerBound + 1]]`, each its `b`
/// and float score. The entries are in pages of their own, freed as soon as the block's pairs are
/// written (see ``MappedBuffer``).
struct CandidateBlock: Sendable {
  struct Entry {
    var b: Int32
    var score: Float
  }

  let rows: Range<Int>
  let rowStarts: [Int]
  let entries: MappedBuffer<Entry>

  /// A row block's candidates as found (column block by column block, so each row's are
  /// already in ascending `b`), put in `(a, b)` order by a stable counting sort by row.
  ///
  /// - Complexity: O(candidates + rows).
  init(_ candidates: [Candidate], rows: Range<Int>) {
    var starts = [Int](repeating: 0, count: rows.count + 1)
    for c in candidates { starts[Int(c.a) - rows.lowerBound + 1] += 1 }
    for r in 0..<rows.count { starts[r + 1] += starts[r] }
    var next = starts
    let entries = MappedBuffer<Entry>(count: candidates.count)
    for c in candidates {
      let r = Int(c.a) - rows.lowerBound
      entries.buffer.initializeElement(at: next[r], to: Entry(b: c.b, score: c.score))
      next[r] += 1
    }
    self.rows = rows
    self.rowStarts = starts
    self.entries = entries
  }

  /// Calls `body` with each candidate, in `(a, b)` order.
  @inline(__always)
  func forEach(_ body: (Candidate) -> Void) {
    let entries = self.entries.buffer
    for r in 0..<rows.count {
      let a = Int32(rows.lowerBound + r)
      for e in rowStarts[r]..<rowStarts[r + 1] {
        body(Candidate(a: a, b: entries[e].b, score: entries[e].score))
      }
    }
  }
}
