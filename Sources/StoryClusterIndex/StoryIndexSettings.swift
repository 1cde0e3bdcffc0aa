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

  /// The defaults: the batch engine's defaults (``EngineConfiguration/init()``: story
  /// similarity with its names and years, lift and linkage), a 7-day window and 2,000 undated
  /// candidates.
  public init() {
    engine = Self.engineDefaults
    windowDays = 7
    undatedCandidates = 2000
  }

  /// The batch engine's defaults (``EngineConfiguration/init()``), story rule included: each
  /// add clusters the part of the window it touches at the lift over that part's between-story
  /// background, as `cluster run` clusters a corpus. An index made with
  /// ``EngineConfiguration/seedThreshold`` `nil` (`--seed-threshold 0`, and every index made
  /// before 2026-11-30) measures the background over all pairs of its window instead.
  public static var engineDefaults: EngineConfiguration { EngineConfiguration() }

  /// Checks that the settings can be kept incrementally and are in range.
  ///
  /// - Throws: ``IndexError/unsupportedSetting(_:)`` for document-frequency pruning,
  ///   `max_features`, boilerplate stripping (each needs the whole corpus at once) or a
  ///   window or count out of range.
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
  }
}
