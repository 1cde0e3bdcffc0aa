import StoryClusterTestSupport
import Testing

@testable import StoryCluster

struct ParallelTests {
  /// Scores repeat (as equal cosines do), so only the whole (score, a, b) order is total: the
  /// two-thread sort must give exactly the one-thread order.
  @Test(arguments: [0, 1, 2, 16_383, 16_384, 50_001])
  func parallelSortEqualsSort(count: Int) {
    var rng = SeededGenerator(seed: UInt64(count) &+ 3)
    let pairs = (0..<count).map { _ in
      ScoredPair(
        a: Int.random(in: 0..<500, using: &rng), b: Int.random(in: 500..<900, using: &rng),
        score: Double(Int.random(in: 0..<50, using: &rng)) / 50)
    }
    let order: (ScoredPair, ScoredPair) -> Bool = { x, y in
      if x.score != y.score { return x.score > y.score }
      return x.a != y.a ? x.a < y.a : x.b < y.b
    }
    var two = pairs
    parallelSort(&two, threads: 2, by: order)
    var one = pairs
    parallelSort(&one, threads: 1, by: order)
    #expect(two.count == count)
    #expect(two == one)
    #expect(two == pairs.sorted(by: order))
  }
}
