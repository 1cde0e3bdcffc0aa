#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// The document and term frequencies of a share of a corpus: what a distributed job counts in
/// each task and adds up (`cluster spark count` in the Spark job), and from whose sum
/// ``TFIDFModel/init(frequencies:configuration:)`` makes the very model
/// ``TFIDFVectorizer/fitTransform(texts:threads:)`` fits on the whole corpus.
///
/// The vocabulary, its pruning and the idf weights depend on the corpus only through these
/// sums (scikit-learn's `min_df`, `max_df` and `max_features` read document frequencies and
/// total counts), so shares counted anywhere and added in any order give the same model.
///
/// ```swift
/// var total = TermFrequencies(texts: firstHalf, analyzer: analyzer)
/// total.add(TermFrequencies(texts: secondHalf, analyzer: analyzer))
/// let model = try TFIDFModel(frequencies: total, configuration: configuration)
/// ```
///
/// - Complexity: Counting is O(text bytes); adding is O(terms) expected.
package struct TermFrequencies: Sendable, Equatable {
  /// One term's counts.
  package struct Entry: Sendable, Equatable {
    /// The term's UTF-8 bytes.
    package var term: [UInt8]
    /// The documents holding it.
    package var documents: Int
    /// Its occurrences over all documents.
    package var occurrences: Int

    package init(term: [UInt8], documents: Int, occurrences: Int) {
      self.term = term
      self.documents = documents
      self.occurrences = occurrences
    }
  }

  /// The documents counted.
  package var documentCount: Int
  /// One entry per term, sorted by term bytes.
  package private(set) var entries: [Entry]

  /// Frequencies from entries in any order; terms that occur twice are added up.
  package init(documentCount: Int, entries: [Entry]) {
    self.documentCount = documentCount
    var sorted = entries
    sorted.sort { $0.term.lexicographicallyPrecedes($1.term) }
    var merged: [Entry] = []
    merged.reserveCapacity(sorted.count)
    for entry in sorted {
      if let last = merged.last, last.term == entry.term {
        merged[merged.count - 1].documents += entry.documents
        merged[merged.count - 1].occurrences += entry.occurrences
      } else {
        merged.append(entry)
      }
    }
    self.entries = merged
  }

  /// Counts `texts` as `analyzer` reads them.
  ///
  /// - Parameters:
  ///   - texts: The share's texts.
  ///   - analyzer: The vectorizer's analyzer.
  ///   - threads: Tokenizer threads (0 = all cores); the result does not depend on it.
  package init(texts: [String], analyzer: Analyzer, threads: Int = 0) {
    let workers = max(1, min(effectiveThreadCount(threads), (texts.count + 255) / 256))
    var counted = CountedChunks.count(texts, analyzer: analyzer, threads: workers)
    let (global, documents, maps) = counted.mergeTables()
    var occurrences = [Int](repeating: 0, count: global.count)
    for (chunk, map) in zip(counted.chunks, maps) {
      for k in chunk.termIDs.indices {
        occurrences[Int(map[Int(chunk.termIDs[k])])] += Int(chunk.counts[k])
      }
    }
    self.documentCount = texts.count
    self.entries = global.sortedIDs(threads: workers).map { id in
      Entry(
        term: global.withTerm(Int(id)) { Array($0) }, documents: documents[Int(id)],
        occurrences: occurrences[Int(id)])
    }
  }

  /// Adds `other`'s counts (another share of the corpus).
  ///
  /// - Complexity: O((t + u) log(t + u)) for t and u terms.
  package mutating func add(_ other: TermFrequencies) {
    self = TermFrequencies(
      documentCount: documentCount + other.documentCount, entries: entries + other.entries)
  }
}

extension TFIDFModel {
  /// The model ``TFIDFVectorizer/fitTransform(texts:threads:)`` fits on a corpus whose counts
  /// are `frequencies`: the same vocabulary, pruning and idf weights, so
  /// ``transform(texts:threads:)`` gives the fit's rows bit for bit.
  ///
  /// - Parameters:
  ///   - frequencies: The whole corpus's counts (every share added up).
  ///   - configuration: The vectorizer's parameters.
  /// - Throws: As ``TFIDFVectorizer/fitTransform(texts:threads:)`` for the same corpus.
  /// - Complexity: O(terms + term bytes).
  package init(
    frequencies: TermFrequencies, configuration: TFIDFVectorizer.Configuration
  ) throws(ConfigurationError) {
    try configuration.validate()
    let n = frequencies.documentCount
    let entries = frequencies.entries
    var table = TermTable(capacity: entries.count)
    for entry in entries { _ = entry.term.withUnsafeBufferPointer { table.insert($0) } }
    let sorted = (0..<Int32(entries.count)).map { $0 }
    let kept = try configuration.keptTerms(
      sorted, documentFrequencies: entries.map(\.documents), documents: n
    ) { entries.map(\.occurrences) }
    var columns = [Int32](repeating: -1, count: entries.count)
    for (index, id) in kept.enumerated() { columns[Int(id)] = Int32(index) }
    self.init(
      configuration: configuration,
      vocabulary: kept.map { String(decoding: entries[Int($0)].term, as: UTF8.self) },
      idf: kept.map {
        configuration.idf(documentFrequency: entries[Int($0)].documents, documents: n)
      },
      table: table, columns: columns)
  }
}

extension TFIDFVectorizer.Configuration {
  /// The terms kept as columns, in column order: of `sorted` (term ids in term-byte order),
  /// those within `min_df` and `max_df`, then at most `max_features` of them, the most frequent
  /// overall (ties keep the earlier term), as scikit-learn prunes.
  ///
  /// - Parameters:
  ///   - sorted: Term ids sorted by term bytes.
  ///   - documentFrequencies: Per term id, the documents holding it.
  ///   - documents: The corpus's documents.
  ///   - occurrences: Per term id, its count over the corpus; asked for only when
  ///     `max_features` cuts.
  /// - Throws: ``ConfigurationError/frequencyBoundsCross(minimum:maximum:)``.
  func keptTerms(
    _ sorted: [Int32], documentFrequencies df: [Int], documents n: Int,
    occurrences: () -> [Int]
  ) throws(ConfigurationError) -> [Int32] {
    let high = maxDocumentFrequency.documents(outOf: n)
    let low = minDocumentFrequency.documents(outOf: n)
    guard high >= low else {
      throw .frequencyBoundsCross(
        minimum: minDocumentFrequency.described(outOf: n),
        maximum: maxDocumentFrequency.described(outOf: n))
    }
    var kept = sorted.filter { Double(df[Int($0)]) <= high && Double(df[Int($0)]) >= low }
    if let limit = maxFeatures, kept.count > limit {
      let tf = occurrences()
      // The most frequent terms overall; ties keep the earlier (smaller) term.
      let order = kept.indices.sorted { a, b in
        let ta = tf[Int(kept[a])]
        let tb = tf[Int(kept[b])]
        return ta != tb ? ta > tb : a < b
      }
      kept = order.prefix(limit).sorted().map { kept[$0] }
    }
    return kept
  }

  /// The idf weight of a term in `documentFrequency` of `n` documents (smoothed:
  /// `ln((1 + n) / (1 + df)) + 1`; 1 without idf).
  package func idf(documentFrequency: Int, documents n: Int) -> Double {
    guard isUsingIDF else { return 1 }
    let smooth = isSmoothIDF ? 1.0 : 0.0
    return log((Double(n) + smooth) / (Double(documentFrequency) + smooth)) + 1
  }
}

// MARK: - As lines

extension TermFrequencies {
  /// The counts as the text lines a job moves and adds up: `D <documents>`, then one
  /// `T <term bytes, hex> <documents> <occurrences>` per term (hex, so any term, spaces and
  /// all, is one token, and the lines sort by term as the bytes do).
  package func writeLines(_ emit: (String) -> Void) {
    emit("D \(documentCount)")
    let digits = Array("0123456789abcdef".utf8)
    for entry in entries {
      var hex: [UInt8] = []
      hex.reserveCapacity(2 * entry.term.count)
      for byte in entry.term {
        hex.append(digits[Int(byte >> 4)])
        hex.append(digits[Int(byte & 15)])
      }
      emit("T \(String(decoding: hex, as: UTF8.self)) \(entry.documents) \(entry.occurrences)")
    }
  }

  /// Reads lines ``writeLines(_:)`` wrote, from any number of shares in any order, adding up
  /// the shares' `D` lines and each term's `T` lines.
  ///
  /// - Parameters:
  ///   - bytes: The lines.
  ///   - path: The file name messages give.
  /// - Throws: ``KernelTaskError`` naming the line that is not a count line.
  package static func parseLines(
    _ bytes: [UInt8], path: String
  ) throws(KernelTaskError) -> TermFrequencies {
    var documents = 0
    var entries: [Entry] = []
    var lineNumber = 0
    for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
      lineNumber += 1
      let fields = line.split(separator: 0x20)
      if fields.isEmpty { continue }
      func number(_ field: ArraySlice<UInt8>) -> Int? {
        Int(String(decoding: field, as: UTF8.self)).flatMap { $0 >= 0 ? $0 : nil }
      }
      if fields.count == 2, fields[0].elementsEqual("D".utf8), let n = number(fields[1]) {
        documents += n
        continue
      }
      if fields.count == 4, fields[0].elementsEqual("T".utf8),
        let term = Self.bytes(hex: fields[1]), let d = number(fields[2]),
        let o = number(fields[3])
      {
        entries.append(Entry(term: term, documents: d, occurrences: o))
        continue
      }
      let shown = String(decoding: line.prefix(60), as: UTF8.self)
      throw KernelTaskError(
        "\(path):\(lineNumber): '\(shown)' is not a count line (D <documents> or "
          + "T <term in hex> <documents> <occurrences>)")
    }
    return TermFrequencies(documentCount: documents, entries: entries)
  }

  /// Reads the count lines in the file at `path` (``parseLines(_:path:)``).
  ///
  /// - Throws: ``KernelTaskError`` naming the file when it cannot be read, or its first line
  ///   that is not a count line.
  package init(readingLines path: String) throws(KernelTaskError) {
    let bytes: [UInt8]
    do throws(CorpusError) { bytes = try FileBytes.read(path: path) } catch {
      throw KernelTaskError("\(path): \(error.message)")
    }
    self = try Self.parseLines(bytes, path: path)
  }

  /// The bytes `hex` spells (two lowercase or uppercase digits a byte), or `nil`.
  private static func bytes(hex: ArraySlice<UInt8>) -> [UInt8]? {
    guard hex.count % 2 == 0 else { return nil }
    func value(_ digit: UInt8) -> UInt8? {
      switch digit {
      case 0x30...0x39: return digit - 0x30
      case 0x61...0x66: return digit - 0x61 + 10
      case 0x41...0x46: return digit - 0x41 + 10
      default: return nil
      }
    }
    var out: [UInt8] = []
    out.reserveCapacity(hex.count / 2)
    var k = hex.startIndex
    while k < hex.endIndex {
      guard let high = value(hex[k]), let low = value(hex[k + 1]) else { return nil }
      out.append(high << 4 | low)
      k += 2
    }
    return out
  }
}
