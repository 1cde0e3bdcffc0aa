/// Ranks scored pairs and labels each as exact, near-duplicate or related.
///
/// Pairs whose cosine is at the pair floor or above are reported, with their pair score (see
/// ``PairScorer``), at most ``pairsPerArticle`` of them per article (``NearestPairs``: each
/// article's nearest by cosine; `nil` keeps every pair at the floor). Exact duplicates
/// (identical normalised text) are always reported, whatever their cosine, as a star: each
/// member of a group of equal fingerprints is paired with the group's smallest row, so a group
/// of m copies gives m − 1 pairs, not m(m − 1)/2 (the pairs between two members follow from
/// theirs with the smallest row). Pairs are ordered by pair score descending, then by the two
/// ids in byte order, and are near-duplicates from the near-duplicate threshold (on the pair
/// score) up.
///
/// - Complexity: O(P log P + P·t) for P pairs with t terms per row; with the cap, O(P) to
///   choose at most N·``pairsPerArticle`` of them, and the rest on those.
package struct NearDuplicateRanker {
  package var floor: Double
  package var nearDuplicateThreshold: Double
  package var sharedTermCount: Int
  /// The most pairs kept per article besides its exact pairs (``NearestPairs``), or `nil` for
  /// every pair at the floor.
  package var pairsPerArticle: Int?

  /// Creates a ranker.
  package init(
    floor: Double, nearDuplicateThreshold: Double, sharedTermCount: Int,
    pairsPerArticle: Int? = nil
  ) {
    self.floor = floor
    self.nearDuplicateThreshold = nearDuplicateThreshold
    self.sharedTermCount = sharedTermCount
    self.pairsPerArticle = pairsPerArticle
  }

  package func rank(
    pairs: consuming [ScoredPair], matrix: SparseMatrix, vocabulary: [String], ids: [String],
    fingerprints: [Normalizer.Fingerprint], scorer: PairScorer? = nil, threads: Int = 0
  ) -> RankedPairs {
    var selected = select(consume pairs, fingerprints: fingerprints, threads: threads)
    let first = Self.firstRows(fingerprints)
    for row in first.indices where first[row] != row {
      selected.append(ScoredPair(a: first[row], b: row, score: min(1, matrix.dot(first[row], row))))
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

  /// The pairs ``rank(pairs:matrix:vocabulary:ids:fingerprints:scorer:threads:)`` reports
  /// besides the exact ones: those at the floor, not inside a group of equal fingerprints (the
  /// group's star stands for them), and at most ``pairsPerArticle`` per article
  /// (``NearestPairs``). Choosing again among the chosen pairs changes nothing, so a caller may
  /// choose early (the engine does, before clustering, to free the kernel's pairs).
  ///
  /// - Parameters:
  ///   - pairs: Cosine-scored pairs `a < b`; hand over the only reference (`consume`) and they
  ///     are filtered in place.
  ///   - fingerprints: Per row, its exact-text fingerprint.
  ///   - threads: Worker threads (0 = all cores); the result does not depend on it.
  /// - Returns: The chosen pairs, in input order.
  /// - Complexity: O(P + N) time; O(N·``pairsPerArticle``) memory besides one byte per pair.
  package func select(
    _ pairs: consuming [ScoredPair], fingerprints: [Normalizer.Fingerprint], threads: Int = 0
  ) -> [ScoredPair] {
    // Usually every pair is at the floor already and none is inside a group; then they are
    // kept in place (when the caller handed over its only reference), not copied. Otherwise
    // the kept ones go to a new array, so the memory of all of them is returned.
    var selected = consume pairs
    if !selected.allSatisfy({ $0.score >= floor }) {
      selected = selected.filter { $0.score >= floor }
    }
    // Exact duplicates: the pairs inside a group are replaced by its star (each member with the
    // smallest row), whatever their score: the kernel holds some when copies were not
    // collapsed before it (or differ in case only, for an analysis that keeps case).
    let first = Self.firstRows(fingerprints)
    if selected.contains(where: { first[$0.a] == first[$0.b] }) {
      selected.removeAll { first[$0.a] == first[$0.b] }
    }
    guard let pairsPerArticle else { return selected }
    return NearestPairs.select(
      consume selected, rowCount: fingerprints.count, perRow: pairsPerArticle, threads: threads)
  }

  /// Per row, the smallest row with its fingerprint.
  ///
  /// - Complexity: O(N) hashing.
  static func firstRows(_ fingerprints: [Normalizer.Fingerprint]) -> [Int] {
    var firstOf: [Normalizer.Fingerprint: Int] = [:]
    var first = [Int](repeating: 0, count: fingerprints.count)
    for (row, fingerprint) in fingerprints.enumerated() {
      if let known = firstOf[fingerprint] {
        first[row] = known
      } else {
        firstOf[fingerprint] = row
        first[row] = row
      }
    }
    return first
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
