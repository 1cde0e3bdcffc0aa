/// The dense/sparse split of the columns and the inverted index of the sparse part.
///
/// - Complexity: Building is O(nnz + V log V) for V columns (the columns in two rows or more are
///   sorted by frequency); memory is O(V) plus 8 bytes per tail entry (its row and value).
struct ColumnLayout: Sendable {
  /// Column → its index among the head columns, or -1.
  let headIndex: [Int32]
  let headCount: Int
  /// Column → whether the tail pass uses it (not head, in at least two rows).
  let isTail: [Bool]
  /// CSC of the tail columns: postings of column c are `starts[c]..<starts[c+1]`.
  let starts: [Int]
  let rows: [Int32]
  let values: [Float]

  init(matrix: SparseMatrix, head: SimilarityKernel.HeadSelection) {
    self.init(matrix: matrix, split: ColumnSplit(matrix: matrix, head: head))
  }

  /// The layout of `matrix`'s rows under a split decided on a whole corpus (a distributed
  /// task holds only some rows: their document frequencies would split the columns otherwise).
  ///
  /// Each of `threads` threads counts and then writes the postings of its own range of rows,
  /// at offsets after the earlier ranges' postings of each column: the postings of a column
  /// are in row order whatever the thread count.
  init(matrix: SparseMatrix, split: ColumnSplit, threads: Int = 1) {
    let columns = matrix.columnCount
    let n = matrix.rowCount
    precondition(split.headIndex.count == columns, "a split for this vocabulary")
    let workers = max(1, min(threads, n / 1024))
    let bounds = (0...workers).map { n * $0 / workers }
    // Per thread, its rows' postings of each tail column; then its first offset in each.
    var fills: [[Int]] = parallelMap(workers, threads: workers) { t -> [Int] in
      var counts = [Int](repeating: 0, count: columns)
      for e in matrix.rowStarts[bounds[t]]..<matrix.rowStarts[bounds[t + 1]] {
        let c = Int(matrix.columns[e])
        if split.isTail[c] { counts[c] += 1 }
      }
      return counts
    }
    var starts = [Int](repeating: 0, count: columns + 1)
    for c in 0..<columns {
      var offset = starts[c]
      for t in 0..<workers {
        let count = fills[t][c]
        fills[t][c] = offset
        offset += count
      }
      starts[c + 1] = offset
    }
    let total = starts[columns]
    var rows = [Int32](repeating: 0, count: total)
    var values = [Float](repeating: 0, count: total)
    rows.withUnsafeMutableBufferPointer { rows in
      values.withUnsafeMutableBufferPointer { values in
        nonisolated(unsafe) let (rows, values) = (rows, values)
        parallelForEach(workers, threads: workers) { t in
          // Each thread writes only the slots its own offsets name.
          var fill = fills[t]
          for r in bounds[t]..<bounds[t + 1] {
            for e in matrix.rowStarts[r]..<matrix.rowStarts[r + 1] {
              let c = Int(matrix.columns[e])
              guard split.isTail[c] else { continue }
              rows[fill[c]] = Int32(r)
              values[fill[c]] = matrix.values[e]
              fill[c] += 1
            }
          }
        }
      }
    }
    self.headIndex = split.headIndex
    self.headCount = split.headCount
    self.isTail = split.isTail
    self.starts = starts
    self.rows = rows
    self.values = values
  }
}

/// Which columns the kernel computes densely (the head) and which from the inverted index (the
/// tail: the others in two rows or more), decided from the whole matrix's document frequencies.
///
/// - Complexity: O(nnz + V log V) to decide; O(V) memory.
struct ColumnSplit: Sendable, Equatable {
  /// Column → its index among the head columns, or -1.
  let headIndex: [Int32]
  let headCount: Int
  /// Column → whether the tail pass uses it.
  let isTail: [Bool]

  init(headIndex: [Int32], headCount: Int, isTail: [Bool]) {
    self.headIndex = headIndex
    self.headCount = headCount
    self.isTail = isTail
  }

  init(matrix: SparseMatrix, head: SimilarityKernel.HeadSelection) {
    let columns = matrix.columnCount
    let n = matrix.rowCount
    var df = [Int](repeating: 0, count: columns)
    for c in matrix.columns { df[Int(c)] += 1 }
    let byFrequency = (0..<columns).filter { df[$0] >= 2 }.sorted {
      df[$0] != df[$1] ? df[$0] > df[$1] : $0 < $1
    }
    var h: Int
    switch head {
    case .fixed(let count): h = count
    case .automatic(let fraction):
      let cut = max(2.0, fraction * Double(n))
      h = byFrequency.prefix { Double(df[$0]) >= cut }.count
      if h > 0 { h = min(1024, (h + 15) / 16 * 16) }
    }
    h = max(0, min(h, byFrequency.count))
    var headIndex = [Int32](repeating: -1, count: columns)
    for (position, column) in byFrequency.prefix(h).enumerated() {
      headIndex[column] = Int32(position)
    }
    var isTail = [Bool](repeating: false, count: columns)
    for column in byFrequency.dropFirst(h) { isTail[column] = true }
    self.init(headIndex: headIndex, headCount: h, isTail: isTail)
  }
}
