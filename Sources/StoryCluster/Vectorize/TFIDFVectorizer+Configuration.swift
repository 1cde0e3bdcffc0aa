/// A document-frequency bound: a number of documents or a fraction of them (scikit-learn's
/// int-or-float `min_df` / `max_df`).
///
/// ```swift
/// FrequencyBound.fraction(0.8).documents(outOf: 3)  // 0.8 × 3 docs → 2.4
/// ```
public enum FrequencyBound: Sendable, Equatable, Hashable, Codable {
  /// At least (or at most) this many documents.
  case count(Int)
  /// At least (or at most) this fraction of the documents, in `0...1`.
  case fraction(Double)

  /// The bound in documents for a corpus of `n` (a fraction is not rounded, as in scikit-learn).
  ///
  /// - Parameter n: The number of documents.
  /// - Returns: The bound as a number of documents.
  /// - Complexity: O(1).
  public func documents(outOf n: Int) -> Double {
    switch self {
    case .count(let c): return Double(c)
    case .fraction(let f): return f * Double(n)
    }
  }

  /// The bound as messages show it: `5 documents` or `0.5 × 10 = 5 documents`.
  func described(outOf n: Int) -> String {
    switch self {
    case .count(let c): return "\(c) documents"
    case .fraction(let f): return "\(f) × \(n) = \(f * Double(n)) documents"
    }
  }
}

/// Row normalisation (scikit-learn `norm`).
public enum Norm: String, Sendable, CaseIterable, Codable {
  /// Divide each row by its Euclidean norm (`'l2'`, the default); cosine is then a dot product.
  case l2
  /// Divide each row by the sum of absolute values (`'l1'`).
  case l1
  /// Leave rows as they are (`None`).
  case none

  /// What weight `w` adds to a row's running size (its square for L2, its magnitude for L1).
  @inline(__always)
  package func size(of w: Double) -> Double {
    switch self {
    case .l2: w * w
    case .l1: abs(w)
    case .none: 0
    }
  }

  /// The factor a row's weights are multiplied by, from the sum of ``size(of:)`` over them:
  /// 1 for an empty row or ``none``.
  @inline(__always)
  package func scale(forSizes sum: Double) -> Double {
    switch self {
    case .l2: sum > 0 ? 1 / sum.squareRoot() : 1
    case .l1: sum > 0 ? 1 / sum : 1
    case .none: 1
    }
  }
}

extension TFIDFVectorizer {
  /// The vectorizer's parameters, named after scikit-learn's with its defaults.
  ///
  /// ```swift
  /// var c = TFIDFVectorizer.Configuration()          // TfidfVectorizer()
  /// c.isSublinearTF = true                           // sublinear_tf=True
  /// c.analyzer.stopWords = .english                  // stop_words='english'
  /// ```
  public struct Configuration: Sendable, Equatable, Codable {
    /// Tokenization, stop words, stemming and n-grams (scikit-learn `lowercase`, `stop_words`,
    /// `ngram_range`).
    public var analyzer: Analyzer
    /// Drop terms in fewer documents than this (`min_df`, default `.count(1)`).
    public var minDocumentFrequency: FrequencyBound
    /// Drop terms in more documents than this (`max_df`, default `.fraction(1.0)`).
    public var maxDocumentFrequency: FrequencyBound
    /// Keep only the most frequent terms, counted over the corpus (`max_features`, default nil).
    public var maxFeatures: Int?
    /// Row normalisation (`norm`, default `.l2`).
    public var norm: Norm
    /// Weight by inverse document frequency (`use_idf`, default `true`).
    public var isUsingIDF: Bool
    /// Add one to document frequencies, as if a document held every term (`smooth_idf`, default
    /// `true`).
    public var isSmoothIDF: Bool
    /// Replace tf with `1 + ln(tf)` (`sublinear_tf`, default `false`).
    public var isSublinearTF: Bool

    /// Creates a configuration; every default is scikit-learn's.
    ///
    /// - Parameters:
    ///   - analyzer: Text analysis.
    ///   - minDocumentFrequency: `min_df`.
    ///   - maxDocumentFrequency: `max_df`.
    ///   - maxFeatures: `max_features`.
    ///   - norm: `norm`.
    ///   - isUsingIDF: `use_idf`.
    ///   - isSmoothIDF: `smooth_idf`.
    ///   - isSublinearTF: `sublinear_tf`.
    public init(
      analyzer: Analyzer = Analyzer(), minDocumentFrequency: FrequencyBound = .count(1),
      maxDocumentFrequency: FrequencyBound = .fraction(1.0), maxFeatures: Int? = nil,
      norm: Norm = .l2, isUsingIDF: Bool = true, isSmoothIDF: Bool = true,
      isSublinearTF: Bool = false
    ) {
      self.analyzer = analyzer
      self.minDocumentFrequency = minDocumentFrequency
      self.maxDocumentFrequency = maxDocumentFrequency
      self.maxFeatures = maxFeatures
      self.norm = norm
      self.isUsingIDF = isUsingIDF
      self.isSmoothIDF = isSmoothIDF
      self.isSublinearTF = isSublinearTF
    }

    /// Checks every range.
    ///
    /// - Throws: ``ConfigurationError/outOfRange(option:value:allowed:)`` naming the option.
    /// - Complexity: O(1).
    public func validate() throws(ConfigurationError) {
      for (name, bound) in [
        ("minDocumentFrequency", minDocumentFrequency),
        ("maxDocumentFrequency", maxDocumentFrequency),
      ] {
        switch bound {
        case .count(let c) where c < 0:
          throw .outOfRange(
            option: name, value: "\(c)", allowed: "a count ≥ 0 or a fraction in 0...1")
        case .fraction(let f) where !(f >= 0 && f <= 1):
          throw .outOfRange(
            option: name, value: "\(f)", allowed: "a count ≥ 0 or a fraction in 0...1")
        default: break
        }
      }
      if let maxFeatures, maxFeatures < 1 {
        throw .outOfRange(option: "maxFeatures", value: "\(maxFeatures)", allowed: "1 or more")
      }
      let range = analyzer.ngramRange
      if range.lowerBound < 1 || range.upperBound > 8 {
        throw .outOfRange(
          option: "ngramRange", value: "\(range.lowerBound)...\(range.upperBound)",
          allowed: "1...8")
      }
    }
  }
}
