import ArgumentParser
import StoryCluster

/// A named set of defaults.
enum Preset: String, ExpressibleByArgument, CaseIterable {
  /// The news defaults chosen on the DEV corpora.
  case news
  /// scikit-learn's `TfidfVectorizer()` defaults, for parity.
  case sklearn
}

extension Linkage: ExpressibleByArgument {}
extension Analyzer.StopWordList: ExpressibleByArgument {}
extension Norm: ExpressibleByArgument {}
extension PairScore: ExpressibleByArgument {}

/// Text analysis, weighting, similarity and clustering options.
struct SimilarityOptions: ParsableArguments {
  @Option(help: "Base settings: news (tuned defaults) or sklearn (TfidfVectorizer() defaults).")
  var preset: Preset = .news

  @Option(
    help: ArgumentHelp(
      "Absolute story similarity at which articles join a story, 0...1; replaces --lift (default: 0.13 for sklearn).",
      valueName: "x"))
  var threshold: Double?

  @Option(
    help: ArgumentHelp(
      "Join a story at this multiple of the corpus's background similarity (default: 15 for news).",
      valueName: "x"))
  var lift: Double?

  @Option(
    help: ArgumentHelp(
      "With a lift: story similarity of a first, liberal average-linkage pass; the background is the mean story similarity of two articles in different stories of that pass. 0 takes it over all pairs, the rule before 2026-11-30, with --lift 5 (default: 0.005 for news).",
      valueName: "x"))
  var seedThreshold: Double?

  @Option(
    help: ArgumentHelp(
      "Weight of the neighbourhood cosine in story similarity, 0...1 (default: 0.6 for news, 0 for sklearn).",
      valueName: "x"))
  var neighborhoodWeight: Double?

  @Option(
    help: ArgumentHelp(
      "Nearest neighbours in an article's neighbourhood (default: 4).", valueName: "n"))
  var neighborhoodSize: Int?

  @Option(
    help: ArgumentHelp(
      "Days over which story similarity of dated articles falls by e (default: 1 for news).",
      valueName: "days"))
  var timeScale: Double?

  @Flag(help: "Ignore article dates in story similarity.")
  var noTimeDecay = false

  @Option(
    help: ArgumentHelp(
      "Weight of the cosine of the capitalised names two texts mention in story similarity, 0...1 (default: 0.3 for news, 0 for sklearn).",
      valueName: "x"))
  var namesWeight: Double?

  @Option(
    help: ArgumentHelp(
      "How much lower story similarity is for two texts that mention different years, 0...1 (default: 0.3 for news, 0 for sklearn).",
      valueName: "x"))
  var yearPenalty: Double?

  @Option(
    help: ArgumentHelp(
      "Compare dated articles only within this many days of each other, or 'all' (default: 7; undated articles are compared with all; exact copies are reported at any distance).",
      valueName: "days|all"))
  var window: NumberOrAll<Double>?

  @Option(
    help:
      "Clustering: single (connected components), average, or online (one pass in time order against story centroids) (default: average)."
  )
  var linkage: Linkage?

  @Option(
    help: ArgumentHelp(
      "Report pairs with cosine at least this, 0...1 (default: 0.2).", valueName: "x"))
  var pairFloor: Double?

  @Option(
    help: ArgumentHelp(
      "Pairs reported per article besides its exact copies: its nearest by cosine at the pair floor, 1 or more (default: 10).",
      valueName: "n"))
  var pairsPerArticle: Int?

  @Flag(help: "Report every pair at the pair floor, not only each article's nearest.")
  var allPairs = false

  @Option(
    help: ArgumentHelp(
      "Average linkage: pairs below this cosine count as 0, 0...1 (default: 0.05).",
      valueName: "x"))
  var graphFloor: Double?

  @Option(
    help: ArgumentHelp(
      "Average linkage: each article's strongest pairs kept as story-graph edges, or 'all' for every pair at the graph floor (default: 200).",
      valueName: "n|all"))
  var graphEdges: NumberOrAll<Int>?

  @Option(
    help: ArgumentHelp(
      "Pair score from which a pair is a near-duplicate, 0...1 (default: 0.8).", valueName: "x"))
  var nearDuplicate: Double?

  @Option(
    help: ArgumentHelp(
      "How reported and graded pairs are scored: blended (mean of stemmed-word and character-trigram TF-IDF cosines, times number agreement) or cosine (the clustering cosine) (default: blended for news, cosine for sklearn).",
      valueName: "score"))
  var pairScore: PairScore?

  @Option(
    name: [.customShort("k"), .long], help: "Neighbours per article, 1 or more (default: 10).")
  var neighbors: Int?

  @Option(
    help: ArgumentHelp(
      "Stop words: none or english (default: english for news).", valueName: "list"))
  var stopWords: Analyzer.StopWordList?

  @Option(
    help: ArgumentHelp(
      "Minimum document frequency: a count (2) or a fraction (0.01) (default: 1).", valueName: "n|x"
    ))
  var minDf: String?

  @Option(
    help: ArgumentHelp(
      "Maximum document frequency: a count or a fraction (default: 1.0).", valueName: "n|x"))
  var maxDf: String?

  @Option(help: ArgumentHelp("Keep only the n most frequent terms (default: all).", valueName: "n"))
  var maxFeatures: Int?

  @Flag(inversion: .prefixedNo, help: "Use 1 + ln(tf) for term frequency (default: on for news).")
  var sublinearTf: Bool?

  @Flag(inversion: .prefixedNo, help: "Reduce English words to Porter2 stems (default: off).")
  var stem: Bool?

  @Option(help: ArgumentHelp("Longest word n-gram, 1...8 (default: 1).", valueName: "n"))
  var ngrams: Int?

  @Option(
    help: ArgumentHelp(
      "How many times a title counts in its article's term frequencies, 1...10 (default: 1).",
      valueName: "n"))
  var titleWeight: Int?

  @Option(
    help: ArgumentHelp(
      "Top shared terms listed per pair, 0 for none (default: 15).", valueName: "n"))
  var sharedTerms: Int?

  @Flag(
    inversion: .prefixedNo,
    help: "Leave out body lines that recur across the corpus or are boilerplate (default: off).")
  var stripBoilerplate: Bool?

  /// Checks the options with the library's own validation (``EngineConfiguration/validate()``),
  /// so the command and the library accept the same ranges; only what the library cannot see
  /// (two flags combined, the text of `--min-df`/`--max-df`) is checked here.
  func validate() throws {
    do throws(ConfigurationError) {
      try configuration(threads: 0).validate()
    } catch {
      throw ValidationError(message(for: error))
    }
    if lift != nil, threshold != nil {
      throw ValidationError("--lift and --threshold cannot be combined: pick one.")
    }
    if allPairs, pairsPerArticle != nil {
      throw ValidationError("--all-pairs and --pairs-per-article cannot be combined: pick one.")
    }
    for (flag, text) in [("--min-df", minDf), ("--max-df", maxDf)] {
      if let text, Self.bound(text) == nil {
        throw ValidationError(
          "\(flag) must be a count ≥ 0 (e.g. 2) or a fraction in 0.0...1.0 (e.g. 0.5), got '\(text)'."
        )
      }
    }
  }

  /// The engine these options describe, or exit 64 with the library's message.
  ///
  /// - Parameters:
  ///   - threads: Engine threads.
  ///   - sharedTermsDefault: Shared terms listed per pair when `--shared-terms` is not given
  ///     (`nil`: the configuration's default).
  ///   - progress: The progress hook, if progress is shown.
  func engine(threads: Int, sharedTermsDefault: Int? = nil, progress: ProgressHandler? = nil)
    throws -> Engine
  {
    var configuration = configuration(threads: threads)
    if sharedTerms == nil, let sharedTermsDefault {
      configuration.sharedTermCount = sharedTermsDefault
    }
    do throws(ConfigurationError) {
      return try Engine(configuration: configuration, progress: progress)
    } catch {
      Diagnostics.print(error.description)
      throw ExitCode(64)
    }
  }

  /// The library's range error in the command's words: the flag, the allowed range and the
  /// value as given (`--threshold must be in 0...1, got 1.5.`).
  func message(for error: ConfigurationError) -> String {
    guard case .outOfRange(let option, let value, let allowed) = error else {
      return error.description
    }
    let flag = Self.flags[option] ?? option
    let given = option == "ngramRange" ? ngrams.map { "\($0)" } ?? value : value
    let isRange = allowed.first?.isNumber == true && allowed.contains("...")
    return "\(flag) must be \(isRange ? "in " + allowed : allowed), got \(given)."
  }

  /// Each ``EngineConfiguration`` option's flag.
  static let flags: [String: String] = [
    "threshold": "--threshold", "graphFloor": "--graph-floor", "pairFloor": "--pair-floor",
    "nearDuplicateThreshold": "--near-duplicate", "neighborhoodWeight": "--neighborhood-weight",
    "namesWeight": "--names-weight", "yearPenalty": "--year-penalty",
    "lift": "--lift", "seedThreshold": "--seed-threshold", "pairsPerArticle": "--pairs-per-article",
    "timeScaleDays": "--time-scale",
    "windowDays": "--window", "graphEdgeCount": "--graph-edges",
    "neighborhoodSize": "--neighborhood-size",
    "titleWeight": "--title-weight", "neighborCount": "-k/--neighbors",
    "sharedTermCount": "--shared-terms", "threads": "--threads", "maxFeatures": "--max-features",
    "ngramRange": "--ngrams", "minDocumentFrequency": "--min-df",
    "maxDocumentFrequency": "--max-df",
  ]

  /// Parses `2` as a count and `0.5` (anything with a dot or exponent) as a fraction.
  static func bound(_ text: String) -> FrequencyBound? {
    if text.contains(".") || text.contains("e") {
      guard let f = Double(text), f >= 0, f <= 1 else { return nil }
      return .fraction(f)
    }
    guard let c = Int(text), c >= 0 else { return nil }
    return .count(c)
  }

  /// The engine configuration these options describe, over `news` for the news preset (a
  /// story index starts from its own, ``StoryIndexSettings/engineDefaults``).
  func configuration(threads: Int, news: EngineConfiguration = EngineConfiguration())
    -> EngineConfiguration
  {
    var c: EngineConfiguration = preset == .sklearn ? .sklearn : news
    if let threshold {
      c.threshold = threshold
      c.lift = nil
    }
    if let lift { c.lift = lift }
    if let seedThreshold { c.seedThreshold = seedThreshold == 0 ? nil : seedThreshold }
    if let neighborhoodWeight { c.neighborhoodWeight = neighborhoodWeight }
    if let neighborhoodSize { c.neighborhoodSize = neighborhoodSize }
    if let timeScale { c.timeScaleDays = timeScale }
    if noTimeDecay { c.timeScaleDays = nil }
    if let namesWeight { c.namesWeight = namesWeight }
    if let yearPenalty { c.yearPenalty = yearPenalty }
    if let window { c.windowDays = window.value }
    if let linkage { c.linkage = linkage }
    if let pairFloor { c.pairFloor = pairFloor }
    if let pairsPerArticle { c.pairsPerArticle = pairsPerArticle }
    if allPairs { c.pairsPerArticle = nil }
    if let graphFloor { c.graphFloor = graphFloor }
    if let graphEdges { c.graphEdgeCount = graphEdges.value }
    if let nearDuplicate { c.nearDuplicateThreshold = nearDuplicate }
    if let pairScore { c.pairScore = pairScore }
    if let neighbors { c.neighborCount = neighbors }
    if let stopWords { c.vectorizer.analyzer.stopWords = stopWords }
    if let minDf, let b = Self.bound(minDf) { c.vectorizer.minDocumentFrequency = b }
    if let maxDf, let b = Self.bound(maxDf) { c.vectorizer.maxDocumentFrequency = b }
    if let maxFeatures { c.vectorizer.maxFeatures = maxFeatures }
    if let sublinearTf { c.vectorizer.isSublinearTF = sublinearTf }
    if let stem { c.vectorizer.analyzer.isStemming = stem }
    if let ngrams { c.vectorizer.analyzer.ngramRange = 1...ngrams }
    if let titleWeight { c.titleWeight = titleWeight }
    if let stripBoilerplate { c.stripsBoilerplate = stripBoilerplate }
    if let sharedTerms { c.sharedTermCount = sharedTerms }
    c.threads = threads
    return c
  }
}

/// An option that takes a number or `all` (no limit): `--window` (days, 0 or more, finite) and
/// `--graph-edges` (a count, 1 or more).
struct NumberOrAll<Number: OptionLimit>: ExpressibleByArgument {
  /// The number, or `nil` for `all`.
  var value: Number?

  init?(argument: String) {
    if argument == "all" {
      value = nil
      return
    }
    guard let number = Number(argument), number.isAllowedLimit else { return nil }
    value = number
  }
}

/// A number a ``NumberOrAll`` option takes, and which of its values may be given.
protocol OptionLimit: LosslessStringConvertible, Sendable {
  /// Whether the value may be given as a limit.
  var isAllowedLimit: Bool { get }
}

extension Double: OptionLimit {
  /// Days: finite and not negative.
  var isAllowedLimit: Bool { self >= 0 && isFinite }
}

extension Int: OptionLimit {
  /// Counts: 1 or more.
  var isAllowedLimit: Bool { self >= 1 }
}
