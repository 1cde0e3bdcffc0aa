/// The raw term counts of some texts: each text's distinct terms and how often each occurs, as
/// the vectorizer counts them before weighting.
///
/// These are the numbers ``TFIDFVectorizer`` turns into weights (tf, or `1 + ln(tf)` with
/// ``TFIDFVectorizer/Configuration/isSublinearTF``, times the smoothed idf
/// `ln((1 + n) / (1 + df)) + 1`, then the row norm), so a store that keeps them (the story index)
/// can weight them later under document frequencies that have changed since, and get the rows
/// the batch vectorizer would give for the same corpus.
///
/// Terms are numbered in the order they are first met (text by text), not sorted; the analyzer
/// is the vectorizer's (same tokens, stop words, stems and n-grams).
///
/// ```swift
/// let counts = TermCounts(texts: ["a cat sat on a cat"], analyzer: Analyzer())
/// counts.terms   // ["cat", "sat", "on"]
/// counts.row(0)  // [(term: 0, count: 2), (term: 1, count: 1), (term: 2, count: 1)]
/// ```
///
/// - Complexity: O(total text bytes) to count, O(distinct terms + entries) memory.
public struct TermCounts: Sendable, Equatable {
  /// The distinct terms of all texts, in first-seen order.
  public let terms: [String]
  /// Entry offsets: text `r`'s entries are `rowStarts[r]..<rowStarts[r + 1]`.
  public let rowStarts: [Int]
  /// Per entry, the index of its term in ``terms``; within a text each term appears once, in
  /// first-seen order.
  public let termIndices: [Int32]
  /// Per entry, how many times the term occurs in the text (at least 1).
  public let counts: [Int32]

  /// The number of texts.
  public var rowCount: Int { rowStarts.count - 1 }

  /// Counts the terms of `texts` with `analyzer`.
  ///
  /// Texts are counted in chunks on up to `threads` threads and the chunks' terms are merged in
  /// chunk order, so the result is the same for any thread count.
  ///
  /// - Parameters:
  ///   - texts: The texts (for the engine, ``AnalysedCorpus/texts``).
  ///   - analyzer: How text becomes terms (``TFIDFVectorizer/Configuration/analyzer``).
  ///   - threads: Threads (0 = all cores).
  /// - Complexity: O(total text bytes) time; O(distinct terms + entries) memory.
  public init(texts: [String], analyzer: Analyzer, threads: Int = 0) {
    let n = texts.count
    let workers = max(1, min(effectiveThreadCount(threads), (n + 255) / 256))
    let per = (n + max(workers, 1) - 1) / max(workers, 1)
    let chunks = parallelMap(workers, threads: workers) { w -> CountedChunks.Chunk in
      let lower = min(n, w * per)
      let upper = min(n, lower + per)
      return CountedChunks.countChunk(
        texts, lower..<upper, analyzer: analyzer, table: TermTable(capacity: 1024))
    }
    var global = TermTable()
    var rowStarts = [0]
    var indices: [Int32] = []
    var counts: [Int32] = []
    rowStarts.reserveCapacity(n + 1)
    for chunk in chunks {
      let map = (0..<chunk.table.count).map { local in
        chunk.table.withTerm(local) { global.insert($0) }
      }
      for d in 0..<(chunk.starts.count - 1) {
        for e in chunk.starts[d]..<chunk.starts[d + 1] {
          indices.append(map[Int(chunk.termIDs[e])])
          counts.append(chunk.counts[e])
        }
        rowStarts.append(indices.count)
      }
    }
    terms = (0..<global.count).map { global.term($0) }
    self.rowStarts = rowStarts
    termIndices = indices
    self.counts = counts
  }

  /// Text `r`'s entries: each distinct term's index in ``terms`` and its count.
  ///
  /// - Parameter r: A text index in `0..<rowCount`.
  /// - Returns: The entries in first-seen order.
  /// - Complexity: O(entries of the text).
  public func row(_ r: Int) -> [(term: Int, count: Int)] {
    (rowStarts[r]..<rowStarts[r + 1]).map { (Int(termIndices[$0]), Int(counts[$0])) }
  }
}
