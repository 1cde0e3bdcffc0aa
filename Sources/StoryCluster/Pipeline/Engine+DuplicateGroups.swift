extension Engine {
  // MARK: - Stages

  /// Stage 2b: the corpus's exact copies (same fingerprint, same TF-IDF row), so the kernel,
  /// the story graph and clustering run on one row per distinct text (``DuplicateGroups``).
  ///
  /// ``run(_:)`` collapses the vectors after fitting them (the model is the whole corpus's,
  /// copies included, as scikit-learn fits it), runs ``similarity(_:threshold:)``,
  /// ``storyGraph(_:vectors:corpus:)`` and ``stories(_:count:threshold:)`` on the collapsed
  /// rows, and expands the stories, the neighbour lists and the pairs again.
  ///
  /// ```swift
  /// let duplicates = engine.duplicateGroups(vectors)
  /// print(duplicates.rowCount, "articles,", duplicates.count, "distinct texts")
  /// ```
  ///
  /// - Parameter vectors: The rows and their fingerprints.
  /// - Returns: The groups.
  /// - Complexity: O(N + nnz) time; O(N) memory.
  public func duplicateGroups(_ vectors: Vectors) -> DuplicateGroups {
    DuplicateGroups(vectors)
  }
}
