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
    pairs: [ScoredPair], matrix: SparseMatrix, vocabulary: [String], ids: [String],
    fingerprints: [Normalizer.Fingerprint], scorer: PairScorer? = nil, threads: Int = 0
  ) -> [NearDuplicatePair] {
    // Usually every pair is at the floor already; then they are shared, not copied.
    var selected =
      pairs.allSatisfy { $0.score >= floor } ? pairs : pairs.filter { $0.score >= floor }
    // Exact duplicates: every pair within a group of equal fingerprints, whatever its score. The
    // kernel's pairs already hold those at or above the floor; add the ones below it.
    var groups: [Normalizer.Fingerprint: [Int]] = [:]
    for (row, fingerprint) in fingerprints.enumerated() {
      groups[fingerprint, default: []].append(row)
    }
    for group in groups.values where group.count > 1 {
      for x in 0..<group.count {
        for y in (x + 1)..<group.count {
          let score = min(1, matrix.dot(group[x], group[y]))
          if score < floor { selected.append(ScoredPair(a: group[x], b: group[y], score: score)) }
        }
      }
    }
    if let scorer { selected = scorer.rescore(selected, threads: threads) }
    // Rank by score, then ids (row order is id order).
    PairOrder.sort(&selected)
    let terms =
      sharedTermCount > 0
      ? sharedTermsOfAll(selected, matrix: matrix, threads: effectiveThreadCount(threads)) : []
    return parallelMap(selected.count, threads: effectiveThreadCount(threads)) { k in
      let pair = selected[k]
      let kind: NearDuplicatePair.Kind
      if fingerprints[pair.a] == fingerprints[pair.b] {
        kind = .exact
      } else if pair.score >= nearDuplicateThreshold {
        kind = .nearDuplicate
      } else {
        kind = .related
      }
      let top = (terms.isEmpty ? [] : terms[k]).map {
        NearDuplicatePair.SharedTerm(term: vocabulary[$0.column], weight: $0.weight)
      }
      return NearDuplicatePair(
        a: ids[pair.a], b: ids[pair.b], score: pair.score, kind: kind, sharedTerms: top)
    }
  }

  /// The top shared terms of every pair, by contribution (ties by column).
  ///
  /// Pairs are grouped by their first row; each group scatters that row into a dense scratch
  /// vector once and walks only the other rows, so a pair costs one pass over one row. Groups
  /// are spread over the threads by index and results land by pair index, so the output does
  /// not depend on the thread count.
  ///
  /// - Complexity: O(P·t) for P pairs and t terms per row; O(threads · vocabulary) scratch.
  func sharedTermsOfAll(_ pairs: [ScoredPair], matrix: SparseMatrix, threads: Int)
    -> [[(column: Int, weight: Double)]]
  {
    // Counting sort of pair indices by first row.
    var starts = [Int](repeating: 0, count: matrix.rowCount + 1)
    for pair in pairs { starts[pair.a + 1] += 1 }
    for r in 0..<matrix.rowCount { starts[r + 1] += starts[r] }
    var order = [Int](repeating: 0, count: pairs.count)
    var fill = starts
    for (k, pair) in pairs.enumerated() {
      order[fill[pair.a]] = k
      fill[pair.a] += 1
    }
    let rows = (0..<matrix.rowCount).filter { starts[$0 + 1] > starts[$0] }
    var result = [[(column: Int, weight: Double)]](repeating: [], count: pairs.count)
    let limit = sharedTermCount
    let workers = max(1, min(threads, rows.count))
    result.withUnsafeMutableBufferPointer { output in
      nonisolated(unsafe) let output = output
      parallelForEach(workers, threads: workers) { worker in
        matrix.rowStarts.withUnsafeBufferPointer { rowStarts in
          matrix.columns.withUnsafeBufferPointer { columns in
            matrix.values.withUnsafeBufferPointer { values in
              let scratch = UnsafeMutablePointer<Float>.allocate(
                capacity: max(1, matrix.columnCount))
              scratch.initialize(repeating: 0, count: max(1, matrix.columnCount))
              defer { scratch.deallocate() }
              let topColumns = UnsafeMutablePointer<Int>.allocate(capacity: limit + 1)
              let topWeights = UnsafeMutablePointer<Double>.allocate(capacity: limit + 1)
              defer {
                topColumns.deallocate()
                topWeights.deallocate()
              }
              for g in stride(from: worker, to: rows.count, by: workers) {
                let a = rows[g]
                let aRange = rowStarts[a]..<rowStarts[a + 1]
                for i in aRange { scratch[Int(columns[i])] = values[i] }
                for slot in starts[a]..<starts[a + 1] {
                  let k = order[slot]
                  let b = pairs[k].b
                  var count = 0
                  for j in rowStarts[b]..<rowStarts[b + 1] {
                    let column = Int(columns[j])
                    let x = scratch[column]
                    if x == 0 { continue }
                    let weight = Double(x) * Double(values[j])
                    // Keep the best `limit` by weight (ties: smaller column first).
                    if count == limit
                      && (limit == 0 || weight < topWeights[count - 1]
                        || (weight == topWeights[count - 1] && column > topColumns[count - 1]))
                    {
                      continue
                    }
                    var position = count
                    while position > 0
                      && (topWeights[position - 1] < weight
                        || (topWeights[position - 1] == weight && topColumns[position - 1] > column))
                    {
                      if position < limit {
                        topWeights[position] = topWeights[position - 1]
                        topColumns[position] = topColumns[position - 1]
                      }
                      position -= 1
                    }
                    if position < limit {
                      topWeights[position] = weight
                      topColumns[position] = column
                    }
                    count = min(limit, count + 1)
                  }
                  output[k] = (0..<count).map { (column: topColumns[$0], weight: topWeights[$0]) }
                }
                for i in aRange { scratch[Int(columns[i])] = 0 }
              }
            }
          }
        }
      }
    }
    return result
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
