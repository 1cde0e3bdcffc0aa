import Foundation
import StoryCluster
import StoryClusterTestSupport
import Testing

/// Graded pairs are read with every problem located, and scored against the engine's pairs.
struct GradedPairsTests {
  func file(_ text: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "graded-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).jsonl")
    try Data(text.utf8).write(to: url)
    return url.path
  }

  @Test func everyBadLineIsListedInOrder() throws {
    let path = try file(
      """
      {"a": "x", "b": "y", "score": 4}
      {"a": "x", "b": 2, "score": 4}

      {"a": "x", "b": "y"}
      not json
      {"a": "x", "b": "y", "score": "high"}

      """)
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(
      throws: CorpusProblems(
        problems: [2, 4, 5, 6].map {
          .invalidGradedPair(SourceLocation(path: path, line: $0))
        })
    ) {
      try GradedPairs.read(path)
    }
    let message = CorpusError.invalidGradedPair(SourceLocation(path: path, line: 2)).description
    #expect(
      message == "\(path):2: error: expected {\"a\": string, \"b\": string, \"score\": number}")
  }

  @Test func aMissingFileIsUnreadable() {
    #expect(
      throws: CorpusProblems(problems: [
        .unreadable(
          SourceLocation(path: "/nonexistent/p.jsonl"), reason: "No such file or directory")
      ])
    ) {
      try GradedPairs.read("/nonexistent/p.jsonl")
    }
  }

  @Test func agreementScoresEveryPairAndNamesUnknownIDs() throws {
    let articles = [
      Article(id: "a", title: "Storm hits the coast", body: "A storm hit the coast on Monday."),
      Article(id: "b", title: "Storm hits the coast", body: "A storm hit the coast on Monday."),
      Article(id: "c", title: "Markets rally", body: "Stocks rose sharply in late trading."),
    ]
    let run = try Engine().evaluate(Corpus(articles: articles), thresholds: [5])
    let location = SourceLocation(path: "p.jsonl", line: 1)
    let graded = GradedPairs(pairs: [
      .init(a: "a", b: "b", score: 5, location: location),
      .init(a: "a", b: "c", score: 0, location: location),
      .init(a: "b", b: "c", score: 1, location: location),
    ])
    let agreement = try run.agreement(with: graded)
    // a–b are identical (score 1, a near-duplicate); a–c and b–c share no word, only a few
    // character trigrams, so both score far below the near-duplicate threshold 0.8.
    #expect(agreement.count == 3)
    #expect(isClose(run.score(0, 1), 1, absolute: 1e-6))
    #expect(run.score(0, 2) < 0.3 && run.score(0, 2) == run.score(1, 2))
    #expect(agreement.nearDuplicatePrecision == 1 && agreement.nearDuplicateRecall == 1)
    let unknown = GradedPairs(pairs: [
      .init(a: "a", b: "zz", score: 5, location: SourceLocation(path: "p.jsonl", line: 3))
    ])
    #expect(
      throws: CorpusProblems(problems: [
        .unknownPairID(SourceLocation(path: "p.jsonl", line: 3), id: "zz")
      ])
    ) {
      try run.agreement(with: unknown)
    }
  }

  /// Folds of graded pairs keep the pairs that share an article together (one group of
  /// articles per fold at most, dealt as stories are), and each fold's agreement is the
  /// agreement on its pairs alone.
  @Test func foldsKeepPairsSharingAnArticleTogether() throws {
    let titles = [
      "Storm hits the coast", "Storm batters the coast", "Coast storm leaves thousands dark",
      "Markets rally on jobs data", "Stocks rise after jobs report", "Rain expected on Friday",
      "Weekend weather turns wet", "Central bank holds rates", "Bank keeps interest rates steady",
    ]
    let articles = titles.enumerated().map {
      Article(id: "t\($0.offset)", title: $0.element, body: "")
    }
    let run = try Engine().evaluate(Corpus(articles: articles), thresholds: [5])
    // Four groups: {0, 1, 2} (two pairs through 1), {3, 4}, {5, 6}, {7, 8}.
    let graded = GradedPairs(pairs: [
      .init(a: "t0", b: "t1", score: 4.5), .init(a: "t3", b: "t4", score: 4),
      .init(a: "t1", b: "t2", score: 3), .init(a: "t5", b: "t6", score: 3.5),
      .init(a: "t7", b: "t8", score: 4.8), .init(a: "t0", b: "t3", score: 0.2),
    ])
    // t0–t3 joins the first two groups: three groups go to two folds.
    let folds = try run.agreementByFold(with: graded, folds: 2)
    #expect(folds.count == 2)
    #expect(folds.map(\.count).reduce(0, +) == graded.pairs.count)
    let labels: [String?] = ["0", "0", "0", "5", "7", "0"]
    let dealt = CrossValidation.foldOf(gold: labels, folds: 2)
    for fold in 0..<2 {
      let part = GradedPairs(
        pairs: graded.pairs.indices.filter { dealt[$0] == fold }.map {
          graded.pairs[$0]
        })
      #expect(folds[fold] == (try run.agreement(with: part)))
    }
    // The first group's four pairs land in one fold.
    #expect(Set(dealt[0...2] + [dealt[5]]).count == 1)
    #expect(folds.map(\.count).sorted() == [1, 5] || folds.map(\.count).sorted() == [2, 4])
    // An unknown id is reported, located, before any fold is cut.
    let unknown = GradedPairs(pairs: graded.pairs + [.init(a: "t0", b: "nope", score: 1)])
    #expect(throws: CorpusProblems.self) { try run.agreementByFold(with: unknown, folds: 2) }
  }
}
