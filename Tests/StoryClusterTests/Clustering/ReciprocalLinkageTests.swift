import Foundation
import StoryCluster
import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// Reciprocal nearest-neighbour rounds (``ReciprocalLinkage``, the default `.average`) against
/// the serial merge queue (``AverageLinkageAlgorithm/queue``) and a naive reference, on any
/// thread count.
struct ReciprocalLinkageTests {
  static func cluster(
    _ algorithm: AverageLinkageAlgorithm, count: Int, pairs: [ScoredPair], threshold: Double,
    threads: Int = 1
  ) -> [[Int]] {
    Clusterer(
      linkage: .average, threshold: threshold, threads: threads, averageAlgorithm: algorithm
    ).cluster(count: count, pairs: pairs)
  }

  /// Naive UPGMA by the total order: highest average (missing pairs are 0), ties to the pair
  /// of smallest rows (smaller first, then larger). O(n³); exact for dyadic scores.
  static func naiveTotalOrder(count n: Int, pairs: [ScoredPair], threshold: Double) -> [[Int]] {
    var s = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for p in pairs {
      s[p.a][p.b] += p.score
      s[p.b][p.a] += p.score
    }
    var clusters = (0..<n).map { [$0] }  // members ascending: [0] is the smallest row
    while clusters.count > 1 {
      var best: (average: Double, x: Int, y: Int)? = nil
      for x in 0..<clusters.count {
        for y in (x + 1)..<clusters.count {
          var sum = 0.0
          for i in clusters[x] { for j in clusters[y] { sum += s[i][j] } }
          let average = sum / Double(clusters[x].count * clusters[y].count)
          guard average >= threshold, sum > 0 else { continue }
          if let b = best {
            let keys = (min(clusters[x][0], clusters[y][0]), max(clusters[x][0], clusters[y][0]))
            let bestKeys = (
              min(clusters[b.x][0], clusters[b.y][0]), max(clusters[b.x][0], clusters[b.y][0])
            )
            guard average > b.average || (average == b.average && keys < bestKeys) else {
              continue
            }
          }
          best = (average, x, y)
        }
      }
      guard let b = best else { break }
      clusters[b.x] = (clusters[b.x] + clusters[b.y]).sorted()
      clusters.remove(at: b.y)
    }
    return clusters.sorted { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
  }

  /// A random graph: a row count in `rows`, edges with probability (a degree in `degree`) / n,
  /// distinct random scores in 0.01..<1.
  static func randomGraph(
    rows: ClosedRange<Int>, degree: Range<Double>, using rng: inout SeededGenerator
  ) -> (count: Int, pairs: [ScoredPair]) {
    let n = Int.random(in: rows, using: &rng)
    let d = Double.random(in: degree, using: &rng)
    var pairs: [ScoredPair] = []
    for a in 0..<n {
      for b in (a + 1)..<n where Double.random(in: 0..<1, using: &rng) < d / Double(n) {
        pairs.append(ScoredPair(a: a, b: b, score: Double.random(in: 0.01..<1, using: &rng)))
      }
    }
    return (n, pairs)
  }

  @Test func tiesGoToTheSmallestRows() {
    // 0–1 and 1–2 both 0.5: the pair of smaller rows (0, 1) merges first, then {0,1}–2
    // averages (0 + 0.5) / 2 = 0.25 < 0.3. Renumbered so the tie favours (1, 2): row 0 is alone.
    let pairs = [ScoredPair(a: 0, b: 1, score: 0.5), ScoredPair(a: 1, b: 2, score: 0.5)]
    let swapped = [ScoredPair(a: 1, b: 2, score: 0.5), ScoredPair(a: 0, b: 2, score: 0.5)]
    for threads in [1, 2] {
      #expect(
        Self.cluster(.reciprocal, count: 3, pairs: pairs, threshold: 0.3, threads: threads)
          == [[0, 1], [2]])
      #expect(
        Self.cluster(.reciprocal, count: 3, pairs: swapped, threshold: 0.3, threads: threads)
          == [[0, 2], [1]])
    }
  }

  @Test func aPairExactlyAtTheThresholdMerges() {
    // {0,1} (0.9) then {0,1}–2 averages (0.5 + 0.7) / 2 = 0.6: merges at 0.6, not at 0.6001.
    let pairs = [
      ScoredPair(a: 0, b: 1, score: 0.9), ScoredPair(a: 0, b: 2, score: 0.5),
      ScoredPair(a: 1, b: 2, score: 0.7),
    ]
    #expect(Self.cluster(.reciprocal, count: 3, pairs: pairs, threshold: 0.6) == [[0, 1, 2]])
    #expect(Self.cluster(.reciprocal, count: 3, pairs: pairs, threshold: 0.6001) == [[0, 1], [2]])
  }

  /// Scores are multiples of 1/16, so many averages tie exactly (and floating-point sums are
  /// exact, so the naive reference sees the same ties).
  @Test(arguments: 1...30)
  func tiedGraphsFollowTheTotalOrderOnAnyThreadCount(seed: Int) {
    var rng = SeededGenerator(seed: UInt64(seed))
    let n = Int.random(in: 2...70, using: &rng)
    let density = Double.random(in: 0.05..<0.5, using: &rng)
    var pairs: [ScoredPair] = []
    for a in 0..<n {
      for b in (a + 1)..<n where Double.random(in: 0..<1, using: &rng) < density {
        pairs.append(
          ScoredPair(a: a, b: b, score: Double(Int.random(in: 1...16, using: &rng)) / 16))
      }
    }
    let threshold = Double(Int.random(in: 2...12, using: &rng)) / 32
    let expected = Self.naiveTotalOrder(count: n, pairs: pairs, threshold: threshold)
    for threads in [1, 2, 3] {
      #expect(
        Self.cluster(.reciprocal, count: n, pairs: pairs, threshold: threshold, threads: threads)
          == expected, "threads \(threads)")
    }
  }

  /// Distinct random scores (no ties): the rounds make the serial queue's merges.
  @Test(arguments: 1...20)
  func randomGraphsEqualTheSerialQueue(seed: Int) {
    var rng = SeededGenerator(seed: UInt64(1000 + seed))
    let (n, pairs) = Self.randomGraph(rows: 2...400, degree: 1..<30, using: &rng)
    let threshold = Double.random(in: 0.05..<0.6, using: &rng)
    let serial = Self.cluster(.queue, count: n, pairs: pairs, threshold: threshold)
    for threads in [1, 2] {
      #expect(
        Self.cluster(.reciprocal, count: n, pairs: pairs, threshold: threshold, threads: threads)
          == serial, "threads \(threads)")
    }
  }

  /// One dense part of 600 rows (so rounds merge hundreds of pairs and every phase runs on
  /// both threads) beside a sparse remainder.
  @Test func aLargePartEqualsTheSerialQueueOnAnyThreadCount() {
    var rng = SeededGenerator(seed: 11)
    let n = 1200
    var pairs: [ScoredPair] = []
    for a in 0..<n {
      for b in (a + 1)..<n {
        let p = b < 600 ? 0.5 : 0.003
        if Double.random(in: 0..<1, using: &rng) < p {
          pairs.append(ScoredPair(a: a, b: b, score: Double.random(in: 0.01..<0.7, using: &rng)))
        }
      }
    }
    let serial = Self.cluster(.queue, count: n, pairs: pairs, threshold: 0.25)
    #expect(serial.count > 1 && serial[0].count > 5)
    for threads in [1, 2] {
      #expect(
        Self.cluster(.reciprocal, count: n, pairs: pairs, threshold: 0.25, threads: threads)
          == serial, "threads \(threads)")
    }
  }

  /// Maps made at each row's first pair and the pairs freed a wave at a time as they are read
  /// (the engine's run) give the same clusters: waves of 1,000 pairs, so many pages are freed
  /// before later waves are read, on one and two threads.
  @Test func freeingThePairsAsReadChangesNothing() {
    var rng = SeededGenerator(seed: 12)
    let n = 1500
    var pairs: [ScoredPair] = []
    for a in 0..<n {
      for b in (a + 1)..<min(n, a + 60) where Double.random(in: 0..<1, using: &rng) < 0.5 {
        pairs.append(ScoredPair(a: a, b: b, score: Double.random(in: 0.01..<0.7, using: &rng)))
      }
    }
    #expect(pairs.count > 20 * 1000)
    let whole = Self.cluster(.queue, count: n, pairs: pairs, threshold: 0.3)
    #expect(whole.count > 1 && whole[0].count > 3)
    for threads in [1, 2] {
      var linkage = ReciprocalLinkage(threshold: 0.3, threads: threads)
      linkage.releasesPairs = true
      linkage.wavePairs = 1000
      var copy = pairs
      copy.append(ScoredPair(a: 0, b: n - 1, score: 0))  // a copy of its own to free
      let clusters = Clusterer.groups(labels: linkage.labels(count: n, pairs: consume copy))
      #expect(clusters == whole, "threads \(threads)")
    }
  }

  @Test func theFixedPointUnitKeepsEverySumBelowTwoToTheSixtyTwo() {
    // E·(max|score| + 1) + 1 = 2·1.5 + 1 = 4 = 2², so 60 − 2 = 58; 1,000 edges of 1:
    // 2,001 < 2¹¹ → 60 − 10 = 50, and 2,001·2⁵⁰ < 2⁶¹.
    let small = [ScoredPair(a: 0, b: 1, score: 0.5), ScoredPair(a: 1, b: 2, score: -0.25)]
    #expect(ReciprocalLinkage.scale(of: small) == 0x1p58)
    let many = (0..<1000).map { ScoredPair(a: 0, b: $0 + 1, score: 1) }
    #expect(ReciprocalLinkage.scale(of: many) == 0x1p50)
    #expect(ReciprocalLinkage.scale(of: []) == 0x1p60)
    #expect(ReciprocalLinkage.fixedPoint(0.3, scale: 0x1p4) == 5)  // 4.8 → 5
    #expect(ReciprocalLinkage.fixedPoint(-0.3, scale: 0x1p4) == -5)
    #expect(ReciprocalLinkage.fixedPoint(1e300, scale: 0x1p60) == 1 << 62)
  }

  /// The DEV corpora's own story graphs (engine stages, news defaults): the rounds give the
  /// serial queue's clusters, on 1 and 2 threads.
  @Test(
    .enabled(if: RepositoryPaths.isSharedDataPresent),
    arguments: ["ecbplus/dev.jsonl", "uci-news-aggregator-prefix/dev.jsonl"])
  func devStoryGraphsEqualTheSerialQueue(name: String) throws {
    let path = try #require(RepositoryPaths.sharedData(name))
    let engine = try Engine(configuration: EngineConfiguration())
    let corpus = engine.analyse(CorpusReader().read([path]))
    let vectors = try engine.vectorize(corpus)
    let graph = engine.storyGraph(
      engine.similarity(vectors, corpus: corpus), vectors: vectors, corpus: corpus)
    let threshold = engine.stories(graph, count: corpus.count).threshold
    let serial = Self.cluster(
      .queue, count: corpus.count, pairs: graph.pairs, threshold: threshold)
    #expect(serial.count < corpus.count && serial[0].count > 1)
    for threads in [1, 2] {
      #expect(
        Self.cluster(
          .reciprocal, count: corpus.count, pairs: graph.pairs, threshold: threshold,
          threads: threads) == serial, "threads \(threads)")
    }
  }
}
