import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// The engine's comparison window (``EngineConfiguration/windowDays``): dated articles further
/// apart are never paired or linked, exact copies are still reported at any distance, and
/// undated articles are compared with everything.
struct TimeWindowEngineTests {
  static let text =
    "The central bank raised its benchmark interest rate by half a point on Tuesday, citing "
    + "inflation that has stayed above its target for a year."
  static let edited =
    "The central bank raised its benchmark interest rate by half a point on Wednesday, citing "
    + "inflation that has stayed above its target for a year."

  static func corpus(undatedEdit: Bool = false) -> Corpus {
    Corpus(articles: [
      Article(id: "a", title: "", body: text, date: "2024-03-01T09:00:00Z"),
      Article(id: "b", title: "", body: text, date: "2024-04-15T09:00:00Z"),
      Article(
        id: "c", title: "", body: edited, date: undatedEdit ? nil : "2024-04-15T10:00:00Z"),
      Article(
        id: "d", title: "", body: "Football club signs a new striker for the coming season.",
        date: "2024-03-01T10:00:00Z"),
    ])
  }

  static func pairs(_ report: Report) -> [String] {
    report.pairs.map { "\($0.a)-\($0.b) \($0.kind.rawValue)" }
  }

  @Test func distantArticlesAreNotPairedButExactCopiesAre() throws {
    let report = try Engine().run(Self.corpus())
    // a–b: the same text 45 days apart, still exact. The copies are one row dated by the first
    // (a), so c, a near copy 45 days after a, is not compared with them, although b is c's day.
    #expect(Self.pairs(report) == ["a-b exact"])
    var everything = EngineConfiguration()
    everything.windowDays = nil
    let all = try Engine(configuration: everything).run(Self.corpus())
    // Without the window c pairs with the copies' first row only (pairs between copies' texts
    // are listed once).
    #expect(Self.pairs(all) == ["a-b exact", "a-c near-duplicate"])
    #expect(report.configuration.windowDays == 7)
  }

  @Test func undatedArticlesAreComparedWithAll() throws {
    let report = try Engine().run(Self.corpus(undatedEdit: true))
    #expect(Self.pairs(report) == ["a-b exact", "a-c near-duplicate"])
  }
}

/// The bounded story graph (``EngineConfiguration/graphEdgeCount``) on real samples: the same
/// stories as the graph of every pair at the floor, from far fewer edges, and a bound that is
/// small enough changes them (so the comparison can fail).
struct BoundedGraphTests {
  @Test(arguments: ["ecbplus-dev-sample.jsonl", "uci-dev-sample.jsonl"])
  func boundedGraphGivesTheFullGraphsStories(sample: String) throws {
    let corpus = CorpusReader().read([RepositoryPaths.sample(sample)])
    var full = EngineConfiguration()
    full.graphEdgeCount = nil
    let bounded = try Engine().run(corpus)
    let everything = try Engine(configuration: full).run(corpus)
    #expect(bounded.clusters == everything.clusters)
    #expect(bounded.pairs == everything.pairs)
    #expect(bounded.configuration.graphEdgeCount == 200)
    // Headlines make big stories from weak links: ten edges an article are too few there.
    if sample.hasPrefix("uci") {
      var tight = EngineConfiguration()
      tight.graphEdgeCount = 10
      let few = try Engine(configuration: tight).run(corpus)
      #expect(few.clusters != everything.clusters)
    }
  }

  @Test func edgeCountBelowTheNeighbourCountIsRejected() {
    var configuration = EngineConfiguration()
    configuration.graphEdgeCount = 5
    #expect(throws: ConfigurationError.self) { try Engine(configuration: configuration) }
  }
}

/// The capped report's pairs taken from the kernel's bounded edges equal those from its full
/// pair list.
struct PairsFromEdgesTests {
  @Test(arguments: ["ecbplus-dev-sample.jsonl", "uci-dev-sample.jsonl"])
  func reportIsTheSameAsFromTheKernelsPairs(sample: String) throws {
    let corpus = CorpusReader().read([RepositoryPaths.sample(sample)])
    let fromEdges = try Engine()
    var fromPairs = try Engine()
    fromPairs.reportsPairsFromEdges = false
    let a = try fromEdges.run(corpus)
    let b = try fromPairs.run(corpus)
    #expect(a.clusters == b.clusters)
    #expect(a.neighbors == b.neighbors)
    #expect(a.pairs.count == b.pairs.count)
    #expect(a.pairs.elementsEqual(b.pairs), "the pairs differ")
    #expect(a.pairs.count > 100)
  }
}
