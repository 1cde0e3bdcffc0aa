import Dispatch

/// Runs `body(i)` for every `i` in `0..<count` on up to `threads` threads.
///
/// Worker `w` takes the indices `w, w + threads, w + 2·threads, …`, so which thread runs an index
/// never affects what is computed; callers write results by index, which keeps every output
/// independent of the thread count.
///
/// - Complexity: O(count) calls of `body`; no memory beyond the workers.
package func parallelForEach(_ count: Int, threads: Int, _ body: (Int) -> Void) {
  let workers = max(1, min(threads, count))
  if workers <= 1 {
    for i in 0..<count { body(i) }
    return
  }
  withoutActuallyEscaping(body) { body in
    nonisolated(unsafe) let work = body
    DispatchQueue.concurrentPerform(iterations: workers) { w in
      var i = w
      while i < count {
        work(i)
        i += workers
      }
    }
  }
}

/// Maps `0..<count` through `transform` on up to `threads` threads, in index order.
///
/// - Complexity: O(count) calls of `transform`; O(count) memory for the result.
package func parallelMap<T>(_ count: Int, threads: Int, _ transform: (Int) -> T) -> [T] {
  if count == 0 { return [] }
  return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
    nonisolated(unsafe) let base = buffer.baseAddress
    parallelForEach(count, threads: threads) { i in
      // The buffer has `count` slots and each index is visited exactly once.
      base.map { ($0 + i).initialize(to: transform(i)) }
    }
    initialized = count
  }
}

/// The number of threads to use when the caller asks for `requested` (0 means all cores).
package func effectiveThreadCount(_ requested: Int) -> Int {
  requested > 0 ? requested : max(1, ProcessInfoCompat.activeProcessorCount)
}

/// Sorts `array` by `precedes`, a strict *total* order (no two distinct elements tie), on up to
/// `threads` threads: the halves are sorted side by side and merged. With a total order the
/// result is the one sorted order, whatever the thread count.
///
/// - Complexity: O(n log n) comparisons; O(n) extra memory for the merge.
func parallelSort<T>(
  _ array: inout [T], threads: Int, by precedes: (T, T) -> Bool
) {
  let n = array.count
  if threads < 2 || n < 1 << 14 {
    array.sort(by: precedes)
    return
  }
  let middle = n / 2
  array.withUnsafeMutableBufferPointer { buffer in
    nonisolated(unsafe) let buffer = buffer
    withoutActuallyEscaping(precedes) { precedes in
      nonisolated(unsafe) let precedes = precedes
      parallelForEach(2, threads: 2) { half in
        let range = half == 0 ? 0..<middle : middle..<n
        var part = UnsafeMutableBufferPointer(rebasing: buffer[range])
        part.sort(by: precedes)
      }
    }
  }
  array = [T](unsafeUninitializedCapacity: n) { out, initialized in
    array.withUnsafeBufferPointer { source in
      var i = 0
      var j = middle
      for k in 0..<n {
        let takeRight = i == middle || (j < n && precedes(source[j], source[i]))
        out.initializeElement(at: k, to: takeRight ? source[j] : source[i])
        if takeRight { j += 1 } else { i += 1 }
      }
    }
    initialized = n
  }
}
