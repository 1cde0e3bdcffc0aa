import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// The parallel helpers against their serial definitions, on thread counts and chunk sizes
/// that leave partial chunks, empty chunks and more threads than work.
struct ParallelTests {
  @Test(arguments: [0, 1, 7, 1_000, 4_099])
  func compactMapKeepsOrderOnAnyThreadCount(count: Int) {
    let keep: (Int) -> Int? = { $0 % 3 == 1 ? nil : $0 * 7 }
    let serial = (0..<count).compactMap(keep)
    for threads in [1, 2, 3] {
      for chunk in [1, 5, 64, 1 << 16] {
        #expect(
          parallelCompactMap(count, threads: threads, chunk: chunk, keep) == serial,
          "\(threads) threads, chunks of \(chunk)")
      }
    }
  }

  @Test func concatenateEmptiesTheChunksInOrder() {
    var generator = SeededGenerator(seed: 3)
    let original = (0..<40).map { c in
      (0..<Int.random(in: 0...9, using: &generator)).map { c * 100 + $0 }
    }
    for threads in [1, 2, 5] {
      var chunks = original
      #expect(concatenate(&chunks, threads: threads) == original.flatMap { $0 })
      #expect(chunks.allSatisfy { $0.isEmpty })
    }
  }

  @Test func dynamicMapIsTheMap() {
    for threads in [1, 2, 8] {
      #expect(parallelMapDynamic(257, threads: threads) { $0 * $0 } == (0..<257).map { $0 * $0 })
    }
  }

  /// With a state per thread: each thread makes one state and keeps it (here a scratch array
  /// each call fills and clears, and a count of its calls), and the result is the map.
  @Test func dynamicMapWithAStatePerThreadIsTheMap() {
    for threads in [1, 2, 8] {
      let made = Locked(0)  // states made, counted from any thread
      let result = parallelMapDynamic(
        257, threads: threads,
        state: { () -> [Int] in
          made.withLock { $0 += 1 }
          return [Int](repeating: 0, count: 4)
        }
      ) { scratch, i in
        scratch[i % 4] = i
        defer { scratch[i % 4] = 0 }
        return scratch.reduce(0, +) * i
      }
      #expect(result == (0..<257).map { $0 * $0 })
      let count = made.withLock { $0 }
      #expect(count >= 1 && count <= threads)
    }
  }

  /// Empty arrays are made without the initialiser that writes into the shared empty storage
  /// (two threads doing that race), and `body` still runs for them.
  @Test func uninitializedArrayRunsTheBodyForEveryCount() {
    for count in [0, 1, 5] {
      var calls = 0
      let array: [Int] = uninitializedArray(count: count) { out, filled in
        calls += 1
        for i in 0..<count { out.initializeElement(at: i, to: i * i) }
        filled = count
      }
      #expect(array == (0..<count).map { $0 * $0 })
      #expect(calls == 1)
    }
  }
}
