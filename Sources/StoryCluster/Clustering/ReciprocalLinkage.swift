/// Exact average linkage (UPGMA) of rows `0..<count` on a sparse graph, by merging every pair of
/// reciprocal nearest neighbours in rounds, each round on every thread.
///
/// Each live cluster keeps a map from its neighbouring clusters to the sum of the edge scores
/// between them; a missing edge counts 0, so the average of clusters A and B is
/// `sum(A, B) / (|A|·|B|)`. Clusters are ordered by a total order: a cluster's nearest
/// neighbour is the one with the highest average, ties going to the neighbour whose smallest
/// row is smaller, and only averages at or above the threshold count. A round merges every
/// pair of clusters that are each other's nearest neighbour (RAC: B. Sumengen et al., "Scaling
/// Hierarchical Agglomerative Clustering to Billion-sized Datasets", 2021). Average linkage is
/// *reducible*: the average of a merged cluster A ∪ B with any C is a weighted mean of A–C and
/// B–C, so it never beats both. A reciprocal pair therefore stays reciprocal whatever else
/// merges, and the serial algorithm that always merges the best pair of the total order makes
/// exactly the same merges; the clusters depend on neither the rounds nor the thread count.
///
/// Exactness. Scores become integers in units of 2⁻ˢ, with S the largest shift that keeps the
/// graph's summed scores below 2⁶², so every sum is exact and independent of the order of its
/// additions (merges in one round may meet in any order). Averages are compared exactly, by
/// cross-multiplying sums and sizes in 128 bits; the threshold is rounded to the same units.
/// Against floating-point sums this moves a score by at most 2⁻ˢ⁻¹ (S = 35 on Reuters-21578's
/// 20.5 M-edge graph: 1.5·10⁻¹¹), which can reorder only averages closer than that.
///
/// In each merging pair the survivor is the cluster with the larger map and the other is
/// *gone*. A round has three phases, each on every thread and each writing only what it owns:
/// 1. each survivor folds its gone partner's map into its own (smaller into larger) and lists
///    an update for every other neighbour of the gone cluster;
/// 2. those neighbours apply them, grouped by the map they touch: the new sum is stored under
///    the survivor (a merging neighbour moves its entry instead); entries for the gone cluster
///    stay behind, skipped by every reader, until the map is next scanned with more dead keys
///    than live ones and compacted;
/// 3. the nearest neighbour is recomputed for the survivors and for the clusters whose nearest
///    neighbour merged (found through lists of who points at whom); no other cluster's nearest
///    neighbour can change, by reducibility.
/// New reciprocal pairs involve a recomputed cluster, so a round costs O(its merges' smaller
/// maps + the recomputed clusters' maps), never O(all clusters). A recomputed cluster first
/// asks its candidates: its 8 best neighbours at its last look (and its partner's, after a
/// merge) and a bound on every other average it has, which by reducibility no average can
/// pass except as a merge of the candidates; only when they cannot decide does it scan its
/// map (on Reuters-21578's first pass, a third of the slots scanned before). Per neighbour of a gone
/// cluster that is one probe into the survivor's map and one into the neighbour's, as in the
/// serial loop.
///
/// - Complexity: O(E) to build the maps and find the first nearest neighbours, then per round
///   the work above; memory O(N + E) for N rows and E edges.
struct ReciprocalLinkage {
  /// The smallest average that may merge.
  var threshold: Double
  /// Threads for every phase; the result does not depend on it.
  var threads: Int
  /// Whether the pairs handed to ``labels(count:pairs:counter:)`` are its only reference, so
  /// their pages may be freed as they are read (see there).
  var releasesPairs = false
  /// Pairs read per wave; the result does not depend on it.
  var wavePairs = 1 << 22

  /// Each row's cluster key (a row of its cluster). With a `counter`, adds each round's
  /// merges, and at the end the rest of `count - 1`.
  ///
  /// The graph needs no split into connected components first: clusters of different
  /// components of the edges ≥ threshold never reach the threshold together, and each round
  /// already merges in every component at once.
  ///
  /// Memory: the maps are made as their rows meet their first pair, and the pairs are read in
  /// waves; with ``releasesPairs``, each wave's pages are freed once read. For pairs in row
  /// order over rows in time order (a feed), maps fill in about the order the pairs are read,
  /// so the pairs and the maps are not resident together (a million articles: 2 GB less).
  ///
  /// - Parameter pairs: The edges `a ≠ b` (each pair once); hand over the only reference
  ///   (`consume`) and they are freed once the maps hold them.
  func labels(
    count: Int, pairs input: consuming [ScoredPair], counter: ProgressCounter? = nil
  ) -> [Int] {
    labels(count: count, pairs: consume input, counter: counter, log: nil)
  }

  /// The run, keeping every merge in `log` when one is given.
  private func labels(
    count: Int, pairs input: consuming [ScoredPair], counter: ProgressCounter?, log: MergeLog?
  ) -> [Int] {
    guard count > 0 else { return [] }
    var pairs = consume input
    let workers = max(1, min(threads, count))
    let scale = Self.scale(of: pairs, threads: workers)
    let bar = Self.fixedPoint(threshold, scale: scale)
    let state = RoundState(count: count, bar: bar, workers: workers)
    log?.scale = scale
    log?.bar = bar
    state.log = log
    let maps = state.maps
    // Worker w counts and fills the maps of rows ≡ w (mod workers), in pair order; a row's map
    // is made (sized for its degree) at its first pair, and a degree of −1 marks it made.
    var degree = [Int32](repeating: 0, count: count)
    let wave = max(1, wavePairs)
    pairs.withUnsafeMutableBufferPointer { pairs in
      nonisolated(unsafe) let pairs = pairs
      degree.withUnsafeMutableBufferPointer { degree in
        nonisolated(unsafe) let degree = degree
        parallelForEach(workers, threads: workers) { w in
          for pair in pairs {
            if pair.a % workers == w { degree[pair.a] += 1 }
            if pair.b % workers == w { degree[pair.b] += 1 }
          }
        }
        @inline(__always) func add(_ row: Int, _ other: Int, _ value: Int64) {
          if degree[row] >= 0 {
            maps.initialize(at: row, capacity: Int(degree[row]))
            degree[row] = -1
          }
          maps[row].add(Int32(other), value)
        }
        for first in stride(from: 0, to: pairs.count, by: wave) {
          let part = UnsafeMutableBufferPointer(
            rebasing: pairs[first..<min(pairs.count, first + wave)])
          parallelForEach(workers, threads: workers) { w in
            for pair in part {
              let value = Self.fixedPoint(pair.score, scale: scale)
              if pair.a % workers == w { add(pair.a, pair.b, value) }
              if pair.b % workers == w { add(pair.b, pair.a, value) }
            }
          }
          if releasesPairs { releasePages(UnsafeMutableRawBufferPointer(part)) }
        }
        parallelForEach(workers, threads: workers) { w in
          for row in stride(from: w, to: count, by: workers) where degree[row] >= 0 {
            maps.initialize(at: row, capacity: 0)
          }
        }
      }
    }
    pairs = []
    return state.run(counter: counter)
  }

  /// ``labels(count:pairs:counter:)`` with every merge kept, so that the run can be cut again
  /// at any higher threshold without running it again (``Dendrogram``).
  ///
  /// - Complexity: As ``labels(count:pairs:counter:)``, plus 24 bytes per merge.
  func dendrogram(
    count: Int, pairs: consuming [ScoredPair], counter: ProgressCounter? = nil
  ) -> Dendrogram {
    let log = MergeLog()
    let labels = labels(count: count, pairs: consume pairs, counter: counter, log: log)
    return Dendrogram(labels: labels, merges: log.merges, scale: log.scale, bar: log.bar)
  }

  /// 2^S for the largest S ≤ 60 with E·(max |score| + 1)·2^S < 2⁶¹ for E pairs: no sum of
  /// rounded scores reaches 2⁶², and S does not depend on the pairs' order (or `threads`).
  static func scale(of pairs: [ScoredPair], threads: Int = 1) -> Double {
    let size = 1 << 16
    let largest =
      parallelMapDynamic((pairs.count + size - 1) / size, threads: threads) { c in
        var largest = 0.0
        for k in (c * size)..<min(pairs.count, (c + 1) * size) {
          largest = max(largest, pairs[k].score.magnitude)
        }
        return largest
      }.max() ?? 0
    let bound = Double(pairs.count) * (largest + 1) + 1
    let shift = min(60, max(0, 60 - Int(bound.exponent)))
    return Double(sign: .plus, exponent: shift, significand: 1)
  }

  /// `value` in units of 1 / `scale`, rounded to the nearest (ties away from zero), clamped to
  /// ±2⁶².
  static func fixedPoint(_ value: Double, scale: Double) -> Int64 {
    let limit = 4_611_686_018_427_387_904.0  // 2⁶²
    let scaled = (value * scale).rounded()
    guard !scaled.isNaN else { return 0 }
    return Int64(min(limit, max(-limit, scaled)))
  }
}

/// An update of `target`'s map after a merge: with `gone` −1, its entry for `survivor`
/// becomes `sum`; otherwise its entry for `gone` moves onto `survivor`.
private struct Update {
  var target: Int32
  var survivor: Int32
  var gone: Int32
  var sum: Int64
}

/// The clusters of one ``ReciprocalLinkage`` run, in buffers the phases share: each phase
/// writes only slots it owns (see the phases there).
private final class RoundState {
  let count: Int
  let bar: Int64
  let workers: Int
  let maps: MapBuffer
  let size: UnsafeMutableBufferPointer<Int64>
  /// The smallest row of each cluster: the tie-break key.
  let minRow: UnsafeMutableBufferPointer<Int32>
  /// Each cluster's nearest neighbour, or −1 when none reaches the threshold.
  let best: UnsafeMutableBufferPointer<Int32>
  /// The cluster a gone cluster merged into (itself while live).
  let parent: UnsafeMutableBufferPointer<Int32>
  /// Lists of the clusters whose nearest neighbour is a cluster: its first, then links.
  let head: UnsafeMutableBufferPointer<Int32>
  let next: UnsafeMutableBufferPointer<Int32>
  let previous: UnsafeMutableBufferPointer<Int32>
  /// The list a cluster is linked in (its nearest neighbour when linked), or −1.
  let listed: UnsafeMutableBufferPointer<Int32>
  /// The last round that put a cluster in the recompute list.
  let stamp: UnsafeMutableBufferPointer<Int32>
  /// The last round a cluster merged in.
  let merging: UnsafeMutableBufferPointer<Int32>
  /// Each cluster's candidates (``candidateSlots`` slots each, the first `candidateCount` in
  /// use; a count of ``noCandidates`` when the cluster has none and must scan its map): the keys
  /// of its best neighbours at its last look, whose current clusters are the only ones whose
  /// average with it may exceed its bound.
  let candidates: UnsafeMutableBufferPointer<Int32>
  let candidateCount: UnsafeMutableBufferPointer<UInt8>
  /// Each cluster's bound, the average `boundSum / boundPairs` (absolute: a sum over the
  /// product of the two sizes): no neighbour but its candidates' clusters averages more.
  let boundSum: UnsafeMutableBufferPointer<Int64>
  let boundPairs: UnsafeMutableBufferPointer<Int64>
  /// Where each merge is kept, when the caller asks for them.
  var log: MergeLog?

  init(count: Int, bar: Int64, workers: Int) {
    self.count = count
    self.bar = bar
    self.workers = workers
    maps = MapBuffer(count: count)
    func buffer<T>(_ value: T) -> UnsafeMutableBufferPointer<T> {
      let b = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
      b.initialize(repeating: value)
      return b
    }
    size = buffer(1)
    minRow = buffer(0)
    best = buffer(-1)
    parent = buffer(0)
    head = buffer(-1)
    next = buffer(-1)
    previous = buffer(-1)
    listed = buffer(-1)
    stamp = buffer(-1)
    merging = buffer(-1)
    candidates = .allocate(capacity: count * Self.candidateSlots)
    candidates.initialize(repeating: -1)
    candidateCount = .allocate(capacity: count)
    candidateCount.initialize(repeating: Self.noCandidates)
    boundSum = buffer(0)
    boundPairs = buffer(1)
    for row in 0..<count {
      minRow[row] = Int32(row)
      parent[row] = Int32(row)
    }
  }

  deinit {
    for b in [minRow, best, parent, head, next, previous, listed, stamp, merging, candidates] {
      b.deallocate()
    }
    for b in [size, boundSum, boundPairs] { b.deallocate() }
    candidateCount.deallocate()
  }

  /// The merge rounds; returns each row's cluster key.
  func run(counter: ProgressCounter?) -> [Int] {
    var dirty = (0..<count).filter { maps[$0].count > 0 }.map { Int32($0) }
    for c in dirty { stamp[Int(c)] = 0 }
    recompute(dirty)
    var pairs = reciprocalPairs(dirty, round: 0)
    var round: Int32 = 0
    var merged = 0
    while !pairs.isEmpty {
      round += 1
      let merges = pairs.map { pair in
        let (c, b) = pair
        let (mc, mb) = (maps[Int(c)].count, maps[Int(b)].count)
        return mc > mb || (mc == mb && c < b) ? (survivor: c, gone: b) : (survivor: b, gone: c)
      }
      if let log {
        for m in merges {
          log.merges.append(
            Dendrogram.Merge(
              a: m.survivor, b: m.gone, sum: maps[Int(m.survivor)].value(m.gone) ?? 0,
              pairs: size[Int(m.survivor)] * size[Int(m.gone)]))
        }
      }
      for m in merges {
        merging[Int(m.survivor)] = round
        merging[Int(m.gone)] = round
        parent[Int(m.gone)] = m.survivor
      }
      // In batches of at most ~4 M updates (96 MB), so the lists stay small. A batch's updates
      // touch no map that a later batch folds; the end state does not depend on the batches.
      var start = 0
      while start < merges.count {
        var end = start
        var listed = 0
        while end < merges.count && (end == start || listed < 1 << 22) {
          listed += maps[Int(merges[end].gone)].count
          end += 1
        }
        apply(fold(merges[start..<end], round: round))
        start = end
      }
      merged += merges.count
      counter?.advance(by: merges.count)
      // Recompute the survivors and whoever pointed at a merged cluster.
      dirty.removeAll(keepingCapacity: true)
      for m in merges {
        unlink(m.survivor)
        unlink(m.gone)
        stamp[Int(m.survivor)] = round
        stamp[Int(m.gone)] = round
        dirty.append(m.survivor)
      }
      for m in merges {
        for target in [m.survivor, m.gone] {
          var c = head[Int(target)]
          while c >= 0 {
            if stamp[Int(c)] != round {
              stamp[Int(c)] = round
              dirty.append(c)
            }
            c = next[Int(c)]
          }
        }
      }
      for c in dirty { unlink(c) }
      recompute(dirty)
      pairs = reciprocalPairs(dirty, round: round)
    }
    counter?.advance(by: max(0, count - 1 - merged))
    var labels = [Int](repeating: 0, count: count)
    for row in 0..<count {
      var r = Int32(row)
      while parent[Int(r)] != r { r = parent[Int(r)] }
      labels[row] = Int(r)
      var x = Int32(row)  // path compression
      while parent[Int(x)] != r {
        let up = parent[Int(x)]
        parent[Int(x)] = r
        x = up
      }
    }
    return labels
  }

  /// Threads for `items` units of work: one when too few to pay for waking the others.
  private func threads(for items: Int) -> Int { items >= 64 ? workers : 1 }

  /// Recomputes the nearest neighbour of each cluster in `clusters` (in parallel; each writes
  /// its own slot), then links each into its nearest neighbour's list.
  private func recompute(_ clusters: [Int32]) {
    parallelForEachDynamic(clusters.count, threads: threads(for: clusters.count), chunk: 16) {
      _, i in
      let c = Int(clusters[i])
      best[c] = nearestNeighbor(of: c)
    }
    for c in clusters { link(Int(c)) }
  }

  /// The neighbour of `c` first in the total order: highest average, then smallest `minRow`;
  /// −1 when no average reaches the threshold.
  ///
  /// Answered from `c`'s candidates when it can be: average linkage is reducible, so an
  /// average of `c` never grows — a merged neighbour's is a weighted mean of its parts', and so
  /// is `c`'s own after it merges — except as a merge of averages it had before. So the
  /// clusters that now hold `c`'s candidates (its best neighbours at its last look, and, after
  /// `c` merged, its partner's) are the only ones whose average with `c` may exceed its bound
  /// (the best average it saw outside them). When the best of them beats the bound, it is the
  /// answer; when the bound is below the threshold, there is none; otherwise `c` scans its map.
  /// Either way the candidates and the bound are renewed from what was evaluated.
  private func nearestNeighbor(of c: Int) -> Int32 {
    withUnsafeTemporaryAllocation(of: Candidate.self, capacity: Self.candidateSlots + 1) {
      list in
      if candidateCount[c] != Self.noCandidates, let found = fromCandidates(of: c, list) {
        return found
      }
      return scan(c, list)
    }
  }

  /// One neighbour of a cluster, as the total order compares them.
  private struct Candidate {
    var key: Int32
    var sum: Int64
    var size: Int64
    var minRow: Int32
  }

  /// ``nearestNeighbor(of:)`` from `c`'s candidates, or `nil` when they cannot decide.
  private func fromCandidates(
    of c: Int, _ list: UnsafeMutableBufferPointer<Candidate>
  ) -> Int32? {
    let sizeC = size[c]
    let base = c * Self.candidateSlots
    var held = 0
    for i in 0..<Int(candidateCount[c]) {
      var r = candidates[base + i]
      while parent[Int(r)] != r { r = parent[Int(r)] }
      guard r != Int32(c), !(0..<held).contains(where: { list[$0].key == r }),
        let sum = maps[c].value(r)
      else { continue }
      insert(
        Candidate(key: r, sum: sum, size: size[Int(r)], minRow: minRow[Int(r)]), into: list,
        held: &held, limit: Self.candidateSlots)
    }
    let (uSum, uPairs) = keep(
      c, list, held: &held, boundSum: boundSum[c], boundPairs: boundPairs[c])
    let barBeatsBound = Self.exceeds(bar, 1, uSum, uPairs)
    guard held > 0, Self.exceeds(list[0].sum, sizeC &* list[0].size, uSum, uPairs) else {
      return barBeatsBound ? -1 : nil
    }
    return reaches(list[0].sum, sizeC &* list[0].size) ? list[0].key : -1
  }

  /// ``nearestNeighbor(of:)`` by a scan of `c`'s map, keeping its best neighbours as its
  /// candidates and the next one's average as its bound. A map with more dead keys than live
  /// ones (and more than 8) is compacted on the way.
  private func scan(_ c: Int, _ list: UnsafeMutableBufferPointer<Candidate>) -> Int32 {
    let sizeC = size[c]
    var held = 0
    var live = 0
    maps[c].forEach { n, sum in
      guard parent[Int(n)] == n else { return }
      live += 1
      insert(
        Candidate(key: n, sum: sum, size: size[Int(n)], minRow: minRow[Int(n)]), into: list,
        held: &held, limit: Self.candidateLimit + 1)
    }
    if maps[c].count - live > max(8, live) { maps[c].filter { parent[Int($0)] == $0 } }
    keep(c, list, held: &held, boundSum: 0, boundPairs: 1)
    guard held > 0, reaches(list[0].sum, sizeC &* list[0].size) else { return -1 }
    return list[0].key
  }

  /// Inserts `x` into the first `held` of `list`, kept in the total order, at most `limit`.
  @inline(__always)
  private func insert(
    _ x: Candidate, into list: UnsafeMutableBufferPointer<Candidate>, held: inout Int, limit: Int
  ) {
    if held == limit {
      guard Self.precedes(x, list[limit - 1]) else { return }
      held -= 1
    }
    var i = held
    while i > 0 && Self.precedes(x, list[i - 1]) {
      list[i] = list[i - 1]
      i -= 1
    }
    list[i] = x
    held += 1
  }

  /// Stores the best ``candidateLimit`` of the first `held` of `list` (in the total order) as
  /// `c`'s candidates, cutting `held` to them, and as its bound the higher of `sum / pairs` and
  /// the best of the rest; returns the bound.
  @discardableResult
  private func keep(
    _ c: Int, _ list: UnsafeMutableBufferPointer<Candidate>, held: inout Int,
    boundSum sum: Int64, boundPairs pairs: Int64
  ) -> (sum: Int64, pairs: Int64) {
    var (sum, pairs) = (sum, pairs)
    if held > Self.candidateLimit {
      let x = list[Self.candidateLimit]
      let xPairs = size[c] &* x.size
      if Self.exceeds(x.sum, xPairs, sum, pairs) { (sum, pairs) = (x.sum, xPairs) }
      held = Self.candidateLimit
    }
    let base = c * Self.candidateSlots
    for i in 0..<held { candidates[base + i] = list[i].key }
    candidateCount[c] = UInt8(held)
    boundSum[c] = sum
    boundPairs[c] = pairs
    return (sum, pairs)
  }

  /// Whether the average `sum / pairs` reaches the threshold (`bar` in the same units).
  @inline(__always)
  private func reaches(_ sum: Int64, _ pairs: Int64) -> Bool {
    !Self.exceeds(bar, 1, sum, pairs)
  }

  /// Whether `x` comes before `y` in the total order of one cluster's neighbours: the higher
  /// average (`sum / size`, the cluster's own size cancels), then the smaller `minRow`. Exact:
  /// first in `Double` and, when the two sides are within 10⁻¹² of each other (the `Double`
  /// error is below 10⁻¹⁵), in 128-bit integers.
  @inline(__always)
  private static func precedes(_ x: Candidate, _ y: Candidate) -> Bool {
    switch order(Double(x.sum) * Double(y.size), Double(y.sum) * Double(x.size)) {
    case .less: return false
    case .greater: return true
    case .near:
      let left = Int128(x.sum) * Int128(y.size)
      let right = Int128(y.sum) * Int128(x.size)
      return left > right || (left == right && x.minRow < y.minRow)
    }
  }

  /// Whether the average `sum₁ / pairs₁` is strictly above `sum₂ / pairs₂`, exactly.
  @inline(__always)
  private static func exceeds(_ sum1: Int64, _ pairs1: Int64, _ sum2: Int64, _ pairs2: Int64)
    -> Bool
  {
    switch order(Double(sum1) * Double(pairs2), Double(sum2) * Double(pairs1)) {
    case .less: return false
    case .greater: return true
    case .near: return Int128(sum1) * Int128(pairs2) > Int128(sum2) * Int128(pairs1)
    }
  }

  /// Candidates a cluster keeps after a look, and the slots for them and its partner's after
  /// a merge.
  static let candidateLimit = 8
  static let candidateSlots = 2 * candidateLimit
  /// The candidate count of a cluster that has none yet (or lost them) and must scan.
  static let noCandidates: UInt8 = .max

  private enum Order { case less, near, greater }

  /// How `x` compares with `y` when both carry a relative error far below 10⁻¹²: `.near` when
  /// they are within 10⁻¹² of each other, relatively.
  @inline(__always)
  private static func order(_ x: Double, _ y: Double) -> Order {
    let tolerance = (x.magnitude + y.magnitude) * 1e-12
    return x < y - tolerance ? .less : x > y + tolerance ? .greater : .near
  }

  /// The pairs of mutual nearest neighbours with at least one side in `clusters` (whose
  /// `stamp` is `round`), each once.
  private func reciprocalPairs(_ clusters: [Int32], round: Int32) -> [(Int32, Int32)] {
    var pairs: [(Int32, Int32)] = []
    for c in clusters {
      let b = best[Int(c)]
      guard b >= 0, best[Int(b)] == c, c < b || stamp[Int(b)] != round else { continue }
      pairs.append((c, b))
    }
    return pairs
  }

  private func link(_ c: Int) {
    let target = best[c]
    guard target >= 0 else { return }
    let first = head[Int(target)]
    next[c] = first
    previous[c] = -1
    if first >= 0 { previous[Int(first)] = Int32(c) }
    head[Int(target)] = Int32(c)
    listed[c] = target
  }

  private func unlink(_ c: Int32) {
    let c = Int(c)
    let target = listed[c]
    guard target >= 0 else { return }
    let (p, n) = (previous[c], next[c])
    if p >= 0 { next[Int(p)] = n } else { head[Int(target)] = n }
    if n >= 0 { previous[Int(n)] = p }
    (listed[c], next[c], previous[c]) = (-1, -1, -1)
  }

  /// Phase 1: each survivor folds its gone partner's live entries into its own map (one thread
  /// per pair). Entries for another pair's gone cluster go to that pair's survivor. Each other
  /// neighbour gets an update, bucketed by neighbour: one that is not merging stores the new
  /// sum under the survivor; a merging survivor moves its entry for the gone cluster onto this
  /// survivor (its own fold adds the rest of the four-way sum, which is exact in any order).
  private func fold(
    _ merges: ArraySlice<(survivor: Int32, gone: Int32)>, round: Int32
  ) -> [[[Update]]] {
    let lanes = threads(for: merges.count)
    let first = merges.startIndex
    return produce(lanes, merges.count) { (i, out: inout [[Update]]) in
      let (survivor, gone) = merges[first + i]
      let folded = maps[Int(gone)]
      maps[Int(gone)] = LinkSumMap()
      folded.forEach { n, value in
        guard n != survivor else { return }
        let isMerging = merging[Int(n)] == round
        if parent[Int(n)] != n {
          // Gone in this round: fold onto its survivor. Gone earlier: a dead key, skipped.
          if isMerging { maps[Int(survivor)].add(parent[Int(n)], value) }
          return
        }
        let sum = maps[Int(survivor)].add(n, value)
        out[Int(n) % lanes].append(
          Update(target: n, survivor: survivor, gone: isMerging ? gone : -1, sum: sum))
      }
      folded.free()
      mergeCandidates(into: Int(survivor), from: Int(gone))
      size[Int(survivor)] += size[Int(gone)]
      minRow[Int(survivor)] = min(minRow[Int(survivor)], minRow[Int(gone)])
    }
  }

  /// The survivor of a merge takes its partner's candidates beside its own, and the higher
  /// of the two bounds: each average of the merged cluster is a weighted mean of the two
  /// parts' averages with that neighbour.
  private func mergeCandidates(into survivor: Int, from gone: Int) {
    let (s, g) = (Int(candidateCount[survivor]), Int(candidateCount[gone]))
    guard s != Int(Self.noCandidates), g != Int(Self.noCandidates),
      s + g <= Self.candidateSlots
    else {
      candidateCount[survivor] = Self.noCandidates
      return
    }
    let (to, from) = (survivor * Self.candidateSlots, gone * Self.candidateSlots)
    for i in 0..<g { candidates[to + s + i] = candidates[from + i] }
    candidateCount[survivor] = UInt8(s + g)
    if Self.exceeds(boundSum[gone], boundPairs[gone], boundSum[survivor], boundPairs[survivor]) {
      boundSum[survivor] = boundSum[gone]
      boundPairs[survivor] = boundPairs[gone]
    }
  }

  /// Phase 2: each neighbour applies its updates; each lane applies those of its own targets,
  /// so no two threads touch one map.
  private func apply(_ buckets: [[[Update]]]) {
    let lanes = buckets.count
    parallelForEach(lanes, threads: lanes) { consumer in
      for producer in 0..<lanes {
        for u in buckets[producer][consumer] {
          let t = Int(u.target)
          if u.gone < 0 {
            maps[t].set(u.survivor, u.sum)
          } else if let value = maps[t].remove(u.gone) {
            maps[t].add(u.survivor, value)
          }
        }
      }
    }
  }

  /// Runs `body(i, &lanesOut)` for `i` in `0..<count` on `lanes` producers (taking chunks of
  /// 4 as they go) and returns each producer's output, bucketed into `lanes` lists. Which
  /// producer lists an item varies; the consumers' results do not depend on it (every sum is
  /// exact and each item touches its own key).
  private func produce<Item>(
    _ lanes: Int, _ count: Int, _ body: (Int, inout [[Item]]) -> Void
  ) -> [[[Item]]] {
    var buckets = [[[Item]]](
      repeating: [[Item]](repeating: [], count: lanes), count: lanes)
    buckets.withUnsafeMutableBufferPointer { out in
      nonisolated(unsafe) let out = out
      parallelForEachDynamic(count, threads: lanes, chunk: 4) { producer, i in
        body(i, &out[producer])
      }
    }
    return buckets
  }
}

/// The merges of a run, filled by its rounds, and the fixed-point scale and threshold they are
/// in (1 and 0 for a run of no rows).
private final class MergeLog {
  var merges: [Dendrogram.Merge] = []
  var scale = 1.0
  var bar: Int64 = 0
}

/// The clusters' maps, in one buffer that every phase shares.
private final class MapBuffer: @unchecked Sendable {
  private let storage: UnsafeMutableBufferPointer<LinkSumMap>

  /// `count` maps, each to be set once with ``initialize(at:capacity:)``.
  init(count: Int) {
    storage = .allocate(capacity: count)
  }

  deinit {
    for map in storage { map.free() }
    storage.deallocate()
  }

  subscript(index: Int) -> LinkSumMap {
    get { storage[index] }
    _modify { yield &storage[index] }
  }

  func initialize(at index: Int, capacity: Int) {
    storage.initializeElement(at: index, to: LinkSumMap(capacity: capacity))
  }
}
