import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// Bounded top-k heaps: each row keeps its `capacity` best candidates by (score descending, index
/// ascending), and its floor is the worst kept score once full.
struct TopKHeapsTests {
  /// A row's entries, best first.
  static func ranked(_ heaps: TopKHeaps, _ row: Int) -> [Int32] {
    heaps.entries(row).sorted { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
      .map(\.index)
  }

  @Test func keepsTheBestAndRaisesTheFloorOnceFull() {
    var heaps = TopKHeaps(rowCount: 2, capacity: 3)
    #expect(heaps.floor(0) == .leastNonzeroMagnitude)  // open to any positive score
    for (index, score) in [(0, 0.5), (1, 0.9), (2, 0.1)] as [(Int32, Float)] {
      heaps.insert(row: 0, index: index, score: score)
    }
    // Full with 0.9, 0.5, 0.1: the floor is the worst, 0.1.
    #expect(heaps.floor(0) == 0.1)
    #expect(Self.ranked(heaps, 0) == [1, 0, 2])
    // 0.7 replaces 0.1 (floor → 0.5); 0.3 is below the floor and changes nothing.
    heaps.insert(row: 0, index: 3, score: 0.7)
    heaps.insert(row: 0, index: 4, score: 0.3)
    #expect(heaps.floor(0) == 0.5)
    #expect(Self.ranked(heaps, 0) == [1, 3, 0])
    #expect(heaps.entries(0).map(\.score).sorted() == [0.5, 0.7, 0.9])
    // Row 1 is untouched.
    #expect(heaps.entries(1).isEmpty)
    #expect(heaps.floor(1) == .leastNonzeroMagnitude)
  }

  @Test func tiesGoToTheSmallerIndex() {
    var heaps = TopKHeaps(rowCount: 1, capacity: 2)
    heaps.insert(row: 0, index: 5, score: 0.5)
    heaps.insert(row: 0, index: 3, score: 0.5)
    heaps.insert(row: 0, index: 4, score: 0.5)  // beats 5 (same score, smaller index)
    #expect(Self.ranked(heaps, 0) == [3, 4])
    heaps.insert(row: 0, index: 9, score: 0.5)  // worse than both: rejected
    heaps.insert(row: 0, index: 4, score: 0.5)  // equal to the root: rejected, no duplicate
    #expect(Self.ranked(heaps, 0) == [3, 4])
    heaps.insert(row: 0, index: 1, score: 0.5)  // beats 4
    #expect(Self.ranked(heaps, 0) == [1, 3])
    #expect(heaps.floor(0) == 0.5)
  }

  @Test func capacityZeroAcceptsNothing() {
    let heaps = TopKHeaps(rowCount: 3, capacity: 0)
    #expect((0..<3).allSatisfy { heaps.floor($0) == .infinity && heaps.entries($0).isEmpty })
  }

  /// Seeded streams with many ties (scores from eight values), offered as the kernel offers them
  /// (only when at or above the floor), against sorting every offer.
  @Test(arguments: [1, 2, 3, 5, 12, 200, 400])
  func equalsSortingEveryOffer(capacity: Int) {
    var generator = SeededGenerator(seed: UInt64(capacity))
    let rows = 6
    var heaps = TopKHeaps(rowCount: rows, capacity: capacity)
    var offered = [[(score: Float, index: Int32)]](repeating: [], count: rows)
    for step in 0..<3_000 {
      let row = Int.random(in: 0..<rows, using: &generator)
      let score = Float(Int.random(in: 1...8, using: &generator)) / 8
      let index = Int32(step)
      offered[row].append((score, index))
      if score >= heaps.floor(row) { heaps.insert(row: row, index: index, score: score) }
    }
    for row in 0..<rows {
      let best = offered[row].sorted {
        $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index
      }.prefix(capacity)
      #expect(Self.ranked(heaps, row) == best.map(\.index), "row \(row)")
      #expect(heaps.floor(row) == best.last?.score)
    }
  }

  /// The workers' lists cut to their best `capacity` by selection (``SimilarityKernel/best(_:of:)``)
  /// hold exactly the entries a full sort would keep: random lists with many tied scores (a few
  /// distinct values), distinct indices, every capacity from 1 to past the union's size.
  @Test(arguments: 1...40)
  func selectionKeepsWhatASortKeeps(seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    let size = Int.random(in: 1...450, using: &rng)
    var indices = (0..<Int32(size * 2)).shuffled(using: &rng).prefix(size).map { $0 }
    let levels = Int.random(in: 1...6, using: &rng)
    var lists: [[(score: Float, index: Int32)]] = [[], []]
    while let index = indices.popLast() {
      let score = Float(Int.random(in: 1...levels, using: &rng)) / 8
      lists[Int.random(in: 0...1, using: &rng)].append((score, index))
    }
    let union = lists.flatMap { $0 }
    let sorted = union.sorted { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
    for capacity in Set([1, 2, 3, size / 2, size - 1, size, size + 5].filter { $0 >= 1 }) {
      let kept = SimilarityKernel.best(capacity, of: lists)
      #expect(kept.count == min(capacity, size))
      #expect(
        Set(kept.map(\.index)) == Set(sorted.prefix(capacity).map(\.index)), "capacity \(capacity)")
    }
  }
}
