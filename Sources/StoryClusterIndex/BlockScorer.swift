import StoryCluster

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Weighted rows over the index's global term ids: each row's terms ascending and its
/// L2-normalised weights.
struct WeightedRows {
  var starts: [Int] = [0]
  var terms: [Int32] = []
  var values: [Float] = []

  var count: Int { starts.count - 1 }

  mutating func append(terms rowTerms: [Int32], values rowValues: [Float]) {
    terms.append(contentsOf: rowTerms)
    values.append(contentsOf: rowValues)
    starts.append(terms.count)
  }

  mutating func append(row r: Int, of other: WeightedRows) {
    let range = other.starts[r]..<other.starts[r + 1]
    terms.append(contentsOf: other.terms[range])
    values.append(contentsOf: other.values[range])
    starts.append(terms.count)
  }

  mutating func append(_ other: WeightedRows) {
    let base = terms.count
    terms.append(contentsOf: other.terms)
    values.append(contentsOf: other.values)
    for r in 1..<other.starts.count { starts.append(base + other.starts[r]) }
  }

  /// The rows as a CSR matrix over `columnCount` columns.
  func matrix(columnCount: Int) -> SparseMatrix {
    SparseMatrix(columnCount: columnCount, rowStarts: starts, columns: terms, values: values)
  }
}

/// The cosines of a batch of new rows against candidate rows, from an inverted list of the
/// candidates over the batch's terms.
///
/// The candidates' entries on terms some batch row holds are gathered into one posting list per
/// such term (candidate, weight), in candidate order; each batch row then walks the lists of its
/// terms and adds `v · w` into its row of the result. A pair's cosine is therefore the sum, in
/// `Float`, of the products over the terms both rows hold, in ascending term order: the sparse
/// dot product, within the `Float` round-off of the engine's `sgemm` kernel (about 1e-7 per
/// term; the tests compare within 1e-5). Terms a candidate holds but no batch row does are never
/// touched. Batch rows are independent and each is written by one thread, so the result does not
/// depend on the thread count. One or two batch rows (a query) skip the posting lists: each
/// candidate is read once against the row spread over its terms, which adds the same products in
/// the same order (``directRowLimit``).
///
/// This replaced dense `sgemm` tiles over the batch's columns: a batch of 1,000 news articles
/// holds tens of thousands of distinct terms, and each row only a few hundred, so the dense
/// tiles were over 99 % zeros (half the time of an add at 100,000 articles; see the README's
/// story index section).
///
/// - Complexity: O(nnz(candidates) + Σ over batch entries of the posting length of the entry's
///   term) time, that is, the multiply-adds of the sparse product; O(nnz of the candidates on the
///   batch's terms + largest term id) scratch plus the B × C result.
enum BlockScorer {
  /// Batch rows below which a pass over the block stays on one thread: a few rows' work (a
  /// one-article query) is not worth waking the others.
  static let rowsWorthThreads = 16

  /// Row-major B × C cosines.
  static func cosines(batch: WeightedRows, candidates: WeightedRows, threads: Int = 0) -> [Float] {
    cosines(
      batch: batch, rows: 0..<batch.count, candidates: candidates,
      columns: (0..<Int32(candidates.count)).map { $0 }, threads: threads)
  }

  /// Row-major cosines of batch rows `rows` (in order) against candidate rows `columns` (in the
  /// given order): `rows.count × columns.count`, each entry bit for bit the entry of the whole
  /// B × C block (the same products, added in the same order).
  static func cosines(
    batch: WeightedRows, rows: Range<Int>, candidates: WeightedRows, columns: [Int32],
    threads: Int = 0
  ) -> [Float] {
    let b = rows.count
    let c = columns.count
    var result = [Float](repeating: 0, count: b * c)
    if b == 0 || c == 0 { return result }
    if b <= directRowLimit {
      direct(batch: batch, rows: rows, candidates: candidates, columns: columns, into: &result)
      return result
    }
    let entries = batch.starts[rows.lowerBound]..<batch.starts[rows.upperBound]
    // Local columns of the rows' terms.
    let termLimit = Int(batch.terms[entries].max() ?? -1) + 1
    var column = [Int32](repeating: -1, count: termLimit)
    var columnCount = 0
    for t in batch.terms[entries] where column[Int(t)] < 0 {
      column[Int(t)] = Int32(columnCount)
      columnCount += 1
    }
    // Posting lists of the candidates on those columns (counting sort, in `columns` order).
    var starts = [Int](repeating: 0, count: columnCount + 1)
    for r in columns {
      for e in candidates.starts[Int(r)]..<candidates.starts[Int(r) + 1] {
        let t = Int(candidates.terms[e])
        if t < termLimit && column[t] >= 0 { starts[Int(column[t]) + 1] += 1 }
      }
    }
    for k in 0..<columnCount { starts[k + 1] += starts[k] }
    var fill = starts
    var postingRow = [Int32](repeating: 0, count: starts[columnCount])
    var postingValue = [Float](repeating: 0, count: starts[columnCount])
    for (q, r) in columns.enumerated() {
      for e in candidates.starts[Int(r)]..<candidates.starts[Int(r) + 1] {
        let t = Int(candidates.terms[e])
        guard t < termLimit else { continue }
        let k = Int(column[t])
        guard k >= 0 else { continue }
        postingRow[fill[k]] = Int32(q)
        postingValue[fill[k]] = candidates.values[e]
        fill[k] += 1
      }
    }
    let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
    result.withUnsafeMutableBufferPointer { buffer in
      postingRow.withUnsafeBufferPointer { rowOf in
        postingValue.withUnsafeBufferPointer { valueOf in
          guard let base = buffer.baseAddress else { return }
          nonisolated(unsafe) let out = base
          // Few multiply-adds: not worth waking threads (a one-article query).
          let useThreads = b >= rowsWorthThreads ? workers : 1
          parallelForEach(b, threads: useThreads) { i in
            let row = out + i * c
            let r = rows.lowerBound + i
            for e in batch.starts[r]..<batch.starts[r + 1] {
              let k = Int(column[Int(batch.terms[e])])
              let v = batch.values[e]
              for p in starts[k]..<starts[k + 1] {
                row[Int(rowOf[p])] += v * valueOf[p]
              }
            }
          }
        }
      }
    }
    return result
  }

  /// Up to this many batch rows (a one-article query) are scored by ``direct(batch:rows:candidates:columns:into:)``
  /// rather than through posting lists.
  static let directRowLimit = 2

  /// Each batch row spread into a dense array over its terms, then each candidate's entries
  /// read once against it: one pass over the candidates per row, with no posting lists. A
  /// candidate's products on the terms the row holds are added in ascending term order, the
  /// order the posting lists give, so every cosine is bit for bit the same.
  private static func direct(
    batch: WeightedRows, rows: Range<Int>, candidates: WeightedRows, columns: [Int32],
    into result: inout [Float]
  ) {
    let c = columns.count
    for (i, r) in rows.enumerated() {
      let own = batch.starts[r]..<batch.starts[r + 1]
      guard let last = batch.terms[own].last else { continue }
      var dense = [Float](repeating: 0, count: Int(last) + 1)
      for e in own { dense[Int(batch.terms[e])] = batch.values[e] }
      let limit = Int32(dense.count)
      dense.withUnsafeBufferPointer { weight in
        candidates.terms.withUnsafeBufferPointer { terms in
          candidates.values.withUnsafeBufferPointer { values in
            for (q, column) in columns.enumerated() {
              var sum: Float = 0
              for e in candidates.starts[Int(column)]..<candidates.starts[Int(column) + 1] {
                let t = terms[e]
                // Terms ascend: past the row's last term nothing more is shared.
                if t >= limit { break }
                let v = weight[Int(t)]
                if v != 0 { sum += v * values[e] }
              }
              result[i * c + q] = sum
            }
          }
        }
      }
    }
  }
}
