#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The soft word alignment of two headlines, for ``PairScore/blended``: each content word of
/// one matched with its most similar word of the other by the cosine of their character
/// trigrams, averaged with idf weights, both ways.
///
/// ```
/// align(A, B) = ½ · (Σ_{x∈A} idf(x) · max_{y∈B} sim(x, y) / Σ_{x∈A} idf(x)
///                  + Σ_{y∈B} idf(y) · max_{x∈A} sim(x, y) / Σ_{y∈B} idf(y))
/// ```
///
/// - Words: the lowercased tokens of the default pattern, English stop words removed, not
///   stemmed, every occurrence counted.
/// - `idf(w) = ln((1 + n) / (1 + df(w))) + 1` over the n aligned articles (copies counted).
/// - `sim(x, y)`: the cosine of the two words' `char_wb` trigram TF-IDF rows (scikit-learn
///   `TfidfVectorizer(analyzer='char_wb', ngram_range=(3, 3))` fitted on the aligned articles'
///   distinct words, each word one document): 1 for the same word, high for inflections and
///   spellings (`killed` / `kills`, `Mursi` / `Morsi`), 0 for words sharing no trigram.
///
/// Only texts of at most ``wordLimit`` content words are aligned (headlines and short items):
/// a pair costs O(|A|·|B|) trigram dot products, and on longer texts, which share many words
/// exactly, the word cosine stands in.
///
/// Reference: the alignment idea of monolingual word aligners for semantic textual
/// similarity (M. A. Sultan, S. Bethard and T. Sumner, "DLS@CU: Sentence similarity from word
/// alignment and semantic vector composition", SemEval 2015), with character trigrams as the
/// word similarity.
struct WordAlignment: Sendable {
  /// The most content words a text may have to be aligned.
  static let wordLimit = 20

  /// A short text's distinct content words (vocabulary ids, ascending), each weighted by its
  /// idf times its count in the text, and the weights' sum.
  struct Words: Sendable, Equatable {
    var ids: [Int32] = []
    var weights: [Double] = []
    var total = 0.0
  }

  /// Per distinct text, its words; `nil` when it has more than ``wordLimit``.
  let words: [Words?]
  /// Per vocabulary word, its idf over the aligned articles.
  let idf: [Double]
  /// Per vocabulary word, its character-trigram row (L2-normalised).
  let trigrams: SparseMatrix

  /// The bytes read first to tell a long text (then four times as many, and so on; see
  /// ``init(texts:multiplicities:threads:)``).
  static let prefixBytes = 320

  /// The content words of `bytes`, or `nil` when there are more than `limit`; with
  /// `counting`, an empty list instead of the words (only whether there are too many).
  private static func contentWords(
    in bytes: UnsafeBufferPointer<UInt8>, limit: Int, counting: Bool = false,
    _ state: inout AnalyzerState
  ) -> [String]? {
    var found: [String] = []
    var count = 0
    state.forEachTerm(in: bytes) { term in
      count += 1
      if !counting && count <= limit { found.append(String(decoding: term, as: UTF8.self)) }
    }
    return count <= limit ? found : nil
  }

  /// The content-word analyzer.
  static let analyzer = Analyzer(stopWords: .english, kind: .word)

  /// The trigram vectorizer of the words (raw counts, smoothed idf, L2 rows).
  static var trigramVectorizer: TFIDFVectorizer.Configuration {
    TFIDFVectorizer.Configuration(
      analyzer: Analyzer(ngramRange: 3...3, kind: .characterWordBounded), isSublinearTF: false)
  }

  /// Finds the short texts among `texts` (each counted `multiplicities[i]` times, 1 without)
  /// and fits the words' idf and trigram rows on them.
  ///
  /// - Complexity: One pass of the tokenizer over every short text and a prefix of a long one
  ///   (at most 4/3 of the text, and mostly its first ``prefixBytes``), on `threads`; a
  ///   vectorisation of the short texts' distinct words.
  init(texts: [String], multiplicities: [Int]? = nil, threads: Int) throws(ConfigurationError) {
    let content: [[String]?] = parallelMapDynamic(
      texts.count, threads: effectiveThreadCount(threads), state: { AnalyzerState(Self.analyzer) }
    ) { state, row in
      var text = texts[row]
      return text.withUTF8 { bytes in
        // A long text shows itself in its first bytes: more content words there than the limit
        // settle it without reading the rest (one more: the last may be cut, "about" to "ab").
        // Prefixes of 320, 1,280, 5,120 … bytes, then the whole text.
        var size = Self.prefixBytes
        while size < bytes.count {
          var cut = size
          while cut < bytes.count && bytes[cut] & 0xC0 == 0x80 { cut += 1 }  // a scalar's start
          if cut < bytes.count,
            Self.contentWords(
              in: UnsafeBufferPointer(rebasing: bytes[..<cut]), limit: Self.wordLimit + 1,
              counting: true, &state) == nil
          {
            return nil
          }
          size *= 4
        }
        return Self.contentWords(in: bytes, limit: Self.wordLimit, &state)
      }
    }
    var id: [String: Int32] = [:]
    var vocabulary: [String] = []
    var df: [Int] = []
    var n = 0
    var counted = [[(id: Int32, count: Int)]?](repeating: nil, count: texts.count)
    for (row, list) in content.enumerated() {
      guard let list else { continue }
      let copies = multiplicities?[row] ?? 1
      n += copies
      var ids: [Int32] = []
      ids.reserveCapacity(list.count)
      for word in list {
        if let known = id[word] {
          ids.append(known)
        } else {
          let next = Int32(vocabulary.count)
          id[word] = next
          vocabulary.append(word)
          df.append(0)
          ids.append(next)
        }
      }
      ids.sort()
      var runs: [(id: Int32, count: Int)] = []
      for word in ids {
        if runs.last?.id == word { runs[runs.count - 1].count += 1 } else { runs.append((word, 1)) }
      }
      for run in runs { df[Int(run.id)] += copies }
      counted[row] = runs
    }
    // Smoothed, as the vectorizer's default configuration weighs terms.
    let weighing = TFIDFVectorizer.Configuration()
    let idf = df.map { weighing.idf(documentFrequency: $0, documents: n) }
    self.idf = idf
    words = counted.map { runs in
      runs.map { runs in
        let weights = runs.map { idf[Int($0.id)] * Double($0.count) }
        return Words(ids: runs.map(\.id), weights: weights, total: weights.reduce(0, +))
      }
    }
    // Each word one document, in a stable order (the trigram ids and idf do not depend on it).
    trigrams =
      vocabulary.isEmpty
      ? SparseMatrix(columnCount: 0, rowStarts: [0], columns: [], values: [])
      : try TFIDFVectorizer(configuration: Self.trigramVectorizer).fitTransform(
        texts: vocabulary, threads: threads
      ).1
  }

  /// The alignment of distinct texts `x` and `y`, or `nil` unless both are short; 0 when
  /// either has no content word.
  ///
  /// - Complexity: O(|A|·|B|) trigram dot products over the two texts' distinct words.
  func score(_ x: Int, _ y: Int) -> Double? {
    guard let a = words[x], let b = words[y] else { return nil }
    guard !a.ids.isEmpty, !b.ids.isEmpty else { return 0 }
    // SparseMatrix.dot's merge of two rows, with the buffers taken once per pair rather than
    // once per word pair.
    return trigrams.columns.withUnsafeBufferPointer { columns in
      trigrams.values.withUnsafeBufferPointer { values in
        trigrams.rowStarts.withUnsafeBufferPointer { starts in
          withUnsafeTemporaryAllocation(of: Double.self, capacity: b.ids.count) { bestB in
            bestB.initialize(repeating: 0)
            var sideA = 0.0
            for (i, u) in a.ids.enumerated() {
              var bestA = 0.0
              for (j, v) in b.ids.enumerated() {
                var similarity = 1.0
                if u != v {
                  similarity = min(
                    1,
                    SparseMatrix.mergedDot(
                      columns, values, starts[Int(u)]..<starts[Int(u) + 1],
                      starts[Int(v)]..<starts[Int(v) + 1]))
                }
                bestA = max(bestA, similarity)
                bestB[j] = max(bestB[j], similarity)
              }
              sideA += a.weights[i] * bestA
            }
            var sideB = 0.0
            for j in b.ids.indices { sideB += b.weights[j] * bestB[j] }
            return (sideA / a.total + sideB / b.total) / 2
          }
        }
      }
    }
  }
}
