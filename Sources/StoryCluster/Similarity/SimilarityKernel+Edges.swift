extension SimilarityKernel {
  /// The bounded story-graph edges: each row's best `capacity` float scores over the workers'
  /// edge heaps (the heaps' total order), those within the slack of `floor` re-scored exactly
  /// to decide, made symmetric (every pair `a < b` that either row keeps, once, by `(a, b)`).
  ///
  /// Memory is the point: a million rows keep 200 edges each. The heaps are read a chunk of
  /// rows at a time into packed 8-byte entries (the other row in the high half, the float
  /// score's bits in the low half), and are freed before those are laid out by their smaller
  /// row; the chunks are freed a wave at a time as they are laid out, and the pairs are written
  /// straight to their place. A pair's two entries carry the same float score (its one worker
  /// offered the one value to both rows' heaps), and its exact score is the same from either
  /// side, so the symmetric pair needs no choice between two scores.
  ///
  /// - Parameters:
  ///   - partials: The workers' results; their edge heaps are emptied.
  ///   - capacity: Edges kept per row.
  ///   - plan: The window plan, when the heaps are indexed by time-order position.
  ///   - matrix: The rows in the caller's order (for exact re-scoring).
  ///   - floor: The lowest edge score.
  ///   - threads: Worker threads; the result does not depend on it.
  /// - Returns: The edges by `(a, b)`, scored by cosine (`min(1, ·)`).
  /// - Complexity: O(N·c log c) for c = `capacity`; memory O(E) 8-byte entries for E kept
  ///   entries, then the E' ≤ E pairs (16 bytes each) beside them.
  static func boundedEdges(
    _ partials: inout [WorkerResult], capacity: Int, plan: WindowPlan?, matrix: SparseMatrix,
    floor: Double, threads: Int
  ) -> [ScoredPair] {
    let n = matrix.rowCount
    let band = Double(slack)
    /// The score the edge is decided and reported with: the float score, or the exact cosine
    /// when it lies within the slack of the floor.
    @inline(__always) func decided(_ bits: UInt32, _ a: Int, _ b: Int) -> Double {
      var value = Double(Float(bitPattern: bits))
      if abs(value - floor) <= band { value = matrix.dot(a, b) }
      return min(1, value)
    }
    @inline(__always) func entry(_ other: Int, _ bits: UInt32) -> UInt64 {
      UInt64(UInt32(other)) << 32 | UInt64(bits)
    }
    // 1. Each row's kept entries, a chunk of rows at a time (each chunk one array).
    //    Several chunks per thread, taken as the threads finish one: rows differ in work.
    let workers = effectiveThreadCount(threads)
    let chunk = max(1, min(4096, n / (8 * workers)))
    let chunkCount = (n + chunk - 1) / chunk
    var heaps = partials.map(\.edgeHeaps)
    for w in partials.indices { partials[w].edgeHeaps = TopKHeaps(rowCount: 0, capacity: 0) }
    var chunks: [(entries: [UInt64], counts: [Int32])] = parallelMapDynamic(
      chunkCount, threads: workers
    ) { c in
      let rows = (c * chunk)..<min(n, (c + 1) * chunk)
      var entries: [UInt64] = []
      var counts = [Int32](repeating: 0, count: rows.count)
      for row in rows {
        let slot = plan.map { Int($0.positions[row]) } ?? row
        for (score, j) in best(capacity, of: heaps.map { $0.entries(slot) }) {
          let value = decided(score.bitPattern, row, Int(j))
          guard value >= floor && value > 0 else { continue }
          entries.append(entry(Int(j), score.bitPattern))
          counts[row - rows.lowerBound] += 1
        }
      }
      return (entries, counts)
    }
    heaps = []
    // 2. Laid out by the smaller row of each pair (a counting sort). Each thread owns a range
    //    of smaller rows and reads every entry for those (its writes are its own); the chunks go
    //    in waves, each freed once read.
    /// Calls `body(a, entry)` for every entry of chunk `c` whose smaller row `a` is in `owned`,
    /// with the entry turned to hold the larger row.
    func forEachEntry(ofChunk c: Int, in owned: Range<Int>, _ body: (Int, UInt64) -> Void) {
      var index = 0
      for (offset, count) in chunks[c].counts.enumerated() {
        let row = c * chunk + offset
        for e in chunks[c].entries[index..<(index + Int(count))] {
          let other = Int(e >> 32)
          let a = min(row, other)
          if owned.contains(a) { body(a, entry(max(row, other), UInt32(truncatingIfNeeded: e))) }
        }
        index += Int(count)
      }
    }
    let owners = (0...workers).map { n * $0 / workers }
    var starts = [Int](repeating: 0, count: n + 1)
    starts.withUnsafeMutableBufferPointer { starts in
      nonisolated(unsafe) let starts = starts
      parallelForEach(workers, threads: workers) { t in
        for c in chunks.indices {
          forEachEntry(ofChunk: c, in: owners[t]..<owners[t + 1]) { a, _ in starts[a + 1] += 1 }
        }
      }
    }
    for row in 0..<n { starts[row + 1] += starts[row] }
    var next = starts
    let wave = 16 * workers
    var all = uninitializedArray(count: starts[n]) {
      (out: inout UnsafeMutableBufferPointer<UInt64>, filled) in
      nonisolated(unsafe) let out = out
      next.withUnsafeMutableBufferPointer { next in
        nonisolated(unsafe) let next = next
        for first in stride(from: 0, to: chunkCount, by: wave) {
          let waveChunks = first..<min(chunkCount, first + wave)
          parallelForEach(workers, threads: workers) { t in
            for c in waveChunks {
              forEachEntry(ofChunk: c, in: owners[t]..<owners[t + 1]) { a, e in
                out.initializeElement(at: next[a], to: e)
                next[a] += 1
              }
            }
          }
          for c in waveChunks { chunks[c] = ([], []) }
        }
      }
      filled = starts[n]
    }
    chunks = []
    next = []
    // 3. Each row's entries sorted by the other row, the second entry of a pair dropped, and
    //    the pairs written to their place.
    let unique: [Int] = all.withUnsafeMutableBufferPointer { all in
      nonisolated(unsafe) let all = all
      return parallelMap(n, threads: workers) { a in
        var slice = UnsafeMutableBufferPointer(rebasing: all[starts[a]..<starts[a + 1]])
        slice.sort()
        var kept = 0
        for index in slice.indices where kept == 0 || slice[kept - 1] >> 32 != slice[index] >> 32 {
          slice[kept] = slice[index]
          kept += 1
        }
        return kept
      }
    }
    var offsets = [Int](repeating: 0, count: n + 1)
    for a in 0..<n { offsets[a + 1] = offsets[a] + unique[a] }
    let pairs = uninitializedArray(count: offsets[n]) {
      (out: inout UnsafeMutableBufferPointer<ScoredPair>, filled) in
      nonisolated(unsafe) let out = out
      all.withUnsafeBufferPointer { all in
        nonisolated(unsafe) let all = all
        parallelForEach(n, threads: workers) { a in
          for index in 0..<unique[a] {
            let e = all[starts[a] + index]
            let b = Int(e >> 32)
            out.initializeElement(
              at: offsets[a] + index,
              to: ScoredPair(a: a, b: b, score: decided(UInt32(truncatingIfNeeded: e), a, b)))
          }
        }
      }
      filled = offsets[n]
    }
    all = []
    return pairs
  }
}
