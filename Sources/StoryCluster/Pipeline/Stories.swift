/// The clustering stage's result: the story groups of a corpus's rows, and the threshold that
/// made them.
///
/// Groups are in the report's order (size descending, then smallest member row, which is the
/// smallest id since rows are in id order), members ascending; every row is in exactly one
/// group.
///
/// ```swift
/// let stories = engine.stories(graph)
/// for members in stories.groups { print(members.map { analysed.ids[$0] }) }
/// ```
///
/// - Complexity: O(N) rows in all groups.
public struct Stories: Sendable, Equatable {
  /// Each story's member rows, ascending.
  public var groups: [[Int]]
  /// The story-similarity threshold the groups were cut at (``EngineConfiguration/lift`` times
  /// ``background``, or the absolute ``EngineConfiguration/threshold``).
  public var threshold: Double
  /// The corpus's background: the mean story similarity of two of its articles in different
  /// stories of the first, liberal pass (``EngineConfiguration/seedThreshold``), or of any two
  /// without one.
  public var background: Double

  /// Creates the stage's result.
  ///
  /// - Parameters:
  ///   - groups: Member rows per story.
  ///   - threshold: The story-similarity threshold used.
  ///   - background: The corpus's background story similarity.
  /// - Complexity: O(1).
  public init(groups: [[Int]], threshold: Double, background: Double) {
    self.groups = groups
    self.threshold = threshold
    self.background = background
  }

  /// Each row's group index: `labels()[row]` is the position of the row's story in ``groups``.
  ///
  /// - Parameter count: The number of rows.
  /// - Returns: One group index per row.
  /// - Complexity: O(N).
  public func labels(count: Int) -> [Int] {
    var label = [Int](repeating: 0, count: count)
    for (index, members) in groups.enumerated() { for row in members { label[row] = index } }
    return label
  }
}
