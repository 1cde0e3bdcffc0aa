/// One neighbour of an article: its row index and exact cosine score.
///
/// - Complexity: 16 bytes; O(1) access.
public struct Neighbor: Sendable, Equatable, Hashable {
  /// The neighbour's row (article) index.
  public var index: Int
  /// The cosine similarity, in `[0, 1]` for non-negative weights.
  public var score: Double

  /// Creates a neighbour.
  public init(index: Int, score: Double) {
    self.index = index
    self.score = score
  }
}
