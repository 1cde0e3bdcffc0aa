extension Engine {
  // MARK: - Stages

  /// Stage 6: each story described — its members' ids, its label (the top terms of the members'
  /// summed rows) and its representative (the member closest to that sum; ties to the smaller
  /// id), numbered 1… in the stories' order.
  ///
  /// ```swift
  /// let clusters = engine.describe(stories, vectors: vectors, corpus: analysed)
  /// ```
  ///
  /// - Parameters:
  ///   - stories: The groups.
  ///   - vectors: The rows.
  ///   - corpus: The analysed corpus (for the ids).
  /// - Returns: One ``Cluster`` per group, in order.
  /// - Complexity: O(nnz of the members) time per story; O(V) memory per thread for large ones.
  public func describe(_ stories: Stories, vectors: Vectors, corpus: AnalysedCorpus) -> [Cluster] {
    let groups = stories.groups
    return parallelMap(groups.count, threads: effectiveThreadCount(configuration.threads)) {
      describeCluster(
        $0 + 1, members: groups[$0], matrix: vectors.matrix, model: vectors.model, ids: corpus.ids)
    }
  }

  // MARK: - Internals

  private func describeCluster(
    _ id: Int, members: [Int], matrix: SparseMatrix, model: TFIDFModel, ids: [String]
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
    let top = centroid.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    let label = top.prefix(configuration.labelTermCount).map { model.vocabulary[$0.key] }
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
