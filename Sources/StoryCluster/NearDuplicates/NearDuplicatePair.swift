/// A ranked pair of articles with how alike they are and why.
///
/// ```swift
/// for pair in report.pairs where pair.kind == .nearDuplicate { print(pair.a, pair.b, pair.score) }
/// ```
public struct NearDuplicatePair: Sendable, Equatable, Codable {
  /// How the pair relates.
  public enum Kind: String, Sendable, CaseIterable, Codable {
    /// Identical normalised text (same word tokens, ignoring case, punctuation and spacing).
    case exact
    /// A reprint or light edit: pair score at or above the near-duplicate threshold.
    case nearDuplicate = "near-duplicate"
    /// The same story told differently: cosine at or above the pair floor, pair score below the
    /// near-duplicate threshold.
    case related
  }

  /// A term shared by both articles and its contribution `w_a(t) · w_b(t)` to their TF-IDF cosine.
  public struct SharedTerm: Sendable, Equatable, Codable {
    /// The term.
    public var term: String
    /// Its contribution to the cosine.
    public var weight: Double

    /// Creates a shared term.
    ///
    /// - Parameters:
    ///   - term: The term.
    ///   - weight: Its contribution to the cosine.
    public init(term: String, weight: Double) {
      self.term = term
      self.weight = weight
    }
  }

  /// The id of the first article (the smaller id in byte order).
  public var a: String
  /// The id of the second article.
  public var b: String
  /// Their pair score (``EngineConfiguration/pairScore``): by default the ``PairScore/blended``
  /// score, with ``PairScore/cosine`` the cosine similarity of their TF-IDF rows.
  public var score: Double
  /// The pair's kind.
  public var kind: Kind
  /// The shared terms that contribute most, by contribution descending then term.
  public var sharedTerms: [SharedTerm]
}
