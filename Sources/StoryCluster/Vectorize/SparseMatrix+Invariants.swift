extension SparseMatrix {
  /// The first way the arrays break the canonical CSR form, or `nil` when they keep it.
  ///
  /// Canonical form: `rowStarts` begins at 0, never decreases and ends at the number of entries;
  /// `values` has one value per entry; and within each row the columns are strictly increasing
  /// and below ``columnCount``. ``TFIDFVectorizer`` and ``TFIDFModel`` produce this form, and the
  /// kernel's merges, dot products and inverted index rely on it.
  ///
  /// - Returns: A description of the first violation, naming the row and entry.
  /// - Complexity: O(rows + non-zeros).
  package func invariantViolation() -> String? {
    guard let first = rowStarts.first else { return "rowStarts is empty" }
    if first != 0 { return "rowStarts[0] is \(first), not 0" }
    if let last = rowStarts.last, last != columns.count {
      return "rowStarts ends at \(last), not at the \(columns.count) entries"
    }
    if values.count != columns.count {
      return "\(values.count) values for \(columns.count) entries"
    }
    // Offsets first, so that the column pass below stays within the entries.
    for r in 0..<rowCount where rowStarts[r] > rowStarts[r + 1] {
      return "row \(r): rowStarts decreases from \(rowStarts[r]) to \(rowStarts[r + 1])"
    }
    for r in 0..<rowCount {
      var previous: Int32 = -1
      for e in rowStarts[r]..<rowStarts[r + 1] {
        let column = columns[e]
        if column < 0 || Int(column) >= columnCount {
          return "row \(r), entry \(e): column \(column) outside 0..<\(columnCount)"
        }
        if column <= previous {
          return "row \(r), entry \(e): column \(column) does not follow column \(previous)"
        }
        previous = column
      }
    }
    return nil
  }

  /// Traps unless the matrix is in canonical CSR form (see ``invariantViolation()``); called
  /// where matrices are made when built with `STORYCLUSTER_INTERNAL_CHECKS`.
  func _checkInvariants() {
    let violation = invariantViolation()
    precondition(violation == nil, "SparseMatrix: \(violation ?? "")")
  }
}
