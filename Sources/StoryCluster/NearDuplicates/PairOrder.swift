/// The ranking order of pairs: score descending, then `a`, then `b` ascending.
///
/// Sorting millions of pairs by comparison is bound by memory traffic (a merge sort makes about
/// log₂ n passes over 24-byte records). Ranking instead puts the pairs in `(a, b)` order, which
/// the kernel's output already has, and then runs a *stable* least-significant-digit radix sort
/// on the score's bits: four passes of 16 bits, skipping any pass whose digit is the same for
/// every pair. Scores are non-negative, so their IEEE-754 bit patterns order like the values.
///
/// - Complexity: O(n) when the pairs arrive in `(a, b)` order (O(n log n) otherwise), with one
///   n-record buffer and a 65,536-entry histogram per pass.
enum PairOrder {
  /// Whether `x` ranks before `y`.
  @inline(__always)
  static func precedes(_ x: ScoredPair, _ y: ScoredPair) -> Bool {
    if x.score != y.score { return x.score > y.score }
    return x.a != y.a ? x.a < y.a : x.b < y.b
  }

  /// Sorts `pairs` into ranking order. Scores must be non-negative and not NaN.
  static func sort(_ pairs: inout [ScoredPair]) {
    let n = pairs.count
    if n < 2 { return }
    let inRowOrder = (1..<n).allSatisfy {
      pairs[$0 - 1].a != pairs[$0].a
        ? pairs[$0 - 1].a < pairs[$0].a : pairs[$0 - 1].b <= pairs[$0].b
    }
    if !inRowOrder { pairs.sort { $0.a != $1.a ? $0.a < $1.a : $0.b < $1.b } }
    // Descending scores: radix-sort the complement of the bit pattern ascending.
    // (Adding +0 turns a -0 into +0, so both zeros share one key.)
    @inline(__always) func key(_ p: ScoredPair) -> UInt64 { ~(p.score + 0).bitPattern }
    var buffer = pairs
    var counts = [Int](repeating: 0, count: 1 << 16)
    for shift in stride(from: 0, to: 64, by: 16) {
      let first = (key(pairs[0]) >> UInt64(shift)) & 0xFFFF
      if pairs.allSatisfy({ (key($0) >> UInt64(shift)) & 0xFFFF == first }) { continue }
      for i in counts.indices { counts[i] = 0 }
      for p in pairs { counts[Int((key(p) >> UInt64(shift)) & 0xFFFF)] += 1 }
      var total = 0
      for i in counts.indices {
        let c = counts[i]
        counts[i] = total
        total += c
      }
      pairs.withUnsafeBufferPointer { source in
        buffer.withUnsafeMutableBufferPointer { target in
          for p in source {
            let digit = Int((key(p) >> UInt64(shift)) & 0xFFFF)
            target[counts[digit]] = p
            counts[digit] += 1
          }
        }
      }
      swap(&pairs, &buffer)
    }
  }
}
