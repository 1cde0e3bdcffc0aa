import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// Disjoint sets: union by size, path halving.
struct UnionFindTests {
  @Test func startsAsSingletons() {
    var sets = UnionFind(count: 4)
    #expect((0..<4).map { sets.find($0) } == [0, 1, 2, 3])
  }

  @Test func theLargerSetKeepsItsRepresentative() {
    var sets = UnionFind(count: 5)
    sets.union(0, 1)  // sizes 1 and 1: the first argument's root stays → {0, 1} under 0
    #expect(sets.find(1) == 0)
    sets.union(2, 0)  // {2} (1) into {0, 1} (2): root 0
    #expect(sets.find(2) == 0)
    sets.union(3, 4)  // {3, 4} under 3
    sets.union(4, 2)  // {3, 4} (2) into {0, 1, 2} (3): root 0
    #expect((0..<5).map { sets.find($0) } == [0, 0, 0, 0, 0])
  }

  @Test func unionWithinOneSetChangesNothing() {
    var sets = UnionFind(count: 3)
    sets.union(0, 1)
    sets.union(1, 0)
    sets.union(1, 1)
    #expect((0..<3).map { sets.find($0) } == [0, 0, 2])
  }

  @Test func emptyHasNoSets() {
    _ = UnionFind(count: 0)
  }

  /// 400 seeded unions on 300 elements against naive relabelling (every union rewrites one
  /// label to the other): the same partition, and `find` stable under repeated calls.
  @Test(arguments: [1, 2, 3] as [UInt64])
  func samePartitionAsNaiveRelabelling(seed: UInt64) {
    let n = 300
    var generator = SeededGenerator(seed: seed)
    var sets = UnionFind(count: n)
    var label = Array(0..<n)
    for _ in 0..<400 {
      let a = Int.random(in: 0..<n, using: &generator)
      let b = Int.random(in: 0..<n, using: &generator)
      sets.union(a, b)
      let (from, to) = (label[b], label[a])
      for k in 0..<n where label[k] == from { label[k] = to }
    }
    for x in 0..<n {
      for y in stride(from: x + 1, to: n, by: 7) {
        #expect((sets.find(x) == sets.find(y)) == (label[x] == label[y]), "\(x) \(y)")
      }
    }
    let roots = (0..<n).map { sets.find($0) }
    #expect((0..<n).map { sets.find($0) } == roots)
    #expect(roots.allSatisfy { sets.find($0) == $0 })  // a representative is its own root
    #expect(Set(roots).count == Set(label).count)
  }
}
