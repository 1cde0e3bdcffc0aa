/// Why two articles are, or are not, in one story: every number the engine decided on, and the
/// words and passages behind them.
///
/// Made by ``Engine/explain(_:_:in:)`` from the same stages as ``Engine/run(_:)``; `cluster
/// explain` prints it.
///
/// ```swift
/// let why = try Engine().explain("a1", "a2", in: corpus)
/// print(why.isSameStory, why.storySimilarity.score, why.threshold, why.chain.map(\.b))
/// ```
public struct Explanation: Sendable, Equatable, Codable {
  /// One link of the story graph.
  public struct Link: Sendable, Equatable, Codable {
    /// One end's id.
    public var a: String
    /// The other end's id.
    public var b: String
    /// The link's story similarity.
    public var score: Double
  }

  /// The parts of a story similarity:
  /// `score = ((1 − w) · ((1 − e) · cosine + e · namesCosine) · decay + w · neighborhood) ·
  /// (1 − p · (1 − yearAgreement))`, the last factor only when both texts mention years.
  public struct StorySimilarity: Sendable, Equatable, Codable {
    /// The TF-IDF cosine.
    public var cosine: Double
    /// `exp(−|Δt| / time scale)` when both articles are dated and time decay is on, else 1.
    public var decay: Double
    /// Days between the two articles, when both are dated.
    public var daysApart: Double?
    /// The weight e of the names cosine (``EngineConfiguration/namesWeight``).
    public var namesWeight: Double
    /// The cosine of the names the two texts mention (``EventMarks``); `nil` when the run
    /// read no names.
    public var namesCosine: Double?
    /// The year penalty p (``EngineConfiguration/yearPenalty``).
    public var yearPenalty: Double
    /// The Jaccard overlap of the years the two texts mention; `nil` when either mentions none
    /// (or the run read no years).
    public var yearAgreement: Double?
    /// The weight w of the neighbourhood part.
    public var neighborhoodWeight: Double
    /// The cosine of the two articles' neighbourhoods (each with its nearest neighbours).
    public var neighborhood: Double
    /// The story similarity; 0 when the pair is not an edge of the story graph (cosine below the
    /// graph floor and no shared neighbours), as average linkage counts it.
    public var score: Double
    /// Whether the pair is an edge of the story graph.
    public var isEdge: Bool
  }

  /// The parts of a ``PairScore/blended`` score:
  /// `pairScore = min(1, (first + characters) / 2 × numbers)`, the first part the word alignment
  /// of two headlines or else the stemmed-word cosine.
  public struct PairScoreParts: Sendable, Equatable, Codable {
    /// The soft word alignment (``WordAlignment``), when both texts are short enough.
    public var alignment: Double?
    /// The stemmed-word cosine, when they are not.
    public var words: Double?
    /// The character-trigram cosine.
    public var characters: Double
    /// The number-agreement factor, `1 − 0.2 × (1 − J)` (1 unless both mention numbers).
    public var numbers: Double
  }

  /// The first article's id.
  public var a: String
  /// The second article's id.
  public var b: String
  /// The first article's title (or the start of its body).
  public var titleA: String
  /// The second article's title (or the start of its body).
  public var titleB: String
  /// The reported pair score (``EngineConfiguration/pairScore``).
  public var pairScore: Double
  /// What the blended pair score is made of (``PairScore/blended``): `nil` for the plain cosine
  /// and for an article with itself.
  public var pairScoreParts: PairScoreParts?
  /// The pair's kind as the report labels it, or `nil` when its cosine is below the pair floor
  /// and it is not an exact duplicate. The report lists it only when it is among either
  /// article's nearest (``EngineConfiguration/pairsPerArticle``); a pair of two copies is listed
  /// only with the group's representative, and a pair of two groups of copies only between
  /// their representatives (``DuplicateGroups``).
  public var kind: NearDuplicatePair.Kind?
  /// The story similarity and its parts.
  public var storySimilarity: StorySimilarity
  /// The story-similarity threshold clustering used.
  public var threshold: Double
  /// The corpus's background story similarity.
  public var background: Double
  /// The clustering method.
  public var linkage: Linkage
  /// The cluster each article is in (its 1-based rank in the report).
  public var clusterA: Int
  /// The second article's cluster.
  public var clusterB: Int
  /// Whether they are in one story.
  public var isSameStory: Bool
  /// In one story: the path of graph links inside it from `a` to `b` whose weakest link is
  /// strongest (the chain that holds them together). Otherwise empty.
  public var chain: [Link]
  /// In two stories: their average story similarity (all cross pairs, absent links 0), which
  /// average linkage compared with the threshold; `nil` in one story.
  public var storyLinkage: Double?
  /// In two stories: the strongest link between them, if any.
  public var closestLink: Link?
  /// The shared terms that contribute most to the cosine.
  public var sharedTerms: [NearDuplicatePair.SharedTerm]
  /// The longest passages both texts hold (at least 3 words, at most 10 passages).
  public var sharedPassages: [SharedPassages.Passage]
}
