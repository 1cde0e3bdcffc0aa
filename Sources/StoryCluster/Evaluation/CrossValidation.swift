/// Clustering quality measured on held-out stories: the corpus is cut into folds by gold story,
/// each fold is clustered on its own at every threshold, and each threshold is summarised by
/// the mean and standard deviation of its B-cubed F1 over the folds.
///
/// A fold holds whole stories, as the hidden halves of the shared corpora do, so its score is
/// what a corpus of new stories from the same source would get. Settings are picked on the
/// mean minus one standard deviation (``bestIndex``): a threshold that scores well on every
/// fold beats one that scores best on average but badly on some (the "one standard error"
/// habit of Hastie, Tibshirani and Friedman, *The Elements of Statistical Learning*, 2009,
/// §7.10, used here with the spread across folds).
///
/// Stories (or the groups the caller names, such as ECB+ topics) go to folds by a seeded shuffle of the stories in byte order of their labels, dealt
/// round-robin, so the folds are the same in every run and on every machine. Articles without a
/// gold label are stories of their own.
///
/// ```swift
/// let cv = try Engine().crossValidate(corpus, gold: corpus.articles.map(\.story), folds: 5,
///                                     thresholds: [4, 5, 6])
/// print(cv.meanF1, cv.spreadF1, cv.thresholds[cv.bestIndex])
/// ```
public struct CrossValidation: Sendable, Equatable {
  /// The thresholds (lifts when the configuration has a lift).
  public var thresholds: [Double]
  /// `scores[fold][t]`: fold `fold` clustered at threshold `t`.
  public var scores: [[ClusterScores]]
  /// Articles per fold.
  public var foldSizes: [Int]

  /// The mean B-cubed F1 of each threshold over the folds.
  public var meanF1: [Double] {
    thresholds.indices.map { t in Self.meanAndSpread(scores.map { $0[t].bcubedF1 }).mean }
  }

  /// The sample standard deviation of each threshold's B-cubed F1 over the folds (0 for one
  /// fold).
  public var spreadF1: [Double] {
    thresholds.indices.map { t in Self.meanAndSpread(scores.map { $0[t].bcubedF1 }).sd }
  }

  /// The mean of `values` (0 for none) and their sample standard deviation (0 for fewer than
  /// two), as the folds are summarised.
  package static func meanAndSpread(_ values: [Double]) -> (mean: Double, sd: Double) {
    let mean = values.reduce(0, +) / Double(max(1, values.count))
    guard values.count > 1 else { return (mean, 0) }
    let squares = values.map { ($0 - mean) * ($0 - mean) }
    return (mean, (squares.reduce(0, +) / Double(values.count - 1)).squareRoot())
  }

  /// The threshold whose mean minus one standard deviation is highest (the first of equals).
  public var bestIndex: Int {
    let means = meanF1
    let spreads = spreadF1
    var best = 0
    for t in thresholds.indices where means[t] - spreads[t] > means[best] - spreads[best] {
      best = t
    }
    return best
  }

  /// Each article's fold: stories shuffled with `seed` (SplitMix64) from byte order of their
  /// labels, then dealt round-robin.
  ///
  /// - Parameters:
  ///   - gold: One optional gold label per article.
  ///   - folds: The number of folds, at least 1.
  ///   - seed: The shuffle's seed.
  /// - Returns: One fold index per article, in `0..<folds`.
  /// - Complexity: O(n log n).
  public static func foldOf(gold: [String?], folds: Int, seed: UInt64 = 1) -> [Int] {
    let keys = gold.enumerated().map { $0.element ?? "\u{0}#\($0.offset)" }
    var stories = Array(Set(keys)).sorted(by: idPrecedes)
    var generator = SplitMix64(seed: seed)
    // Fisher–Yates with the seeded generator.
    if stories.count > 1 {
      for i in stride(from: stories.count - 1, to: 0, by: -1) {
        stories.swapAt(i, Int(generator.next() % UInt64(i + 1)))
      }
    }
    var fold: [String: Int] = [:]
    for (index, story) in stories.enumerated() { fold[story] = index % max(1, folds) }
    return keys.map { fold[$0] ?? 0 }
  }
}

extension Engine {
  /// Clusters each fold of `corpus` on its own at every threshold and scores it against `gold`.
  ///
  /// - Parameters:
  ///   - corpus: The labelled articles.
  ///   - gold: One optional gold label per article of `corpus`, in its order.
  ///   - groups: What folds are cut along, one optional label per article (`nil`: the gold
  ///     stories). ECB+ cuts along topics, so that a story's twin event stays in its fold, as
  ///     the corpus's own DEV/hidden split does.
  ///   - folds: How many folds, at least 2 (at most one per group).
  ///   - thresholds: Cluster thresholds, as for ``evaluate(_:thresholds:)``.
  ///   - seed: The fold shuffle's seed.
  /// - Returns: Every fold's scores.
  /// - Throws: ``ConfigurationError`` when a fold's vectorisation leaves no term.
  /// - Complexity: One ``evaluate(_:thresholds:)`` per fold, on about N / K articles each.
  public func crossValidate(
    _ corpus: Corpus, gold: [String?], groups: [String?]? = nil, folds: Int,
    thresholds: [Double], seed: UInt64 = 1
  ) throws(ConfigurationError) -> CrossValidation {
    precondition(gold.count == corpus.articles.count, "one gold label per article")
    precondition(groups.map { $0.count == gold.count } ?? true, "one group per article")
    let assignment = CrossValidation.foldOf(gold: groups ?? gold, folds: folds, seed: seed)
    var scores: [[ClusterScores]] = []
    var sizes: [Int] = []
    for fold in 0..<max(1, folds) {
      let rows = assignment.indices.filter { assignment[$0] == fold }
      guard !rows.isEmpty else { continue }
      let run = try evaluate(
        Corpus(articles: rows.map { corpus.articles[$0] }), thresholds: thresholds)
      scores.append(run.scores(against: ClusterScores.labels(gold: rows.map { gold[$0] })))
      sizes.append(rows.count)
    }
    return CrossValidation(thresholds: thresholds, scores: scores, foldSizes: sizes)
  }
}
