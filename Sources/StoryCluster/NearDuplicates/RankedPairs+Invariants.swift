extension RankedPairs {
  /// The first way the pairs break ranking order, or `nil` when they keep it.
  ///
  /// Ranking order (``PairOrder``): score descending, then `a`, then `b` ascending, strictly, as
  /// no two pairs are equal; every score is a number at least 0, every pair has `a < b` and both
  /// rows have an id.
  ///
  /// - Returns: A description of the first violation, naming the positions.
  /// - Complexity: O(pairs).
  package func invariantViolation() -> String? {
    for (position, pair) in rows.enumerated() {
      if pair.a >= pair.b { return "pair \(position): row \(pair.a) is not below row \(pair.b)" }
      if pair.b >= ids.count {
        return "pair \(position): row \(pair.b) has no id (\(ids.count) articles)"
      }
      if !(pair.score >= 0) { return "pair \(position): score \(pair.score) is not ≥ 0" }
      if position > 0 && !PairOrder.precedes(rows[position - 1], pair) {
        let previous = rows[position - 1]
        return "pairs \(position - 1) and \(position) are out of rank order: "
          + "(\(previous.score), \(previous.a), \(previous.b)) then "
          + "(\(pair.score), \(pair.a), \(pair.b))"
      }
    }
    return nil
  }

  /// Traps unless the pairs are in ranking order (see ``invariantViolation()``); called at the
  /// end of ranking when built with `STORYCLUSTER_INTERNAL_CHECKS`.
  func _checkInvariants() {
    let violation = invariantViolation()
    precondition(violation == nil, "RankedPairs: \(violation ?? "")")
  }
}
