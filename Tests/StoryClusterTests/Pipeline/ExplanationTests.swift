import Foundation
import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// `Engine.explain` and `RunDetails`: the numbers the engine decided on, recomputed.
struct ExplanationTests {
  static let sample = RepositoryPaths.root.appendingPathComponent(
    "Tests/StoryClusterTests/Fixtures/samples/ecbplus-dev-sample.jsonl"
  ).path

  @Test func detailsComeWithTheSameReport() throws {
    let engine = try Engine()
    let corpus = CorpusReader().read([Self.sample])
    let (report, details) = try engine.runKeepingDetails(corpus)
    #expect(report == (try engine.run(corpus)))
    #expect(details.articles.map(\.id) == details.corpus.ids)
    // Labels follow the report's cluster order.
    for (index, cluster) in report.clusters.enumerated() {
      #expect(
        cluster.members.compactMap(details.row(of:)).allSatisfy { details.labels[$0] == index })
    }
    #expect(details.row(of: "nope") == nil)
  }

  /// The blended pair score's parts give the score back bit for bit: the seeds (articles) by
  /// their stemmed-word cosine, two STS headlines by their word alignment (the values of
  /// `Fixtures/pair-score-headlines.json`, scikit-learn), and the plain cosine has none.
  @Test func pairScorePartsAddUp() throws {
    func recomposed(_ why: Explanation) throws -> Double {
      let p = try #require(why.pairScoreParts)
      #expect((p.alignment == nil) != (p.words == nil))
      return min(1, max(0, ((p.alignment ?? p.words ?? 0) + p.characters) / 2 * p.numbers))
    }
    let seeds = CorpusReader().read([RepositoryPaths.seeds])
    let articles = try Engine().explain(
      "000_c0837fc8db15ef58.txt", "004_93e46284cb8dccf5.txt", in: seeds)
    #expect(articles.pairScoreParts?.alignment == nil)
    #expect(try recomposed(articles) == articles.pairScore)
    let headlines = [
      "Three die after car crash at Tian'anmen", "Three Killed In Crash At Tiananmen Square",
      "4 NATO Troops Killed in Afghanistan", "Eight NATO Troops Killed In Afghanistan",
      "Mohamed Morsi sworn in as Eygptian president", "Mursi sworn in as Egyptian president",
      "More than 1,000 inmates escape from Libya's al-Kweifiya prison",
      "1000 prisoners escape from Libyan jail",
    ].enumerated().map { Article(id: "h\($0.offset)", title: $0.element, body: "") }
    let why = try Engine().explain("h0", "h1", in: Corpus(articles: headlines))
    #expect(
      isClose(try #require(why.pairScoreParts?.alignment), 0.39438821176627353, absolute: 1e-6))
    #expect(why.pairScoreParts?.words == nil && why.pairScoreParts?.numbers == 1)
    #expect(try recomposed(why) == why.pairScore)
    #expect(isClose(why.pairScore, 0.4582347913067716, absolute: 1e-6))
    var configuration = EngineConfiguration()
    configuration.pairScore = .cosine
    let plain = try Engine(configuration: configuration).explain(
      "h0", "h1", in: Corpus(articles: headlines))
    #expect(plain.pairScoreParts == nil)
  }

  @Test func theSeedsAreOneStoryForAReason() throws {
    let why = try Engine().explain(
      "004_93e46284cb8dccf5.txt", "000_c0837fc8db15ef58.txt",
      in: CorpusReader().read([RepositoryPaths.seeds]))
    #expect(why.isSameStory && why.clusterA == 1 && why.clusterB == 1)
    // One link holds the two: the chain is that link, from a to b.
    #expect(why.chain.count == 1)
    #expect(
      why.chain[0].a == "004_93e46284cb8dccf5.txt" && why.chain[0].b == "000_c0837fc8db15ef58.txt")
    let s = why.storySimilarity
    #expect(s.isEdge && s.decay == 1 && s.daysApart == nil)
    // The names cosine is the two texts' (EventMarks, read on their own here).
    let names = try #require(s.namesCosine)
    let texts = CorpusReader().read([RepositoryPaths.seeds]).articles.map(\.text)
    #expect(isClose(names, EventMarks(texts: texts, threads: 1).namesCosine(0, 1), absolute: 1e-12))
    #expect(names > 0.1 && s.namesWeight == 0.3 && s.yearPenalty == 0.3)
    // The parts add up: score = (0.4 × (0.7 × cosine + 0.3 × names) × decay + 0.6 ×
    // neighbourhood) × the year factor, with a neighbourhood cosine in 0...1.
    let yearFactor = s.yearAgreement.map { 1 - 0.3 * (1 - $0) } ?? 1
    let blended = 0.7 * s.cosine + 0.3 * names
    #expect(
      isClose(
        s.score, (0.4 * blended * s.decay + 0.6 * s.neighborhood) * yearFactor, absolute: 1e-9))
    #expect(s.neighborhood > 0 && s.neighborhood <= 1)
    #expect(why.chain[0].score == s.score && s.score >= why.threshold)
    #expect(why.kind == .related)
    // The report's pair score and shared terms.
    let report = try Engine().run(CorpusReader().read([RepositoryPaths.seeds]))
    let pair = try #require(report.pairs.first)
    #expect(isClose(why.pairScore, pair.score, absolute: 1e-12))
    #expect(why.sharedTerms == pair.sharedTerms)
    #expect(why.sharedPassages.first?.text == "Syrian President Bashar al-Assad")
  }

  @Test func twinEventsApartSayHowCloseTheyCame() throws {
    // ECB+ topic 1: Tara Reid's rehab (1_*ecb) and Lindsay Lohan's (1_*ecbplus), two stories.
    let engine = try Engine()
    let corpus = CorpusReader().read([Self.sample])
    let (report, details) = try engine.runKeepingDetails(corpus)
    let story = Dictionary(
      uniqueKeysWithValues: report.clusters.flatMap { c in c.members.map { ($0, c.id) } })
    let a = "1_1ecb"
    let b = "1_1ecbplus"
    let why = try details.explain(a, b)
    #expect(why.isSameStory == (story[a] == story[b]))
    #expect(why.clusterA == story[a] && why.clusterB == story[b])
    if !why.isSameStory {
      let linkage = try #require(why.storyLinkage)
      #expect(linkage < why.threshold)
      #expect(why.chain.isEmpty)
    }
  }

  @Test func chainsFollowTheStrongestWeakestLink() throws {
    // A path graph 0 — 1 — 2 with a weak direct link 0 — 2: the chain goes through 1.
    let edges = [
      ScoredPair(a: 0, b: 1, score: 0.9), ScoredPair(a: 0, b: 2, score: 0.1),
      ScoredPair(a: 1, b: 2, score: 0.8),
    ]
    let path = Engine.widestPath(from: 0, to: 2, within: 0, labels: [0, 0, 0], edges: edges)
    #expect(path.map(\.from) == [0, 1] && path.map(\.to) == [1, 2])
    #expect(path.map(\.score) == [0.9, 0.8])
    // Outside the story the middle row does not count: only the direct link is left.
    let direct = Engine.widestPath(from: 0, to: 2, within: 0, labels: [0, 1, 0], edges: edges)
    #expect(direct.map(\.score) == [0.1])
  }

  @Test func unknownIDsAreNamed() throws {
    #expect(throws: ExplainError.unknownID("nope")) {
      try Engine().explain(
        "nope", "000_c0837fc8db15ef58.txt", in: CorpusReader().read([RepositoryPaths.seeds]))
    }
    #expect(
      ExplainError.unknownID("nope").description
        == "error: no article with id \"nope\" in the input")
  }
}
