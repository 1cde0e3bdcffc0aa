/// Groups rows into clusters from their scored pairs.
///
/// Every row ends in exactly one cluster (singletons included). Each cluster's members are in
/// ascending row order, and clusters are ordered by size descending, then smallest member.
///
/// ```swift
/// let clusters = Clusterer(linkage: .single, threshold: 0.3).cluster(count: 4, pairs: pairs)
/// ```
///
/// - Complexity: For N rows and P pairs: `.single` is O(N + P·α(N)); `.average` is O(P) to
///   build its maps, then per round of ``ReciprocalLinkage`` its merges' smaller maps and the
///   maps of the clusters whose nearest neighbour changed, in O(N + P) memory (the serial
///   ``AverageLinkageAlgorithm/queue`` is O(P log P)); `.online` is O(N + P) plus,
///   per article, a sort of the stories its earlier neighbours are in. Every linkage then groups
///   the rows and orders the clusters in O(N log N).
package struct Clusterer {
  package var linkage: Linkage
  package var threshold: Double
  /// For `.online`: the rows in arrival order (default: row order).
  package var arrival: [Int]?
  /// Threads for `.average`; the result does not depend on it.
  package var threads: Int
  /// The algorithm `.average` runs; both give the same clusters.
  package var averageAlgorithm: AverageLinkageAlgorithm
  /// For `.average` in rounds: the caller hands ``cluster(count:pairs:)`` the only reference
  /// to its pairs, whose pages may then be freed as they are read (see ``ReciprocalLinkage``).
  package var releasesPairs = false
  /// Called with `(done, total)`: for `.average` with ``AverageLinkageAlgorithm/reciprocal``,
  /// merges out of `count - 1`, after each round (the rest at the end); with
  /// ``AverageLinkageAlgorithm/queue``, the edges at or above the threshold inside its parts,
  /// as the merge queues resolve them (every 4,096 pops); for the others, every pair at the
  /// start and the end. The result does not depend on it.
  package var progress: (@Sendable (Int, Int) -> Void)?

  /// Creates a clusterer.
  package init(
    linkage: Linkage, threshold: Double, arrival: [Int]? = nil, threads: Int = 1,
    averageAlgorithm: AverageLinkageAlgorithm = .reciprocal,
    progress: (@Sendable (Int, Int) -> Void)? = nil
  ) {
    self.linkage = linkage
    self.threshold = threshold
    self.arrival = arrival
    self.threads = max(1, threads)
    self.averageAlgorithm = averageAlgorithm
    self.progress = progress
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
  ///
  /// Passing the only reference to `pairs` (`consume`) lets `.average` free them once it has
  /// bucketed them into its parts.
  package func cluster(count: Int, pairs: consuming [ScoredPair]) -> [[Int]] {
    let labels: [Int]
    switch linkage {
    case .single, .online:
      let counter = progress.map { ProgressCounter(total: pairs.count, report: $0) }
      labels =
        linkage == .single
        ? components(count: count, pairs: pairs) : online(count: count, pairs: pairs)
      counter?.advance(by: counter?.total ?? 0)
    case .average:
      switch averageAlgorithm {
      case .reciprocal:
        let counter = progress.map { ProgressCounter(total: max(0, count - 1), report: $0) }
        var linkage = ReciprocalLinkage(threshold: threshold, threads: threads)
        linkage.releasesPairs = releasesPairs
        labels = linkage.labels(count: count, pairs: consume pairs, counter: counter)
      case .queue: labels = averageLinkage(count: count, pairs: consume pairs)
      }
    }
    let clusters = Self.groups(labels: labels)
    #if STORYCLUSTER_INTERNAL_CHECKS
      Self._checkInvariants(of: clusters, count: count)
    #endif
    return clusters
  }

  /// Average linkage at ``threshold`` with every merge kept (``Dendrogram``), whatever
  /// ``linkage`` says: the run that the clusters of any higher threshold are cut from.
  ///
  /// - Complexity: As `.average` (``ReciprocalLinkage``), plus 24 bytes per merge.
  package func dendrogram(count: Int, pairs: consuming [ScoredPair]) -> Dendrogram {
    let counter = progress.map { ProgressCounter(total: max(0, count - 1), report: $0) }
    var linkage = ReciprocalLinkage(threshold: threshold, threads: threads)
    linkage.releasesPairs = releasesPairs
    return linkage.dendrogram(count: count, pairs: consume pairs, counter: counter)
  }

  /// The rows grouped by their labels: each group in row order, larger groups first, then by
  /// smallest row.
  package static func groups(labels: [Int]) -> [[Int]] {
    var groups: [Int: [Int]] = [:]
    for row in labels.indices { groups[labels[row], default: []].append(row) }
    return groups.values.sorted { a, b in a.count != b.count ? a.count > b.count : a[0] < b[0] }
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

  /// Average linkage by the serial merge queue (``AverageLinkageAlgorithm/queue``), split into
  /// independent parts that run side by side.
  ///
  /// Two clusters merge only when their average similarity reaches the threshold, and an
  /// average never exceeds the largest edge it averages, so every merge joins clusters that an
  /// edge at or above the threshold connects. Each final cluster therefore lies inside one
  /// connected component of the graph of edges ≥ threshold, and edges between two such
  /// components never take part in a merge. Each component is clustered on its own edges
  /// (``upgma(count:edges:threads:counter:)``) with its rows numbered in ascending order. Large
  /// parts run one after another, each building its neighbour maps on every thread; the small
  /// ones run side by side, one per thread. Neither changes any part's result.
  private func averageLinkage(count: Int, pairs input: consuming [ScoredPair]) -> [Int] {
    var pairs = consume input
    var sets = UnionFind(count: count)
    for pair in pairs where pair.score >= threshold { sets.union(pair.a, pair.b) }
    var root = [Int32](repeating: 0, count: count)
    var partSize = [Int32](repeating: 0, count: count)
    for row in 0..<count {
      root[row] = Int32(sets.find(row))
      partSize[Int(root[row])] += 1
    }
    // Parts of two or more rows, numbered by their smallest row; rows get local numbers.
    var part = [Int32](repeating: -1, count: count)
    var local = [Int32](repeating: 0, count: count)
    var members: [[Int32]] = []
    for row in 0..<count where partSize[Int(root[row])] > 1 {
      let r = Int(root[row])
      if part[r] < 0 {
        part[r] = Int32(members.count)
        members.append([])
        members[members.count - 1].reserveCapacity(Int(partSize[r]))
      }
      let p = Int(part[r])
      local[row] = Int32(members[p].count)
      members[p].append(Int32(row))
    }
    var edgeCount = [Int](repeating: 0, count: members.count)
    var queued = 0
    for pair in pairs where root[pair.a] == root[pair.b] && partSize[Int(root[pair.a])] > 1 {
      edgeCount[Int(part[Int(root[pair.a])])] += 1
      if pair.score >= threshold { queued += 1 }
    }
    let counter = progress.map { ProgressCounter(total: queued, report: $0) }
    var edges = edgeCount.map { [LocalEdge]().reserved($0) }
    for pair in pairs where root[pair.a] == root[pair.b] && partSize[Int(root[pair.a])] > 1 {
      edges[Int(part[Int(root[pair.a])])].append(
        LocalEdge(a: local[pair.a], b: local[pair.b], score: pair.score))
    }
    pairs = []  // every edge now sits in its part (the caller's copy, if any, is untouched)
    var labels = Array(0..<count)
    func label(_ p: Int, _ localLabels: [Int], into out: UnsafeMutableBufferPointer<Int>) {
      let rows = members[p]
      for (i, row) in rows.enumerated() { out[Int(row)] = Int(rows[localLabels[i]]) }
    }
    let large = members.indices.filter { edges[$0].count >= Self.largePartEdges }
    let small = members.indices.filter { edges[$0].count < Self.largePartEdges }
    labels.withUnsafeMutableBufferPointer { out in
      for p in large {
        label(
          p, upgma(count: members[p].count, edges: edges[p], threads: threads, counter: counter),
          into: out)
      }
      // Small parts: largest first, each to the least-loaded thread.
      let workers = max(1, min(threads, small.count))
      var load = [Int](repeating: 0, count: workers)
      var assigned = [[Int]](repeating: [], count: workers)
      let order = small.sorted {
        edges[$0].count != edges[$1].count ? edges[$0].count > edges[$1].count : $0 < $1
      }
      for p in order {
        let w = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 } ?? 0
        assigned[w].append(p)
        load[w] += edges[p].count + members[p].count
      }
      nonisolated(unsafe) let out = out
      parallelForEach(workers, threads: workers) { w in
        // Parts hold disjoint rows, so no two workers write the same slot.
        for p in assigned[w] {
          label(
            p, upgma(count: members[p].count, edges: edges[p], threads: 1, counter: counter),
            into: out)
        }
      }
    }
    return labels
  }

  /// Parts with at least this many edges get every thread for building their maps.
  private static let largePartEdges = 200_000

  /// Exact average linkage (UPGMA) of rows `0..<count` on a sparse graph, with lazy queue
  /// updates; returns each row's cluster key (a row of its cluster).
  ///
  /// Each live cluster keeps a map from neighbouring clusters to the sum of edge scores between
  /// them (entries of clusters merged away are left in place and skipped); merging folds the
  /// smaller map into the larger (smaller-into-larger, so O(E log E) map operations in all).
  /// Average linkage is *reducible*: the average between a merged cluster A ∪ B and any C is a
  /// weighted mean of the averages A–C and B–C, so it never exceeds both. Every queued score is
  /// therefore an upper bound of its pair's current average. The loop pops the best entry,
  /// recomputes its pair's current average, and merges only when that value still beats the next
  /// queued bound; otherwise it re-queues the value. The merges are the ones exact UPGMA makes,
  /// ties broken by the total order (score, key, key), so the result is deterministic. Each
  /// neighbour's new sum is one addition, so no hashing order reaches the arithmetic.
  ///
  /// The maps are built on `threads` threads, worker w filling the maps of rows ≡ w (mod
  /// threads) in edge order, so each map is laid out exactly as one thread would lay it out.
  ///
  /// With a `counter`, the loop adds the queue's initial edges as it resolves them: every 4,096
  /// pops, the initial count less the queue's current length (re-queued bounds count again
  /// until popped), and the rest at the end.
  private func upgma(
    count: Int, edges: [LocalEdge], threads: Int, counter: ProgressCounter? = nil
  ) -> [Int] {
    var degree = [Int](repeating: 0, count: count)
    for edge in edges {
      degree[Int(edge.a)] += 1
      degree[Int(edge.b)] += 1
    }
    let workers = max(1, min(threads, count))
    var adjacency = parallelMap(count, threads: workers) { NeighborMap(capacity: degree[$0]) }
    adjacency.withUnsafeMutableBufferPointer { maps in
      nonisolated(unsafe) let maps = maps
      parallelForEach(workers, threads: workers) { w in
        for edge in edges {
          let a = Int(edge.a)
          let b = Int(edge.b)
          if a % workers == w { maps[a].add(edge.b, edge.score) }
          if b % workers == w { maps[b].add(edge.a, edge.score) }
        }
      }
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
        edges.lazy.filter { $0.score >= threshold }.map {
          MergeCandidate(score: $0.score, a: $0.a, b: $0.b)
        }))
    let queued = queue.count
    var reported = 0
    var pops = 0
    defer { counter?.advance(by: queued - reported) }
    while let top = queue.pop() {
      if let counter {
        pops &+= 1
        if pops & 4095 == 0, queued - queue.count > reported {
          counter.advance(by: queued - queue.count - reported)
          reported = queued - queue.count
        }
      }
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

/// An edge of one part of the average-linkage graph, in the part's own row numbers.
private struct LocalEdge {
  var a: Int32
  var b: Int32
  var score: Double
}

extension Array {
  /// The array with room reserved for `capacity` elements.
  fileprivate func reserved(_ capacity: Int) -> [Element] {
    var copy = self
    copy.reserveCapacity(capacity)
    return copy
  }
}
