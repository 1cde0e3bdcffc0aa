extension SparseMatrix {
  /// Computes `body` for every pair, grouping the pairs by their first row.
  ///
  /// Each group scatters its row `a` into a dense scratch vector once; `body` then walks only
  /// row `b`'s entries against it, so a pair costs one pass over one row. Groups are spread over
  /// the threads by index, each thread with its own scratch and its own `state` (made by
  /// `makeState`), and results land by pair index, so they do not depend on the thread count.
  ///
  /// - Parameters:
  ///   - pairs: The pairs, in any order.
  ///   - threads: Worker threads.
  ///   - initial: The value every result starts as.
  ///   - makeState: Per-thread working storage for `body`.
  ///   - body: The value of one pair from row `a`'s scattered values, row `b`'s index, and the
  ///     matrix's columns and values with `b`'s entry range.
  /// - Complexity: O(P·t) for P pairs of t terms; O(threads · columns) scratch.
  func mapPairsByFirstRow<State, Value>(
    _ pairs: [ScoredPair], threads: Int, initial: Value, state makeState: () -> State,
    _ body: (
      _ state: inout State, _ scratch: UnsafeMutablePointer<Float>, _ b: Int,
      _ columns: UnsafeBufferPointer<Int32>, _ values: UnsafeBufferPointer<Float>,
      _ entries: Range<Int>
    ) -> Value
  ) -> [Value] {
    // Counting sort of pair indices by first row.
    var starts = [Int](repeating: 0, count: rowCount + 1)
    for pair in pairs { starts[pair.a + 1] += 1 }
    for r in 0..<rowCount { starts[r + 1] += starts[r] }
    var order = [Int](repeating: 0, count: pairs.count)
    var fill = starts
    for (k, pair) in pairs.enumerated() {
      order[fill[pair.a]] = k
      fill[pair.a] += 1
    }
    let rows = (0..<rowCount).filter { starts[$0 + 1] > starts[$0] }
    var result = [Value](repeating: initial, count: pairs.count)
    let workers = max(1, min(threads, rows.count))
    result.withUnsafeMutableBufferPointer { output in
      nonisolated(unsafe) let output = output
      parallelForEach(workers, threads: workers) { worker in
        rowStarts.withUnsafeBufferPointer { rowStarts in
          columns.withUnsafeBufferPointer { columns in
            values.withUnsafeBufferPointer { values in
              let width = max(1, columnCount)
              let scratch = UnsafeMutablePointer<Float>.allocate(capacity: width)
              scratch.initialize(repeating: 0, count: width)
              defer { scratch.deallocate() }
              var state = makeState()
              for g in stride(from: worker, to: rows.count, by: workers) {
                let a = rows[g]
                let aRange = rowStarts[a]..<rowStarts[a + 1]
                for i in aRange { scratch[Int(columns[i])] = values[i] }
                for slot in starts[a]..<starts[a + 1] {
                  let k = order[slot]
                  let b = pairs[k].b
                  output[k] = body(
                    &state, scratch, b, columns, values, rowStarts[b]..<rowStarts[b + 1])
                }
                for i in aRange { scratch[Int(columns[i])] = 0 }
              }
            }
          }
        }
      }
    }
    return result
  }
}
