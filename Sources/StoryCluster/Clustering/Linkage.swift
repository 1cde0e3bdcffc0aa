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
  /// Single pass in time order (date, then id; undated articles last), as a live feed would
  /// see them: each article joins the story whose centroid it is most similar to, if that
  /// similarity is at least the threshold, and otherwise starts a new story. A story's centroid
  /// is the sum of its members' vectors; its similarity to an article is computed from the
  /// graph (`Σ s(x, m) / ‖Σ m‖`, with `‖Σ m‖² = Σ s(m, m')`), so no vector is kept. Earlier
  /// decisions are never revised.
  case online
}
