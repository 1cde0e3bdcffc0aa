/// Human-graded article pairs (`{"a": id, "b": id, "score": number}` per JSON Lines line, e.g.
/// STS scores 0–5), read with located errors, and how well the engine's pair score agrees.
///
/// ```swift
/// let graded = try GradedPairs.read("pairs.jsonl")
/// let agreement = try run.agreement(with: graded)
/// print(agreement.spearman, agreement.nearDuplicatePrecision)
/// ```
public struct GradedPairs: Sendable, Equatable {
  /// One graded pair.
  public struct Pair: Sendable, Equatable {
    /// The first article's id.
    public var a: String
    /// The second article's id.
    public var b: String
    /// The human score.
    public var score: Double
    /// Where it was read.
    public var location: SourceLocation

    /// Creates a graded pair.
    ///
    /// - Parameters:
    ///   - a: The first article's id.
    ///   - b: The second article's id.
    ///   - score: The human score.
    ///   - location: Where it was read (`<memory>` by default).
    public init(
      a: String, b: String, score: Double,
      location: SourceLocation = SourceLocation(path: "<memory>")
    ) {
      self.a = a
      self.b = b
      self.score = score
      self.location = location
    }
  }

  /// The pairs, in file order.
  public var pairs: [Pair]

  /// Reads a graded-pairs file; blank lines are skipped.
  ///
  /// - Parameter path: The JSON Lines file.
  /// - Returns: The pairs.
  /// - Throws: Every problem, in line order: ``CorpusError/unreadable(_:reason:)`` when the file
  ///   cannot be read, ``CorpusError/invalidGradedPair(_:)`` for each line that is not a pair.
  /// - Complexity: O(bytes).
  public static func read(_ path: String) throws(CorpusProblems) -> GradedPairs {
    GradedPairs(
      pairs: try PairRecords.read(path, key: "score", invalid: { .invalidGradedPair($0) }) {
        a, b, value, location in
        guard case .other(.number, let text) = value,
          let score = Double(String(decoding: text, as: UTF8.self)), score.isFinite
        else { return nil }
        return Pair(a: a, b: b, score: score, location: location)
      })
  }

  /// Creates graded pairs from memory.
  ///
  /// - Parameter pairs: The pairs.
  public init(pairs: [Pair]) { self.pairs = pairs }
}

/// Several located input problems, reported together (every one, in order).
public struct CorpusProblems: Error, Equatable, Sendable, CustomStringConvertible {
  /// The problems.
  public var problems: [CorpusError]

  /// Creates the error.
  ///
  /// - Parameter problems: The problems, in the order to report them.
  public init(problems: [CorpusError]) { self.problems = problems }

  /// One diagnostic line per problem.
  public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// How well a pair score agrees with human grades.
public struct PairAgreement: Sendable, Equatable {
  /// Pairs scored.
  public var count: Int
  /// Spearman rank correlation of the engine's pair score with the human score.
  public var spearman: Double
  /// Pearson correlation of the two.
  public var pearson: Double
  /// The engine's near-duplicate threshold (on its pair score).
  public var nearDuplicateThreshold: Double
  /// The human score from which a pair counts as a near-duplicate (4 on STS's 0–5 scale).
  public var humanThreshold: Double
  /// Of the pairs the engine calls near-duplicates, the share humans do (1 when it calls none).
  public var nearDuplicatePrecision: Double
  /// Of the pairs humans call near-duplicates, the share the engine does (1 when humans call
  /// none).
  public var nearDuplicateRecall: Double
}

extension EvaluationRun {
  /// Scores `graded` with the engine's pair score and compares it with the human scores.
  ///
  /// - Parameters:
  ///   - graded: The graded pairs.
  ///   - humanThreshold: The human score from which a pair is a near-duplicate (default 4).
  /// - Returns: Correlations and near-duplicate precision and recall.
  /// - Throws: ``CorpusError/unknownPairID(_:id:)`` for every pair that names an id not in the
  ///   corpus, in file order.
  /// - Complexity: O(G·t) for G pairs of t terms.
  public func agreement(with graded: GradedPairs, humanThreshold: Double = 4)
    throws(CorpusProblems) -> PairAgreement
  {
    var row: [String: Int] = [:]
    for (i, id) in ids.enumerated() { row[id] = i }
    var ours: [Double] = []
    var human: [Double] = []
    var problems: [CorpusError] = []
    for pair in graded.pairs {
      guard let x = row[pair.a], let y = row[pair.b] else {
        let missing = row[pair.a] == nil ? pair.a : pair.b
        problems.append(.unknownPairID(pair.location, id: missing))
        continue
      }
      ours.append(x == y ? 1 : score(x, y))
      human.append(pair.score)
    }
    if !problems.isEmpty { throw CorpusProblems(problems: problems) }
    let threshold = nearDuplicateThreshold
    var truePositives = 0.0
    var falsePositives = 0.0
    var falseNegatives = 0.0
    for (o, h) in zip(ours, human) {
      if o >= threshold && h >= humanThreshold {
        truePositives += 1
      } else if o >= threshold {
        falsePositives += 1
      } else if h >= humanThreshold {
        falseNegatives += 1
      }
    }
    let precision =
      truePositives + falsePositives > 0 ? truePositives / (truePositives + falsePositives) : 1
    let recall =
      truePositives + falseNegatives > 0 ? truePositives / (truePositives + falseNegatives) : 1
    return PairAgreement(
      count: ours.count, spearman: RankCorrelation.spearman(ours, human),
      pearson: RankCorrelation.pearson(ours, human), nearDuplicateThreshold: threshold,
      humanThreshold: humanThreshold, nearDuplicatePrecision: precision,
      nearDuplicateRecall: recall)
  }
}

extension EvaluationRun {
  /// ``agreement(with:humanThreshold:)`` on each of `folds` folds of `graded`: the pairs are
  /// joined into groups that share an article (connected components), and the groups go to
  /// folds as ``CrossValidation/foldOf(gold:folds:seed:)`` deals stories, so no article is
  /// graded in two folds. The pair score fits nothing on the grades, so the folds measure how
  /// much its agreement varies from one set of pairs to another (the spread the targets
  /// are stated with), not a held-out fit.
  ///
  /// - Parameters:
  ///   - graded: The graded pairs.
  ///   - folds: How many folds, at least 2 (a fold may be empty when there are fewer groups).
  ///   - seed: The fold shuffle's seed.
  ///   - humanThreshold: As for ``agreement(with:humanThreshold:)``.
  /// - Returns: Each fold's agreement, in fold order.
  /// - Throws: As ``agreement(with:humanThreshold:)``, for every pair naming an unknown id.
  /// - Complexity: O(G·t + G α(G)) for G pairs of t terms.
  public func agreementByFold(
    with graded: GradedPairs, folds: Int, seed: UInt64 = 1, humanThreshold: Double = 4
  ) throws(CorpusProblems) -> [PairAgreement] {
    // Checks every id (and throws, located) before any fold is cut.
    _ = try agreement(with: graded, humanThreshold: humanThreshold)
    var row: [String: Int] = [:]
    for (i, id) in ids.enumerated() { row[id] = i }
    var groups = UnionFind(count: ids.count)
    for pair in graded.pairs { groups.union(row[pair.a] ?? 0, row[pair.b] ?? 0) }
    // A group is named by its smallest row, whichever root the union left.
    var smallest = [Int](repeating: Int.max, count: ids.count)
    for r in ids.indices {
      let root = groups.find(r)
      smallest[root] = min(smallest[root], r)
    }
    let labels: [String?] = graded.pairs.map { "\(smallest[groups.find(row[$0.a] ?? 0)])" }
    let foldOfPair = CrossValidation.foldOf(gold: labels, folds: folds, seed: seed)
    return try (0..<folds).map { (fold: Int) throws(CorpusProblems) -> PairAgreement in
      let part = GradedPairs(
        pairs: graded.pairs.indices.filter { foldOfPair[$0] == fold }.map { graded.pairs[$0] })
      return try agreement(with: part, humanThreshold: humanThreshold)
    }
  }
}
