/// What the kernel found: each row's top-k neighbours and every pair at or above the threshold.
///
/// ```swift
/// let result = SimilarityKernel().run(matrix)
/// for pair in result.pairs where pair.score >= 0.8 { print(pair.a, pair.b) }
/// ```
///
/// - Complexity: Memory: 16 bytes per neighbour (at most N·k, in one array per row) and 16 per
///   pair (``ScoredPair``); O(1) access.
public struct SimilarityResult: Sendable, Equatable {
  /// Per row, up to k neighbours with a score above 0, by score descending then index ascending.
  public var neighbors: [[Neighbor]]
  /// Every pair `a < b` with score ≥ threshold, by `(a, b)`.
  public var pairs: [ScoredPair]
  /// With ``SimilarityKernel/Configuration/edgeCount``: every pair `a < b` that one of the two
  /// rows holds among its `edgeCount` highest cosines, at or above the edge floor, by `(a, b)`;
  /// `nil` otherwise.
  public var edges: [ScoredPair]? = nil
  /// How the work was split (for benchmarks and the design notes).
  public var statistics: Statistics

  /// Work counters.
  public struct Statistics: Sendable, Equatable {
    /// Columns computed densely with sgemm.
    public var headColumns: Int
    /// Floating-point operations spent in sgemm.
    public var denseFlops: Double
    /// Multiply-adds done by the sparse (tail) pass.
    public var sparseUpdates: Int
    /// Candidates re-scored exactly in double precision.
    public var rescored: Int
    /// Seconds spent packing head blocks and in sgemm, summed over threads.
    public var denseSeconds: Double
    /// The engine threads that ran blocks.
    public var workers: Int
    /// The rows per block.
    public var blockSize: Int
  }
}

extension SimilarityResult {
  /// A result holding the only reference to these edges, which leave `self`, with the same
  /// neighbours and no pairs: for a consumer that frees the edges as it reads them.
  mutating func handingOverEdges() -> SimilarityResult {
    var taken = SimilarityResult(neighbors: neighbors, pairs: [], statistics: statistics)
    swap(&taken.edges, &edges)
    return taken
  }
}
