import StoryClusterTestSupport
import Testing

@testable import StoryCluster

struct ClustererTests {
  @Test func componentsJoinChainsAboveThreshold() {
    // 0–1 (0.9) and 1–2 (0.4) join at 0.3; 3–4 (0.2) stays apart; 5 is alone.
    let pairs = [
      ScoredPair(a: 0, b: 1, score: 0.9), ScoredPair(a: 1, b: 2, score: 0.4),
      ScoredPair(a: 3, b: 4, score: 0.2),
    ]
    let clusters = Clusterer(linkage: .single, threshold: 0.3).cluster(count: 6, pairs: pairs)
    #expect(clusters == [[0, 1, 2], [3], [4], [5]])
  }

  @Test func averageLinkageSplitsWeakChain() {
    // 0–1 = 0.9 merge first. Then {0,1}–2 averages (0.4 + 0) / 2 = 0.2 < 0.3, so 2 stays apart.
    let pairs = [ScoredPair(a: 0, b: 1, score: 0.9), ScoredPair(a: 1, b: 2, score: 0.4)]
    let clusters = Clusterer(linkage: .average, threshold: 0.3).cluster(count: 3, pairs: pairs)
    #expect(clusters == [[0, 1], [2]])
  }

  @Test func onlineJoinsTheNearestCentroidInArrivalOrder() {
    // 0–1 = 0.9, 1–2 = 0.5, 0–2 = 0.1; 3 is alone.
    let pairs = [
      ScoredPair(a: 0, b: 1, score: 0.9), ScoredPair(a: 0, b: 2, score: 0.1),
      ScoredPair(a: 1, b: 2, score: 0.5),
    ]
    // 0 starts a story; 1 joins it (0.9 / ‖x0‖ = 0.9, then ‖Σ‖² = 1 + 2·0.9 + 1 = 3.8); 2 scores
    // (0.1 + 0.5) / √3.8 = 0.308: below 0.4 it starts its own story, at 0.3 it joins.
    let inOrder = [0, 1, 2, 3]
    #expect(
      Clusterer(linkage: .online, threshold: 0.4, arrival: inOrder).cluster(count: 4, pairs: pairs)
        == [[0, 1], [2], [3]])
    #expect(
      Clusterer(linkage: .online, threshold: 0.3, arrival: inOrder).cluster(count: 4, pairs: pairs)
        == [[0, 1, 2], [3]])
    // Reversed: 2 starts, 1 joins at 0.5, then 0 scores (0.1 + 0.9) / √3 = 0.577 and joins.
    #expect(
      Clusterer(linkage: .online, threshold: 0.4, arrival: [2, 1, 0, 3])
        .cluster(count: 4, pairs: pairs) == [[0, 1, 2], [3]])
  }

  @Test func arrivalIsByDateThenRowWithUndatedLast() {
    #expect(Clusterer.arrivalOrder([5, nil, 1, 5, nil]) == [2, 0, 3, 1, 4])
  }

  /// Naive UPGMA on the full similarity matrix (missing pairs are 0): O(n³), for reference.
  static func naiveAverage(count n: Int, pairs: [ScoredPair], threshold: Double) -> [[Int]] {
    var s = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for p in pairs {
      s[p.a][p.b] = p.score
      s[p.b][p.a] = p.score
    }
    var clusters = (0..<n).map { [$0] }
    while clusters.count > 1 {
      var best = (-1.0, 0, 0)
      for x in 0..<clusters.count {
        for y in (x + 1)..<clusters.count {
          var sum = 0.0
          for i in clusters[x] { for j in clusters[y] { sum += s[i][j] } }
          let avg = sum / Double(clusters[x].count * clusters[y].count)
          if avg > best.0 { best = (avg, x, y) }
        }
      }
      if best.0 < threshold { break }
      clusters[best.1] = (clusters[best.1] + clusters[best.2]).sorted()
      clusters.remove(at: best.2)
    }
    return clusters.sorted { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
  }

  @Test(arguments: 1...25)
  func averageLinkageEqualsNaiveUPGMA(seed: Int) {
    var rng = SeededGenerator(seed: UInt64(seed))
    let n = Int.random(in: 2...90, using: &rng)
    var pairs: [ScoredPair] = []
    for a in 0..<n {
      for b in (a + 1)..<n where Double.random(in: 0..<1, using: &rng) < 0.3 {
        // Distinct random scores, so the merge order has no ties.
        pairs.append(ScoredPair(a: a, b: b, score: Double.random(in: 0.01..<1, using: &rng)))
      }
    }
    let threshold = Double.random(in: 0.05..<0.5, using: &rng)
    let fast = Clusterer(linkage: .average, threshold: threshold).cluster(count: n, pairs: pairs)
    #expect(fast == Self.naiveAverage(count: n, pairs: pairs, threshold: threshold))
    let twoThreads = Clusterer(linkage: .average, threshold: threshold, threads: 2).cluster(
      count: n, pairs: pairs)
    #expect(twoThreads == fast)
  }

  /// A part large enough to build its maps on every thread, beside small parts that run side
  /// by side: the clusters do not depend on the thread count.
  @Test func averageLinkageIsTheSameOnAnyThreadCount() {
    var rng = SeededGenerator(seed: 7)
    let n = 1500
    var pairs: [ScoredPair] = []
    for a in 0..<n {
      for b in (a + 1)..<n {
        if b < 700 && Double.random(in: 0..<1, using: &rng) < 0.9 {
          pairs.append(ScoredPair(a: a, b: b, score: Double.random(in: 0.01..<0.6, using: &rng)))
        } else if Double.random(in: 0..<1, using: &rng) < 0.002 {
          pairs.append(ScoredPair(a: a, b: b, score: Double.random(in: 0.01..<0.6, using: &rng)))
        }
      }
    }
    #expect(pairs.count > 200_000)
    let one = Clusterer(linkage: .average, threshold: 0.3).cluster(count: n, pairs: pairs)
    let two = Clusterer(linkage: .average, threshold: 0.3, threads: 2).cluster(
      count: n, pairs: pairs)
    #expect(one == two)
    #expect(one.count > 1 && one[0].count > 1)
  }
}
