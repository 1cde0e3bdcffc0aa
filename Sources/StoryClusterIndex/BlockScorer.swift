import StoryCluster

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
}

/// The cosines of a batch of new rows against candidate rows, as a batch × candidates block of
/// `sgemm` products on dense tiles.
///
/// For each tile of up to ``batchTile`` batch rows, only the columns those rows hold are laid
/// out densely, and the candidate rows are gathered onto the same columns in tiles whose dense
/// size stays under ``tileFloats``; ``BLAS/multiplyTransposed(m:n:k:a:b:c:ldc:)`` then writes each
/// tile's cosines straight into the result. Terms a candidate holds but no batch row of the tile
/// does contribute nothing to the dot product and are never laid out.
///
/// - Complexity: O(B·C·T) flops for B batch rows, C candidates and T columns of a batch tile, on
///   BLAS; O(``tileFloats``) scratch plus the B × C result.
enum BlockScorer {
  static let batchTile = 256
  static let tileFloats = 4 << 20

  /// Row-major B × C cosines.
  static func cosines(batch: WeightedRows, candidates: WeightedRows) -> [Float] {
    let b = batch.count
    let c = candidates.count
    var result = [Float](repeating: 0, count: b * c)
    if b == 0 || c == 0 { return result }
    var column: [Int32: Int32] = [:]
    var tileA: [Float] = []
    var tileB: [Float] = []
    var lower = 0
    while lower < b {
      let upper = min(b, lower + batchTile)
      column.removeAll(keepingCapacity: true)
      for e in batch.starts[lower]..<batch.starts[upper] where column[batch.terms[e]] == nil {
        column[batch.terms[e]] = Int32(column.count)
      }
      let t = column.count
      let rows = upper - lower
      tileA = [Float](repeating: 0, count: rows * t)
      for r in lower..<upper {
        for e in batch.starts[r]..<batch.starts[r + 1] {
          if let j = column[batch.terms[e]] { tileA[(r - lower) * t + Int(j)] = batch.values[e] }
        }
      }
      let candidateTile = max(16, min(c, tileFloats / max(t, 1)))
      var cLower = 0
      while cLower < c {
        let cUpper = min(c, cLower + candidateTile)
        let cRows = cUpper - cLower
        if tileB.count < cRows * t {
          tileB = [Float](repeating: 0, count: cRows * t)
        } else {
          for i in 0..<(cRows * t) { tileB[i] = 0 }
        }
        for r in cLower..<cUpper {
          for e in candidates.starts[r]..<candidates.starts[r + 1] {
            if let j = column[candidates.terms[e]] {
              tileB[(r - cLower) * t + Int(j)] = candidates.values[e]
            }
          }
        }
        tileA.withUnsafeBufferPointer { a in
          tileB.withUnsafeBufferPointer { bb in
            result.withUnsafeMutableBufferPointer { out in
              guard let ap = a.baseAddress, let bp = bb.baseAddress, let op = out.baseAddress
              else { return }
              BLAS.multiplyTransposed(
                m: rows, n: cRows, k: t, a: ap, b: bp, c: op + lower * c + cLower, ldc: c)
            }
          }
        }
        cLower = cUpper
      }
      lower = upper
    }
    return result
  }
}
