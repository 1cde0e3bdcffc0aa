/// The merges of one run of average linkage (``ReciprocalLinkage``), enough to cut it again at
/// any higher threshold.
///
/// Average linkage is reducible: a merge never beats the merges that made its two clusters, so
/// the merges at or above a threshold are exactly those a run at that threshold makes, and
/// their components are its clusters. A run at a low threshold therefore gives, with one pass
/// of a union–find over its merges, the clusters of every higher one.
///
/// ```swift
/// let run = ReciprocalLinkage(threshold: 0.005).dendrogram(count: n, pairs: edges)
/// let labels = run.labels(at: 0.08)  // what ReciprocalLinkage(threshold: 0.08) gives
/// ```
///
/// - Complexity: O(N + M·α(N)) per cut for M merges; memory 24 bytes per merge.
package struct Dendrogram: Sendable {
  /// One merge: the key rows of the two clusters, the exact sum of the edge scores between them
  /// (in units of 1 / ``scale``) and the product of their sizes.
  package struct Merge: Sendable, Equatable {
    package var a: Int32
    package var b: Int32
    package var sum: Int64
    package var pairs: Int64
  }

  /// Each row's cluster key at the run's threshold.
  package let labels: [Int]
  /// The run's merges, round by round.
  package let merges: [Merge]
  /// The fixed-point scale of the run's sums (``ReciprocalLinkage``).
  package let scale: Double
  /// The run's threshold in units of 1 / ``scale``.
  package let bar: Int64

  /// Each row's cluster key at `threshold`: the labels ``ReciprocalLinkage`` gives at it (the
  /// keys themselves may differ). A threshold below the run's is taken as the run's.
  ///
  /// - Complexity: O(N + M·α(N)).
  package func labels(at threshold: Double) -> [Int] {
    let cut = max(bar, ReciprocalLinkage.fixedPoint(threshold, scale: scale))
    guard cut > bar else { return labels }
    var sets = UnionFind(count: labels.count)
    for merge in merges where Int128(merge.sum) >= Int128(cut) * Int128(merge.pairs) {
      sets.union(Int(merge.a), Int(merge.b))
    }
    return (0..<labels.count).map { sets.find($0) }
  }
}
