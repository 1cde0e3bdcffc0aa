/// Ranks scored pairs and labels each as exact, near-duplicate or related.
///
/// Pairs whose cosine is at the pair floor or above are reported, with their pair score (see
/// ``PairScorer``); exact duplicates (identical normalised text) are always reported, whatever
/// their cosine. Pairs are ordered by pair score descending, then by the two ids in byte order,
/// and are near-duplicates from the near-duplicate threshold (on the pair score) up.
///
/// - Complexity: O(P log P + P·t) for P pairs with t terms per row.
package struct NearDuplicateRanker {
  package var floor: Double
  package var nearDuplicateThreshold: Double
  package var sharedTermCount: Int

  /// Creates a ranker.
  package init(floor: Double, nearDuplicateThreshold: Double, sharedTermCount: Int) {
    self.floor = floor
    self.nearDuplicateThreshold = nearDuplicateThreshold
    self.sharedTermCount = sharedTermCount
  }

  package func rank(
    pairs: consuming [ScoredPair], matrix: SparseMatrix, vocabulary: [String], ids: [String],
    fingerprints: [Normalizer.Fingerprint], scorer: PairScorer? = nil, threads: Int = 0
  ) -> RankedPairs {
    // Usually every pair is at the floor already; then they are sorted in place (when the caller
    // handed over its only reference), not copied.
    var selected = consume pairs
    if !selected.allSatisfy({ $0.score >= floor }) {
      selected = selected.filter { $0.score >= floor }
    }
    // Exact duplicates: every pair within a group of equal fingerprints, whatever its score and
    // however far apart in time. The kernel's pairs (in `(a, b)` order) already hold those at or
    // above the floor within its window; add the others.
    var listed = Set<Int64>()
    for pair in selected where fingerprints[pair.a] == fingerprints[pair.b] {
      listed.insert(Int64(pair.a) << 32 | Int64(pair.b))
    }
    var groups: [Normalizer.Fingerprint: [Int]] = [:]
    for (row, fingerprint) in fingerprints.enumerated() {
      groups[fingerprint, default: []].append(row)
    }
    for group in groups.values where group.count > 1 {
      for x in 0..<group.count {
        for y in (x + 1)..<group.count {
          let score = min(1, matrix.dot(group[x], group[y]))
          if score < floor || !listed.contains(Int64(group[x]) << 32 | Int64(group[y])) {
            selected.append(ScoredPair(a: group[x], b: group[y], score: score))
          }
        }
      }
    }
    if let scorer { selected = scorer.rescore(selected, threads: threads) }
    // Rank by score, then ids (row order is id order).
    PairOrder.sort(&selected, threads: effectiveThreadCount(threads))
    let terms =
      sharedTermCount > 0
      ? sharedTermsOfAll(selected, matrix: matrix, threads: effectiveThreadCount(threads)) : []
    let kinds = parallelMap(selected.count, threads: effectiveThreadCount(threads)) {
      k -> NearDuplicatePair.Kind in
      let pair = selected[k]
      if fingerprints[pair.a] == fingerprints[pair.b] { return .exact }
      return pair.score >= nearDuplicateThreshold ? .nearDuplicate : .related
    }
    let ranked = RankedPairs(
      rows: selected, kinds: kinds, terms: terms, ids: ids, vocabulary: vocabulary)
    #if STORYCLUSTER_INTERNAL_CHECKS
      ranked._checkInvariants()
    #endif
    return ranked
  }

  /// The top shared terms of every pair, by contribution (ties by column).
  ///
  /// One pass over each pair's second row against its first, scattered once per group
  /// (``SparseMatrix/mapPairsByFirstRow(_:threads:initial:state:_:)``), so the output does not
  /// depend on the thread count.
  ///
  /// - Complexity: O(P·t) for P pairs and t terms per row; O(threads · vocabulary) scratch.
  func sharedTermsOfAll(_ pairs: [ScoredPair], matrix: SparseMatrix, threads: Int)
    -> [[(column: Int, weight: Double)]]
  {
    let limit = sharedTermCount
    let empty: [(column: Int, weight: Double)] = []
    return matrix.mapPairsByFirstRow(
      pairs, threads: threads, initial: empty,
      state: {
        (
          columns: [Int](repeating: 0, count: limit + 1),
          weights: [Double](repeating: 0, count: limit + 1)
        )
      }
    ) { top, scratch, _, columns, values, entries in
      var count = 0
      for j in entries {
        let column = Int(columns[j])
        let x = scratch[column]
        if x == 0 { continue }
        let weight = Double(x) * Double(values[j])
        // Keep the best `limit` by weight (ties: smaller column first).
        if count == limit
          && (limit == 0 || weight < top.weights[count - 1]
            || (weight == top.weights[count - 1] && column > top.columns[count - 1]))
        {
          continue
        }
        var position = count
        while position > 0
          && (top.weights[position - 1] < weight
            || (top.weights[position - 1] == weight && top.columns[position - 1] > column))
        {
          if position < limit {
            top.weights[position] = top.weights[position - 1]
            top.columns[position] = top.columns[position - 1]
          }
          position -= 1
        }
        if position < limit {
          top.weights[position] = weight
          top.columns[position] = column
        }
        count = min(limit, count + 1)
      }
      return (0..<count).map { (column: top.columns[$0], weight: top.weights[$0]) }
    }
  }

  /// The top shared terms of rows `a` and `b` by contribution (one pair of
  /// ``sharedTermsOfAll(_:matrix:threads:)``).
  func sharedTerms(_ a: Int, _ b: Int, matrix: SparseMatrix, vocabulary: [String])
    -> [NearDuplicatePair.SharedTerm]
  {
    let pair = ScoredPair(a: a, b: b, score: 0)
    return sharedTermsOfAll([pair], matrix: matrix, threads: 1)[0].map {
      .init(term: vocabulary[$0.column], weight: $0.weight)
    }
  }
}
