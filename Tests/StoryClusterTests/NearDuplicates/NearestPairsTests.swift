import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// The per-article cap against a brute force: sort each row's pairs, take the best, keep the
/// union.
struct NearestPairsTests {
  /// Every pair that is among the `perRow` best of one of its rows (best: score descending,
  /// then the other row ascending), in input order.
  static func reference(_ pairs: [ScoredPair], rowCount: Int, perRow: Int) -> [ScoredPair] {
    var kept = Set<Int>()
    for row in 0..<rowCount {
      let mine = pairs.indices.filter { pairs[$0].a == row || pairs[$0].b == row }
      func other(_ k: Int) -> Int { pairs[k].a == row ? pairs[k].b : pairs[k].a }
      let best = mine.sorted {
        pairs[$0].score != pairs[$1].score
          ? pairs[$0].score > pairs[$1].score : other($0) < other($1)
      }
      kept.formUnion(best.prefix(perRow))
    }
    return pairs.indices.filter { kept.contains($0) }.map { pairs[$0] }
  }

  /// Seeded pairs of 0, 1, 2, 30 and 120 rows at several densities, scores on a coarse grid so
  /// ties are common; caps from 1 to more than any row's pairs.
  @Test(arguments: [0, 1, 2, 30, 120], [1, 2, 5, 200])
  func equalsTheBruteForce(rowCount: Int, perRow: Int) {
    var generator = SeededGenerator(seed: UInt64(rowCount * 1_000 + perRow))
    for density in [0.05, 0.3, 1.0] {
      var pairs: [ScoredPair] = []
      for a in 0..<rowCount {
        for b in (a + 1)..<max(a + 1, rowCount)
        where Double.random(in: 0..<1, using: &generator) < density {
          pairs.append(
            ScoredPair(a: a, b: b, score: Double(Int.random(in: 1...8, using: &generator)) / 8))
        }
      }
      pairs.shuffle(using: &generator)
      let got = NearestPairs.select(pairs, rowCount: rowCount, perRow: perRow)
      #expect(
        got == Self.reference(pairs, rowCount: rowCount, perRow: perRow), "density \(density)")
      #expect(got.count <= rowCount * perRow)
    }
  }

  /// Large enough that each thread owns a range of rows: the same pairs on 1, 2 and 3 threads
  /// (one thread is the brute force's, above), with crowded rows in every range.
  @Test func sameChoiceOnAnyThreadCount() {
    var generator = SeededGenerator(seed: 7)
    let rowCount = 4_000
    var pairs: [ScoredPair] = []
    for _ in 0..<30_000 {
      let a = Int.random(in: 0..<rowCount, using: &generator)
      // Hubs every 500 rows make crowded rows in each thread's range.
      let b =
        Bool.random(using: &generator)
        ? a / 500 * 500 : Int.random(in: 0..<rowCount, using: &generator)
      guard a != b else { continue }
      pairs.append(
        ScoredPair(
          a: min(a, b), b: max(a, b), score: Double(Int.random(in: 1...8, using: &generator)) / 8))
    }
    let serial = NearestPairs.select(pairs, rowCount: rowCount, perRow: 3, threads: 1)
    #expect(serial.count < pairs.count)
    for threads in [2, 3] {
      #expect(
        NearestPairs.select(pairs, rowCount: rowCount, perRow: 3, threads: threads) == serial,
        "\(threads) threads")
    }
  }
}
