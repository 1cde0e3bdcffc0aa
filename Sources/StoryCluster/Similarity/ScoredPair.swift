/// An unordered pair of rows `a < b` with a score: the kernel's cosine (exact near the threshold,
/// single precision elsewhere), or the pair score once ranked.
///
/// Rows are stored in 32 bits, so a pair takes 16 bytes rather than 24: millions of pairs move
/// through the kernel, ranking and clustering, and their memory traffic is a third less.
///
/// - Complexity: 16 bytes; O(1) access.
public struct ScoredPair: Sendable, Equatable, Hashable {
  private var row0: UInt32
  private var row1: UInt32
  /// The score: a cosine similarity, or a pair score.
  public var score: Double

  /// The smaller row index.
  public var a: Int {
    get { Int(row0) }
    set { row0 = UInt32(newValue) }
  }
  /// The larger row index.
  public var b: Int {
    get { Int(row1) }
    set { row1 = UInt32(newValue) }
  }

  /// Creates a pair; `a` must be smaller than `b`, and both below 2³².
  public init(a: Int, b: Int, score: Double) {
    precondition(a < b, "pairs are stored with a < b")
    self.row0 = UInt32(a)
    self.row1 = UInt32(b)
    self.score = score
  }
}
