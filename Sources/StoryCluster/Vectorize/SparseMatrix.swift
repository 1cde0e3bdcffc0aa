/// A compressed sparse row (CSR) matrix of `Float` weights: one row per article, one column per
/// vocabulary term.
///
/// Row `r` holds the entries `rowStarts[r] ..< rowStarts[r + 1]` of `columns` and `values`, with
/// columns strictly increasing within a row (SciPy's canonical CSR form).
///
/// ```swift
/// let m = SparseMatrix(columnCount: 3, rowStarts: [0, 2], columns: [0, 2], values: [0.6, 0.8])
/// m.row(0).count  // 2
/// ```
///
/// - Complexity: Memory O(rows + non-zeros).
public struct SparseMatrix: Sendable, Equatable {
  /// The number of columns (the vocabulary size).
  public let columnCount: Int
  /// Row offsets into `columns` and `values`; `rowCount + 1` entries, starting at 0.
  public let rowStarts: [Int]
  /// The column of each stored entry.
  public let columns: [Int32]
  /// The value of each stored entry.
  public let values: [Float]

  /// Creates a matrix from CSR arrays.
  ///
  /// - Parameters:
  ///   - columnCount: The number of columns.
  ///   - rowStarts: `rowCount + 1` non-decreasing offsets, the first 0 and the last `columns.count`.
  ///   - columns: Column indices, increasing within each row, each below `columnCount`.
  ///   - values: One value per column index.
  /// - Complexity: O(1): `precondition` checks only the ends of `rowStarts` and the lengths;
  ///   `invariantViolation()` checks the whole form in O(rows + non-zeros).
  public init(columnCount: Int, rowStarts: [Int], columns: [Int32], values: [Float]) {
    precondition(rowStarts.first == 0 && rowStarts.last == columns.count)
    precondition(columns.count == values.count)
    self.columnCount = columnCount
    self.rowStarts = rowStarts
    self.columns = columns
    self.values = values
  }

  /// The number of rows.
  public var rowCount: Int { rowStarts.count - 1 }

  /// The matrix of `rows`, in that order (a row may come more than once).
  ///
  /// Each row's entries are copied at once into arrays of their final size: appending row by
  /// row grew the arrays, and was most of the time of collapsing copies and of ordering rows by
  /// date, serial steps of a run.
  ///
  /// - Parameter rows: Row indices below ``rowCount``.
  /// - Returns: A matrix of `rows.count` rows and the same columns.
  /// - Complexity: O(rows.count + their non-zeros).
  package func gathering<Row: BinaryInteger>(_ rows: [Row]) -> SparseMatrix {
    var starts = [Int](repeating: 0, count: rows.count + 1)
    for (k, row) in rows.enumerated() {
      starts[k + 1] = starts[k] + rowStarts[Int(row) + 1] - rowStarts[Int(row)]
    }
    func gathered<T>(_ source: [T]) -> [T] {
      [T](unsafeUninitializedCapacity: starts[rows.count]) { buffer, initialized in
        source.withUnsafeBufferPointer { source in
          guard let target = buffer.baseAddress, let origin = source.baseAddress else { return }
          for (k, row) in rows.enumerated() {
            (target + starts[k]).initialize(
              from: origin + rowStarts[Int(row)], count: starts[k + 1] - starts[k])
          }
        }
        initialized = starts[rows.count]
      }
    }
    return SparseMatrix(
      columnCount: columnCount, rowStarts: starts, columns: gathered(columns),
      values: gathered(values))
  }

  /// The number of stored entries.
  public var nonZeroCount: Int { columns.count }

  /// The stored entries of row `r` as `(column, value)` pairs.
  ///
  /// - Parameter r: A row index below ``rowCount``.
  /// - Returns: The entries in increasing column order.
  /// - Complexity: O(entries in the row).
  public func row(_ r: Int) -> [(column: Int, value: Float)] {
    (rowStarts[r]..<rowStarts[r + 1]).map { (Int(columns[$0]), values[$0]) }
  }

  /// The dot product of rows `a` and `b`, accumulated in `Double` by merging the two sorted rows.
  ///
  /// - Complexity: O(entries in both rows).
  public func dot(_ a: Int, _ b: Int) -> Double {
    columns.withUnsafeBufferPointer { cols in
      values.withUnsafeBufferPointer { vals in
        Self.mergedDot(
          cols, vals, rowStarts[a]..<rowStarts[a + 1], rowStarts[b]..<rowStarts[b + 1])
      }
    }
  }

  /// The dot product of the entries `i` and `j` of `columns` / `values` (two sorted rows), as
  /// ``dot(_:_:)`` computes it: for a caller that takes the buffers once for many products.
  @inline(__always)
  static func mergedDot(
    _ columns: UnsafeBufferPointer<Int32>, _ values: UnsafeBufferPointer<Float>, _ i: Range<Int>,
    _ j: Range<Int>
  ) -> Double {
    var (p, q) = (i.lowerBound, j.lowerBound)
    var sum = 0.0
    while p < i.upperBound && q < j.upperBound {
      let (cp, cq) = (columns[p], columns[q])
      if cp == cq {
        sum += Double(values[p]) * Double(values[q])
        p += 1
        q += 1
      } else if cp < cq {
        p += 1
      } else {
        q += 1
      }
    }
    return sum
  }

  /// The Euclidean norm of row `r`, accumulated in `Double`.
  public func norm(_ r: Int) -> Double {
    var sum = 0.0
    for k in rowStarts[r]..<rowStarts[r + 1] { sum += Double(values[k]) * Double(values[k]) }
    return sum.squareRoot()
  }
}
