/// Disjoint sets over `0..<n` with union by size and path halving (R. E. Tarjan, "Efficiency of a
/// good but not linear set union algorithm", JACM 22(2), 1975).
///
/// ```swift
/// var sets = UnionFind(count: 3)
/// sets.union(0, 2)
/// sets.find(2) == sets.find(0)  // true
/// ```
///
/// - Complexity: Near-constant amortised time per operation; O(n) memory.
struct UnionFind {
  private var parent: [Int32]
  private var size: [Int32]

  /// Creates `count` singleton sets.
  init(count: Int) {
    parent = (0..<Int32(count)).map { $0 }
    size = [Int32](repeating: 1, count: count)
  }

  /// The representative of `x`'s set.
  mutating func find(_ x: Int) -> Int {
    var x = x
    while Int(parent[x]) != x {
      parent[x] = parent[Int(parent[x])]
      x = Int(parent[x])
    }
    return x
  }

  /// Merges the sets of `a` and `b`.
  mutating func union(_ a: Int, _ b: Int) {
    var ra = find(a)
    var rb = find(b)
    if ra == rb { return }
    if size[ra] < size[rb] { swap(&ra, &rb) }
    parent[rb] = Int32(ra)
    size[ra] += size[rb]
  }
}
