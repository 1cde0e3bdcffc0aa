/// Settings suggested from a few dozen pairs a user labelled: the near-duplicate threshold and
/// the story threshold (a lift, or an absolute story similarity), each with its precision and
/// recall on the labels and a bootstrap interval.
///
/// A fixed threshold fails some users: their sources reprint more loosely, or their stories
/// are broader, than the corpora the defaults were chosen on. Labelling pairs is cheap; this
/// turns the labels into options.
///
/// - Near-duplicates: a pair labelled ``LabelledPairs/Label/sameText`` is positive, the others
///   negative; every distinct pair score on the labels is a candidate threshold, and the one
///   with the best F1 is suggested (ties: the candidate nearest the configuration's own, then
///   the lower).
/// - Stories: ``LabelledPairs/Label/sameText`` and ``LabelledPairs/Label/sameStory`` are
///   positive (one story), ``LabelledPairs/Label/different`` negative. The corpus is clustered
///   once per candidate threshold (``Engine/evaluate(_:thresholds:)``); a pair is predicted
///   positive when its articles share a cluster; the best F1 is suggested (ties: the candidate
///   nearest the configuration's own, then the lower).
/// - Intervals: the labels are resampled with replacement (seeded SplitMix64, 1,000 rounds;
///   Efron and Tibshirani, *An Introduction to the Bootstrap*, 1993, percentile method), the
///   choice is made again on each resample, and the 2.5th and 97.5th percentiles of the chosen
///   thresholds and of their precision and recall on the resample are reported. A wide interval
///   says the labels do not pin the setting down: label more pairs near it.
///
/// ```swift
/// let labels = try LabelledPairs.read("labels.jsonl")
/// let calibration = try Engine().calibrate(labels, corpus: corpus, thresholds: [2, 3, 4, 5, 6])
/// print(calibration.nearDuplicate.threshold, calibration.story.threshold)
/// ```
public struct Calibration: Sendable, Equatable {
  /// One suggested threshold and how it does on the labels.
  public struct Suggestion: Sendable, Equatable {
    /// The suggested value.
    public var threshold: Double
    /// Precision on the labels at the suggestion.
    public var precision: Double
    /// Recall on the labels at the suggestion.
    public var recall: Double
    /// F1 on the labels at the suggestion.
    public var f1: Double
    /// Positive labels behind it.
    public var positives: Int
    /// Negative labels behind it.
    public var negatives: Int
    /// The bootstrap's 95 % interval of the chosen threshold.
    public var thresholdInterval: ClosedRange<Double>
    /// The bootstrap's 95 % interval of the precision.
    public var precisionInterval: ClosedRange<Double>
    /// The bootstrap's 95 % interval of the recall.
    public var recallInterval: ClosedRange<Double>
    /// Whether the labels hold both positives and negatives; otherwise nothing can be learnt,
    /// and ``threshold`` is the configuration's own value.
    public var isDetermined: Bool
    /// The configuration's own value, for comparison.
    public var current: Double
    /// Precision at the configuration's own value.
    public var currentPrecision: Double
    /// Recall at the configuration's own value.
    public var currentRecall: Double
  }

  /// The near-duplicate threshold on the pair score (`--near-duplicate`).
  public var nearDuplicate: Suggestion
  /// The story threshold: a lift when the configuration has one (`--lift`), else an absolute
  /// story similarity (`--threshold`).
  public var story: Suggestion
  /// Whether ``story`` is a lift.
  public var isLift: Bool
  /// Bootstrap rounds.
  public static let rounds = 1_000

  /// The best threshold on `scores` for `positive` labels by F1, as ``Calibration`` describes.
  ///
  /// - Parameters:
  ///   - candidates: Candidate thresholds.
  ///   - predicted: Whether each pair is predicted positive at candidate `c`:
  ///     `predicted(c, pair)`.
  ///   - positive: Each pair's label.
  ///   - pairs: The indices of the pairs to use (a bootstrap resample repeats some).
  ///   - prefer: Ties go to the candidate nearest this, then the lower.
  /// - Returns: The candidate's index, precision, recall and F1.
  static func best(
    candidates: Int, predicted: (Int, Int) -> Bool, positive: [Bool], pairs: [Int],
    prefer: (Int, Int) -> Bool
  ) -> (index: Int, precision: Double, recall: Double, f1: Double) {
    var best = (index: 0, precision: 0.0, recall: 0.0, f1: -1.0)
    for c in 0..<candidates {
      let (p, r, f) = Self.scores(predicted: { predicted(c, $0) }, positive: positive, pairs: pairs)
      if f > best.f1 || (f == best.f1 && prefer(c, best.index)) { best = (c, p, r, f) }
    }
    return best
  }

  /// Precision, recall and F1 of `predicted` against `positive` over `pairs` (1 for an empty
  /// denominator).
  static func scores(predicted: (Int) -> Bool, positive: [Bool], pairs: [Int]) -> (
    Double, Double, Double
  ) {
    var truePositives = 0.0
    var falsePositives = 0.0
    var falseNegatives = 0.0
    for pair in pairs {
      let guess = predicted(pair)
      if guess && positive[pair] {
        truePositives += 1
      } else if guess {
        falsePositives += 1
      } else if positive[pair] {
        falseNegatives += 1
      }
    }
    let precision =
      truePositives + falsePositives > 0 ? truePositives / (truePositives + falsePositives) : 1
    let recall =
      truePositives + falseNegatives > 0 ? truePositives / (truePositives + falseNegatives) : 1
    let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    return (precision, recall, f1)
  }

  /// The suggestion for one threshold, with its bootstrap intervals.
  static func suggest(
    candidates: [Double], predicted: (Int, Int) -> Bool, positive: [Bool], current: Double,
    currentPredicted: (Int) -> Bool, seed: UInt64
  ) -> Suggestion {
    let all = Array(positive.indices)
    func prefer(_ x: Int, _ y: Int) -> Bool {
      let dx = abs(candidates[x] - current)
      let dy = abs(candidates[y] - current)
      return dx != dy ? dx < dy : candidates[x] < candidates[y]
    }
    let chosen = best(
      candidates: candidates.count, predicted: predicted, positive: positive, pairs: all,
      prefer: prefer)
    var generator = SplitMix64(seed: seed)
    var thresholds: [Double] = []
    var precisions: [Double] = []
    var recalls: [Double] = []
    for _ in 0..<(positive.isEmpty ? 0 : rounds) {
      let sample = all.map { _ in Int(generator.next() % UInt64(all.count)) }
      let round = best(
        candidates: candidates.count, predicted: predicted, positive: positive, pairs: sample,
        prefer: prefer)
      thresholds.append(candidates[round.index])
      precisions.append(round.precision)
      recalls.append(round.recall)
    }
    func interval(_ values: [Double], fallback: Double) -> ClosedRange<Double> {
      guard !values.isEmpty else { return fallback...fallback }
      let sorted = values.sorted()
      let low = sorted[Int((Double(sorted.count - 1) * 0.025).rounded())]
      let high = sorted[Int((Double(sorted.count - 1) * 0.975).rounded())]
      return low...high
    }
    let (currentPrecision, currentRecall, _) = scores(
      predicted: currentPredicted, positive: positive, pairs: all)
    let isDetermined = positive.contains(true) && positive.contains(false) && !candidates.isEmpty
    guard isDetermined else {
      let (precision, recall, f1) = (currentPrecision, currentRecall, 0.0)
      return Suggestion(
        threshold: current, precision: precision, recall: recall, f1: f1,
        positives: positive.filter { $0 }.count, negatives: positive.filter { !$0 }.count,
        thresholdInterval: current...current, precisionInterval: precision...precision,
        recallInterval: recall...recall, isDetermined: false, current: current,
        currentPrecision: currentPrecision, currentRecall: currentRecall)
    }
    return Suggestion(
      threshold: candidates[chosen.index],
      precision: chosen.precision, recall: chosen.recall, f1: max(0, chosen.f1),
      positives: positive.filter { $0 }.count, negatives: positive.filter { !$0 }.count,
      thresholdInterval: interval(thresholds, fallback: current),
      precisionInterval: interval(precisions, fallback: chosen.precision),
      recallInterval: interval(recalls, fallback: chosen.recall), isDetermined: true,
      current: current,
      currentPrecision: currentPrecision, currentRecall: currentRecall)
  }
}

/// Pairs of articles a user labelled (`{"a": id, "b": id, "label": "same-text" | "same-story" |
/// "different"}` per JSON Lines line), read with every problem located.
public struct LabelledPairs: Sendable, Equatable {
  /// What a user said of a pair.
  public enum Label: String, Sendable, CaseIterable, Codable {
    /// Copies or near-copies: the same text, perhaps lightly edited.
    case sameText = "same-text"
    /// Different texts telling the same story.
    case sameStory = "same-story"
    /// Different stories.
    case different
  }

  /// One labelled pair.
  public struct Pair: Sendable, Equatable {
    /// The first article's id.
    public var a: String
    /// The second article's id.
    public var b: String
    /// The label.
    public var label: Label
    /// Where it was read.
    public var location: SourceLocation

    /// Creates a labelled pair.
    ///
    /// - Parameters:
    ///   - a: The first article's id.
    ///   - b: The second article's id.
    ///   - label: The label.
    ///   - location: Where it was read.
    public init(
      a: String, b: String, label: Label,
      location: SourceLocation = SourceLocation(path: "<memory>")
    ) {
      self.a = a
      self.b = b
      self.label = label
      self.location = location
    }
  }

  /// The pairs, in file order.
  public var pairs: [Pair]

  /// Creates labelled pairs from memory.
  ///
  /// - Parameter pairs: The pairs.
  public init(pairs: [Pair]) { self.pairs = pairs }

  /// Reads a labels file; blank lines are skipped.
  ///
  /// - Parameter path: The JSON Lines file.
  /// - Returns: The pairs.
  /// - Throws: Every problem, in line order: ``CorpusError/unreadable(_:reason:)`` when the file
  ///   cannot be read, ``CorpusError/invalidLabelledPair(_:)`` for each line that is not a
  ///   labelled pair.
  /// - Complexity: O(bytes).
  public static func read(_ path: String) throws(CorpusProblems) -> LabelledPairs {
    LabelledPairs(
      pairs: try PairRecords.read(path, key: "label", invalid: { .invalidLabelledPair($0) }) {
        a, b, value, location in
        guard case .string(let text) = value, let label = Label(rawValue: text) else { return nil }
        return Pair(a: a, b: b, label: label, location: location)
      })
  }
}

extension Engine {
  /// Suggests the near-duplicate threshold and the story threshold from labelled pairs of
  /// `corpus` (see ``Calibration``).
  ///
  /// - Parameters:
  ///   - labels: The labelled pairs.
  ///   - corpus: The articles they name.
  ///   - thresholds: Candidate story thresholds: lifts when the configuration has a lift, else
  ///     story similarities in `0...1`.
  ///   - seed: The bootstrap's seed.
  /// - Returns: The suggestions.
  /// - Throws: ``CorpusError/unknownPairID(_:id:)`` for every pair naming an id not in the
  ///   corpus; ``CorpusProblems`` wrapping nothing else (a configuration problem is reported
  ///   through ``ConfigurationError`` by ``evaluate(_:thresholds:)`` first).
  /// - Complexity: One ``evaluate(_:thresholds:)``, then O(B·L·C) for B bootstrap rounds, L
  ///   labels and C candidates.
  public func calibrate(
    _ labels: LabelledPairs, corpus: Corpus, thresholds: [Double], seed: UInt64 = 1
  ) throws(CalibrationError) -> Calibration {
    let current = configuration.lift ?? configuration.threshold
    var candidates = Array(Set(thresholds + [current])).sorted()
    if configuration.lift == nil { candidates = candidates.filter { $0 <= 1 } }
    let run: EvaluationRun
    do throws(ConfigurationError) {
      run = try evaluate(corpus, thresholds: candidates)
    } catch {
      throw .configuration(error)
    }
    var row: [String: Int] = [:]
    for (i, id) in run.ids.enumerated() { row[id] = i }
    var rows: [(Int, Int)] = []
    var problems: [CorpusError] = []
    for pair in labels.pairs {
      guard let x = row[pair.a], let y = row[pair.b] else {
        problems.append(.unknownPairID(pair.location, id: row[pair.a] == nil ? pair.a : pair.b))
        continue
      }
      rows.append((x, y))
    }
    if !problems.isEmpty { throw .problems(CorpusProblems(problems: problems)) }
    let pairScores = rows.map { $0.0 == $0.1 ? 1 : run.score($0.0, $0.1) }
    let sameText = labels.pairs.map { $0.label == .sameText }
    let sameStory = labels.pairs.map { $0.label != .different }
    // Near-duplicates: every distinct score is a candidate (predicted when score ≥ candidate).
    let scoreCandidates = Array(Set(pairScores)).sorted()
    let nearDuplicate = Calibration.suggest(
      candidates: scoreCandidates, predicted: { c, p in pairScores[p] >= scoreCandidates[c] },
      positive: sameText, current: configuration.nearDuplicateThreshold,
      currentPredicted: { pairScores[$0] >= self.configuration.nearDuplicateThreshold },
      seed: seed)
    let currentIndex = candidates.firstIndex(of: current) ?? 0
    let story = Calibration.suggest(
      candidates: candidates,
      predicted: { c, p in run.labels[c][rows[p].0] == run.labels[c][rows[p].1] },
      positive: sameStory, current: current,
      currentPredicted: { p in
        run.labels[currentIndex][rows[p].0] == run.labels[currentIndex][rows[p].1]
      },
      seed: seed &+ 1)
    return Calibration(
      nearDuplicate: nearDuplicate, story: story, isLift: configuration.lift != nil)
  }
}

/// Why a calibration could not be made.
public enum CalibrationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Labelled pairs name ids that are not in the corpus (each located).
  case problems(CorpusProblems)
  /// Vectorising the corpus failed.
  case configuration(ConfigurationError)

  /// One diagnostic line per problem.
  public var description: String {
    switch self {
    case .problems(let problems): return problems.description
    case .configuration(let error): return error.description
    }
  }
}
