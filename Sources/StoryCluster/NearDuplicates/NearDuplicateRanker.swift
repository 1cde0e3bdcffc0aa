/// Ranks scored pairs and labels each as exact, near-duplicate or related.
///
/// Pairs are ordered by score descending, then by the two ids in byte order. Exact duplicates
/// (identical normalised text) are always reported, whatever their score; other pairs are reported
/// from the pair floor up.
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
    fingerprints: [Normalizer.Fingerprint], threads: Int = 0
  ) -> [NearDuplicatePair] {
    var selected = pairs.filter { $0.score >= floor }
    // Exact duplicates: every pair within a group of equal fingerprints, whatever its score.
    var groups: [Normalizer.Fingerprint: [Int]] = [:]
    for (row, fingerprint) in fingerprints.enumerated() {
      groups[fingerprint, default: []].append(row)
    }
    for group in groups.values where group.count > 1 {
      for x in 0..<group.count {
        for y in (x + 1)..<group.count {
          selected.append(
            ScoredPair(a: group[x], b: group[y], score: min(1, matrix.dot(group[x], group[y]))))
        }
      }
    }
    // Rank by score, then ids (row order is id order); drop the copies the groups re-added.
    selected.sort { x, y in
      if x.score != y.score { return x.score > y.score }
      return x.a != y.a ? x.a < y.a : x.b < y.b
    }
    var unique: [ScoredPair] = []
    unique.reserveCapacity(selected.count)
    var seen = Set<Int>()
    let n = ids.count
    for pair in selected where seen.insert(pair.a * n + pair.b).inserted { unique.append(pair) }
    return parallelMap(unique.count, threads: effectiveThreadCount(threads)) { k in
      let pair = unique[k]
      let kind: NearDuplicatePair.Kind
      if fingerprints[pair.a] == fingerprints[pair.b] {
        kind = .exact
      } else if pair.score >= nearDuplicateThreshold {
        kind = .nearDuplicate
      } else {
        kind = .related
      }
      return NearDuplicatePair(
        a: ids[pair.a], b: ids[pair.b], score: pair.score, kind: kind,
        sharedTerms: sharedTerms(pair.a, pair.b, matrix: matrix, vocabulary: vocabulary))
    }
  }

  /// The top shared terms of rows `a` and `b` by contribution.
  func sharedTerms(_ a: Int, _ b: Int, matrix: SparseMatrix, vocabulary: [String])
    -> [NearDuplicatePair.SharedTerm]
  {
    var terms: [(Int, Double)] = []
    var i = matrix.rowStarts[a]
    var j = matrix.rowStarts[b]
    let iEnd = matrix.rowStarts[a + 1]
    let jEnd = matrix.rowStarts[b + 1]
    while i < iEnd && j < jEnd {
      let ci = matrix.columns[i]
      let cj = matrix.columns[j]
      if ci == cj {
        terms.append((Int(ci), Double(matrix.values[i]) * Double(matrix.values[j])))
        i += 1
        j += 1
      } else if ci < cj {
        i += 1
      } else {
        j += 1
      }
    }
    terms.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    return terms.prefix(sharedTermCount).map { .init(term: vocabulary[$0.0], weight: $0.1) }
  }
}
