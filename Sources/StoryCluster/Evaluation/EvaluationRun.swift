/// The engine's stages run once for evaluation: clusterings at several thresholds from one
/// vectorisation and one kernel run, and the scores and shared terms behind any pair.
///
/// Made by ``Engine/evaluate(_:thresholds:)`` from the same stage functions as
/// ``Engine/run(_:)``; `cluster eval` prints what its methods compute.
///
/// ```swift
/// let run = try Engine().evaluate(corpus, thresholds: [4, 5, 6])
/// let gold = ClusterScores.labels(gold: corpus.articles.map(\.story))
/// let scores = run.scores(against: gold)
/// let mistakes = run.hardestMistakes(gold: gold, at: run.bestIndex(scores), count: 5)
/// ```
public struct EvaluationRun: Sendable {
  /// Article ids, in row order (byte order of id).
  public let ids: [String]
  /// One labelling per threshold: `labels[t][row]` is the row's cluster index.
  public let labels: [[Int]]
  /// The thresholds, in the order given (lifts when the configuration has a
  /// ``EngineConfiguration/lift``).
  public let thresholds: [Double]
  /// The story-similarity threshold each one resolved to.
  public let clusterThresholds: [Double]
  /// The corpus's background story similarity.
  public let background: Double
  /// Every pair at or above the kernel threshold, by `(a, b)`, between the representatives of
  /// groups of exact copies (``DuplicateGroups``; copies are not paired with each other).
  public let pairs: [ScoredPair]
  /// The near-duplicate threshold of the configuration, on ``score(_:_:)``.
  public let nearDuplicateThreshold: Double

  let vectors: Vectors
  let ranker: NearDuplicateRanker
  let scorer: PairScorer

  /// The pair score of rows `a` and `b` (the configuration's ``EngineConfiguration/pairScore``):
  /// what `cluster run` reports for a pair, in `0...1`, 1 for `a == b`.
  ///
  /// - Complexity: O(terms in both rows).
  public func score(_ a: Int, _ b: Int) -> Double { scorer.score(a, b) }

  /// The exact cosine of rows `a` and `b`, the similarity clustering starts from.
  ///
  /// - Complexity: O(terms in both rows).
  public func cosine(_ a: Int, _ b: Int) -> Double { min(1, vectors.matrix.dot(a, b)) }

  /// The shared terms of rows `a` and `b` that contribute most to their cosine
  /// (``EngineConfiguration/sharedTermCount`` of them).
  ///
  /// - Complexity: O(terms in both rows).
  public func sharedTerms(_ a: Int, _ b: Int) -> [NearDuplicatePair.SharedTerm] {
    ranker.sharedTerms(a, b, matrix: vectors.matrix, vocabulary: vectors.model.vocabulary)
  }

  /// The clustering scores of every threshold's labelling against `gold`.
  ///
  /// - Parameter gold: One gold story index per row (``ClusterScores/labels(gold:)``).
  /// - Returns: One ``ClusterScores`` per threshold, in order.
  /// - Complexity: O(T·N) for T thresholds.
  public func scores(against gold: [Int]) -> [ClusterScores] {
    labels.map { ClusterScores(gold: gold, predicted: $0) }
  }

  /// The index of the best score by B-cubed F1 (the first of equals).
  ///
  /// - Parameter scores: One score per threshold.
  /// - Returns: Its index, 0 when `scores` is empty.
  /// - Complexity: O(T).
  public func bestIndex(_ scores: [ClusterScores]) -> Int {
    var best = 0
    for (i, s) in scores.enumerated() where s.bcubedF1 > scores[best].bcubedF1 { best = i }
    return best
  }
}
