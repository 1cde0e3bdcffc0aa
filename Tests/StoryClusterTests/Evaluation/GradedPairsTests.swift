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
}
