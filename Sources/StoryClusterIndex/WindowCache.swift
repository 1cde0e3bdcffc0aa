/// The index's dated articles with dates in one closed range, all of them, kept in memory
/// between adds and queries so that a window is read from SQLite only where it moved.
///
/// A batch's candidates are the dated articles within the window of its dates; fed in date
/// order, consecutive batches' windows overlap almost wholly. The cache holds every live dated
/// article with `low ≤ ts ≤ high` (the range it *covers*), with its stored `(term, count)` pairs
/// and story; a request for `[lo, hi]` reads from SQLite only the part outside the covered range
/// (or the whole range when the two do not overlap), then drops what lies below `lo`. So it
/// holds at most the last window or two, never the archive.
///
/// It is exact by construction: its articles are those SQLite returns for the same range. It
/// is dropped (the index reloads) whenever its source of truth may have moved under it: another
/// connection committed (`PRAGMA data_version`), a transaction rolled back, or an expiry ran;
/// the index's own adds update it after writing (new articles in the covered range, merged
/// stories' articles moving to the survivor).
///
/// - Complexity: O(articles in the cache) per request and update, beyond reading the missing
///   part; memory O(nnz of the covered articles).
struct WindowCache {
  /// One dated article.
  struct Article {
    var seq: Int
    var id: String
    var story: Int
    var timestamp: Double
    var entries: [(term: Int32, count: Int32)]
    /// Its names' `(name, count)` pairs and its years, when the index reads them.
    var names: [(term: Int32, count: Int32)] = []
    var years: [Int16] = []
  }

  /// The covered range's ends (inclusive).
  private(set) var low: Double
  private(set) var high: Double
  /// The covered articles, in no particular order.
  private(set) var articles: [Article]

  /// A cache covering `low...high`, with `articles` all the index's dated ones in it.
  init(low: Double, high: Double, articles: [Article]) {
    self.low = low
    self.high = high
    self.articles = articles
  }

  /// The parts of `lo...hi` the cache does not cover, as SQL conditions on `ts` and their
  /// values; `nil` when the ranges do not overlap (read everything again).
  func missing(_ lo: Double, _ hi: Double) -> [(condition: String, values: [Double])]? {
    if hi < low || lo > high { return nil }
    var parts: [(String, [Double])] = []
    if lo < low { parts.append(("ts >= ?1 AND ts < ?2", [lo, low])) }
    if hi > high { parts.append(("ts > ?1 AND ts <= ?2", [high, hi])) }
    return parts
  }

  /// Adds the articles read for the missing parts of `lo...hi`, extends the covered range to
  /// include it, then forgets the articles below `lo`.
  mutating func extend(_ lo: Double, _ hi: Double, with read: [Article]) {
    articles.append(contentsOf: read)
    high = max(high, hi)
    low = lo
    articles.removeAll { $0.timestamp < lo }
  }

  /// The covered articles with `lo ≤ ts ≤ hi` (which must be covered).
  func articles(from lo: Double, to hi: Double) -> [Article] {
    precondition(lo >= low && hi <= high, "the range is not covered")
    return articles.filter { $0.timestamp >= lo && $0.timestamp <= hi }
  }

  /// Records an add: `added` articles (those in the covered range are kept) and stories merged
  /// into others.
  mutating func record(added: [Article], merges: [(absorbed: Int, into: Int)], moves: [Move]) {
    articles.append(contentsOf: added.filter { $0.timestamp >= low && $0.timestamp <= high })
    if !moves.isEmpty {
      var target: [Int: Int] = [:]
      for move in moves { target[move.seq] = move.to }
      for k in articles.indices {
        if let to = target[articles[k].seq] { articles[k].story = to }
      }
    }
    if merges.isEmpty { return }
    var survivor: [Int: Int] = [:]
    for merge in merges { survivor[merge.absorbed] = merge.into }
    for k in articles.indices {
      if let into = survivor[articles[k].story] { articles[k].story = into }
    }
  }
}
