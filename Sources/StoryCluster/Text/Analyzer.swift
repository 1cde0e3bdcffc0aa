/// How text becomes terms: tokenization, stop words, stemming and word n-grams, or character
/// n-grams inside words.
///
/// For ``Kind/word`` the order is scikit-learn's `build_analyzer` for `analyzer='word'`:
/// lowercase, split with the token pattern, drop stop words, then form n-grams joined by a space.
/// Stemming (Porter2, off by default) runs after stop-word removal, on each remaining token.
///
/// For ``Kind/characterWordBounded`` the terms are the character n-grams of each token padded
/// with one space on either side, as scikit-learn's `analyzer='char_wb'` forms them; stop words
/// and stemming do not apply (as in scikit-learn).
///
/// For ``Kind/names`` the terms are the runs of capitalised words (``NameRuns``), lowercased;
/// stop words end a run, and stemming and n-grams do not apply (no scikit-learn equivalent).
///
/// ```swift
/// var analyzer = Analyzer(stopWords: .english, isStemming: true)
/// analyzer.terms(in: "Talks were held on the draft")  // ["talk", "held", "draft"]
/// ```
///
/// - Complexity: O(n) time in the text bytes; O(longest n-gram) scratch memory.
public struct Analyzer: Sendable, Equatable, Codable {
  /// What a term is (scikit-learn `analyzer`).
  public enum Kind: String, Sendable, CaseIterable, Codable {
    /// Words and word n-grams (`analyzer='word'`, the default).
    case word
    /// Character n-grams of each token padded with a space on either side, counted in Unicode
    /// code points (`analyzer='char_wb'`). Tokens come from the token pattern `(?u)\b\w\w+\b`
    /// rather than from splitting at whitespace, so punctuation never enters a term: the terms of
    /// `text` are scikit-learn's `char_wb` terms of the tokens joined by single spaces.
    case characterWordBounded
    /// Runs of capitalised words, the names a text mentions, each run and (for runs of two or
    /// more) each of its words (``NameRuns``; no scikit-learn equivalent).
    case names
  }

  /// What a term is (scikit-learn `analyzer`, default `.word`).
  public var kind: Kind
  /// A stop-word list choice (scikit-learn `stop_words`).
  public enum StopWordList: String, Sendable, CaseIterable, Codable {
    /// Keep every token (`stop_words=None`).
    case none
    /// scikit-learn's English list (`stop_words='english'`).
    case english
  }

  /// Lowercase before tokenizing (scikit-learn `lowercase`, default `true`).
  public var isLowercasing: Bool
  /// Stop words removed before n-grams (scikit-learn `stop_words`, default none).
  public var stopWords: StopWordList
  /// Reduce English words to their Porter2 stems (no scikit-learn equivalent; default off).
  public var isStemming: Bool
  /// The smallest and largest n-gram length, in words or, for ``Kind/characterWordBounded``, in
  /// characters (scikit-learn `ngram_range`, default `1...1`).
  public var ngramRange: ClosedRange<Int>

  /// Creates an analyzer; the defaults are scikit-learn's.
  ///
  /// - Parameters:
  ///   - isLowercasing: Lowercase first (`lowercase`).
  ///   - stopWords: The stop-word list (`stop_words`).
  ///   - isStemming: Apply the Porter2 stemmer.
  ///   - ngramRange: The n-gram lengths (`ngram_range`).
  ///   - kind: Words or characters (`analyzer`).
  public init(
    isLowercasing: Bool = true, stopWords: StopWordList = .none, isStemming: Bool = false,
    ngramRange: ClosedRange<Int> = 1...1, kind: Kind = .word
  ) {
    self.kind = kind
    self.isLowercasing = isLowercasing
    self.stopWords = stopWords
    self.isStemming = isStemming
    self.ngramRange = ngramRange
  }
}

/// The running form of an ``Analyzer``: its tokenizer, tables and scratch buffers.
struct AnalyzerState: Sendable {
  let configuration: Analyzer
  private var tokenizer: Tokenizer
  private let stopTable: TermTable?
  private let stemmer = PorterStemmer()
  private var stemmed: [UInt8] = []
  /// The tokens stemmed so far (`stemOf[id]` is the id of the stem in `stems`): a word's stem
  /// is computed at its first occurrence, not at every one. At most ``tokenCacheLimit`` tokens.
  private var stemmedTokens = TermTable(capacity: 64)
  private var stems = TermTable(capacity: 64)
  private var stemOf: [Int32] = []
  /// The most distinct tokens whose stems (here) or character n-gram ids (the vectorizer's
  /// counting) are remembered; a corpus has far fewer words.
  static let tokenCacheLimit = 1 << 20
  private var gram: [UInt8] = []
  private var codePointStarts: [Int] = []
  private var nameRuns = NameRuns()

  init(_ configuration: Analyzer) {
    self.configuration = configuration
    tokenizer = Tokenizer(isLowercasing: configuration.isLowercasing)
    if configuration.stopWords == .english {
      var table = TermTable(capacity: 512)
      for word in StopWords.english {
        var w = word
        _ = w.withUTF8 { table.insert($0) }
      }
      stopTable = table
    } else {
      stopTable = nil
    }
  }

  /// The terms of `text`, as strings (for tests and tools).
  mutating func terms(in text: String) -> [String] {
    var result: [String] = []
    var text = text
    text.withUTF8 { bytes in
      forEachTerm(in: bytes) { result.append(String(decoding: $0, as: UTF8.self)) }
    }
    return result
  }

  /// Calls `body` with the bytes of each term of `text`, in order: all the unigrams first when
  /// the range starts at 1, then the bigrams, and so on (scikit-learn's order).
  mutating func forEachTerm(
    in text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    if configuration.kind == .names {
      var runs = NameRuns()
      swap(&runs, &nameRuns)
      defer { swap(&runs, &nameRuns) }
      runs.forEachTerm(in: text, stopTable: stopTable, body)
      return
    }
    let range = configuration.ngramRange
    let stems = configuration.isStemming
    // Move the tokenizer and the scratch buffers out (not copy them), so their storage stays
    // uniquely referenced and writing to it never copies.
    var tok = Tokenizer()
    swap(&tok, &tokenizer)
    defer { swap(&tok, &tokenizer) }
    if configuration.kind == .characterWordBounded {
      var g: [UInt8] = []
      swap(&g, &gram)
      var starts: [Int] = []
      swap(&starts, &codePointStarts)
      defer {
        swap(&g, &gram)
        swap(&starts, &codePointStarts)
      }
      tok.forEachToken(in: text) {
        Self.forEachCharacterNGram(of: $0, range, padded: &g, starts: &starts, body)
      }
      return
    }
    var out: [UInt8] = []
    swap(&out, &stemmed)
    defer { swap(&out, &stemmed) }
    if range == 1...1 {
      tok.forEachToken(in: text) { token in
        if let stopTable, stopTable.find(token) >= 0 { return }
        if stems {
          withStem(of: token, scratch: &out, body)
        } else {
          body(token)
        }
      }
      return
    }
    // n-grams: collect the filtered tokens, then emit each length in turn.
    var tokens: [[UInt8]] = []
    tok.forEachToken(in: text) { token in
      if let stopTable, stopTable.find(token) >= 0 { return }
      if stems {
        withStem(of: token, scratch: &out) { tokens.append(Array($0)) }
      } else {
        tokens.append(Array(token))
      }
    }
    var g: [UInt8] = []
    swap(&g, &gram)
    defer { swap(&g, &gram) }
    for n in range where n >= 1 {
      if n > tokens.count { break }
      for start in 0...(tokens.count - n) {
        g.removeAll(keepingCapacity: true)
        for k in start..<(start + n) {
          if k > start { g.append(0x20) }
          g.append(contentsOf: tokens[k])
        }
        g.withUnsafeBufferPointer(body)
      }
    }
  }
}

extension AnalyzerState {
  /// Calls `body` with each token of `text` (before stop words, stemming or n-grams): for a
  /// caller that caches what a ``Analyzer/Kind/characterWordBounded`` analyzer makes of each
  /// token (``forEachCharacterNGram(of:_:padded:starts:_:)``), since words repeat.
  mutating func forEachToken(
    in text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    var tok = Tokenizer()
    swap(&tok, &tokenizer)
    defer { swap(&tok, &tokenizer) }
    tok.forEachToken(in: text, body)
  }

  /// Calls `body` with the Porter2 stem of `token`: looked up when the token was stemmed before,
  /// else computed (in `scratch`) and kept.
  private mutating func withStem(
    of token: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8],
    _ body: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    let known = stemmedTokens.find(token)
    if known >= 0 {
      stems.withTerm(Int(stemOf[Int(known)]), body)
      return
    }
    stemmer.stem(token, into: &scratch)
    if stemmedTokens.count < Self.tokenCacheLimit {
      _ = stemmedTokens.insert(token)
      stemOf.append(scratch.withUnsafeBufferPointer { stems.insert($0) })
    }
    scratch.withUnsafeBufferPointer(body)
  }

  /// Calls `body` with the character n-grams of `token` padded with a space on either side, for
  /// each length in `range` (scikit-learn's `_char_wb_ngrams`): all n-grams of length n at every
  /// code-point offset, and a padded word shorter than n once, after which longer n-grams stop.
  static func forEachCharacterNGram(
    of token: UnsafeBufferPointer<UInt8>, _ range: ClosedRange<Int>, padded: inout [UInt8],
    starts: inout [Int], _ body: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    padded.removeAll(keepingCapacity: true)
    padded.append(0x20)
    padded.append(contentsOf: token)
    padded.append(0x20)
    padded.withUnsafeBufferPointer { word in
      guard let base = word.baseAddress else { return }
      // Byte offsets of the code points, then the end.
      starts.removeAll(keepingCapacity: true)
      for (offset, byte) in word.enumerated() where byte & 0xC0 != 0x80 { starts.append(offset) }
      let length = starts.count
      starts.append(word.count)
      for n in range where n >= 1 {
        if length <= n {
          body(word)
          break
        }
        for offset in 0...(length - n) {
          let start = starts[offset]
          body(UnsafeBufferPointer(start: base + start, count: starts[offset + n] - start))
        }
      }
    }
  }
}

extension Analyzer {
  /// The terms this analyzer produces for `text`.
  ///
  /// - Parameter text: Any text.
  /// - Returns: The terms in order, duplicates kept.
  /// - Complexity: O(n) in the length of `text`.
  public func terms(in text: String) -> [String] {
    var state = AnalyzerState(self)
    return state.terms(in: text)
  }
}
