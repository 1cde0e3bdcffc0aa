import Testing

@testable import StoryCluster

/// Reference values: scikit-learn 1.9.1 `adjusted_rand_score` / `normalized_mutual_info_score`
/// and SciPy 1.17.1 `spearmanr` / `pearsonr` (printed by a one-off script, pasted here).
struct ClusterScoresTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let gold: [Int]
    let predicted: [Int]
    let ari: Double
    let nmi: Double
    var testDescription: String { "\(gold.count) items" }
  }

  static let cases: [Case] = [
    Case(gold: [0, 0, 1, 1], predicted: [0, 0, 0, 1], ari: 0.0, nmi: 0.3437110184854508),
    Case(gold: [0, 0, 0], predicted: [1, 1, 1], ari: 1.0, nmi: 1.0),
    Case(gold: [0, 1, 2], predicted: [0, 1, 2], ari: 1.0, nmi: 1.0),
    Case(gold: [0, 1, 2, 3], predicted: [0, 0, 0, 0], ari: 0.0, nmi: 0.0),
    Case(gold: [5], predicted: [9], ari: 1.0, nmi: 1.0),
    Case(
      gold: [2, 1, 3, 0, 0, 0, 2, 0, 1, 0], predicted: [0, 3, 3, 0, 1, 0, 4, 3, 0, 4], ari: -0.2,
      nmi: 0.26915498182904557),
    Case(
      gold: [
        0, 1, 0, 3, 0, 1, 0, 1, 2, 3, 1, 0, 2, 1, 0, 1, 2, 0, 0, 0, 1, 3, 3, 2, 3, 3, 2, 2, 1, 1, 1,
        0, 2, 3, 2, 3, 2, 0, 0, 3,
      ],
      predicted: [
        1, 2, 1, 3, 3, 0, 0, 4, 4, 2, 2, 2, 4, 3, 4, 3, 0, 0, 2, 3, 0, 0, 2, 4, 3, 2, 3, 2, 0, 3, 2,
        1, 4, 0, 3, 0, 1, 2, 1, 1,
      ], ari: -0.003742669377891728, nmi: 0.12633246045729452),
  ]

  @Test(arguments: cases)
  func matchesScikitLearn(_ c: Case) {
    let s = ClusterScores(gold: c.gold, predicted: c.predicted)
    #expect(abs(s.adjustedRandIndex - c.ari) <= 1e-9)
    #expect(abs(s.normalizedMutualInformation - c.nmi) <= 1e-9)
  }

  @Test func bcubedAndPairwiseByHand() {
    // gold {0,1} {2,3}; predicted {0,1,2} {3}.
    // B-cubed precision: items 0,1 → 2/3 each, item 2 → 1/3, item 3 → 1/1: (2/3+2/3+1/3+1)/4 = 2/3.
    // B-cubed recall: items 0,1 → 2/2, item 2 → 1/2, item 3 → 1/2: (1+1+0.5+0.5)/4 = 3/4.
    // Pairs together: predicted {01,02,12}, gold {01,23}; shared {01} → P = 1/3, R = 1/2.
    let s = ClusterScores(gold: [0, 0, 1, 1], predicted: [0, 0, 0, 1])
    #expect(abs(s.bcubedPrecision - 2.0 / 3) <= 1e-12)
    #expect(abs(s.bcubedRecall - 0.75) <= 1e-12)
    #expect(abs(s.bcubedF1 - 2 * (2.0 / 3) * 0.75 / (2.0 / 3 + 0.75)) <= 1e-12)
    #expect(abs(s.pairwisePrecision - 1.0 / 3) <= 1e-12)
    #expect(abs(s.pairwiseRecall - 0.5) <= 1e-12)
    #expect(s.goldClusterCount == 2 && s.predictedClusterCount == 2 && s.itemCount == 4)
  }

  @Test func perfectClusteringScoresOne() {
    let s = ClusterScores(gold: [3, 3, 7, 9, 9, 9], predicted: [0, 0, 1, 2, 2, 2])
    #expect(s.bcubedF1 == 1 && s.pairwiseF1 == 1)
    #expect(
      abs(s.adjustedRandIndex - 1) <= 1e-12 && abs(s.normalizedMutualInformation - 1) <= 1e-12)
  }

  @Test func labelsAreDenseInFirstSeenOrder() {
    #expect(ClusterScores.labels(["b", "a", "b", "c"]) == [0, 1, 0, 2])
  }

  @Test func correlationsMatchSciPy() {
    let x: [Double] = [1, 2, 2, 3, 5, 5, 5, 8]
    let y: [Double] = [2, 1, 4, 4, 3, 6, 6, 9]
    #expect(abs(RankCorrelation.spearman(x, y) - 0.7889568540593018) <= 1e-12)
    #expect(abs(RankCorrelation.pearson(x, y) - 0.8600870236580166) <= 1e-12)
    #expect(RankCorrelation.ranks([10, 20, 20, 5]) == [2, 3.5, 3.5, 1])
    #expect(RankCorrelation.pearson([1, 1, 1], [1, 2, 3]) == 0)  // no variance → 0, never NaN
  }
}
