import Foundation
import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// `Engine.calibrate`: thresholds suggested from labelled pairs, with bootstrap intervals.
struct CalibrationTests {
  static let sample = RepositoryPaths.root.appendingPathComponent(
    "Tests/StoryClusterTests/Fixtures/samples/ecbplus-dev-sample.jsonl"
  ).path
  static let labels = RepositoryPaths.root.appendingPathComponent(
    "Tests/StoryClusterTests/Fixtures/calibration-ecbplus-sample.jsonl"
  ).path

  /// Scores 0.9 0.8 | 0.7 0.6 0.2 with labels + + | - + -: at 0.6 three of four predicted are
  /// positive and all three positives are found (P 0.75, R 1, F1 6/7 = 0.857); at 0.8 P 1,
  /// R 2/3, F1 0.8; so 0.6 wins.
  @Test func theBestF1Wins() {
    let scores = [0.9, 0.8, 0.7, 0.6, 0.2]
    let positive = [true, true, false, true, false]
    let candidates = scores.sorted()
    let chosen = Calibration.best(
      candidates: candidates.count, predicted: { c, p in scores[p] >= candidates[c] },
      positive: positive, pairs: Array(0..<5), prefer: { $0 < $1 })
    #expect(candidates[chosen.index] == 0.6)
    #expect(chosen.precision == 0.75 && chosen.recall == 1)
    #expect(isClose(chosen.f1, 6.0 / 7.0, absolute: 1e-12))
  }

  @Test func suggestionsRepeatAndTheirIntervalsHoldThem() throws {
    let engine = try Engine()
    let corpus = CorpusReader().read([Self.sample])
    let labels = try LabelledPairs.read(Self.labels)
    #expect(labels.pairs.count == 40)
    let first = try engine.calibrate(labels, corpus: corpus, thresholds: [2, 3, 4, 5, 6])
    let second = try engine.calibrate(labels, corpus: corpus, thresholds: [2, 3, 4, 5, 6])
    #expect(first == second)
    let story = first.story
    #expect(story.isDetermined && first.isLift)
    #expect(story.positives == 20 && story.negatives == 20)
    #expect(story.thresholdInterval.contains(story.threshold))
    // The suggestion does at least as well on the labels as the configuration's own lift.
    let currentF1 =
      2 * story.currentPrecision * story.currentRecall
      / (story.currentPrecision + story.currentRecall)
    #expect(story.f1 >= currentF1)
    // No same-text labels: nothing to learn about near-duplicates; the current value is kept.
    #expect(!first.nearDuplicate.isDetermined && first.nearDuplicate.threshold == 0.8)
  }

  @Test func badLinesAndUnknownIDsAreLocated() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "labels-\(getpid()).jsonl")
    try Data(
      """
      {"a": "1_1ecb", "b": "1_2ecb", "label": "same-story"}
      {"a": "1_1ecb", "b": "1_2ecb", "label": "similar"}

      {"a": "1_1ecb", "label": "different"}

      """.utf8
    ).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(
      throws: CorpusProblems(problems: [
        .invalidLabelledPair(SourceLocation(path: url.path, line: 2)),
        .invalidLabelledPair(SourceLocation(path: url.path, line: 4)),
      ])
    ) {
      try LabelledPairs.read(url.path)
    }
    let unknown = LabelledPairs(pairs: [
      .init(a: "1_1ecb", b: "zz", label: .different, location: SourceLocation(path: "l", line: 9))
    ])
    #expect(
      throws: CalibrationError.problems(
        CorpusProblems(problems: [.unknownPairID(SourceLocation(path: "l", line: 9), id: "zz")]))
    ) {
      try Engine().calibrate(unknown, corpus: CorpusReader().read([Self.sample]), thresholds: [5])
    }
  }

  /// On STS headlines (graded pairs, when ../shared is present): score ≥ 4.5 same-text,
  /// 2.5…4.5 same-story, below different, every 20th pair. The near-duplicate suggestion does at
  /// least as well (F1) on the labels as the default 0.8.
  @Test(.enabled(if: RepositoryPaths.sharedData("sts-headlines/pairs.jsonl") != nil))
  func stsLabelsCalibrateTheNearDuplicateThreshold() throws {
    let pairsPath = try #require(RepositoryPaths.sharedData("sts-headlines/pairs.jsonl"))
    let articles = try #require(RepositoryPaths.sharedData("sts-headlines/articles.jsonl"))
    let graded = try GradedPairs.read(pairsPath)
    let labels = LabelledPairs(
      pairs: stride(from: 0, to: graded.pairs.count, by: 20).map { k in
        let p = graded.pairs[k]
        let label: LabelledPairs.Label =
          p.score >= 4.5 ? .sameText : p.score >= 2.5 ? .sameStory : .different
        return .init(a: p.a, b: p.b, label: label)
      })
    let calibration = try Engine().calibrate(
      labels, corpus: CorpusReader().read([articles]), thresholds: [5])
    let nd = calibration.nearDuplicate
    #expect(nd.isDetermined && nd.positives > 0)
    let currentF1 =
      nd.currentPrecision + nd.currentRecall > 0
      ? 2 * nd.currentPrecision * nd.currentRecall / (nd.currentPrecision + nd.currentRecall) : 0
    #expect(nd.f1 >= currentF1)
    #expect(nd.thresholdInterval.contains(nd.threshold))
  }
}
