/// The engine's similarity graph kept for evaluation: clusterings at several thresholds from one
/// vectorisation and one kernel run, and the scores and shared terms behind any pair.
public struct EvaluationRun: Sendable {
  /// Article ids, in row order (byte order of id).
  public let ids: [String]
  /// One labelling per threshold: `labels[t][row]` is the row's cluster index.
  public let labels: [[Int]]
  /// The thresholds, in the order given (lifts when the configuration has a ``EngineConfiguration/lift``).
  public let thresholds: [Double]
  /// The story-similarity threshold each one resolved to.
  public let clusterThresholds: [Double]
  /// The corpus's background story similarity.
  public let background: Double
  let matrix: SparseMatrix
  let model: TFIDFModel
  let ranker: NearDuplicateRanker
  /// Every pair at or above the kernel threshold.
  public let pairs: [ScoredPair]

  let scorer: PairScorer

  /// The pair score of rows `a` and `b` (the configuration's ``EngineConfiguration/pairScore``):
  /// what `cluster run` reports for a pair, in `0...1`, 1 for `a == b`.
  ///
  /// - Complexity: O(terms in both rows).
  public func score(_ a: Int, _ b: Int) -> Double { scorer.score(a, b) }

  /// The exact cosine of rows `a` and `b`, the similarity clustering starts from.
  ///
  /// - Complexity: O(terms in both rows).
  public func cosine(_ a: Int, _ b: Int) -> Double { min(1, matrix.dot(a, b)) }

  /// The shared terms of rows `a` and `b` that contribute most to their score.
  ///
  /// - Complexity: O(terms in both rows).
  public func sharedTerms(_ a: Int, _ b: Int) -> [NearDuplicatePair.SharedTerm] {
    ranker.sharedTerms(a, b, matrix: matrix, vocabulary: model.vocabulary)
  }
}

extension Engine {
  /// Vectorises and scores `corpus` once, then clusters it at every threshold.
  ///
  /// - Parameters:
  ///   - corpus: The articles.
  ///   - thresholds: Cluster thresholds: lifts when the configuration has a
  ///     ``EngineConfiguration/lift``, story similarities in `0...1` otherwise.
  /// - Returns: The labellings and the graph behind them.
  /// - Throws: ``ConfigurationError`` for crossing document-frequency bounds.
  /// - Complexity: One kernel run at the lowest threshold, then one clustering per threshold.
  public func evaluate(_ corpus: Corpus, thresholds: [Double]) throws(ConfigurationError)
    -> EvaluationRun
  {
    let texts = configuration.analysedTexts(corpus.articles)
    let (model, matrix) = try TFIDFVectorizer(configuration: configuration.vectorizer)
      .fitTransform(texts: texts, threads: configuration.threads)
    let lowest = thresholds.min() ?? configuration.threshold
    let kernelThreshold = configuration.graphThreshold(clusteringAt: lowest)
    let similarity = SimilarityKernel(
      configuration: .init(
        neighborCount: configuration.neighborCount, threshold: kernelThreshold,
        blockSize: configuration.blockSize, threads: configuration.threads)
    ).run(matrix)
    let (graph, arrival) = configuration.storyGraph(
      similarity: similarity, matrix: matrix, timestamps: corpus.articles.map(\.timestamp))
    let scorer = try PairScorer(
      kind: configuration.pairScore, texts: texts, matrix: matrix,
      vectorizer: configuration.vectorizer, threads: configuration.threads)
    let resolved = thresholds.map { configuration.clusterThreshold($0, on: graph) }
    let labels = resolved.map { threshold in
      let groups = Clusterer(
        linkage: configuration.linkage, threshold: threshold, arrival: arrival,
        threads: effectiveThreadCount(configuration.threads)
      )
      .cluster(count: texts.count, pairs: graph.pairs)
      var label = [Int](repeating: 0, count: texts.count)
      for (index, members) in groups.enumerated() { for row in members { label[row] = index } }
      return label
    }
    return EvaluationRun(
      ids: corpus.articles.map(\.id), labels: labels, thresholds: thresholds,
      clusterThresholds: resolved, background: graph.background, matrix: matrix,
      model: model,
      ranker: NearDuplicateRanker(
        floor: configuration.pairFloor,
        nearDuplicateThreshold: configuration.nearDuplicateThreshold,
        sharedTermCount: 5), pairs: similarity.pairs, scorer: scorer)
  }
}
