#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// The graph the clusterer links stories on, and the corpus's background level on it.
///
/// An edge's *story similarity* blends two signals:
/// - the cosine of the two articles, scaled by `exp(−|Δt| / timeScale)` when both have a date
///   (stories are bursts in time; undated articles are not decayed);
/// - the cosine of their *neighbourhoods*: each article's vector over itself (weight 1) and its
///   ``Settings/neighborhoodSize`` nearest neighbours (weighted by their decayed cosine, made
///   symmetric by the larger of the two directions). Two headlines of one story often share no
///   word, but they share neighbours.
///
/// `score = (1 − w) · decayedCosine + w · neighbourhoodCosine` with w =
/// ``Settings/neighborhoodWeight``. With the articles' ``EventMarks``, two signals tell events of
/// one kind apart (who and when): the cosine part becomes `(1 − e) · cosine + e · namesCosine`
/// (e = ``Settings/namesWeight``), and when both articles mention years the whole score is
/// multiplied by `1 − p · (1 − J)`, J the Jaccard overlap of their years (p =
/// ``Settings/yearPenalty``). The edges are the kernel's pairs — its bounded
/// ``SimilarityResult/edges`` (each row's strongest pairs at the graph floor) when it kept them,
/// else every pair it found — plus every pair two neighbourhood steps apart (whose cosine is
/// computed exactly); all other pairs score 0 in average linkage.
///
/// Each article keeps at most 3h neighbourhood edges (an edge stays when both ends rank it among
/// their 3h strongest), so a hub many articles pick cannot put every pair two steps apart.
///
/// The *background* is the mean story similarity of two articles of the corpus, before decay
/// and the year factor: `(1 − w) · ((1 − e) · mean cosine + e · mean names cosine) + w · mean
/// neighbourhood cosine`. Every mean is exact and costs O(nnz):
/// for unit rows, the sum over all pairs is `(‖Σ xᵢ‖² − n) / 2`. A threshold stated as a multiple
/// of it ("lift") means the same on headlines, where unrelated articles share almost nothing,
/// and on long articles, where they share common vocabulary. Small corpora have too few pairs
/// to measure it, so the measured mean is shrunk toward ``Settings/backgroundPrior`` as if that
/// prior had been seen on ``Settings/backgroundPriorPairs`` pairs.
///
/// ```swift
/// let graph = StoryGraph(similarity: result, matrix: matrix, timestamps: dates, settings: .init())
/// let threshold = 5 * graph.background
/// ```
///
/// - Complexity: O(N·h² + P) for h neighbours kept per article and P kernel pairs, plus one
///   sparse dot per pair found only through neighbourhoods; O(N·h²) memory beyond the pairs.
public struct StoryGraph: Sendable {
  /// The neighbourhood and time settings.
  package struct Settings: Sendable, Equatable {
    /// Weight w of the neighbourhood cosine, in `0...1` (0 = plain decayed cosine).
    package var neighborhoodWeight: Double
    /// Neighbours kept per article in its neighbourhood.
    package var neighborhoodSize: Int
    /// Seconds over which similarity falls by e; `nil` leaves dates out.
    package var timeScale: Double?
    /// Weight e of the names cosine in the cosine part, in `0...1` (``EventMarks``; 0 without
    /// them).
    package var namesWeight: Double = 0
    /// How much the score falls when two articles mention different years, in `0...1`
    /// (``EventMarks``; 0 without them).
    package var yearPenalty: Double = 0
    /// The background assumed before any pair is seen.
    package var backgroundPrior: Double = 0.01
    /// How many pairs the prior counts as.
    package var backgroundPriorPairs: Double = 1000

    /// Creates the settings.
    package init(neighborhoodWeight: Double, neighborhoodSize: Int, timeScale: Double?) {
      self.neighborhoodWeight = neighborhoodWeight
      self.neighborhoodSize = neighborhoodSize
      self.timeScale = timeScale
    }
  }

  /// Edges `a < b` by `(a, b)`, scored by story similarity.
  public let pairs: [ScoredPair]
  /// The mean story similarity of two articles, shrunk toward the prior for small corpora.
  public let background: Double
  /// For ``Linkage/online``, the order the articles arrive in (by date, undated last); `nil`
  /// for the other linkages.
  public package(set) var arrival: [Int]?
  /// What ``background(between:)`` reads, apart from the edges.
  package let backgroundMeasure: BackgroundMeasure

  /// Builds the graph from the kernel's result.
  ///
  /// - Parameters:
  ///   - similarity: The kernel's neighbours (by score, then index) and pairs (by `(a, b)`).
  ///   - matrix: The L2-normalised TF-IDF rows the kernel scored.
  ///   - timestamps: Per row, seconds since 1970, or `nil`.
  ///   - settings: The blend.
  ///   - threads: Worker threads (0 = all cores); the result does not depend on it.
  ///   - releasingEdges: Whether the graph may free the kernel's edges (or pairs) as it reads
  ///     them, a part at a time, so that they and the graph are not resident together: for a
  ///     caller that hands over `similarity` as the only holder of its edges (the engine's run);
  ///     otherwise the edges are copied first.
  ///   - chunkRows: At most this many rows' edges are built into one array (a wave is 16
  ///     chunks per thread); the result does not depend on it.
  ///   - marks: Per row, the names and years its text mentions; without them the names weight
  ///     and the year penalty are 0.
  package init(
    similarity: consuming SimilarityResult, matrix: SparseMatrix, timestamps: [Double?],
    settings: Settings, threads: Int = 0, releasingEdges: Bool = false, chunkRows: Int = 4096,
    marks: EventMarks? = nil
  ) {
    let n = matrix.rowCount
    let w = settings.neighborhoodWeight
    // The kernel's bounded edges when it kept them, else every pair it found.
    var kernelPairs = similarity.edges ?? similarity.pairs
    if releasingEdges {
      similarity.edges = nil
      similarity.pairs = []
    }
    precondition(marks.map { $0.names.rowCount == n } ?? true, "one mark per row")
    let e = marks == nil ? 0 : settings.namesWeight
    let p = marks == nil ? 0 : settings.yearPenalty
    let cosineMean =
      (1 - e) * Self.meanPairScore(count: n, matrix: matrix)
      + (e > 0 ? e * Self.meanOverAllPairs(marks?.names) : 0)
    func decay(_ a: Int, _ b: Int) -> Double {
      guard let scale = settings.timeScale, let ta = timestamps[a], let tb = timestamps[b] else {
        return 1
      }
      return exp(-abs(ta - tb) / scale)
    }
    // The cosine part, the names cosine blended in, decayed.
    func cosinePart(_ a: Int, _ b: Int, _ cosine: Double, names: () -> Double) -> Double {
      guard e > 0 else { return cosine * decay(a, b) }
      return ((1 - e) * cosine + e * names()) * decay(a, b)
    }
    func yearFactor(_ a: Int, _ b: Int) -> Double {
      guard p > 0, let agreement = marks?.yearAgreement(a, b) else { return 1 }
      return 1 - p * (1 - agreement)
    }
    guard w > 0, n > 1 else {
      let plain = settings.timeScale == nil && e == 0 && p == 0
      pairs =
        plain
        ? kernelPairs
        : kernelPairs.map { pair in
          let names = { marks?.namesCosine(pair.a, pair.b) ?? 0 }
          return ScoredPair(
            a: pair.a, b: pair.b,
            score: cosinePart(pair.a, pair.b, pair.score, names: names) * yearFactor(pair.a, pair.b)
          )
        }
      background = Self.shrink(cosineMean, count: n, settings: settings)
      backgroundMeasure = BackgroundMeasure(
        matrix: matrix, names: e > 0 ? marks?.names : nil, neighborhoodStarts: [],
        neighborhoodColumns: [], neighborhoodValues: [], neighborhoodWeight: w, namesWeight: e,
        settings: settings)
      return
    }
    let workers = effectiveThreadCount(threads)
    // Each row's own picks: its top neighbours by decayed cosine.
    let picks: [[(column: Int, weight: Double)]] = parallelMap(n, threads: workers) { row in
      var list = similarity.neighbors[row].map {
        (column: $0.index, weight: $0.score * decay(row, $0.index))
      }
      list.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.column < $1.column }
      return Array(list.prefix(settings.neighborhoodSize).filter { $0.weight > 0 })
    }
    // Symmetric neighbourhoods (the larger weight of the two directions), self weight 1.
    var lists = [[(column: Int, weight: Double)]](repeating: [], count: n)
    for row in 0..<n {
      lists[row].append((row, 1))
      for pick in picks[row] {
        lists[row].append(pick)
        lists[pick.column].append((row, pick.weight))
      }
    }
    var neighborhoods: [[(column: Int, weight: Double)]] = parallelMap(n, threads: workers) { row in
      var list = lists[row]
      list.sort { $0.column != $1.column ? $0.column < $1.column : $0.weight > $1.weight }
      var unique: [(column: Int, weight: Double)] = []
      unique.reserveCapacity(list.count)
      for entry in list where unique.last?.column != entry.column { unique.append(entry) }
      return unique
    }
    lists = []
    // Bounded degree: an edge stays only if each end ranks it among its 3h strongest, so a hub
    // that many articles pick cannot make every pair two steps apart (O(N·h²) pairs at most).
    let cap = 3 * settings.neighborhoodSize
    let strongest: [Set<Int>] = parallelMap(n, threads: workers) { row in
      let others = neighborhoods[row].filter { $0.column != row }
      guard others.count > cap else { return Set(others.map(\.column)) }
      let ranked = others.sorted {
        $0.weight != $1.weight ? $0.weight > $1.weight : $0.column < $1.column
      }
      return Set(ranked.prefix(cap).map(\.column))
    }
    neighborhoods = parallelMap(n, threads: workers) { row in
      neighborhoods[row].filter {
        $0.column == row
          || (strongest[row].contains($0.column) && strongest[$0.column].contains(row))
      }
    }
    let norms = parallelMap(n, threads: workers) { row in
      neighborhoods[row].reduce(0.0) { $0 + $1.weight * $1.weight }.squareRoot()
    }
    // Kernel pairs start at pairStart[a].
    var pairStart = [Int](repeating: kernelPairs.count, count: n + 1)
    for index in stride(from: kernelPairs.count - 1, through: 0, by: -1) {
      pairStart[kernelPairs[index].a] = index
    }
    for row in stride(from: n - 1, through: 0, by: -1) where pairStart[row] > pairStart[row + 1] {
      pairStart[row] = pairStart[row + 1]
    }
    // A chunk of rows' edges at a time, in one array each: the result is filled chunk by chunk
    // and each chunk is freed once copied, so the graph is resident about once, not once in
    // per-row lists and again in the result.
    // With `releasingEdges`, the rows go in waves of chunks, and the kernel pairs of a wave's
    // rows (all read) are released before the next wave.
    // Chunks small enough that each thread takes several (the threads take the next chunk as
    // they finish one): rows differ in work, and a few large chunks leave one thread waiting.
    let chunk = max(1, min(chunkRows, n / (8 * workers)))
    let chunkCount = (n + chunk - 1) / chunk
    let wave = releasingEdges ? 16 * workers : max(1, chunkCount)
    // Row a's names row is spread over a thread's dense scratch while its edges are scored, so
    // each names cosine reads only b's row (the same products, added in the same column order
    // as SparseMatrix.dot, so the same bits).
    let names = e > 0 ? marks?.names : nil
    func edges(ofChunk c: Int, scratch: inout [Float]) -> [ScoredPair] {
      var out: [ScoredPair] = []
      for a in (c * chunk)..<min(n, (c + 1) * chunk) {
        if let names {
          for index in names.rowStarts[a]..<names.rowStarts[a + 1] {
            scratch[Int(names.columns[index])] = names.values[index]
          }
        }
        defer {
          if let names {
            for index in names.rowStarts[a]..<names.rowStarts[a + 1] {
              scratch[Int(names.columns[index])] = 0
            }
          }
        }
        func namesCosine(_ b: Int) -> Double {
          guard let names else { return 0 }
          var sum = 0.0
          for index in names.rowStarts[b]..<names.rowStarts[b + 1] {
            sum += Double(scratch[Int(names.columns[index])]) * Double(names.values[index])
          }
          return min(1, sum)
        }
        // Neighbourhood cosine with every row two steps away, for b > a.
        var reach: [(column: Int, value: Double)] = []
        for (middle, weightA) in neighborhoods[a] {
          let left = weightA / norms[a]
          for (b, weightB) in neighborhoods[middle] where b > a {
            reach.append((b, left * weightB / norms[b]))
          }
        }
        reach.sort { $0.column != $1.column ? $0.column < $1.column : $0.value < $1.value }
        var k = pairStart[a]
        let kEnd = pairStart[a + 1]
        var r = 0
        while k < kEnd || r < reach.count {
          let kernelColumn = k < kEnd ? kernelPairs[k].b : Int.max
          let reachColumn = r < reach.count ? reach[r].column : Int.max
          let b = min(kernelColumn, reachColumn)
          var neighborhood = 0.0
          while r < reach.count, reach[r].column == b {
            neighborhood += reach[r].value
            r += 1
          }
          let cosine: Double
          if kernelColumn == b {
            cosine = kernelPairs[k].score
            k += 1
          } else {
            cosine = min(1, matrix.dot(a, b))
          }
          let score =
            ((1 - w) * cosinePart(a, b, cosine) { namesCosine(b) } + w * min(1, neighborhood))
            * yearFactor(a, b)
          if score > 0 { out.append(ScoredPair(a: a, b: b, score: score)) }
        }
      }
      return out
    }
    var chunks: [[ScoredPair]] = []
    chunks.reserveCapacity(chunkCount)
    for first in stride(from: 0, to: chunkCount, by: wave) {
      let count = min(wave, chunkCount - first)
      chunks += parallelMapDynamic(
        count, threads: workers, state: { [Float](repeating: 0, count: names?.columnCount ?? 0) }
      ) { scratch, index in edges(ofChunk: first + index, scratch: &scratch) }
      guard releasingEdges else { continue }
      let read = pairStart[min(n, (first + count) * chunk)]
      kernelPairs.withUnsafeMutableBufferPointer { pairs in
        releasePages(
          UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: pairs[..<read])))
      }
    }
    kernelPairs = []
    pairs = concatenate(&chunks, threads: workers)
    // Each row's neighbourhood as a unit vector: for the mean below and the between-story
    // background.
    var starts = [0]
    starts.reserveCapacity(n + 1)
    var columns: [Int32] = []
    var values: [Double] = []
    for (row, list) in neighborhoods.enumerated() {
      for (column, weight) in list {
        columns.append(Int32(column))
        values.append(weight / norms[row])
      }
      starts.append(columns.count)
    }
    do {
      // Mean neighbourhood cosine over all pairs (each neighbourhood holds at least itself).
      var sums = [Double](repeating: 0, count: n)
      for (column, value) in zip(columns, values) { sums[Int(column)] += value }
      let total = sums.reduce(0) { $0 + $1 * $1 }
      let neighborhoodMean = max(0, (total - Double(n)) / (Double(n) * Double(n - 1)))
      background = Self.shrink(
        (1 - w) * cosineMean + w * neighborhoodMean, count: n, settings: settings)
    }
    backgroundMeasure = BackgroundMeasure(
      matrix: matrix, names: e > 0 ? marks?.names : nil, neighborhoodStarts: starts,
      neighborhoodColumns: columns, neighborhoodValues: values, neighborhoodWeight: w,
      namesWeight: e, settings: settings)
  }

  /// The *between-story background* (``BackgroundMeasure/between(_:)``).
  package func background(between groups: [[Int]]) -> Double {
    backgroundMeasure.between(groups)
  }

  /// The measured mean shrunk toward the prior by the number of pairs behind it.
  private static func shrink(_ mean: Double, count n: Int, settings: Settings) -> Double {
    let pairCount = Double(n) * Double(max(n - 1, 0)) / 2
    return (pairCount * mean + settings.backgroundPriorPairs * settings.backgroundPrior)
      / (pairCount + settings.backgroundPriorPairs)
  }

  /// The mean dot product over all pairs of `matrix`'s unit or empty rows (an empty row's dot
  /// products are 0), exact in O(nnz): ``meanPairScore(count:matrix:)``, which is over the
  /// non-empty rows' pairs, scaled to all pairs.
  package static func meanOverAllPairs(_ matrix: SparseMatrix?) -> Double {
    guard let matrix, matrix.rowCount > 1 else { return 0 }
    let n = Double(matrix.rowCount)
    let nonEmpty = Double(
      (0..<matrix.rowCount).count { matrix.rowStarts[$0 + 1] > matrix.rowStarts[$0] })
    return meanPairScore(count: matrix.rowCount, matrix: matrix) * nonEmpty * (nonEmpty - 1)
      / (n * (n - 1))
  }

  /// Mean cosine over all pairs of non-empty rows: `(‖Σ xᵢ‖² − n) / (n (n − 1))`.
  static func meanPairScore(count n: Int, matrix: SparseMatrix) -> Double {
    meanPairScore(
      rowStarts: matrix.rowStarts[...n], columns: matrix.columns, values: matrix.values,
      columnCount: matrix.columnCount)
  }

  /// Mean cosine over all pairs of non-empty unit rows given as CSR arrays (row `r`'s entries
  /// at `rowStarts[r]..<rowStarts[r + 1]`): `(‖Σ xᵢ‖² − n) / (n (n − 1))`, exact in O(nnz). The
  /// story index measures its window's rows with it too.
  package static func meanPairScore(
    rowStarts: ArraySlice<Int>, columns: [Int32], values: [Float], columnCount: Int
  ) -> Double {
    var sums = [Double](repeating: 0, count: columnCount)
    var nonEmpty = 0
    for (start, end) in zip(rowStarts, rowStarts.dropFirst()) where end > start {
      nonEmpty += 1
      for index in start..<end { sums[Int(columns[index])] += Double(values[index]) }
    }
    guard nonEmpty > 1 else { return 0 }
    let total = sums.reduce(0) { $0 + $1 * $1 }
    return max(0, (total - Double(nonEmpty)) / (Double(nonEmpty) * Double(nonEmpty - 1)))
  }
}

/// What ``StoryGraph/background(between:)`` reads: the rows, the names rows and each row's
/// neighbourhood as a unit vector (CSR), with the blend. Held apart from the graph's edges, so
/// that the clusterer may take (and free) those first.
package struct BackgroundMeasure: Sendable {
  var matrix: SparseMatrix
  var names: SparseMatrix?
  var neighborhoodStarts: [Int]
  var neighborhoodColumns: [Int32]
  var neighborhoodValues: [Double]
  var neighborhoodWeight: Double
  var namesWeight: Double
  var settings: StoryGraph.Settings

  /// The *between-story background*: the mean story similarity (before decay and the year
  /// factor) of two articles in different `groups`, shrunk toward
  /// ``StoryGraph/Settings/backgroundPrior`` by the number of such pairs.
  ///
  /// The all-pairs ``StoryGraph/background`` counts the pairs of one story too, and in a corpus of few
  /// large stories they are most of its mass (on UCI DEV three quarters of the mean cosine), so
  /// a threshold proportional to it rises as a corpus holds fewer stories. Leaving out the pairs
  /// inside the groups of a first, liberal clustering (``Engine``) leaves what unrelated articles
  /// share, which stays the same for a corpus and its halves or fifths. Every mean is exact:
  /// for unit rows, the sum over the pairs inside a group is `(‖Σ xᵢ‖² − Σ ‖xᵢ‖²) / 2` over
  /// the group, in O(nnz) for all groups together.
  ///
  /// - Parameters:
  ///   - groups: Row groups covering every row once.
  ///   - threads: Threads for the three sums (the rows', the names' and the neighbourhoods'),
  ///     each of which runs on one thread: the result is the same for any count.
  /// - Complexity: O(nnz of the rows, the names rows and the neighbourhoods).
  package func between(_ groups: [[Int]], threads: Int = 1) -> Double {
    let n = matrix.rowCount
    var pairCount = Double(n) * Double(max(n - 1, 0))
    for members in groups { pairCount -= Double(members.count) * Double(members.count - 1) }
    guard pairCount > 0 else { return settings.backgroundPrior }
    /// The sum of `xᵢ · xⱼ` over ordered pairs in different groups, for the rows `entries`
    /// gives (columns below `columnCount`).
    func betweenSum(columns columnCount: Int, _ entries: (Int, (Int, Double) -> Void) -> Void)
      -> Double
    {
      var total = [Double](repeating: 0, count: columnCount)
      var group = [Double](repeating: 0, count: columnCount)
      var touched: [Int] = []
      var inside = 0.0
      for members in groups {
        for row in members {
          entries(row) { column, value in
            if group[column] == 0 { touched.append(column) }
            group[column] += value
            total[column] += value
          }
        }
        for column in touched {
          inside += group[column] * group[column]
          group[column] = 0
        }
        touched.removeAll(keepingCapacity: true)
      }
      let all = total.reduce(0) { $0 + $1 * $1 }
      return max(0, all - inside)
    }
    func rowsSum(_ m: SparseMatrix) -> Double {
      betweenSum(columns: m.columnCount) { row, body in
        for index in m.rowStarts[row]..<m.rowStarts[row + 1] {
          body(Int(m.columns[index]), Double(m.values[index]))
        }
      }
    }
    let (w, e) = (neighborhoodWeight, namesWeight)
    // The three sums are independent: each on a thread of its own, each added in one order.
    let sums = parallelMapDynamic(3, threads: threads) { part -> Double in
      switch part {
      case 0: return rowsSum(matrix)
      case 1: return e > 0 ? (names.map(rowsSum) ?? 0) : 0
      default:
        guard w > 0 else { return 0 }
        return betweenSum(columns: n) { row, body in
          for index in neighborhoodStarts[row]..<neighborhoodStarts[row + 1] {
            body(Int(neighborhoodColumns[index]), neighborhoodValues[index])
          }
        }
      }
    }
    var sum = (1 - e) * sums[0] + (e > 0 ? e * sums[1] : 0)
    if w > 0 { sum = (1 - w) * sum + w * sums[2] }
    let prior = settings.backgroundPrior
    let weight = settings.backgroundPriorPairs
    return (sum / 2 + weight * prior) / (pairCount / 2 + weight)
  }
}
