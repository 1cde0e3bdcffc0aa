import Dispatch
import Synchronization

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
  map(count, threads: threads, dynamic: false, transform)
}

/// `0..<count` through `transform` into a new array on up to `threads` threads, each index
/// visited once: by fixed shares, or `dynamic`ally, each thread taking the next index.
private func map<T>(_ count: Int, threads: Int, dynamic: Bool, _ transform: (Int) -> T) -> [T] {
  uninitializedArray(count: count) { (buffer: inout UnsafeMutableBufferPointer<T>, initialized) in
    nonisolated(unsafe) let base = buffer.baseAddress
    // The buffer has `count` slots and each index is visited exactly once.
    if dynamic {
      parallelForEachDynamic(count, threads: threads, chunk: 1) { _, i in
        base.map { ($0 + i).initialize(to: transform(i)) }
      }
    } else {
      parallelForEach(count, threads: threads) { i in
        base.map { ($0 + i).initialize(to: transform(i)) }
      }
    }
    initialized = count
  }
}

/// The number of threads to use when the caller asks for `requested` (0 means all cores).
package func effectiveThreadCount(_ requested: Int) -> Int {
  requested > 0 ? requested : max(1, ProcessInfoCompat.activeProcessorCount)
}

/// Runs `body(worker, i)` for every `i` in `0..<count` on up to `threads` threads, which take
/// chunks of `chunk` indices from a shared counter as they finish the last: a thread the
/// machine holds back takes fewer chunks rather than holding the others at the end. `worker`
/// (in `0..<threads`) names the thread, for per-thread output; which thread runs an index
/// varies from run to run, so callers must make the result independent of it.
///
/// - Complexity: O(count) calls of `body` and O(count / chunk) atomic increments.
package func parallelForEachDynamic(
  _ count: Int, threads: Int, chunk: Int, _ body: (Int, Int) -> Void
) {
  let chunk = max(1, chunk)
  let workers = max(1, min(threads, (count + chunk - 1) / chunk))
  if workers <= 1 {
    for i in 0..<count { body(0, i) }
    return
  }
  let next = ChunkCounter()
  parallelForEach(workers, threads: workers) { worker in
    while true {
      let start = next.value.wrappingAdd(chunk, ordering: .relaxed).oldValue
      if start >= count { break }
      for i in start..<min(count, start + chunk) { body(worker, i) }
    }
  }
}

/// The shared counter of ``parallelForEachDynamic(_:threads:chunk:_:)``.
private final class ChunkCounter: Sendable {
  let value = Atomic<Int>(0)
}

/// Maps `0..<count` through `transform` in index order, on up to `threads` threads that take
/// the next index as they finish the last (``parallelForEachDynamic(_:threads:chunk:_:)``):
/// for a few large items of uneven cost, where a fixed share per thread leaves one waiting.
///
/// - Complexity: O(count) calls of `transform`; O(count) memory for the result.
package func parallelMapDynamic<T>(_ count: Int, threads: Int, _ transform: (Int) -> T) -> [T] {
  map(count, threads: threads, dynamic: true, transform)
}

/// ``parallelMapDynamic(_:threads:_:)`` with a state per thread, made by `state` when the
/// thread takes its first index and passed to each of its `transform` calls: scratch memory
/// that a transform leaves as it found it, so the result does not depend on which thread ran
/// which index.
///
/// - Complexity: O(count) calls of `transform`; at most `threads` states.
package func parallelMapDynamic<State, T>(
  _ count: Int, threads: Int, state: () -> State, _ transform: (inout State, Int) -> T
) -> [T] {
  var states = [State?](repeating: nil, count: max(1, threads))
  return states.withUnsafeMutableBufferPointer { states in
    nonisolated(unsafe) let states = states
    return uninitializedArray(count: count) { (buffer: inout UnsafeMutableBufferPointer<T>, done) in
      nonisolated(unsafe) let base = buffer.baseAddress
      // Slot w belongs to the one thread running as worker w; each index is visited once.
      parallelForEachDynamic(count, threads: threads, chunk: 1) { w, i in
        var own = states[w].take() ?? state()
        base.map { ($0 + i).initialize(to: transform(&own, i)) }
        states[w] = own
      }
      done = count
    }
  }
}

/// The chunks' elements one after another, copied on `threads` threads; each chunk is freed once
/// copied, so the elements are resident about once.
///
/// - Complexity: O(total) copies; the result's memory.
package func concatenate<T>(_ chunks: inout [[T]], threads: Int) -> [T] {
  var offsets = [0]
  offsets.reserveCapacity(chunks.count + 1)
  for chunk in chunks { offsets.append(offsets[offsets.count - 1] + chunk.count) }
  return uninitializedArray(count: offsets[chunks.count]) {
    (out: inout UnsafeMutableBufferPointer<T>, filled) in
    nonisolated(unsafe) let out = out
    chunks.withUnsafeMutableBufferPointer { chunks in
      nonisolated(unsafe) let chunks = chunks
      parallelForEachDynamic(chunks.count, threads: threads, chunk: 1) { _, c in
        // Each chunk is copied to its own range and released by one thread.
        chunks[c].withUnsafeBufferPointer { source in
          guard let base = out.baseAddress, let from = source.baseAddress else { return }
          (base + offsets[c]).initialize(from: from, count: source.count)
        }
        chunks[c] = []
      }
    }
    filled = offsets[chunks.count]
  }
}

/// The elements of `0..<count` that `transform` maps to a value, in index order, computed on
/// `threads` threads a chunk of indices at a time.
///
/// - Complexity: O(count) calls of `transform`; the result's memory plus one chunk per thread.
package func parallelCompactMap<T>(
  _ count: Int, threads: Int, chunk: Int = 1 << 16, _ transform: (Int) -> T?
) -> [T] {
  let size = max(1, chunk)
  var chunks: [[T]] = parallelMapDynamic((count + size - 1) / size, threads: threads) { c in
    (c * size..<min(count, (c + 1) * size)).compactMap(transform)
  }
  return concatenate(&chunks, threads: threads)
}

/// `[T](unsafeUninitializedCapacity: count, initializingWith: body)`, except that for
/// `count == 0` `body` runs on an empty buffer and a plain empty array is returned: that
/// initialiser writes the count into the one empty-array storage all empty arrays share, and two
/// threads doing it at once is a data race (harmless, but the thread sanitizer rightly fails on
/// it).
///
/// - Complexity: That of `body`.
package func uninitializedArray<T>(
  count: Int, _ body: (inout UnsafeMutableBufferPointer<T>, inout Int) throws -> Void
) rethrows -> [T] {
  guard count > 0 else {
    var empty = UnsafeMutableBufferPointer<T>(start: nil, count: 0)
    var initialized = 0
    try body(&empty, &initialized)
    return []
  }
  return try [T](unsafeUninitializedCapacity: count, initializingWith: body)
}
