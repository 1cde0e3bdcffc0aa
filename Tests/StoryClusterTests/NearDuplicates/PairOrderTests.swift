import StoryClusterTestSupport
import Testing

@testable import StoryCluster

struct PairOrderTests {
  /// Scores repeat (as equal cosines do) and span many exponents; the in-place radix sort must
  /// give exactly the comparison sort's (score ↓, a, b) order, from row order or from any order.
  @Test(arguments: [0, 1, 2, 3, 1_000, 70_000, 200_003])
  func radixOrderEqualsComparisonOrder(count: Int) {
    var rng = SeededGenerator(seed: UInt64(count) &+ 11)
    var pairs: [ScoredPair] = []
    for _ in 0..<count {
      let a = Int.random(in: 0..<400, using: &rng)
      let b = Int.random(in: 400..<800, using: &rng)
      let score =
        Bool.random(using: &rng)
        ? Double(Int.random(in: 0...40, using: &rng)) / 40
        : Double.random(in: 0..<1, using: &rng) * pow2(-Int.random(in: 0...30, using: &rng))
      pairs.append(ScoredPair(a: a, b: b, score: score))
    }
    let expected = pairs.sorted(by: PairOrder.precedes)
    var shuffled = pairs
    PairOrder.sort(&shuffled)
    #expect(shuffled == expected)
    var rowOrder = pairs.sorted { $0.a != $1.a ? $0.a < $1.a : $0.b < $1.b }
    PairOrder.sort(&rowOrder)
    #expect(rowOrder == expected)
    // Counted in parts and the digit runs sorted on several threads (parts form from 65,536
    // pairs up).
    for threads in [2, 3] {
      var parted = pairs
      PairOrder.sort(&parted, threads: threads)
      #expect(parted == expected)
    }
  }

  /// Single-precision cosines in [0.25, 1] (the kernel's) differ in only 25 bits: the pairs are
  /// distributed by the top 16 of them and each digit's run finishes by comparison.
  @Test func singlePrecisionScoresSortLikeTheComparisonSort() {
    var rng = SeededGenerator(seed: 5)
    let pairs = (0..<150_000).map { i in
      ScoredPair(
        a: i % 900, b: 900 + i % 1_000,
        score: Double(Float(Double.random(in: 0.25...1, using: &rng))))
    }
    let expected = pairs.sorted(by: PairOrder.precedes)
    for threads in [1, 2] {
      var sorted = pairs
      PairOrder.sort(&sorted, threads: threads)
      #expect(sorted == expected)
    }
  }

  private func pow2(_ e: Int) -> Double { Double(sign: .plus, exponent: e, significand: 1) }
}
