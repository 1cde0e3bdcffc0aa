import Foundation
import StoryCluster
import StoryClusterTestSupport
import Testing

/// The engine as an embedding program uses it: a few lines, public API only.
struct EngineTests {
  @Test func embeddingInAFewLines() throws {
    let corpus = CorpusReader().read([RepositoryPaths.seeds])
    let report = try Engine().run(corpus)
    #expect(report.articlesIn == 2 && report.articlesOut == 2 && report.skipped.isEmpty)
    #expect(report.clusters.count == 1)
    #expect(report.clusters[0].members == ["000_c0837fc8db15ef58.txt", "004_93e46284cb8dccf5.txt"])
    #expect(report.pairs.count == 1)
    let pair = try #require(report.pairs.first)
    #expect(pair.kind == .related)
    let shared = Set(pair.sharedTerms.map(\.term))
    #expect(shared.isSuperset(of: ["syria", "russia", "resolution", "draft"]))
  }

  @Test func articlesFromMemory() throws {
    let articles = [
      Article(id: "b", title: "Storm hits coast", body: "A storm hit the coast on Monday."),
      Article(id: "a", title: "Storm hits coast", body: "A storm hit the coast on Monday!"),
      Article(id: "c", title: "Markets rally", body: "Stocks rose sharply in late trading."),
    ]
    let report = try Engine().run(articles: articles)
    #expect(report.clusters.map(\.members) == [["a", "b"], ["c"]])
    #expect(report.pairs.map(\.kind) == [.exact])
    #expect(report.pairs.map { [$0.a, $0.b] } == [["a", "b"]])
  }

  @Test func articleWithoutTermsIsASingleton() throws {
    let articles = [
      Article(id: "x", title: "the and of", body: ""),
      Article(id: "y", title: "Storm hits coast", body: "storm coast"),
    ]
    let report = try Engine().run(articles: articles)
    #expect(report.clusters.map(\.members) == [["x"], ["y"]])
    #expect(report.pairs.isEmpty)
  }

  @Test func outOfRangeOptionsAreRejected() {
    var configuration = EngineConfiguration()
    configuration.threshold = 1.5
    #expect(
      throws: ConfigurationError.outOfRange(option: "threshold", value: "1.5", allowed: "0...1")
    ) {
      try Engine(configuration: configuration)
    }
  }

  @Test func namesAndYearsAreCheckedLikeEveryWeight() {
    for (option, set) in [
      ("namesWeight", { (c: inout EngineConfiguration) in c.namesWeight = -0.1 }),
      ("yearPenalty", { (c: inout EngineConfiguration) in c.yearPenalty = 1.5 }),
    ] {
      var configuration = EngineConfiguration()
      set(&configuration)
      #expect(throws: ConfigurationError.self, "\(option)") {
        try Engine(configuration: configuration)
      }
    }
  }

  /// A configuration stored before the names weight and the year penalty existed (a story
  /// index made then) decodes with both at 0, the story similarity it was made with; today's
  /// round-trips.
  @Test func aConfigurationFromBeforeTheMarksDecodesWithoutThem() throws {
    let today = EngineConfiguration()
    let encoded = try JSONEncoder().encode(today)
    #expect(try JSONDecoder().decode(EngineConfiguration.self, from: encoded) == today)
    var object = try #require(
      try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
    object["namesWeight"] = nil
    object["yearPenalty"] = nil
    let older = try JSONDecoder().decode(
      EngineConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
    var expected = today
    expected.namesWeight = 0
    expected.yearPenalty = 0
    #expect(older == expected)
  }
}
