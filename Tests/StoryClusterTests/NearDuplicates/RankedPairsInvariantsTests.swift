import Testing

@testable import StoryCluster

/// The rank-order check that `STORYCLUSTER_INTERNAL_CHECKS` runs after ranking: score
/// descending, then `a`, then `b`, strictly.
struct RankedPairsInvariantsTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var rows: [ScoredPair]
    var violation: String
    var testDescription: String { name }
  }

  static func ranked(_ rows: [ScoredPair]) -> RankedPairs {
    RankedPairs(
      rows: rows, kinds: rows.map { _ in .related }, terms: [], ids: ["a", "b", "c", "d"],
      vocabulary: [])
  }

  static func pair(_ a: Int, _ b: Int, _ score: Double) -> ScoredPair {
    ScoredPair(a: a, b: b, score: score)
  }

  /// A pair whose rows were swapped after it was made (the initialiser refuses `a ≥ b`).
  static var swapped: ScoredPair {
    var p = pair(0, 1, 0.5)
    p.a = 2
    return p
  }

  static let broken: [Case] = [
    Case(
      name: "lower score first", rows: [pair(0, 1, 0.5), pair(0, 2, 0.9)],
      violation: "pairs 0 and 1 are out of rank order: (0.5, 0, 1) then (0.9, 0, 2)"),
    Case(
      name: "equal scores, larger a first", rows: [pair(1, 2, 0.5), pair(0, 3, 0.5)],
      violation: "pairs 0 and 1 are out of rank order: (0.5, 1, 2) then (0.5, 0, 3)"),
    Case(
      name: "equal scores and a, larger b first", rows: [pair(0, 3, 0.5), pair(0, 2, 0.5)],
      violation: "pairs 0 and 1 are out of rank order: (0.5, 0, 3) then (0.5, 0, 2)"),
    Case(
      name: "pair repeated", rows: [pair(0, 1, 0.7), pair(0, 1, 0.7)],
      violation: "pairs 0 and 1 are out of rank order: (0.7, 0, 1) then (0.7, 0, 1)"),
    Case(
      name: "a not below b", rows: [swapped], violation: "pair 0: row 2 is not below row 1"),
    Case(
      name: "row without an id", rows: [pair(0, 5, 0.5)],
      violation: "pair 0: row 5 has no id (4 articles)"),
    Case(
      name: "negative score", rows: [pair(0, 1, 0.5), pair(1, 2, -0.25)],
      violation: "pair 1: score -0.25 is not ≥ 0"),
    Case(
      name: "score not a number", rows: [pair(0, 1, .nan)],
      violation: "pair 0: score nan is not ≥ 0"),
  ]

  @Test(arguments: broken)
  func brokenRankingIsReported(_ c: Case) {
    #expect(Self.ranked(c.rows).invariantViolation() == c.violation)
  }

  @Test func rankedPairsPass() {
    #expect(RankedPairs().invariantViolation() == nil)
    // 0.9 first; the two at 0.5 by a, then b; 0 last.
    let rows = [
      Self.pair(1, 3, 0.9), Self.pair(0, 2, 0.5), Self.pair(0, 3, 0.5), Self.pair(1, 2, 0.5),
      Self.pair(2, 3, 0),
    ]
    #expect(Self.ranked(rows).invariantViolation() == nil)
    // The ranker's own output on the kernel's pairs of a seeded matrix.
    let matrix = SimilarityKernelTests.randomMatrix(rows: 300, columns: 60, seed: 9)
    let kernel = SimilarityKernel(configuration: .init(neighborCount: 0, threshold: 0.2))
    let pairs = kernel.run(matrix).pairs
    let ids = (0..<matrix.rowCount).map { "id\($0)" }
    let ranked = NearDuplicateRanker(floor: 0.2, nearDuplicateThreshold: 0.9, sharedTermCount: 0)
      .rank(
        pairs: pairs, matrix: matrix, vocabulary: [], ids: ids,
        fingerprints: ids.map { Normalizer.fingerprint($0) }, threads: 2)
    #expect(ranked.count > 100)
    #expect(ranked.invariantViolation() == nil)
  }
}
