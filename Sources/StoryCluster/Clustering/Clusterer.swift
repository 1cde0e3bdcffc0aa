/// Groups rows into clusters from their scored pairs.
///
/// Every row ends in exactly one cluster (singletons included). Each cluster's members are in
/// ascending row order, and clusters are ordered by size descending, then smallest member.
///
/// ```swift
/// let clusters = Clusterer(linkage: .single, threshold: 0.3).cluster(count: 4, pairs: pairs)
/// ```
///
/// - Complexity: `.single` is O(N + P·α(N)); `.average` is O(P log P) for P pairs, with
///   adjacency merges smaller-into-larger.
package struct Clusterer {
  package var linkage: Linkage
  package var threshold: Double
  /// For `.online`: the rows in arrival order (default: row order).
  package var arrival: [Int]?

  /// Creates a clusterer.
  package init(linkage: Linkage, threshold: Double, arrival: [Int]? = nil) {
    self.linkage = linkage
    self.threshold = threshold
    self.arrival = arrival
  }

  /// Rows in time order: dated rows by timestamp, then undated ones; ties by row.
  package static func arrivalOrder(_ timestamps: [Double?]) -> [Int] {
    timestamps.indices.sorted { x, y in
      switch (timestamps[x], timestamps[y]) {
      case (let a?, let b?): return a != b ? a < b : x < y
      case (.some, nil): return true
      case (nil, .some): return false
      case (nil, nil): return x < y
      }
    }
  }

  /// Clusters rows `0..<count` given the pairs (those below the threshold are ignored by
  /// `.single`; `.average` uses them all as graph edges).
  package func cluster(count: Int, pairs: [ScoredPair]) -> [[Int]] {
    let labels: [Int]
    switch linkage {
    case .single: labels = components(count: count, pairs: pairs)
    case .average: labels = averageLinkage(count: count, pairs: pairs)
    case .online: labels = online(count: count, pairs: pairs)
    }
    var groups: [Int: [Int]] = [:]
    for row in 0..<count { groups[labels[row], default: []].append(row) }
    return groups.values.sorted { a, b in
      a.count != b.count ? a.count > b.count : a[0] < b[0]
    }
  }

  private func components(count: Int, pairs: [ScoredPair]) -> [Int] {
    var sets = UnionFind(count: count)
    for pair in pairs where pair.score >= threshold { sets.union(pair.a, pair.b) }
    return (0..<count).map { sets.find($0) }
  }

  /// One pass in arrival order against running story centroids (see ``Linkage/online``).
  ///
  /// - Complexity: O(N + P) plus, per article, a sort of the stories its earlier neighbours
  ///   are in.
  private func online(count: Int, pairs: [ScoredPair]) -> [Int] {
    var starts = [Int](repeating: 0, count: count + 1)
    for pair in pairs {
      starts[pair.a + 1] += 1
      starts[pair.b + 1] += 1
    }
    for row in 0..<count { starts[row + 1] += starts[row] }
    var fill = starts
    var neighbors = [(row: Int32, score: Double)](repeating: (0, 0), count: 2 * pairs.count)
    for pair in pairs {
      neighbors[fill[pair.a]] = (Int32(pair.b), pair.score)
      fill[pair.a] += 1
      neighbors[fill[pair.b]] = (Int32(pair.a), pair.score)
      fill[pair.b] += 1
    }
    var story = [Int](repeating: -1, count: count)
    var squaredNorm: [Double] = []  // ‖Σ members‖² per story
    var sums: [(story: Int, sum: Double)] = []
    for row in arrival ?? Array(0..<count) {
      sums.removeAll(keepingCapacity: true)
      for slot in starts[row]..<starts[row + 1] {
        let s = story[Int(neighbors[slot].row)]
        if s >= 0 { sums.append((s, neighbors[slot].score)) }
      }
      sums.sort { $0.story != $1.story ? $0.story < $1.story : $0.sum < $1.sum }
      var best = -1
      var bestScore = -Double.infinity
      var bestSum = 0.0
      var index = 0
      while index < sums.count {
        let s = sums[index].story
        var total = 0.0
        while index < sums.count, sums[index].story == s {
          total += sums[index].sum
          index += 1
        }
        let score = total / squaredNorm[s].squareRoot()
        if score > bestScore {
          (best, bestScore, bestSum) = (s, score, total)
        }
      }
      if best >= 0, bestScore >= threshold {
        story[row] = best
        squaredNorm[best] += 2 * bestSum + 1
      } else {
        story[row] = squaredNorm.count
        squaredNorm.append(1)
      }
    }
    return story
  }

  /// Average linkage on the sparse graph, with lazy queue updates.
  ///
  /// Each live cluster keeps a map from neighbouring clusters to the sum of edge scores between
  /// them (entries of clusters merged away are left in place and skipped); merging folds the smaller map into the larger (smaller-into-larger, so O(E log E) map
  /// operations in all). Average linkage is *reducible*: the average between a merged cluster
  /// A ∪ B and any C is a weighted mean of the averages A–C and B–C, so it never exceeds both.
  /// Every queued score is therefore an upper bound of its pair's current average. The loop pops
  /// the best entry, recomputes its pair's current average, and merges only when that value still
  /// beats the next queued bound; otherwise it re-queues the value. The merges are the ones exact
  /// UPGMA makes, ties broken by the total order (score, key, key), so the result is
  /// deterministic. Each neighbour's new sum is one addition, so no hashing order reaches the
  /// arithmetic.
  private func averageLinkage(count: Int, pairs: [ScoredPair]) -> [Int] {
    var degree = [Int](repeating: 0, count: count)
    for pair in pairs {
      degree[pair.a] += 1
      degree[pair.b] += 1
    }
    var adjacency = degree.map { NeighborMap(capacity: $0) }
    for pair in pairs {
      adjacency[pair.a].add(Int32(pair.b), pair.score)
      adjacency[pair.b].add(Int32(pair.a), pair.score)
    }
    var size = [Double](repeating: 1, count: count)
    var parent = (0..<Int32(count)).map { $0 }
    func find(_ x: Int) -> Int {
      var x = x
      while Int(parent[x]) != x {
        parent[x] = parent[Int(parent[x])]
        x = Int(parent[x])
      }
      return x
    }
    var queue = MergeQueue(
      Array(
        pairs.lazy.filter { $0.score >= threshold }.map {
          MergeCandidate(score: $0.score, a: Int32($0.a), b: Int32($0.b))
        }))
    while let top = queue.pop() {
      let ra = find(Int(top.a))
      let rb = find(Int(top.b))
      if ra == rb { continue }
      guard let sum = adjacency[ra].value(Int32(rb)) else { continue }
      let average = sum / (size[ra] * size[rb])
      if average < threshold { continue }
      if let next = queue.peek(), next.score > average {
        let (x, y) = ra < rb ? (ra, rb) : (rb, ra)
        queue.push(MergeCandidate(score: average, a: Int32(x), b: Int32(y)))
        continue
      }
      // Merge: keep the cluster with the larger neighbour map; fold the other into it.
      let (keep, gone) =
        adjacency[ra].count > adjacency[rb].count
          || (adjacency[ra].count == adjacency[rb].count && ra < rb) ? (ra, rb) : (rb, ra)
      parent[gone] = Int32(keep)
      size[keep] += size[gone]
      let folded = adjacency[gone]
      adjacency[gone] = NeighborMap()
      // Keys of merged-away clusters stay in the maps (lazy deletion): every reader skips a
      // key that is no longer a root, so no probe chain is rewritten on each merge.
      folded.forEach { neighbor, weight in
        let n = Int(neighbor)
        guard n != keep, Int(parent[n]) == n else { return }
        let merged = adjacency[keep].add(neighbor, weight)
        adjacency[n].set(Int32(keep), merged)
      }
    }
    return (0..<count).map { find($0) }
  }
}
