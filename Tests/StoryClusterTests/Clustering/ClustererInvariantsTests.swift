import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// The clustering check that `STORYCLUSTER_INTERNAL_CHECKS` runs after clustering: every row in
/// exactly one cluster, members ascending, clusters by size descending then smallest row.
struct ClustererInvariantsTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var clusters: [[Int]]
    var count: Int
    var violation: String
    var testDescription: String { name }
  }

  static let broken: [Case] = [
    Case(
      name: "row left out", clusters: [[0, 1], [2]], count: 4, violation: "row 3 is in no cluster"),
    Case(
      name: "row in two clusters", clusters: [[0, 1], [1], [2]], count: 3,
      violation: "row 1 is in cluster 0 and in cluster 1"),
    Case(
      name: "row twice in one cluster", clusters: [[0, 0, 1]], count: 2,
      violation: "row 0 is in cluster 0 and in cluster 0"),
    Case(
      name: "row past the count", clusters: [[0, 4], [1], [2]], count: 3,
      violation: "cluster 0: row 4 outside 0..<3"),
    Case(
      name: "empty cluster", clusters: [[0, 1], []], count: 2, violation: "cluster 1 is empty"),
    Case(
      name: "members descending", clusters: [[1, 0]], count: 2,
      violation: "cluster 0: row 0 follows row 1"),
    Case(
      name: "smaller cluster first", clusters: [[0], [1, 2]], count: 3,
      violation:
        "cluster 1 (size 2, smallest row 1) ranks before cluster 0 (size 1, smallest row 0)"),
    Case(
      name: "equal sizes by larger smallest row first", clusters: [[1], [0]], count: 2,
      violation:
        "cluster 1 (size 1, smallest row 0) ranks before cluster 0 (size 1, smallest row 1)"),
  ]

  @Test(arguments: broken)
  func brokenClusteringIsReported(_ c: Case) {
    #expect(Clusterer.invariantViolation(of: c.clusters, count: c.count) == c.violation)
  }

  @Test func everyLinkagesOutputPasses() {
    #expect(Clusterer.invariantViolation(of: [[0, 1, 2], [3], [4], [5]], count: 6) == nil)
    #expect(Clusterer.invariantViolation(of: [], count: 0) == nil)
    var rng = SeededGenerator(seed: 5)
    let n = 120
    var pairs: [ScoredPair] = []
    for a in 0..<n {
      for b in (a + 1)..<n where Double.random(in: 0..<1, using: &rng) < 0.05 {
        pairs.append(ScoredPair(a: a, b: b, score: Double.random(in: 0.01..<1, using: &rng)))
      }
    }
    for linkage in [Linkage.single, .average, .online] {
      let clusters = Clusterer(linkage: linkage, threshold: 0.4, threads: 2).cluster(
        count: n, pairs: pairs)
      #expect(Clusterer.invariantViolation(of: clusters, count: n) == nil, "\(linkage)")
    }
  }
}
