#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// Turns articles into L2-normalised TF-IDF rows with scikit-learn's `TfidfVectorizer` semantics.
///
/// Weights follow scikit-learn's `TfidfTransformer`: term frequency is the raw count (or
/// `1 + ln(tf)` with ``Configuration/isSublinearTF``), the smoothed inverse document frequency is
/// `idf(t) = ln((1 + n) / (1 + df(t))) + 1` (without smoothing, `ln(n / df(t)) + 1`), and each
/// row is divided by its L2 (or L1) norm. The vocabulary is sorted by term bytes, which is
/// Python's code-point order, so column indices match scikit-learn's `vocabulary_`.
///
/// Fitting tokenizes the articles on all cores: each thread interns its share of the articles
/// into its own byte-keyed table, and the tables are merged in thread order, so the result does
/// not depend on the thread count.
///
/// ```swift
/// let vectorizer = TFIDFVectorizer(configuration: .init())
/// let (model, matrix) = try vectorizer.fitTransform(texts: ["a cat sat", "a cat ran"])
/// model.vocabulary  // ["cat", "ran", "sat"]
/// ```
///
/// Reference: G. Salton and C. Buckley, "Term-weighting approaches in automatic text
/// retrieval", Information Processing & Management 24(5), 1988.
public struct TFIDFVectorizer: Sendable {
  /// The vectorizer's parameters; see ``Configuration``.
  public var configuration: Configuration

  /// Creates a vectorizer.
  ///
  /// - Parameter configuration: The parameters; the defaults are scikit-learn's.
  public init(configuration: Configuration = Configuration()) {
    self.configuration = configuration
  }

  /// Learns the vocabulary and idf weights of `texts` and returns them with the transformed rows.
  ///
  /// - Parameters:
  ///   - texts: One text per article.
  ///   - threads: Tokenizer threads (0 = all cores); the result is the same for any count.
  /// - Returns: The fitted model and one CSR row per text, in order.
  /// - Throws: ``ConfigurationError/frequencyBoundsCross(minimum:maximum:)`` when `min_df`
  ///   resolves to more documents than `max_df`; ``ConfigurationError/outOfRange(option:value:allowed:)``
  ///   for invalid parameters.
  /// - Complexity: O(total text bytes + nnz log nnz) time; O(vocabulary + nnz) memory.
  public func fitTransform(texts: [String], threads: Int = 0) throws(ConfigurationError) -> (
    TFIDFModel, SparseMatrix
  ) {
    try configuration.validate()
    let workers = max(1, min(effectiveThreadCount(threads), (texts.count + 255) / 256))
    var counted = CountedChunks.count(texts, analyzer: configuration.analyzer, threads: workers)
    return try finish(&counted, documentCount: texts.count, threads: workers)
  }

  /// Fits as ``fitTransform(texts:threads:)`` would on a corpus where `texts[i]` occurs
  /// `multiplicities[i]` times, and returns one row per given text: the same vocabulary, idf
  /// weights and rows as the full fit, without tokenizing the copies again (document
  /// frequencies, `max_features` counts and `n` count each text as often as it occurs).
  ///
  /// - Parameters:
  ///   - texts: Distinct texts.
  ///   - multiplicities: How often each occurs, 1 or more each.
  ///   - threads: Tokenizer threads (0 = all cores); the result is the same for any count.
  /// - Returns: The fitted model and one CSR row per given text, in order.
  /// - Throws: As ``fitTransform(texts:threads:)``.
  /// - Complexity: As ``fitTransform(texts:threads:)`` on the given texts alone.
  package func fitTransform(texts: [String], multiplicities: [Int], threads: Int = 0)
    throws(ConfigurationError) -> (TFIDFModel, SparseMatrix)
  {
    precondition(multiplicities.count == texts.count && multiplicities.allSatisfy { $0 >= 1 })
    try configuration.validate()
    let workers = max(1, min(effectiveThreadCount(threads), (texts.count + 255) / 256))
    var counted = CountedChunks.count(
      texts, analyzer: configuration.analyzer, threads: workers, weights: multiplicities)
    return try finish(
      &counted, documentCount: multiplicities.reduce(0, +), threads: workers)
  }

  // MARK: - Internals

  private func finish(_ counted: inout CountedChunks, documentCount n: Int, threads: Int)
    throws(ConfigurationError) -> (TFIDFModel, SparseMatrix)
  {
    let (global, df, maps) = counted.mergeTables()
    let termCount = global.count
    // Sort, then prune by document frequency and max_features (scikit-learn's order).
    let sorted = global.sortedIDs(threads: threads)
    let kept = try configuration.keptTerms(sorted, documentFrequencies: df, documents: n) {
      var tf = [Int](repeating: 0, count: termCount)
      for (c, chunk) in counted.chunks.enumerated() {
        for document in 0..<(chunk.starts.count - 1) {
          let weight = chunk.weights.isEmpty ? 1 : chunk.weights[document]
          for k in chunk.starts[document]..<chunk.starts[document + 1] {
            tf[Int(maps[c][Int(chunk.termIDs[k])])] += Int(chunk.counts[k]) * weight
          }
        }
      }
      return tf
    }
    var column = [Int32](repeating: -1, count: termCount)
    for (index, id) in kept.enumerated() { column[Int(id)] = Int32(index) }
    let idf = kept.map { configuration.idf(documentFrequency: df[Int($0)], documents: n) }
    // The vocabulary strings, half on each thread; the model keeps the global table.
    let terms = global
    let half = kept.count / 2
    let halves = parallelMap(2, threads: threads) { h in
      kept[(h == 0 ? 0 : half)..<(h == 0 ? half : kept.count)].map { terms.term(Int($0)) }
    }
    // Per-chunk column maps, then weighted rows.
    let chunkColumns = maps.map { map in map.map { column[Int($0)] } }
    let model = TFIDFModel(
      configuration: configuration, vocabulary: halves[0] + halves[1], idf: idf, table: terms,
      columns: column)
    let matrix = model.assemble(counted, columnMaps: chunkColumns, threads: threads)
    return (model, matrix)
  }
}

/// Per-thread term counts: each chunk of consecutive documents with its own term table.
struct CountedChunks {
  /// One thread's share.
  struct Chunk {
    var table: TermTable
    /// Document offsets into `termIDs`/`counts`, one more than the documents.
    var starts: [Int]
    var termIDs: [Int32]
    var counts: [Int32]
    /// The number of this chunk's documents holding each local term (each counted as often as
    /// its weight says).
    var documentFrequencies: [Int32]
    /// Each document's weight (how often its text occurs), or empty for 1 each.
    var weights: [Int] = []
  }

  var chunks: [Chunk]

  /// Merges the chunks' term tables in chunk order into one, with each term's document
  /// frequency and, per chunk, its local ids' global ids. The first table is moved out to become
  /// the global one (no copy), so its ids map to themselves and only the later tables' terms are
  /// looked up; document frequencies were counted per chunk, so merging them is O(terms). The
  /// chunks keep their documents' term ids and counts.
  mutating func mergeTables() -> (table: TermTable, documentFrequencies: [Int], maps: [[Int32]]) {
    var global = TermTable()
    if !chunks.isEmpty { swap(&global, &chunks[0].table) }
    let firstCount = global.count
    var df = (chunks.first?.documentFrequencies ?? []).map { Int($0) }
    var maps: [[Int32]] = []
    for (c, chunk) in chunks.enumerated() {
      if c == 0 {
        maps.append((0..<Int32(firstCount)).map { $0 })
        continue
      }
      var map = [Int32](repeating: 0, count: chunk.table.count)
      for local in 0..<chunk.table.count {
        let g = chunk.table.withTerm(local) { global.insert($0) }
        map[local] = g
        if Int(g) == df.count { df.append(0) }
        df[Int(g)] += Int(chunk.documentFrequencies[local])
      }
      maps.append(map)
    }
    return (global, df, maps)
  }

  /// Tokenizes and counts `texts` on `threads` threads in contiguous chunks of about equal
  /// text bytes: one for one thread, else four per thread, which the threads take as they
  /// finish one (texts of equal bytes differ in work: a thread with one chunk each would wait).
  /// With `weights`, document `d` counts `weights[d]` times in the document frequencies.
  static func count(
    _ texts: [String], analyzer: Analyzer, threads: Int, weights: [Int]? = nil
  ) -> CountedChunks {
    let n = texts.count
    let workers = threads > 1 ? max(1, min(4 * threads, (n + 255) / 256)) : 1
    // Chunk w ends at the first document where the bytes so far reach (w + 1) / workers of the
    // total, so the chunks hold equal bytes however the document sizes vary along the corpus.
    var bounds = [0]
    var total = 0
    for text in texts { total += text.utf8.count }
    var sum = 0
    var d = 0
    for w in 1..<max(workers, 1) {
      let target = total / workers * w + total % workers * w / workers
      while d < n && sum < target {
        sum += texts[d].utf8.count
        d += 1
      }
      bounds.append(d)
    }
    bounds.append(n)
    let chunks = parallelMapDynamic(workers, threads: threads) { w -> Chunk in
      countChunk(
        texts, bounds[w]..<bounds[w + 1], analyzer: analyzer, table: TermTable(capacity: 4096),
        weights: weights)
    }
    return CountedChunks(chunks: chunks)
  }

  /// Counts the terms of `texts[range]`, interning new terms in `table` (or, when `lookup` is
  /// true, dropping terms the table does not already hold).
  static func countChunk(
    _ texts: [String], _ range: Range<Int>, analyzer: Analyzer, table: TermTable,
    lookupOnly: Bool = false, weights: [Int]? = nil
  ) -> Chunk {
    var table = table
    var state = AnalyzerState(analyzer)
    var starts = [0]
    starts.reserveCapacity(range.count + 1)
    // Slots for a document's distinct terms (`ids`, `counts`) start at about a third of the
    // chunk's bytes per n-gram length (a token holds two or more bytes and is followed by a
    // separator) and double when a document needs more; `seen` grows as terms are interned.
    // Nothing is sized for the most terms a document could yield, so a 50 MB article touches
    // pages only for the terms it has.
    let termsPerByte =
      max(1, analyzer.ngramRange.count) * (analyzer.kind == .characterWordBounded ? 2 : 1)
    var bytes = 0
    for d in range { bytes += texts[d].utf8.count }
    var counting = TermCounting(slots: (bytes / 3 + range.count) * termsPerByte + 1)
    defer { counting.deallocate() }
    // Character n-grams: each distinct token's term ids, found once (words repeat); a token's
    // n-grams are interned at its first occurrence, in the order the analyzer makes them, so
    // the table is the same as without the cache.
    let cachesTokens = analyzer.kind == .characterWordBounded
    var tokens = TermTable(capacity: cachesTokens ? 4096 : 1)
    var tokenStarts = [0]
    var tokenTerms: [Int32] = []
    var padded: [UInt8] = []
    var codePointStarts: [Int] = []
    for d in range {
      var text = texts[d]
      counting.begin(weight: UInt64(weights?[d] ?? 1))
      text.withUTF8 { bytes in
        guard cachesTokens else {
          state.forEachTerm(in: bytes) { term in
            let id = Self.termID(term, in: &table, lookupOnly: lookupOnly)
            if id >= 0 { counting.add(id) }
          }
          return
        }
        state.forEachToken(in: bytes) { token in
          let known = tokens.find(token)
          if known >= 0 {
            for k in tokenStarts[Int(known)]..<tokenStarts[Int(known) + 1] {
              counting.add(tokenTerms[k])
            }
            return
          }
          let first = tokenTerms.count
          AnalyzerState.forEachCharacterNGram(
            of: token, analyzer.ngramRange, padded: &padded, starts: &codePointStarts
          ) { term in
            let id = Self.termID(term, in: &table, lookupOnly: lookupOnly)
            guard id >= 0 else { return }
            counting.add(id)
            tokenTerms.append(id)
          }
          if tokens.count < AnalyzerState.tokenCacheLimit {
            _ = tokens.insert(token)
            tokenStarts.append(tokenTerms.count)
          } else {
            tokenTerms.removeSubrange(first...)
          }
        }
      }
      counting.end()
      starts.append(counting.used)
    }
    let used = counting.used
    let termIDs = counting.ids.array(count: used)
    let termCounts = counting.counts.array(count: used)
    let seen = counting.seen
    let df = (0..<table.count).map { t in t < seen.capacity ? Int32(seen[t] >> 32) : 0 }
    return Chunk(
      table: table, starts: starts, termIDs: termIDs, counts: termCounts, documentFrequencies: df,
      weights: weights.map { Array($0[range]) } ?? [])
  }
}

extension CountedChunks {
  /// The id of `term` in `table`, interned there unless `lookupOnly` (then -1 for a term the
  /// table does not hold). Most terms are already known: looked up without mutating first.
  @inline(__always)
  static func termID(
    _ term: UnsafeBufferPointer<UInt8>, in table: inout TermTable, lookupOnly: Bool
  ) -> Int32 {
    let id = table.find(term)
    return id >= 0 || lookupOnly ? id : table.insert(term)
  }
}

/// The counting of ``CountedChunks/countChunk(_:_:analyzer:table:lookupOnly:weights:)``: each
/// document's distinct terms get slots (`ids`, `counts`) after the earlier documents'. The
/// per-term work writes through pointers with no uniqueness checks.
struct TermCounting {
  var ids: GrowingBuffer<Int32>
  var counts: GrowingBuffer<Int32>
  /// Per term id, one word: the low half is the term's last slot as an Int32 (-1 before its
  /// first), the high half its document frequency so far. One load serves both.
  var seen: GrowingBuffer<UInt64>
  /// Slots used by the documents ended so far.
  private(set) var used = 0
  private var documentStart = 0
  private var next = 0
  private var weight: UInt64 = 1
  static let unseen: UInt64 = 0xFFFF_FFFF

  /// Room for `slots` slots at first.
  init(slots: Int) {
    ids = GrowingBuffer<Int32>(capacity: slots)
    counts = GrowingBuffer<Int32>(capacity: ids.capacity)
    seen = GrowingBuffer<UInt64>(capacity: 1024, filling: Self.unseen)
  }

  /// Starts a document that counts `weight` times in the document frequencies.
  mutating func begin(weight: UInt64) {
    documentStart = used
    next = used
    self.weight = weight
  }

  /// Counts one occurrence of term `id` in the current document.
  @inline(__always)
  mutating func add(_ id: Int32) {
    let t = Int(id)
    if t >= seen.capacity { seen.grow(toAtLeast: t + 1, filling: Self.unseen) }
    let word = seen[t]
    let slot = Int(Int32(truncatingIfNeeded: word))
    if slot >= documentStart {  // seen earlier in this document
      counts[slot] &+= 1
    } else {
      if next == ids.capacity {
        ids.grow(toAtLeast: next + 1)
        counts.grow(toAtLeast: next + 1)
      }
      // Slot `next` in the low half, one more document in the high half.
      seen[t] = (word >> 32 &+ weight) << 32 | UInt64(UInt32(truncatingIfNeeded: next))
      ids[next] = id
      counts[next] = 1
      next &+= 1
    }
  }

  /// Ends the current document.
  mutating func end() { used = next }

  /// Frees the buffers.
  func deallocate() {
    ids.deallocate()
    counts.deallocate()
    seen.deallocate()
  }
}

/// A buffer of plain values that a hot loop reads and writes through a pointer and grows in place
/// (by doubling) when it runs out; freed with ``deallocate()``.
struct GrowingBuffer<Element: BitwiseCopyable> {
  private(set) var base: UnsafeMutablePointer<Element>
  private(set) var capacity: Int

  /// Room for `capacity` values, uninitialised (plain values need no initialisation).
  init(capacity: Int) {
    self.capacity = max(1, capacity)
    base = .allocate(capacity: self.capacity)
  }

  /// Room for `capacity` values, each `value`.
  init(capacity: Int, filling value: Element) {
    self.init(capacity: capacity)
    base.initialize(repeating: value, count: self.capacity)
  }

  @inline(__always)
  subscript(index: Int) -> Element {
    get { base[index] }
    nonmutating set { base[index] = newValue }
  }

  /// Grows to at least `needed` values (at least double), keeping the values so far and filling
  /// the new ones with `value` when given.
  mutating func grow(toAtLeast needed: Int, filling value: Element? = nil) {
    let newCapacity = max(needed, 2 * capacity)
    let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
    newBase.moveInitialize(from: base, count: capacity)
    if let value {
      (newBase + capacity).initialize(repeating: value, count: newCapacity - capacity)
    }
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }

  /// The first `count` values as an array.
  func array(count: Int) -> [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }

  func deallocate() { base.deallocate() }
}
