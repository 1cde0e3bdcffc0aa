/// The corpus's exact copies, collapsed to one row each before the kernel and expanded again
/// after clustering.
///
/// Two rows are in one group when they have the same exact-text fingerprint (the same sequence
/// of lowercased word tokens, ``Normalizer``) *and* the same TF-IDF row, bit for bit. The second
/// condition makes the collapse exact: every row of a group has the same cosine with every other
/// row, so the kernel, the story graph and clustering see each group once, as its
/// *representative* (its smallest row, which is its smallest id), and lose nothing but the copies.
/// With the default analysis the two conditions coincide; with an analysis that keeps case or
/// reads characters, texts that differ only in case or punctuation share a fingerprint but not a
/// row, and stay apart here (the ranker still reports them as `exact`).
///
/// A feed that repeats its boilerplate 5,000 times is then one row to the kernel, not 5,000
/// rows and 12.5 million pairs of cosine 1. What a group weighs (see the "Duplicate floods"
/// article):
/// - in average linkage, a group counts once: the average story similarity of two stories is
///   taken over their distinct texts, so a flood of copies neither outweighs the articles of its
///   story nor drags a story's average up by its own pairs of cosine 1;
/// - in the neighbourhood similarity, a group is one neighbour, so copies no longer fill each
///   other's top-k lists, and an article's neighbourhood holds k distinct texts;
/// - a group's date is its representative's, and the corpus background is measured over the
///   distinct texts.
///
/// Every member lands in its representative's story (expanding the ``Stories``), and the ranker
/// links each member to its group's representative by one `exact` pair: O(N) pairs for a group,
/// not m²/2.
///
/// ```swift
/// let vectors = try engine.vectorize(analysed)
/// let duplicates = engine.duplicateGroups(vectors)
/// let distinct = duplicates.collapse(vectors)
/// let graph = engine.storyGraph(
///   engine.similarity(distinct), vectors: distinct, corpus: duplicates.collapse(analysed))
/// let stories = duplicates.expand(engine.stories(graph, count: duplicates.count))
/// ```
///
/// - Complexity: O(N) memory (three integers per row); made in O(N + nnz) time.
public struct DuplicateGroups: Sendable, Equatable {
  /// Per row, the row that stands for its group: the smallest row with the same text (the row
  /// itself when it has no copy).
  public let representative: [Int]
  /// The representatives, ascending: collapsed row `i` is row `representatives[i]`.
  public let representatives: [Int]
  /// Per row, its collapsed row (its group's position in ``representatives``).
  public let collapsedRow: [Int]

  /// The number of rows before collapsing.
  public var rowCount: Int { representative.count }
  /// The number of groups: the rows after collapsing.
  public var count: Int { representatives.count }
  /// Whether some row has a copy (otherwise collapsing and expanding change nothing).
  public var hasCopies: Bool { count < rowCount }

  /// Groups the rows of `vectors` by fingerprint and row.
  ///
  /// - Parameter vectors: The rows and their fingerprints.
  /// - Complexity: O(N) hashing plus one comparison of a row with its group's representative,
  ///   O(nnz) in all.
  package init(_ vectors: Vectors) {
    let matrix = vectors.matrix
    let n = matrix.rowCount
    precondition(vectors.fingerprints.count == n, "one fingerprint per row")
    var representative = [Int](repeating: 0, count: n)
    var collapsedRow = [Int](repeating: 0, count: n)
    var representatives: [Int] = []
    // Fingerprint → its first group; groups of one fingerprint with different rows are chained.
    var first: [Normalizer.Fingerprint: Int] = [:]
    var next: [Int] = []
    for row in 0..<n {
      let fingerprint = vectors.fingerprints[row]
      var group = first[fingerprint] ?? -1
      var last = -1
      while group >= 0, !Self.rowsEqual(matrix, representatives[group], row) {
        last = group
        group = next[group]
      }
      if group < 0 {
        group = representatives.count
        representatives.append(row)
        next.append(-1)
        if last >= 0 { next[last] = group } else { first[fingerprint] = group }
      }
      representative[row] = representatives[group]
      collapsedRow[row] = group
    }
    self.representative = representative
    self.representatives = representatives
    self.collapsedRow = collapsedRow
  }

  /// The representatives' rows: the matrix the kernel scores (the model is unchanged).
  ///
  /// - Parameter vectors: The vectors these groups were made from.
  /// - Returns: One row per group, in ``representatives`` order; `vectors` itself when there is
  ///   no copy.
  /// - Complexity: O(nnz of the representatives).
  public func collapse(_ vectors: Vectors) -> Vectors {
    precondition(vectors.matrix.rowCount == rowCount, "vectors of another corpus")
    guard hasCopies else { return vectors }
    return Vectors(
      model: vectors.model, matrix: vectors.matrix.gathering(representatives),
      fingerprints: representatives.map { vectors.fingerprints[$0] })
  }

  /// The representatives' ids, dates and texts (texts only if `corpus` still holds them): what
  /// the story graph reads. A group's date is its representative's. The accounting
  /// (``AnalysedCorpus/articlesIn``, ``AnalysedCorpus/skipped``) is the whole corpus's.
  ///
  /// - Parameter corpus: The analysed corpus these groups' rows come from.
  /// - Returns: One row per group; `corpus` itself when there is no copy.
  /// - Complexity: O(groups).
  public func collapse(_ corpus: AnalysedCorpus) -> AnalysedCorpus {
    precondition(corpus.count == rowCount, "a corpus of another size")
    guard hasCopies else { return corpus }
    var collapsed = corpus
    collapsed.ids = representatives.map { corpus.ids[$0] }
    collapsed.timestamps = representatives.map { corpus.timestamps[$0] }
    collapsed.texts = corpus.texts.isEmpty ? [] : representatives.map { corpus.texts[$0] }
    return collapsed
  }

  /// Stories of collapsed rows as stories of all rows: each group's members join its
  /// representative's story, and the stories are put back in the report's order (size
  /// descending, then smallest row).
  ///
  /// - Parameter stories: Groups of collapsed rows (``count`` rows in all).
  /// - Returns: The same stories over all ``rowCount`` rows, members ascending.
  /// - Complexity: O(N log N).
  public func expand(_ stories: Stories) -> Stories {
    guard hasCopies else { return stories }
    let members = membersByGroup()
    var groups = stories.groups.map { collapsed in
      var rows: [Int] = []
      for group in collapsed { rows.append(contentsOf: members[group]) }
      rows.sort()
      return rows
    }
    groups.sort { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
    return Stories(groups: groups, threshold: stories.threshold, background: stories.background)
  }

  /// Pairs of collapsed rows as pairs of their representatives' rows (the order of rows is
  /// kept, so pairs sorted by `(a, b)` stay sorted).
  ///
  /// - Parameter pairs: Pairs of collapsed rows.
  /// - Returns: The same pairs between representatives.
  /// - Complexity: O(P).
  public func expand(_ pairs: consuming [ScoredPair]) -> [ScoredPair] {
    guard hasCopies else { return pairs }
    var pairs = pairs
    for k in pairs.indices {
      pairs[k] = ScoredPair(
        a: representatives[pairs[k].a], b: representatives[pairs[k].b], score: pairs[k].score)
    }
    return pairs
  }

  /// The kernel's neighbour lists of collapsed rows as lists for every row: each member has its
  /// group's list, whose neighbours are other groups' representatives (copies are not each
  /// other's neighbours).
  ///
  /// - Parameter neighbors: One list per collapsed row.
  /// - Returns: One list per row.
  /// - Complexity: O(N·k).
  public func expand(neighbors: [[Neighbor]]) -> [[Neighbor]] {
    guard hasCopies else { return neighbors }
    let lists = neighbors.map { list in
      list.map { Neighbor(index: representatives[$0.index], score: $0.score) }
    }
    return collapsedRow.map { lists[$0] }
  }

  // MARK: - Internals

  /// Each group's rows, ascending.
  func membersByGroup() -> [[Int]] {
    var members = [[Int]](repeating: [], count: count)
    for row in 0..<rowCount { members[collapsedRow[row]].append(row) }
    return members
  }

  /// Whether rows `x` and `y` hold the same entries, bit for bit.
  private static func rowsEqual(_ matrix: SparseMatrix, _ x: Int, _ y: Int) -> Bool {
    let xs = matrix.rowStarts[x]
    let ys = matrix.rowStarts[y]
    let length = matrix.rowStarts[x + 1] - xs
    guard matrix.rowStarts[y + 1] - ys == length else { return false }
    for k in 0..<length
    where matrix.columns[xs + k] != matrix.columns[ys + k]
      || matrix.values[xs + k].bitPattern != matrix.values[ys + k].bitPattern
    {
      return false
    }
    return true
  }
}
