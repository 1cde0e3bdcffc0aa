/// The ranking order of pairs: score descending, then `a`, then `b` ascending.
///
/// Ranking sorts millions of pairs in place, with no second buffer of their size: the pairs are
/// usually the largest thing the engine holds, and a copy of them would set the run's peak
/// memory. One scan finds which bits of the score keys differ between some two pairs. The pairs
/// are then distributed in place by the top 8 of those bits, an American flag sort (a histogram
/// gives every digit its range, and each out-of-place pair is swapped straight into the next free
/// slot of its digit's range), and each of those ranges by the next 8 bits the same way,
/// recursively and ranges in parallel, down to runs of at most 16 pairs or of equal scores,
/// which are sorted by the full order. The order is total (pairs are distinct), so the result
/// does not depend on the thread count or on the input order. Scores are non-negative, so their
/// IEEE-754 bit patterns order like the values.
///
/// - Complexity: O(n·b/8) moves for b differing key bits, plus the comparisons within runs; one
///   byte per pair and a histogram of 256 entries per level and thread, no n-record buffer.
enum PairOrder {
  /// Whether `x` ranks before `y`.
  @inline(__always)
  static func precedes(_ x: ScoredPair, _ y: ScoredPair) -> Bool {
    if x.score != y.score { return x.score > y.score }
    return x.a != y.a ? x.a < y.a : x.b < y.b
  }

  /// The sort key: descending scores are distributed by the complement of their bit pattern,
  /// ascending. (Adding +0 turns a -0 into +0, so both zeros share one key.)
  @inline(__always)
  private static func key(_ p: ScoredPair) -> UInt64 { ~(p.score + 0).bitPattern }

  /// Sorts `pairs` into ranking order on up to `threads` threads (the order does not depend on
  /// it). Scores must be non-negative and not NaN.
  static func sort(_ pairs: inout [ScoredPair], threads: Int = 1) {
    let n = pairs.count
    if n < 2 { return }
    let parts = max(1, min(threads, n / 65_536))
    let bounds = (0...parts).map { $0 * n / parts }
    // One pass, part by part: which key bits differ.
    let first = key(pairs[0])
    let differing = pairs.withUnsafeBufferPointer { all in
      nonisolated(unsafe) let all = all
      return parallelMap(parts, threads: parts) { part -> UInt64 in
        var differing: UInt64 = 0
        for i in bounds[part]..<bounds[part + 1] { differing |= key(all[i]) ^ first }
        return differing
      }
    }.reduce(UInt64(0), |)
    // Digits of at most 8 bits (256 write heads stay in cache): the first level over all pairs,
    // the deeper ones inside each first-level range, ranges in parallel.
    let top = 64 - differing.leadingZeroBitCount
    let width = min(8, top)
    let shift = top - width
    // Each pair's digit at the level being distributed, one byte per pair: the distribution
    // follows its chains of displaced pairs through these bytes (a few megabytes, cache
    // friendly) rather than through the pairs themselves, whose loads then overlap.
    var digitBytes = [UInt8](repeating: 0, count: n)
    pairs.withUnsafeMutableBufferPointer { all in
      digitBytes.withUnsafeMutableBufferPointer { digits in
        nonisolated(unsafe) let (all, digits) = (all, digits)
        // First-level digits and their ranges: per-part histograms, summed.
        let histograms = parallelMap(parts, threads: parts) { part -> [Int] in
          var histogram = [Int](repeating: 0, count: 1 << width)
          let mask = UInt64((1 << width) - 1)
          for i in bounds[part]..<bounds[part + 1] {
            let d = Int((key(all[i]) >> UInt64(shift)) & mask)
            digits[i] = UInt8(truncatingIfNeeded: d)
            histogram[d] += 1
          }
          return histogram
        }
        var starts = [Int](repeating: 0, count: (1 << width) + 1)
        for d in 0..<(1 << width) {
          var count = 0
          for histogram in histograms { count += histogram[d] }
          starts[d + 1] = starts[d] + count
        }
        starts.withUnsafeBufferPointer { distribute(all, digits: digits, starts: $0) }
        // Each first-level range: distributed by the next bits, recursively, down to short runs
        // sorted by the full order. The ranges are dealt out in contiguous shares of about
        // n / threads pairs.
        let radix = 1 << width
        let shares = max(1, min(threads, radix))
        var cuts = [0]
        for d in 0..<radix where cuts.count < shares && starts[d + 1] >= cuts.count * n / shares {
          cuts.append(d + 1)
        }
        while cuts.count <= shares { cuts.append(radix) }
        parallelForEach(shares, threads: shares) { share in
          for d in cuts[share]..<cuts[share + 1] where starts[d + 1] - starts[d] > 1 {
            let bounds = starts[d]..<starts[d + 1]
            sortRange(
              UnsafeMutableBufferPointer(rebasing: all[bounds]),
              digits: UnsafeMutableBufferPointer(rebasing: digits[bounds]), bitsLeft: shift)
          }
        }
      }
    }
  }

  /// Sorts pairs whose keys agree above the lowest `bitsLeft` bits: distributed by the next
  /// (at most) 8 bits and each digit's range recursively, down to ranges of a few pairs or no
  /// bits left, which are sorted by the full order.
  private static func sortRange(
    _ pairs: UnsafeMutableBufferPointer<ScoredPair>, digits: UnsafeMutableBufferPointer<UInt8>,
    bitsLeft: Int
  ) {
    if pairs.count <= 16 || bitsLeft == 0 {
      sortRun(pairs)
      return
    }
    let width = min(8, bitsLeft)
    let shift = UInt64(bitsLeft - width)
    let mask = UInt64((1 << width) - 1)
    withUnsafeTemporaryAllocation(of: Int.self, capacity: (1 << width) + 1) { starts in
      starts.initialize(repeating: 0)
      for i in pairs.indices {
        let d = Int((key(pairs[i]) >> shift) & mask)
        digits[i] = UInt8(truncatingIfNeeded: d)
        starts[d + 1] += 1
      }
      for d in 0..<(1 << width) { starts[d + 1] += starts[d] }
      distribute(pairs, digits: digits, starts: UnsafeBufferPointer(starts))
      for d in 0..<(1 << width) where starts[d + 1] - starts[d] > 1 {
        let bounds = starts[d]..<starts[d + 1]
        sortRange(
          UnsafeMutableBufferPointer(rebasing: pairs[bounds]),
          digits: UnsafeMutableBufferPointer(rebasing: digits[bounds]),
          bitsLeft: bitsLeft - width)
      }
    }
  }

  /// Sorts a short run of pairs (or one whose keys are all equal) by the full order.
  private static func sortRun(_ run: UnsafeMutableBufferPointer<ScoredPair>) {
    if run.count > 16 {
      var run = run
      run.sort(by: precedes)
      return
    }
    // Short runs (the usual case): insertion sort, with no allocation.
    for i in 1..<run.count {
      let p = run[i]
      var j = i
      while j > 0 && precedes(p, run[j - 1]) {
        run[j] = run[j - 1]
        j -= 1
      }
      run[j] = p
    }
  }

  /// American flag sort of `pairs` by their `digits`, whose ranges begin at `starts` (one more
  /// entry than there are digits): every pair not yet in its digit's range is swapped straight
  /// into the next free slot there, carrying the pair it displaces on, until each range is full.
  private static func distribute(
    _ pairs: UnsafeMutableBufferPointer<ScoredPair>, digits: UnsafeMutableBufferPointer<UInt8>,
    starts: UnsafeBufferPointer<Int>
  ) {
    let radix = starts.count - 1
    if radix < 2 { return }
    withUnsafeTemporaryAllocation(of: Int.self, capacity: radix) { next in
      for d in 0..<radix { next[d] = starts[d] }
      for d in 0..<radix {
        let end = starts[d + 1]
        while next[d] < end {
          var carried = pairs[next[d]]
          var home = Int(digits[next[d]])
          while home != d {
            // Slots below next[home] are final and never read again, so only the pair and
            // the digit picked up from the slot are needed.
            let slot = next[home]
            swap(&carried, &pairs[slot])
            next[home] += 1
            home = Int(digits[slot])
          }
          pairs[next[d]] = carried
          next[d] += 1
        }
      }
    }
  }
}
