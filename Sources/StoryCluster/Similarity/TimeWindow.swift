/// Which pairs of rows the similarity kernel compares at all: dated rows only within a window of
/// each other, undated rows with every row.
///
/// News stories are bursts in time, and reprints come within days, so two dated articles weeks
/// apart are neither one story nor worth reporting as a pair. With a window, two rows whose
/// timestamps are more than ``horizon`` seconds apart are never compared: neither is the
/// other's neighbour, and the pair is never returned, whatever its cosine. A row without a
/// timestamp is compared with every row. The rule is a property of the result, not of the
/// blocking: the kernel sorts the rows by time and skips every block pair that lies wholly
/// beyond the horizon, and that gives exactly the result of scoring every pair and dropping the
/// ones the rule excludes (`SimilarityKernelTests` checks both against a brute force).
///
/// ```swift
/// let window = TimeWindow(timestamps: dates, horizon: 7 * 86_400)
/// let result = SimilarityKernel().run(matrix, window: window)
/// ```
public struct TimeWindow: Sendable, Equatable {
  /// Per row, seconds since 1970, or `nil` for an undated row.
  public var timestamps: [Double?]
  /// The largest time difference, in seconds, at which two dated rows are still compared.
  public var horizon: Double

  /// Creates a window.
  ///
  /// - Parameters:
  ///   - timestamps: Per row, seconds since 1970, or `nil`.
  ///   - horizon: Seconds, 0 or more.
  public init(timestamps: [Double?], horizon: Double) {
    self.timestamps = timestamps
    self.horizon = horizon
  }

  /// Whether rows `a` and `b` are compared.
  ///
  /// - Complexity: O(1).
  public func compares(_ a: Int, _ b: Int) -> Bool {
    guard let ta = timestamps[a], let tb = timestamps[b] else { return true }
    return abs(ta - tb) <= horizon
  }
}

/// The kernel's plan for a window: the rows in time order and, per dated row, how far ahead in
/// that order its window reaches.
///
/// Position `p` of the order holds row `rows[p]`: the dated rows by timestamp (ties by row),
/// then the undated rows by row. The dated rows a dated position `p` compares with, after it,
/// are the positions `p + 1 ..< reach[p]`; every position holding an undated row
/// (`datedCount...`) is compared with every other.
///
/// - Complexity: O(N log N) to build; O(N) memory.
struct WindowPlan {
  /// Position → row.
  let rows: [Int32]
  /// Row → position.
  let positions: [Int32]
  /// Positions `0..<datedCount` hold the dated rows.
  let datedCount: Int
  /// Per dated position, one past the last dated position within the horizon of it (monotone).
  let reach: [Int32]
  /// Whether block pairs wholly beyond the horizon are skipped (off only to test that skipping
  /// changes nothing: the pairs the window excludes are then scored and dropped one by one).
  var skipsBlocks = true

  /// A plan from its parts (as written by ``KernelTasks``).
  init(rows: [Int32], positions: [Int32], datedCount: Int, reach: [Int32]) {
    self.rows = rows
    self.positions = positions
    self.datedCount = datedCount
    self.reach = reach
  }

  init(_ window: TimeWindow) {
    let order = Clusterer.arrivalOrder(window.timestamps)
    let n = order.count
    rows = order.map { Int32($0) }
    var positions = [Int32](repeating: 0, count: n)
    for (p, row) in order.enumerated() { positions[row] = Int32(p) }
    self.positions = positions
    let times = order.compactMap { window.timestamps[$0] }
    datedCount = times.count
    var reach = [Int32](repeating: 0, count: times.count)
    var end = 0
    for p in 0..<times.count {
      end = max(end, p + 1)
      while end < times.count, times[end] - times[p] <= window.horizon { end += 1 }
      reach[p] = Int32(end)
    }
    self.reach = reach
  }

  /// The matrix with its rows in the plan's order.
  ///
  /// - Complexity: O(nnz).
  func permute(_ matrix: SparseMatrix) -> SparseMatrix {
    matrix.gathering(rows)
  }

  /// Whether the block of positions `columns` (at or after the block `rowBlock`) holds any
  /// position compared with any position of `rowBlock`.
  func blockNeeded(rowBlock: Range<Int>, columns: Range<Int>) -> Bool {
    if !skipsBlocks { return true }
    if rowBlock.upperBound > datedCount || columns.upperBound > datedCount { return true }
    // Both blocks wholly dated: the furthest any row of the row block reaches is its last row's.
    return columns.lowerBound < Int(reach[rowBlock.upperBound - 1])
  }

  /// The positions after `p` that position `p` is compared with, as two ranges: dated ones in its
  /// window and the undated ones (for an undated `p`, every later position).
  @inline(__always)
  func partners(of p: Int) -> (Range<Int>, Range<Int>) {
    let n = rows.count
    if p >= datedCount { return ((p + 1)..<n, n..<n) }
    return ((p + 1)..<Int(reach[p]), datedCount..<n)
  }
}
