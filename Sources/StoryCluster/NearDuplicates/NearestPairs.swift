/// The per-article cap on reported pairs: each article's nearest pairs, and no others.
///
/// A pair is kept when it is among the `perRow` best pairs of *either* of its rows, best by
/// cosine descending, then by the other row ascending (a total order, so the choice does not
/// depend on the input order or the thread count). Every row keeps its `perRow` nearest, so no
/// article loses its best matches; a hub many articles pick keeps the pairs they pick it by. In
/// all at most N·`perRow` pairs remain, whatever the input: a near-duplicate clique of m
/// re-edits of one article gives m²/2 pairs at the floor, and m·`perRow` at most after the cap.
///
/// - Complexity: O(P) for P pairs, plus an O(`perRow`) insertion for each pair that beats the
///   worst kept pair of its row, on up to `threads` threads (each reads every pair and writes
///   its own rows' state); O(N·`perRow`) memory besides one byte per pair, and a new array of
///   the kept pairs when some go.
enum NearestPairs {
  /// The pairs of `pairs` among the `perRow` best of one of their rows, in their input order.
  ///
  /// - Parameters:
  ///   - pairs: Pairs `a < b` of rows below `rowCount`, with their cosines; hand over the only
  ///     reference (`consume`) and they are returned as they are when every row keeps all of
  ///     its pairs.
  ///   - rowCount: The number of rows.
  ///   - perRow: The pairs kept per row, 1 or more.
  ///   - threads: Worker threads (0 = all cores); the result does not depend on it.
  /// - Returns: The kept pairs, in input order.
  static func select(
    _ pairs: consuming [ScoredPair], rowCount: Int, perRow: Int, threads: Int = 1
  ) -> [ScoredPair] {
    precondition(perRow >= 1, "keep at least one pair per row")
    let pairs = pairs
    // Each thread owns a range of rows: it counts, and later chooses, for those rows only, so
    // every row's state is written by one thread and the choice is the serial one.
    let workers = max(1, min(effectiveThreadCount(threads), rowCount / 1024, pairs.count / 4096))
    let owners = (0...workers).map { rowCount * $0 / workers }
    // Rows with at most `perRow` pairs keep them all; usually every row does.
    var degree = [Int](repeating: 0, count: rowCount)
    degree.withUnsafeMutableBufferPointer { degree in
      nonisolated(unsafe) let degree = degree
      parallelForEach(workers, threads: workers) { t in
        let owned = owners[t]..<owners[t + 1]
        for pair in pairs {
          if owned.contains(pair.a) { degree[pair.a] += 1 }
          if owned.contains(pair.b) { degree[pair.b] += 1 }
        }
      }
    }
    guard degree.contains(where: { $0 > perRow }) else { return pairs }
    // Each crowded row's best `perRow` so far, best first: (score, other row, pair index).
    var slot = [Int](repeating: -1, count: rowCount)
    var crowded = 0
    for row in 0..<rowCount where degree[row] > perRow {
      slot[row] = crowded
      crowded += 1
    }
    var scores = [Double](repeating: 0, count: crowded * perRow)
    var others = [Int](repeating: 0, count: crowded * perRow)
    var indices = [Int](repeating: 0, count: crowded * perRow)
    var filled = [Int](repeating: 0, count: crowded)
    scores.withUnsafeMutableBufferPointer { scores in
      others.withUnsafeMutableBufferPointer { others in
        indices.withUnsafeMutableBufferPointer { indices in
          filled.withUnsafeMutableBufferPointer { filled in
            nonisolated(unsafe) let (scores, others, indices, filled) = (
              scores, others, indices, filled
            )
            /// Offers pair `index` to crowded `row`'s list, kept best first.
            func offer(_ row: Int, _ other: Int, _ score: Double, _ index: Int) {
              let s = slot[row]
              let base = s * perRow
              var position = filled[s]
              if position == perRow {
                let worst = base + perRow - 1
                guard score > scores[worst] || (score == scores[worst] && other < others[worst])
                else { return }
                position -= 1
              } else {
                filled[s] += 1
              }
              while position > 0 {
                let previous = base + position - 1
                guard
                  score > scores[previous]
                    || (score == scores[previous] && other < others[previous])
                else { break }
                scores[previous + 1] = scores[previous]
                others[previous + 1] = others[previous]
                indices[previous + 1] = indices[previous]
                position -= 1
              }
              scores[base + position] = score
              others[base + position] = other
              indices[base + position] = index
            }
            parallelForEach(workers, threads: workers) { t in
              // Thread t writes only the lists of the crowded rows it owns.
              let owned = owners[t]..<owners[t + 1]
              for (index, pair) in pairs.enumerated() {
                if owned.contains(pair.a), slot[pair.a] >= 0 {
                  offer(pair.a, pair.b, pair.score, index)
                }
                if owned.contains(pair.b), slot[pair.b] >= 0 {
                  offer(pair.b, pair.a, pair.score, index)
                }
              }
            }
          }
        }
      }
    }
    // A pair stays when one of its rows is not crowded, or a crowded row chose it.
    var isChosen = [Bool](repeating: false, count: pairs.count)
    for s in 0..<crowded {
      for k in 0..<filled[s] { isChosen[indices[s * perRow + k]] = true }
    }
    // Into a new array, so the memory of all the pairs is returned.
    return parallelCompactMap(pairs.count, threads: workers) { index in
      let pair = pairs[index]
      return slot[pair.a] < 0 || slot[pair.b] < 0 || isChosen[index] ? pair : nil
    }
  }
}
