extension RunDetails {
  /// Each story's own ranked pairs: for every story, the positions in `pairs` of the pairs whose
  /// two articles are both in it, in ranking order.
  ///
  /// A report ranks the pairs of the whole corpus; a reader who opens one story wants the pairs
  /// inside it. This groups the ranking by story in one pass over its row pairs (no id lookups),
  /// keeping at most `limit` per story, so a corpus with millions of pairs costs one scan and
  /// O(stories · limit) memory. Pairs whose ends are in two stories are left out. `pairs` must
  /// be the report of the same run (``Engine/runKeepingDetails(_:)``), whose row pairs index
  /// ``articles``.
  ///
  /// ```swift
  /// let (report, details) = try Engine().runKeepingDetails(corpus)
  /// let inside = details.storyPairs(in: report.pairs, limit: 10)
  /// for k in inside[0] { print(report.pairs[k].a, report.pairs[k].b, report.pairs[k].score) }
  /// ```
  ///
  /// - Parameters:
  ///   - pairs: The ranked pairs of the run's report.
  ///   - limit: The most positions kept per story (default: all).
  /// - Returns: One array per story of ``stories`` (report order), positions ascending (best
  ///   first).
  /// - Complexity: O(P) time for P pairs; O(S + kept positions) memory for S stories.
  public func storyPairs(in pairs: RankedPairs, limit: Int = .max) -> [[Int]] {
    precondition(pairs.ids.isEmpty || pairs.ids.count == labels.count, "pairs of another run")
    var result = [[Int]](repeating: [], count: stories.groups.count)
    let cap = max(0, limit)
    for (position, pair) in pairs.rows.enumerated() {
      let story = labels[pair.a]
      guard labels[pair.b] == story, result[story].count < cap else { continue }
      result[story].append(position)
    }
    return result
  }
}

extension RankedPairs {
  /// The rows of the two articles of the pair at `position`: their indices in the run's
  /// article order (byte order of id), as ``RunDetails/articles`` and
  /// ``RunDetails/explain(rows:_:)`` take them.
  ///
  /// A pair's ids can be looked up with ``RunDetails/row(of:)``; this gives the rows directly,
  /// in O(1) rather than two binary searches over the ids.
  ///
  /// ```swift
  /// let (report, details) = try Engine().runKeepingDetails(corpus)
  /// let (a, b) = report.pairs.articleRows(at: 0)
  /// let why = details.explain(rows: a, b)
  /// ```
  ///
  /// - Parameter position: A position in the ranking, `0..<count`.
  /// - Returns: The first article's row (the smaller id) and the second's.
  /// - Complexity: O(1).
  public func articleRows(at position: Int) -> (a: Int, b: Int) {
    (rows[position].a, rows[position].b)
  }
}
