/// How clusters are formed from the similarity graph.
///
/// ```swift
/// var configuration = EngineConfiguration()
/// configuration.linkage = .average
/// ```
public enum Linkage: String, Sendable, CaseIterable, Codable {
  /// Connected components of the graph of pairs at or above the threshold (single linkage cut at
  /// the threshold).
  case single
  /// Agglomerative average linkage (UPGMA; R. R. Sokal and C. D. Michener, 1958) on the sparse
  /// graph: repeatedly merge the two clusters with the highest mean pairwise similarity while it
  /// is at least the threshold. Pairs below the graph floor count as 0.
  case average
}
