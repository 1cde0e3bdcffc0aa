extension Engine {
  /// Runs the stages once and clusters at every threshold: the same ``analyse(_:)``,
  /// ``vectorize(_:)``, ``duplicateGroups(_:)``, ``similarity(_:corpus:threshold:)``,
  /// ``storyGraph(_:vectors:corpus:)`` and ``stories(_:count:threshold:)`` as ``run(_:)`` (on
  /// one row per group of exact copies), with the kernel at the lowest threshold's graph floor.
  ///
  /// ```swift
  /// let run = try Engine().evaluate(corpus, thresholds: [4, 5, 6])
  /// ```
  ///
  /// - Parameters:
  ///   - corpus: The articles.
  ///   - thresholds: Cluster thresholds: lifts when the configuration has a
  ///     ``EngineConfiguration/lift``, story similarities in `0...1` otherwise.
  /// - Returns: The labellings and the graph behind them.
  /// - Throws: ``ConfigurationError`` when the document-frequency bounds leave no term.
  /// - Complexity: One kernel run at the lowest threshold, then one clustering per threshold
  ///   (with the between-story background, one run at the seed, cut once per threshold).
  public func evaluate(_ corpus: Corpus, thresholds: [Double]) throws(ConfigurationError)
    -> EvaluationRun
  {
    let analysed = analyse(corpus)
    let vectors = try vectorize(analysed)
    let duplicates = duplicateGroups(vectors)
    let distinct = duplicates.collapse(vectors)
    let lowest = thresholds.min() ?? configuration.threshold
    let collapsed = duplicates.collapse(analysed)
    let similarity = self.similarity(
      distinct, corpus: collapsed, threshold: configuration.graphThreshold(clusteringAt: lowest))
    let graph = storyGraph(similarity, vectors: distinct, corpus: collapsed)
    let scorer = try pairScorer(vectors, analysed)
    let cuts: [Stories]
    if configuration.lift != nil, let seed = configuration.seedThreshold {
      // One linkage run at the seed; each lift is a cut of it.
      cuts = stories(
        graph, count: duplicates.count, lifts: thresholds, seed: seed, releasingEdges: false
      ).map { duplicates.expand($0) }
    } else {
      cuts = thresholds.map {
        duplicates.expand(stories(graph, count: duplicates.count, threshold: $0))
      }
    }
    return EvaluationRun(
      ids: analysed.ids, labels: cuts.map { $0.labels(count: analysed.count) },
      thresholds: thresholds, clusterThresholds: cuts.map(\.threshold),
      background: cuts.first?.background ?? graph.background,
      pairs: duplicates.expand(similarity.pairs),
      nearDuplicateThreshold: configuration.nearDuplicateThreshold, vectors: vectors,
      ranker: ranker, scorer: scorer)
  }
}
