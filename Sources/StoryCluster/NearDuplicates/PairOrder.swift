/// The ranking order of pairs: score descending, then `a`, then `b` ascending.
///
/// Sorting millions of pairs by comparison is bound by memory traffic (a merge sort makes about
/// log₂ n passes over the records). Ranking instead puts the pairs in `(a, b)` order, which the
/// kernel's output already has, and then runs a *stable* least-significant-digit radix sort on
/// the score's bits. Only the bits that differ between some two scores are sorted on, in as few
/// passes of at most 16 bits as cover them: cosines from the single-precision kernel in
/// [0.25, 1] differ in 25 bits, two passes. Each pass splits the pairs into one contiguous part
/// per thread; every part counts its digits, and the prefix sums give each (digit, part) its own
/// output range, so the parts scatter side by side and the result is that of one thread. Scores
/// are non-negative, so their IEEE-754 bit patterns order like the values.
///
/// - Complexity: O(n) when the pairs arrive in `(a, b)` order (O(n log n) otherwise), with one
///   n-record buffer and a histogram of at most 65,536 entries per thread.
enum PairOrder {
  /// Whether `x` ranks before `y`.
  @inline(__always)
  static func precedes(_ x: ScoredPair, _ y: ScoredPair) -> Bool {
    if x.score != y.score { return x.score > y.score }
    return x.a != y.a ? x.a < y.a : x.b < y.b
  }

  /// Sorts `pairs` into ranking order on up to `threads` threads (the order does not depend on
  /// it). Scores must be non-negative and not NaN.
  static func sort(_ pairs: inout [ScoredPair], threads: Int = 1) {
    let n = pairs.count
    if n < 2 { return }
    // Descending scores: radix-sort the complement of the bit pattern ascending.
    // (Adding +0 turns a -0 into +0, so both zeros share one key.)
    @inline(__always) func key(_ p: ScoredPair) -> UInt64 { ~(p.score + 0).bitPattern }
    let parts = max(1, min(threads, n / 65_536))
    let bounds = (0...parts).map { $0 * n / parts }
    // One pass, part by part: whether the pairs are in (a, b) order, and which key bits differ.
    let first = key(pairs[0])
    let scans = pairs.withUnsafeBufferPointer { all in
      nonisolated(unsafe) let all = all
      return parallelMap(parts, threads: parts) { part -> (ordered: Bool, differing: UInt64) in
        var ordered = true
        var differing: UInt64 = 0
        for i in bounds[part]..<bounds[part + 1] {
          differing |= key(all[i]) ^ first
          if i > 0 {
            let (x, y) = (all[i - 1], all[i])
            ordered = ordered && (x.a != y.a ? x.a < y.a : x.b <= y.b)
          }
        }
        return (ordered, differing)
      }
    }
    if !scans.allSatisfy(\.ordered) { pairs.sort { $0.a != $1.a ? $0.a < $1.a : $0.b < $1.b } }
    let differing = scans.reduce(0) { $0 | $1.differing }
    if differing == 0 { return }
    let low = differing.trailingZeroBitCount
    let span = 64 - differing.leadingZeroBitCount - low
    let passes = (span + 15) / 16
    let width = (span + passes - 1) / passes
    let radix = 1 << width
    // Every slot is written by the first pass before it is read.
    var buffer = [ScoredPair](unsafeUninitializedCapacity: n) { _, count in count = n }
    var counts = [Int](repeating: 0, count: parts * radix)
    for pass in 0..<passes {
      let shift = UInt64(low + pass * width)
      let mask = UInt64(radix - 1)
      pairs.withUnsafeBufferPointer { source in
        buffer.withUnsafeMutableBufferPointer { target in
          counts.withUnsafeMutableBufferPointer { counts in
            nonisolated(unsafe) let (source, target, counts) = (source, target, counts)
            // Per part: count its digits.
            parallelForEach(parts, threads: parts) { part in
              let histogram = UnsafeMutableBufferPointer(
                rebasing: counts[(part * radix)..<((part + 1) * radix)])
              histogram.update(repeating: 0)
              for i in bounds[part]..<bounds[part + 1] {
                histogram[Int((key(source[i]) >> shift) & mask)] += 1
              }
            }
            // Digit-major, part-minor prefix sums: each (digit, part) gets its output range.
            var total = 0
            for digit in 0..<radix {
              for part in 0..<parts {
                let c = counts[part * radix + digit]
                counts[part * radix + digit] = total
                total += c
              }
            }
            parallelForEach(parts, threads: parts) { part in
              let next = UnsafeMutableBufferPointer(
                rebasing: counts[(part * radix)..<((part + 1) * radix)])
              for i in bounds[part]..<bounds[part + 1] {
                let p = source[i]
                let digit = Int((key(p) >> shift) & mask)
                target[next[digit]] = p
                next[digit] += 1
              }
            }
          }
        }
      }
      swap(&pairs, &buffer)
    }
  }
}
