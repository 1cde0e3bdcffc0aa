/// A story cluster: articles telling the same story.
public struct Cluster: Sendable, Equatable {
  /// 1-based position in the report's cluster order (size descending, then smallest id).
  public var id: Int
  /// Member ids, in byte order.
  public var members: [String]
  /// The top terms of the members' summed TF-IDF vectors.
  public var label: [String]
  /// The member closest (by cosine) to the cluster's centroid; ties go to the smaller id.
  public var representative: String

  /// The number of members.
  public var size: Int { members.count }
}

/// An input record that was left out, and why.
public struct SkippedArticle: Sendable, Equatable {
  /// Where it was.
  public var location: String
  /// What was wrong (the diagnostic without its location).
  public var reason: String
}

/// The engine's answer: clusters, ranked pairs and the accounting that ties them to the input.
///
/// `articlesIn == articlesOut + skipped.count` always holds, and every article that was read is
/// in exactly one cluster.
public struct Report: Sendable {
  /// Records seen in the input (valid and invalid).
  public var articlesIn: Int
  /// Articles placed in clusters.
  public var articlesOut: Int
  /// Records left out (only with skip-invalid; otherwise the run stops before clustering).
  public var skipped: [SkippedArticle]
  /// Clusters in order (size descending, then smallest id).
  public var clusters: [Cluster]
  /// Ranked pairs (score descending, then ids).
  public var pairs: RankedPairs
  /// Each article's nearest neighbours (id → ids with scores), in article order.
  public var neighbors: [(id: String, neighbors: [(id: String, score: Double)])]
  /// The vocabulary size after pruning.
  public var vocabularySize: Int
  /// The settings used.
  public var configuration: EngineConfiguration
  /// The corpus's background: the mean story similarity of two of its articles.
  public var background: Double
  /// The story-similarity threshold clustering used (``EngineConfiguration/lift`` times the
  /// background, or the absolute ``EngineConfiguration/threshold``).
  public var clusterThreshold: Double
  /// The similarity kernel's work counters.
  public var kernelStatistics: SimilarityResult.Statistics
  /// Wall-clock seconds per stage, in order (for `--verbose`; never part of the output).
  public var stageSeconds: [(stage: String, seconds: Double)]
}
