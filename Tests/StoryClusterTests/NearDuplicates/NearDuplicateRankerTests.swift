import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// Ranking on a hand-made matrix: which pairs are kept, their order, kinds and shared terms.
struct NearDuplicateRankerTests {
  static let vocabulary = ["alpha", "beta", "gamma", "delta"]
  static let ids = ["a", "b", "c", "d", "e", "f"]

  /// Unit rows (0.6² + 0.8² = 1, 0.96² + 0.28² = 1):
  ///   0 a: alpha 0.6, beta 0.8      1 b: alpha 0.6, beta 0.8     2 c: alpha 0.8, gamma 0.6
  ///   3 d: delta 1                  4 e: gamma 0.96, delta 0.28  5 f: alpha 0.6, beta 0.8
  /// Cosines: a·b = a·f = b·f = 0.36 + 0.64 = 1; a·c = b·c = c·f = 0.6 · 0.8 = 0.48;
  /// c·e = 0.6 · 0.96 = 0.576; d·e = 0.28; the rest 0.
  static let matrix = SparseMatrix(
    columnCount: 4, rowStarts: [0, 2, 4, 6, 7, 9, 11],
    columns: [0, 1, 0, 1, 0, 2, 3, 2, 3, 0, 1],
    values: [0.6, 0.8, 0.6, 0.8, 0.8, 0.6, 1, 0.96, 0.28, 0.6, 0.8])

  /// a and b have one text, d and e another (as if they differed only in case or punctuation);
  /// c and f are unique.
  static let fingerprints = [
    Normalizer.fingerprint("storm"), Normalizer.fingerprint("storm"), Normalizer.fingerprint("c"),
    Normalizer.fingerprint("twin"), Normalizer.fingerprint("twin"), Normalizer.fingerprint("f"),
  ]

  /// What a kernel at 0.3 (at or below every floor used here, as the engine runs it) finds:
  /// every pair with a cosine of 0.3 or more, so not d–e (0.28), which the ranker must add
  /// itself as exact duplicates.
  static var kernelPairs: [ScoredPair] {
    [
      ScoredPair(a: 0, b: 1, score: 1), ScoredPair(a: 0, b: 2, score: 0.48),
      ScoredPair(a: 0, b: 5, score: 1), ScoredPair(a: 1, b: 2, score: 0.48),
      ScoredPair(a: 1, b: 5, score: 1), ScoredPair(a: 2, b: 4, score: 0.576),
      ScoredPair(a: 2, b: 5, score: 0.48),
    ]
  }

  /// A pair as text, scores and weights to six decimals (as the CLI prints them; the rows are
  /// `Float`, so 0.8 · 0.8 is 0.64000005 in full).
  static func line(_ p: NearDuplicatePair) -> String {
    func six(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }
    let terms = p.sharedTerms.map { "\($0.term) \(six($0.weight))" }.joined(separator: ", ")
    return "\(p.a) \(p.b) \(six(p.score)) \(p.kind.rawValue) [\(terms)]"
  }

  static func rank(floor: Double, nearDuplicate: Double, terms: Int, threads: Int = 1) -> [String] {
    NearDuplicateRanker(floor: floor, nearDuplicateThreshold: nearDuplicate, sharedTermCount: terms)
      .rank(
        pairs: kernelPairs, matrix: matrix, vocabulary: vocabulary, ids: ids,
        fingerprints: fingerprints, threads: threads
      ).map(line)
  }

  @Test func ranksByScoreThenIDsWithKindsAndSharedTerms() {
    // Floor 0.5 drops the three 0.48 pairs. d–e (0.28) comes back: same fingerprint, so exact
    // whatever the cosine. Ties at 1 are in id order: a–b, a–f, b–f. a–b is exact (same text),
    // a–f and b–f are near-duplicates (1 ≥ 0.9), c–e (0.576) is related.
    // Shared terms by contribution: a–b alpha 0.6·0.6 = 0.36, beta 0.8·0.8 = 0.64 → beta, alpha;
    // c–e gamma 0.6·0.96 = 0.576; d–e delta 1·0.28 = 0.28.
    #expect(
      Self.rank(floor: 0.5, nearDuplicate: 0.9, terms: 2) == [
        "a b 1.0 exact [beta 0.64, alpha 0.36]",
        "a f 1.0 near-duplicate [beta 0.64, alpha 0.36]",
        "b f 1.0 near-duplicate [beta 0.64, alpha 0.36]",
        "c e 0.576 related [gamma 0.576]",
        "d e 0.28 exact [delta 0.28]",
      ])
  }

  @Test func pairsAtTheFloorAreKept() {
    // Floor 0.48 keeps the 0.48 pairs (a–c, b–c, c–f, in id order), after c–e; one shared term
    // each: alpha 0.6·0.8 = 0.48.
    #expect(
      Self.rank(floor: 0.48, nearDuplicate: 0.9, terms: 1) == [
        "a b 1.0 exact [beta 0.64]", "a f 1.0 near-duplicate [beta 0.64]",
        "b f 1.0 near-duplicate [beta 0.64]", "c e 0.576 related [gamma 0.576]",
        "a c 0.48 related [alpha 0.48]", "b c 0.48 related [alpha 0.48]",
        "c f 0.48 related [alpha 0.48]", "d e 0.28 exact [delta 0.28]",
      ])
  }

  @Test func nearDuplicateThresholdIsInclusiveAndTermsCanBeLeftOut() {
    // At 0.576 c–e becomes a near-duplicate; no shared terms asked for.
    #expect(
      Self.rank(floor: 0.5, nearDuplicate: 0.576, terms: 0) == [
        "a b 1.0 exact []", "a f 1.0 near-duplicate []", "b f 1.0 near-duplicate []",
        "c e 0.576 near-duplicate []", "d e 0.28 exact []",
      ])
  }

  /// a, b and f as one text: the group is a star from its smallest row a (a–b, a–f), and the
  /// kernel's b–f, which the star implies, is not reported.
  @Test func exactGroupsAreStarsFromTheirSmallestRow() {
    var fingerprints = Self.fingerprints
    fingerprints[5] = fingerprints[0]
    let ranked = NearDuplicateRanker(floor: 0.5, nearDuplicateThreshold: 0.9, sharedTermCount: 0)
      .rank(
        pairs: Self.kernelPairs, matrix: Self.matrix, vocabulary: Self.vocabulary, ids: Self.ids,
        fingerprints: fingerprints, threads: 1)
    #expect(
      ranked.map(Self.line) == [
        "a b 1.0 exact []", "a f 1.0 exact []", "c e 0.576 related []", "d e 0.28 exact []",
      ])
  }

  /// One pair per article: each row's best by cosine, then the other row. a: a–f (1 beats
  /// a–c 0.48); b: b–f; c: c–e (0.576 beats three 0.48); e: c–e; f: a–f and b–f tie at 1, a
  /// first; d has none left (d–e is its exact pair). a–c, b–c and c–f (0.48) are nobody's best
  /// and go; the exact pairs a–b and d–e stay whatever the cap.
  @Test func theCapKeepsEachArticlesNearestAndTheExactPairs() {
    let ranked = NearDuplicateRanker(
      floor: 0.3, nearDuplicateThreshold: 0.9, sharedTermCount: 0, pairsPerArticle: 1
    )
    .rank(
      pairs: Self.kernelPairs, matrix: Self.matrix, vocabulary: Self.vocabulary, ids: Self.ids,
      fingerprints: Self.fingerprints, threads: 1)
    #expect(
      ranked.map(Self.line) == [
        "a b 1.0 exact []", "a f 1.0 near-duplicate []", "b f 1.0 near-duplicate []",
        "c e 0.576 related []", "d e 0.28 exact []",
      ])
  }

  @Test func sharedTermTiesGoToTheSmallerColumn() {
    // Two rows of alpha and beta at 1/√2 each: both contribute 0.5; alpha (column 0) first.
    let half = Float(0.5).squareRoot()
    let m = SparseMatrix(
      columnCount: 2, rowStarts: [0, 2, 4], columns: [0, 1, 0, 1], values: [half, half, half, half])
    let ranker = NearDuplicateRanker(floor: 0, nearDuplicateThreshold: 1, sharedTermCount: 1)
    let terms = ranker.sharedTerms(0, 1, matrix: m, vocabulary: ["alpha", "beta"])
    #expect(terms.map(\.term) == ["alpha"])
    #expect(
      ranker.sharedTermsOfAll([ScoredPair(a: 0, b: 1, score: 1)], matrix: m, threads: 1)[0]
        .map(\.column) == [0])
  }

  @Test func resultDoesNotDependOnTheThreadCount() {
    let one = Self.rank(floor: 0.3, nearDuplicate: 0.9, terms: 3, threads: 1)
    #expect(one.count == 8)  // the seven kernel pairs and d–e
    for threads in [2, 3, 8] {
      #expect(Self.rank(floor: 0.3, nearDuplicate: 0.9, terms: 3, threads: threads) == one)
    }
  }
}
