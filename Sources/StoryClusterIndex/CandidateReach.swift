/// The candidates a chunk of a batch may compare with, for scoring an archive added in one batch
/// a chunk of rows at a time: found by binary search in time order, so a chunk costs its reach,
/// not a pass over every candidate.
///
/// Candidates are numbered as the batch pass numbers them: the stored ones `0..<stored`, then
/// the batch's articles after them. A chunk's reach is a superset of the pairs the window and
/// the recent-undated rule allow its rows (the caller checks each pair), in ascending order, so
/// that the caller meets candidates in the order of the one-block pass and breaks ties alike:
///
/// - stored dated candidates within the window of one of the chunk's dates, and the recent
///   undated ones, when the chunk holds a dated article;
/// - the recent stored candidates, when it holds an undated one;
/// - the batch's articles before the chunk's last: dated ones within the window of one of its
///   dates, and, when it holds an undated article, any within `recentLimit` places of its
///   first row.
///
/// - Complexity: O(C log C) to make for C stored candidates; O(r log r) per chunk reaching r.
struct CandidateReach {
  private let stored: Int
  /// The stored dated candidates by (date, number), and their dates in that order.
  private let datedByTime: [Int32]
  private let datedTimes: [Double]
  private let recentUndated: [Int32]
  private let recent: [Int32]
  /// The batch's dates in placement order (the dated ones first, by date), and the dated ones'.
  private let batchTimes: [Double?]
  private let datedBatchTimes: [Double]
  private let windowSeconds: Double
  private let recentLimit: Int

  /// Creates the reach of a batch over stored candidates with flags `dated` (then `time` is
  /// the date), `recent` and `recentUndated`.
  init(
    dated: [Bool], time: [Double], recent: [Bool], recentUndated: [Bool], batchTimes: [Double?],
    windowSeconds: Double, recentLimit: Int
  ) {
    stored = dated.count
    let byTime = dated.indices.filter { dated[$0] }.sorted { (time[$0], $0) < (time[$1], $1) }
    datedByTime = byTime.map { Int32($0) }
    datedTimes = byTime.map { time[$0] }
    self.recentUndated = dated.indices.filter { !dated[$0] && recentUndated[$0] }.map { Int32($0) }
    self.recent = recent.indices.filter { recent[$0] }.map { Int32($0) }
    self.batchTimes = batchTimes
    datedBatchTimes = batchTimes.prefix { $0 != nil }.map { $0 ?? 0 }
    self.windowSeconds = windowSeconds
    self.recentLimit = recentLimit
  }

  /// The candidates rows `chunk` of the batch may compare with, ascending.
  func callAsFunction(_ chunk: Range<Int>) -> [Int32] {
    let times = batchTimes[chunk].compactMap { $0 }
    let hasUndated = times.count < chunk.count
    var storedPart: [Int32] = []
    // The batch's articles the chunk may reach, as ranges of placement order.
    var batchRanges: [Range<Int>] = []
    let end = max(0, chunk.upperBound - 1)  // the chunk's last row compares with those before it
    let recentFrom = max(0, chunk.lowerBound - recentLimit)
    if let earliest = times.min(), let latest = times.max() {
      let low = earliest - windowSeconds
      let high = latest + windowSeconds
      let from = Self.firstIndex(in: datedTimes[...], notBelow: low)
      storedPart += datedByTime[from..<Self.firstIndex(in: datedTimes[...], above: high)]
      storedPart += recentUndated
      let dated = datedBatchTimes[0..<min(datedBatchTimes.count, end)]
      batchRanges.append(
        Self.firstIndex(in: dated, notBelow: low)..<Self.firstIndex(in: dated, above: high))
    }
    // An undated article of the batch compares by place with any article; one before the
    // chunk's last makes that one undated too (undated ones are placed last), so this holds it.
    if hasUndated {
      storedPart += recent
      batchRanges.append(recentFrom..<max(recentFrom, end))
    }
    storedPart.sort()
    var reach: [Int32] = []
    reach.reserveCapacity(storedPart.count)
    for j in storedPart where reach.last != j { reach.append(j) }
    var next = 0
    for range in batchRanges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
      for k in max(next, range.lowerBound)..<max(next, range.upperBound) {
        reach.append(Int32(stored + k))
      }
      next = max(next, range.upperBound)
    }
    return reach
  }

  /// The first position of `times` (ascending) holding `bound` or more.
  private static func firstIndex(in times: ArraySlice<Double>, notBelow bound: Double) -> Int {
    var (lo, hi) = (times.startIndex, times.endIndex)
    while lo < hi {
      let mid = (lo + hi) / 2
      if times[mid] < bound { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }

  /// The first position of `times` (ascending) holding more than `bound`.
  private static func firstIndex(in times: ArraySlice<Double>, above bound: Double) -> Int {
    var (lo, hi) = (times.startIndex, times.endIndex)
    while lo < hi {
      let mid = (lo + hi) / 2
      if times[mid] <= bound { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }
}
