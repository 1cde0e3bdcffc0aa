import StoryCluster

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// TF-IDF weights of stored `(term, count)` rows under one set of document frequencies, with the
/// idf of every term and the tf of small counts computed once rather than per entry.
///
/// The arithmetic is ``TFIDFVectorizer``'s, entry for entry: tf is the count or, sublinear,
/// `1 + ln(count)`; idf is `ln((n + s) / (df + s)) + 1` with `s = 1` when smoothed (1 without
/// idf); the row is scaled to unit L2 (or L1) norm. The tables hold the very `Double`s the
/// per-entry formula gives, so the weights are bit for bit those of computing each entry afresh.
///
/// - Complexity: O(T) memory for T terms, a logarithm per distinct term weighed; O(entries) per
///   row.
struct TermWeigher {
  /// Per term, its idf once a row has asked for it (NaN until then): a batch's window holds a
  /// small part of a large vocabulary, so the logarithms are taken for that part only.
  private var idf: [Double]
  private let df: [Int32]
  private let n: Int
  private let configuration: TFIDFVectorizer.Configuration
  private let tf: [Double]
  private let isSublinear: Bool
  private let norm: Norm

  /// Counts below this have their tf in the table.
  private static let tableCounts = 64

  init(configuration c: TFIDFVectorizer.Configuration, df: [Int32], n: Int) {
    configuration = c
    self.n = n
    self.df = df
    idf = c.isUsingIDF ? [Double](repeating: .nan, count: df.count) : []
    isSublinear = c.isSublinearTF
    tf = (0..<Self.tableCounts).map { c.isSublinearTF ? 1 + log(Double($0)) : Double($0) }
    norm = c.norm
  }

  /// The normalised weights of one row, terms ascending as given.
  mutating func weigh(_ entries: [(term: Int32, count: Int32)]) -> ([Int32], [Float]) {
    var row = WeightedRows()
    append(entries, to: &row)
    return (row.terms, row.values)
  }

  /// Appends the normalised weights of one row to `rows`, with no array of its own: each weight
  /// is computed twice, once for the norm and once to write, by the same arithmetic, so the
  /// values are those ``weigh(_:)`` gives.
  mutating func append(_ entries: [(term: Int32, count: Int32)], to rows: inout WeightedRows) {
    let scale = scale(of: entries)
    for entry in entries {
      rows.terms.append(entry.term)
      rows.values.append(Float(weight(entry) * scale))
    }
    rows.starts.append(rows.terms.count)
  }

  /// The rows of `count` entry lists (`entries(k)`, k in `0..<count`) weighed into one set of
  /// arrays sized once, on up to `threads` threads: each takes a contiguous share of the rows,
  /// writes them in their final place and keeps its own copy of the idf table, so every weight
  /// is the one ``append(_:to:)`` gives, whatever the thread count.
  ///
  /// - Complexity: O(entries) work and memory, plus one idf table per thread.
  func rows(
    count: Int, threads: Int, _ entries: (Int) -> [(term: Int32, count: Int32)]
  ) -> WeightedRows {
    var starts = [Int](repeating: 0, count: count + 1)
    for k in 0..<count { starts[k + 1] = starts[k] + entries(k).count }
    let total = starts[count]
    if total == 0 { return WeightedRows(starts: starts, terms: [], values: []) }
    // Shares of about equal entries.
    let shares = max(1, min(threads, count))
    var bounds = [0]
    for w in 1..<shares {
      let target = total / shares * w
      var k = bounds[w - 1]
      while k < count && starts[k] < target { k += 1 }
      bounds.append(k)
    }
    bounds.append(count)
    var terms: [Int32] = []
    let values = [Float](unsafeUninitializedCapacity: total) { valueBuffer, valuesDone in
      terms = [Int32](unsafeUninitializedCapacity: total) { termBuffer, termsDone in
        // Both hold `total` > 0 slots, and each row's slots are written by one thread.
        guard let termBase = termBuffer.baseAddress, let valueBase = valueBuffer.baseAddress
        else { return }
        nonisolated(unsafe) let termOut = termBase
        nonisolated(unsafe) let valueOut = valueBase
        withoutActuallyEscaping(entries) { entries in
          nonisolated(unsafe) let entries = entries
          parallelForEach(shares, threads: shares) { w in
            var weigher = self
            for k in bounds[w]..<bounds[w + 1] {
              let row = entries(k)
              let scale = weigher.scale(of: row)
              for (e, entry) in row.enumerated() {
                termOut[starts[k] + e] = entry.term
                valueOut[starts[k] + e] = Float(weigher.weight(entry) * scale)
              }
            }
          }
        }
        termsDone = total
      }
      valuesDone = total
    }
    return WeightedRows(starts: starts, terms: terms, values: values)
  }

  /// Fills the idf of `entries`' terms not yet asked for and returns the scale that normalises
  /// their row.
  @inline(__always)
  private mutating func scale(of entries: [(term: Int32, count: Int32)]) -> Double {
    if !idf.isEmpty {
      for entry in entries where idf[Int(entry.term)].isNaN {
        idf[Int(entry.term)] = configuration.idf(
          documentFrequency: Int(df[Int(entry.term)]), documents: n)
      }
    }
    var sum = 0.0
    for entry in entries { sum += norm.size(of: weight(entry)) }
    return norm.scale(forSizes: sum)
  }

  /// An entry's weight before normalising (its term's idf must be filled).
  @inline(__always)
  private func weight(_ entry: (term: Int32, count: Int32)) -> Double {
    let count = Int(entry.count)
    let t =
      count < Self.tableCounts
      ? tf[count] : (isSublinear ? 1 + log(Double(count)) : Double(count))
    return idf.isEmpty ? t : t * idf[Int(entry.term)]
  }
}
