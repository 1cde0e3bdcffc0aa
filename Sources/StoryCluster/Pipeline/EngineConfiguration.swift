/// Everything the engine needs to know: text analysis, TF-IDF weighting, the similarity kernel,
/// the clustering method and the near-duplicate thresholds.
///
/// A configuration holds and validates settings (``validate()``, the one check every door —
/// ``Engine/init(configuration:)``, the `cluster` options — uses); it does no work. The stages
/// that use it are ``Engine``'s.
///
/// The defaults are the news settings chosen on the DEV corpora (see the "Choosing the defaults"
/// article); ``sklearn`` reproduces scikit-learn's `TfidfVectorizer()` exactly.
///
/// ```swift
/// var configuration = EngineConfiguration()
/// configuration.threshold = 0.3
/// let engine = try Engine(configuration: configuration)
/// ```
public struct EngineConfiguration: Sendable, Equatable, Codable {
  /// Tokenization and TF-IDF weighting.
  public var vectorizer: TFIDFVectorizer.Configuration
  /// The clustering method.
  public var linkage: Linkage
  /// Articles are grouped while their story similarity (its average between two groups for
  /// `.average`) is at least this, in `0...1`. Used only when ``lift`` is `nil`.
  public var threshold: Double
  /// When set, the threshold is this multiple of the corpus's *background*: the mean story
  /// similarity of two of its articles in different stories (``seedThreshold``). One lift suits
  /// headlines and long articles alike, where no single cosine does, and a corpus and its halves
  /// or fifths alike (see "Choosing the defaults").
  public var lift: Double?
  /// With a ``lift``, the background leaves out the pairs inside the groups of a first, liberal
  /// pass of average linkage at this story similarity: it is the mean story similarity of two
  /// articles in *different* first-pass groups (``StoryGraph/background(between:)``), what
  /// unrelated articles share, which a corpus and its halves or fifths have alike (the all-pairs
  /// mean also holds the pairs of one story, most of it in a corpus of few large stories).
  /// `nil` measures the background over all pairs (``StoryGraph/background``), the rule before
  /// 2026-11-30 and the story index's. The stories are then cut from the same run at
  /// `max(seedThreshold, lift × background)` (``Dendrogram``).
  public var seedThreshold: Double?
  /// Weight of the neighbourhood cosine in the story similarity, `0...1` (0 = the cosine alone).
  public var neighborhoodWeight: Double
  /// Nearest neighbours in an article's neighbourhood (at most ``neighborCount``).
  public var neighborhoodSize: Int
  /// Days over which the story similarity of two dated articles falls by e (`nil` ignores
  /// dates). Pair scores and near-duplicates always use the plain cosine.
  public var timeScaleDays: Double?
  /// Weight of the *names cosine* (the cosine of the capitalised names the two texts mention,
  /// ``EventMarks``) in the cosine part of the story similarity, `0...1` (0 = words only). Two
  /// events of one kind (two robberies of one jeweller, two stars entering rehab) share their
  /// words but not their names.
  public var namesWeight: Double
  /// How much lower the story similarity of two articles that mention different years is,
  /// `0...1`: it is multiplied by `1 − yearPenalty · (1 − J)`, J the Jaccard overlap of the
  /// years (1900–2099) the two texts mention, when both mention one (``EventMarks``).
  public var yearPenalty: Double
  /// Days within which two dated articles are compared at all (`nil` compares every pair): a
  /// pair further apart is never a neighbour, a story-graph edge or a reported pair, whatever its
  /// cosine (``TimeWindow``); undated articles are compared with every article, and exact copies
  /// are reported at any distance. With the default time scale of 1 day, a 7-day window leaves
  /// out pairs whose decayed cosine is below e⁻⁷ (0.1 %) of their cosine.
  public var windowDays: Double?
  /// For `.average`, pairs below this cosine are left out of the graph and count as 0.
  public var graphFloor: Double
  /// For `.average`, the story graph's edges per article: each article keeps its this many
  /// highest cosines (at the graph floor or above, in the window), and the graph holds every
  /// pair one of its two articles keeps, plus the pairs two neighbourhood steps apart; `nil`
  /// keeps every pair at the graph floor (O(N²) edges when a corpus shares much vocabulary).
  public var graphEdgeCount: Int?
  /// Pairs at or above this cosine are reported (ranked by their ``pairScore``).
  public var pairFloor: Double
  /// At most this many pairs per article are reported besides its exact duplicates: each
  /// article's nearest by cosine at the ``pairFloor`` (a pair stays when it is among the nearest
  /// of either article; see ``NearestPairs``), so a report holds at most N times this many pairs
  /// plus one per exact copy. `nil` reports every pair at the floor (`cluster run --all-pairs`;
  /// also what a configuration stored before this setting existed decodes to). Default 10, the
  /// default ``neighborCount``.
  public var pairsPerArticle: Int?
  /// Pairs whose ``pairScore`` is at or above this are `near-duplicate` (unless `exact`).
  public var nearDuplicateThreshold: Double
  /// How reported pairs are scored, ranked and labelled, and how `cluster eval --pairs` scores
  /// graded pairs (``PairScore``; clustering always uses the cosine).
  public var pairScore: PairScore
  /// Neighbours computed per article (k).
  public var neighborCount: Int
  /// Shared terms listed per pair.
  public var sharedTermCount: Int
  /// Terms in a cluster label.
  public var labelTermCount: Int
  /// Engine threads (0 = all cores); results do not depend on it.
  public var threads: Int
  /// Rows per similarity block.
  public var blockSize: Int
  /// How many times an article's title counts in its term frequencies (1 = once, as in its
  /// text). Headlines name the story; weighting them up helps long bodies that drift.
  public var titleWeight: Int
  /// Whether body lines that recur across the corpus or are boilerplate by form (copyright,
  /// addresses, social-media prompts, agency sign-offs) are left out (``BoilerplateFilter``).
  public var stripsBoilerplate: Bool

  /// Creates the default configuration.
  public init() {
    var vectorizer = TFIDFVectorizer.Configuration()
    vectorizer.analyzer.stopWords = .english
    vectorizer.isSublinearTF = true
    self.vectorizer = vectorizer
    linkage = .average
    threshold = 0.13
    lift = 15
    seedThreshold = 0.005
    neighborhoodWeight = 0.6
    neighborhoodSize = 4
    timeScaleDays = 1
    namesWeight = 0.3
    yearPenalty = 0.3
    windowDays = 7
    graphFloor = 0.05
    graphEdgeCount = 200
    pairFloor = 0.2
    pairsPerArticle = 10
    nearDuplicateThreshold = 0.8
    pairScore = .blended
    neighborCount = 10
    sharedTermCount = 15
    labelTermCount = 5
    threads = 0
    blockSize = 512
    titleWeight = 1
    stripsBoilerplate = false
  }

  /// scikit-learn's `TfidfVectorizer()` with every default (no stop words, raw tf), for parity;
  /// clustering on the plain cosine with an absolute ``threshold``, and pairs scored by that
  /// cosine.
  public static var sklearn: EngineConfiguration {
    var configuration = EngineConfiguration()
    configuration.vectorizer = TFIDFVectorizer.Configuration()
    configuration.pairScore = .cosine
    configuration.lift = nil
    configuration.seedThreshold = nil
    configuration.neighborhoodWeight = 0
    configuration.timeScaleDays = nil
    configuration.namesWeight = 0
    configuration.yearPenalty = 0
    configuration.windowDays = nil
    return configuration
  }

  /// The threshold the similarity kernel must use so every stage gets the pairs it needs.
  var kernelThreshold: Double {
    isGraphBounded ? pairFloor : min(pairFloor, graphThreshold(clusteringAt: threshold))
  }

  /// Whether the story graph is each article's ``graphEdgeCount`` strongest pairs rather than
  /// every pair at the graph floor.
  package var isGraphBounded: Bool { linkage == .average && graphEdgeCount != nil }

  /// The lowest cosine the clustering graph needs when clustering at `threshold` (a cosine; with
  /// a ``lift`` the threshold is only known after the kernel, so the graph floor).
  func graphThreshold(clusteringAt threshold: Double) -> Double {
    if lift != nil { return graphFloor }
    return linkage == .single ? threshold : min(graphFloor, threshold)
  }

  /// The kernel's window over `timestamps`, or `nil` when every pair is compared.
  package func timeWindow(_ timestamps: [Double?]) -> TimeWindow? {
    guard let windowDays, timestamps.contains(where: { $0 != nil }) else { return nil }
    return TimeWindow(timestamps: timestamps, horizon: windowDays * 86_400)
  }

  /// The story graph's settings.
  package var storyGraphSettings: StoryGraph.Settings {
    var settings = StoryGraph.Settings(
      neighborhoodWeight: neighborhoodWeight, neighborhoodSize: neighborhoodSize,
      timeScale: timeScaleDays.map { $0 * 86_400 })
    settings.namesWeight = namesWeight
    settings.yearPenalty = yearPenalty
    return settings
  }

  /// Whether the story graph reads the texts' names and years (``EventMarks``).
  package var usesEventMarks: Bool { namesWeight > 0 || yearPenalty > 0 }

  /// Checks every option's range.
  ///
  /// - Throws: ``ConfigurationError/outOfRange(option:value:allowed:)`` naming the option.
  /// - Complexity: O(1).
  public func validate() throws(ConfigurationError) {
    try vectorizer.validate()
    for (name, value) in [
      ("threshold", threshold), ("graphFloor", graphFloor), ("pairFloor", pairFloor),
      ("nearDuplicateThreshold", nearDuplicateThreshold),
      ("neighborhoodWeight", neighborhoodWeight), ("namesWeight", namesWeight),
      ("yearPenalty", yearPenalty),
    ] where !(value >= 0 && value <= 1) {
      throw .outOfRange(option: name, value: "\(value)", allowed: "0...1")
    }
    if let seedThreshold, !(seedThreshold > 0 && seedThreshold <= 1) {
      throw .outOfRange(
        option: "seedThreshold", value: "\(seedThreshold)", allowed: "more than 0 and at most 1")
    }
    if let lift, !(lift > 0 && lift.isFinite) {
      throw .outOfRange(option: "lift", value: "\(lift)", allowed: "more than 0")
    }
    if let windowDays, !(windowDays >= 0 && windowDays.isFinite) {
      throw .outOfRange(option: "windowDays", value: "\(windowDays)", allowed: "0 or more")
    }
    if let timeScaleDays, !(timeScaleDays > 0 && timeScaleDays.isFinite) {
      throw .outOfRange(option: "timeScaleDays", value: "\(timeScaleDays)", allowed: "more than 0")
    }
    if let graphEdgeCount, graphEdgeCount < neighborCount {
      throw .outOfRange(
        option: "graphEdgeCount", value: "\(graphEdgeCount)",
        allowed: "at least the neighbour count (\(neighborCount))")
    }
    if neighborhoodSize < 1 {
      throw .outOfRange(
        option: "neighborhoodSize", value: "\(neighborhoodSize)", allowed: "1 or more")
    }
    if !(1...10).contains(titleWeight) {
      throw .outOfRange(option: "titleWeight", value: "\(titleWeight)", allowed: "1...10")
    }
    if let pairsPerArticle, pairsPerArticle < 1 {
      throw .outOfRange(
        option: "pairsPerArticle", value: "\(pairsPerArticle)", allowed: "1 or more")
    }
    if neighborCount < 1 {
      throw .outOfRange(option: "neighborCount", value: "\(neighborCount)", allowed: "1 or more")
    }
    for (name, value) in [("sharedTermCount", sharedTermCount), ("labelTermCount", labelTermCount)]
    where value < 0 {
      throw .outOfRange(option: name, value: "\(value)", allowed: "0 or more")
    }
    if threads < 0 {
      throw .outOfRange(option: "threads", value: "\(threads)", allowed: "0 (all cores) or more")
    }
    if blockSize < 16 || blockSize > 8192 {
      throw .outOfRange(option: "blockSize", value: "\(blockSize)", allowed: "16...8192")
    }
  }
}

extension EngineConfiguration {
  /// Decodes a configuration; one stored before ``namesWeight`` and ``yearPenalty`` existed (a
  /// story index made then) decodes with both at 0, the story similarity it was made with, and
  /// one stored before ``seedThreshold`` with none (the all-pairs background).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    vectorizer = try container.decode(TFIDFVectorizer.Configuration.self, forKey: .vectorizer)
    linkage = try container.decode(Linkage.self, forKey: .linkage)
    threshold = try container.decode(Double.self, forKey: .threshold)
    lift = try container.decodeIfPresent(Double.self, forKey: .lift)
    seedThreshold = try container.decodeIfPresent(Double.self, forKey: .seedThreshold)
    neighborhoodWeight = try container.decode(Double.self, forKey: .neighborhoodWeight)
    neighborhoodSize = try container.decode(Int.self, forKey: .neighborhoodSize)
    timeScaleDays = try container.decodeIfPresent(Double.self, forKey: .timeScaleDays)
    namesWeight = try container.decodeIfPresent(Double.self, forKey: .namesWeight) ?? 0
    yearPenalty = try container.decodeIfPresent(Double.self, forKey: .yearPenalty) ?? 0
    windowDays = try container.decodeIfPresent(Double.self, forKey: .windowDays)
    graphFloor = try container.decode(Double.self, forKey: .graphFloor)
    graphEdgeCount = try container.decodeIfPresent(Int.self, forKey: .graphEdgeCount)
    pairFloor = try container.decode(Double.self, forKey: .pairFloor)
    pairsPerArticle = try container.decodeIfPresent(Int.self, forKey: .pairsPerArticle)
    nearDuplicateThreshold = try container.decode(Double.self, forKey: .nearDuplicateThreshold)
    pairScore = try container.decode(PairScore.self, forKey: .pairScore)
    neighborCount = try container.decode(Int.self, forKey: .neighborCount)
    sharedTermCount = try container.decode(Int.self, forKey: .sharedTermCount)
    labelTermCount = try container.decode(Int.self, forKey: .labelTermCount)
    threads = try container.decode(Int.self, forKey: .threads)
    blockSize = try container.decode(Int.self, forKey: .blockSize)
    titleWeight = try container.decode(Int.self, forKey: .titleWeight)
    stripsBoilerplate = try container.decode(Bool.self, forKey: .stripsBoilerplate)
  }
}
