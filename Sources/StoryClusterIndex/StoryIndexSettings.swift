import StoryCluster

/// What an index is fixed to when it is created: the analysis that shapes its vectors, the story
/// rule, and the candidate window.
///
/// The engine configuration's text analysis (stop words, stemming, n-grams, title weight) and
/// weighting (sublinear tf, idf smoothing, norm) decide every stored article's terms and weights,
/// so they cannot change once articles are in; ``StoryIndex/create(at:settings:)`` stores them
/// and every later command reads them back.
///
/// ```swift
/// var settings = StoryIndexSettings()
/// settings.windowDays = 3
/// let index = try StoryIndex.create(at: "news.db", settings: settings)
/// ```
public struct StoryIndexSettings: Sendable, Equatable, Codable {
  /// The engine's settings: analysis, weighting, ``EngineConfiguration/lift`` (or
  /// ``EngineConfiguration/threshold``) and ``EngineConfiguration/timeScaleDays``.
  public var engine: EngineConfiguration
  /// A dated article is compared with the dated articles at most this many days from it.
  public var windowDays: Double
  /// An undated article is compared with this many most recently added articles, and a dated
  /// one with this many most recently added undated articles.
  public var undatedCandidates: Int
  /// Stories a new article reaches at this multiple of the join threshold or more are merged
  /// into one (the oldest id lives on).
  public var mergeFactor: Double

  /// The defaults: the engine's news settings, a 7-day window, 2,000 undated candidates, merges
  /// at 1.5 × the join threshold, and a lift chosen for the incremental rule on DEV.
  public init() {
    var engine = EngineConfiguration()
    engine.lift = StoryIndexSettings.defaultLift
    engine.neighborhoodWeight = 0
    self.engine = engine
    windowDays = 7
    undatedCandidates = 2000
    mergeFactor = 1.5
  }

  /// The lift of the incremental rule (the story's average decayed cosine against the index's
  /// background cosine), chosen on the DEV corpora.
  public static let defaultLift = 4.0

  /// Checks that the settings can be kept incrementally and are in range.
  ///
  /// - Throws: ``IndexError/unsupportedSetting(_:)`` for document-frequency pruning,
  ///   `max_features`, boilerplate stripping (each needs the whole corpus at once) or a
  ///   window, count or factor out of range.
  /// - Complexity: O(1).
  public func validate() throws(IndexError) {
    do {
      try engine.validate()
    } catch {
      throw .unsupportedSetting(error.description)
    }
    let v = engine.vectorizer
    if v.minDocumentFrequency != .count(1) && v.minDocumentFrequency != .count(0) {
      throw .unsupportedSetting("an index cannot prune by --min-df; leave it at 1")
    }
    if v.maxDocumentFrequency != .fraction(1) {
      throw .unsupportedSetting("an index cannot prune by --max-df; leave it at 1.0")
    }
    if v.maxFeatures != nil {
      throw .unsupportedSetting("an index cannot keep only --max-features terms; leave it out")
    }
    if engine.stripsBoilerplate {
      throw .unsupportedSetting(
        "an index cannot learn boilerplate across the corpus; leave out --strip-boilerplate")
    }
    if !(windowDays > 0 && windowDays.isFinite) {
      throw .unsupportedSetting("--window must be more than 0 days, got \(windowDays)")
    }
    if undatedCandidates < 1 {
      throw .unsupportedSetting(
        "--undated-candidates must be 1 or more, got \(undatedCandidates)")
    }
    if !(mergeFactor >= 1 && mergeFactor.isFinite) {
      throw .unsupportedSetting("--merge-factor must be 1 or more, got \(mergeFactor)")
    }
  }
}
