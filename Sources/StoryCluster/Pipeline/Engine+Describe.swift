#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

extension Engine {
  // MARK: - Stages

  /// Stage 6: each story described — its members' ids, its label (its most distinctive terms,
  /// weighted against the other stories by class-based TF-IDF) and its representative (the
  /// member closest to the sum of the members' TF-IDF rows; ties to the smaller id), numbered
  /// 1… in the stories' order.
  ///
  /// A label is the ``EngineConfiguration/labelTermCount`` terms of highest weight
  ///
  ///     W(t, c) = tf(t, c) · ln(1 + A / f(t))
  ///
  /// where each story is a class `c`, `tf(t, c)` is the term's frequency in the story, `f(t)`
  /// its frequency over all the stories and `A` the average number of words per story (the
  /// sum of `f` over the vocabulary, divided by the number of stories). A term every story uses
  /// (`said`) has a large `f(t)` and a weight near 0; a term that is frequent in this story and
  /// rare elsewhere leads. Ties go to the term that sorts first (the smaller column). Frequencies
  /// are read from the rows: a row divided by the idf weights is the article's term frequencies
  /// (`1 + ln(count)` with sublinear tf) scaled by the row's norm, so every article weighs about
  /// as much as another in its story's `tf`, whatever its length. The raw counts are not kept
  /// after vectorising. The words news uses to attribute (`said`, `says`, `told`, `according`,
  /// …) are never label terms: a corpus of one story has nothing to weigh them against. See
  /// the "Choosing the defaults" article.
  ///
  /// Reference: M. Grootendorst, "BERTopic: Neural topic modeling with a class-based TF-IDF
  /// procedure", arXiv:2203.05794, 2022 (its c-TF-IDF, without the L1 normalisation of the
  /// class rows, which does not change the order of terms within a class).
  ///
  /// ```swift
  /// let clusters = engine.describe(stories, vectors: vectors, corpus: analysed)
  /// clusters[0].label  // ["syrian", "arab", "league", ...]
  /// ```
  ///
  /// - Parameters:
  ///   - stories: The groups.
  ///   - vectors: The rows.
  ///   - corpus: The analysed corpus (for the ids).
  /// - Returns: One ``Cluster`` per group, in order.
  /// - Complexity: O(nnz) time and O(V) memory for the corpus-wide frequencies, then O(nnz of
  ///   the members + u log u) time per story for its u distinct terms, and O(V) memory per
  ///   thread for large ones.
  public func describe(_ stories: Stories, vectors: Vectors, corpus: AnalysedCorpus) -> [Cluster] {
    let groups = stories.groups
    report(.describing, 0, of: groups.count, .stories)
    defer { report(.describing, groups.count, of: groups.count, .stories) }
    let weighting = LabelWeighting(groups: groups, matrix: vectors.matrix, idf: vectors.model.idf)
    return parallelMap(groups.count, threads: effectiveThreadCount(configuration.threads)) {
      describeCluster(
        $0 + 1, members: groups[$0], matrix: vectors.matrix, model: vectors.model,
        weighting: weighting, ids: corpus.ids)
    }
  }

  // MARK: - Internals

  private func describeCluster(
    _ id: Int, members: [Int], matrix: SparseMatrix, model: TFIDFModel,
    weighting: LabelWeighting, ids: [String]
  ) -> Cluster {
    // The members' summed rows: in a dictionary for small clusters, in a dense vocabulary-wide
    // array for large ones (a corpus-wide component can hold most rows; hashing millions of
    // entries made it the one slow describe). Sums are added in the same order either way.
    var sparse: [Int: Double] = [:]
    var dense: [Double] = []
    var touched: [Int] = []
    if members.count >= 64 {
      dense = [Double](repeating: 0, count: matrix.columnCount)
      var seen = [Bool](repeating: false, count: matrix.columnCount)
      for row in members {
        for (column, value) in matrix.row(row) {
          if !seen[column] {
            seen[column] = true
            touched.append(column)
          }
          dense[column] += Double(value)
        }
      }
    } else {
      for row in members {
        for (column, value) in matrix.row(row) { sparse[column, default: 0] += Double(value) }
      }
    }
    let centroid =
      dense.isEmpty
      ? sparse.map { (key: $0.key, value: $0.value) } : touched.map { (key: $0, value: dense[$0]) }
    let weighted = centroid.map { (column: $0.key, weight: weighting.weight($0.value, $0.key)) }
    let top = weighted.sorted {
      $0.weight != $1.weight ? $0.weight > $1.weight : $0.column < $1.column
    }
    var label: [String] = []
    for term in top.lazy.map({ model.vocabulary[$0.column] }) {
      if label.count == configuration.labelTermCount { break }
      if !LabelWeighting.isReporting(term) { label.append(term) }
    }
    var best = members[0]
    var bestScore = -Double.infinity
    if members.count > 1 {
      for row in members {
        var score = 0.0
        for (column, value) in matrix.row(row) {
          score += Double(value) * (dense.isEmpty ? sparse[column] ?? 0 : dense[column])
        }
        if score > bestScore {
          bestScore = score
          best = row
        }
      }
    }
    return Cluster(
      id: id, members: members.map { ids[$0] }, label: label, representative: ids[best],
      key: Cluster.key(members.map { ids[$0] }))
  }
}

/// The corpus-wide half of the class-based TF-IDF label weight (see
/// ``Engine/describe(_:vectors:corpus:)``): each term's frequency over all the stories, `f(t)`,
/// and the average number of words per story, `A`.
struct LabelWeighting: Sendable {
  /// The idf weight of each column, which the rows are divided by to give term frequencies.
  let idf: [Double]
  /// `ln(1 + A / f(t))` for each column; 0 where the term occurs in no story.
  let classWeights: [Double]

  /// Sums the rows of every story's members, in the stories' order.
  ///
  /// - Complexity: O(nnz of the members + V) time; O(V) memory.
  init(groups: [[Int]], matrix: SparseMatrix, idf: [Double]) {
    let columns = matrix.columnCount
    // A row from another model could be wider than `idf`; such columns count with weight 1.
    let idf = (0..<columns).map { $0 < idf.count && idf[$0] > 0 ? idf[$0] : 1 }
    var frequency = [Double](repeating: 0, count: columns)
    for members in groups {
      for row in members {
        for e in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] {
          frequency[Int(matrix.columns[e])] += Double(matrix.values[e])
        }
      }
    }
    var words = 0.0
    for c in 0..<columns {
      frequency[c] /= idf[c]
      words += frequency[c]
    }
    let average = groups.isEmpty ? 0 : words / Double(groups.count)
    self.idf = idf
    self.classWeights = frequency.map { $0 > 0 ? log(1 + average / $0) : 0 }
  }

  /// The words news uses to attribute what it reports, never label terms: a corpus of one
  /// story has no other story to weigh them against, and they lead its term frequencies.
  static let reportingWords: Set<String> = [
    "according", "said", "say", "saying", "says", "tell", "telling", "tells", "told",
  ]

  /// Whether `term` (a word, or an n-gram of words joined by spaces) holds a reporting word.
  static func isReporting(_ term: String) -> Bool {
    term.split(separator: " ").contains { reportingWords.contains(String($0)) }
  }

  /// W(t, c) for a story whose members' rows sum to `summed` in `column`.
  @inline(__always)
  func weight(_ summed: Double, _ column: Int) -> Double {
    summed / idf[column] * classWeights[column]
  }
}
