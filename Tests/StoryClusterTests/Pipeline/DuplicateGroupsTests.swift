import Foundation
import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// Exact copies: grouped by fingerprint and row, collapsed before the kernel and expanded after
/// clustering; a flood of copies and a clique of re-edits stay O(N) in the report.
struct DuplicateGroupsTests {
  /// Rows in id order: a, c and d are one text (c differs only in case and punctuation), b and
  /// e differ in one word.
  static let articles = [
    Article(id: "a", title: "Storm hits coast", body: "A storm hit the coast on Monday."),
    Article(id: "b", title: "Markets rally", body: "Stocks rose sharply in late trading."),
    Article(id: "c", title: "storm hits COAST!", body: "A storm hit the coast, on Monday"),
    Article(id: "d", title: "Storm hits coast", body: "A storm hit the coast on Monday."),
    Article(id: "e", title: "Markets rally", body: "Stocks rose sharply in early trading."),
  ]

  @Test func copiesCollapseToTheirSmallestRowAndExpandBack() throws {
    let engine = try Engine()
    let analysed = engine.analyse(Corpus(articles: Self.articles))
    let vectors = try engine.vectorize(analysed)
    let duplicates = engine.duplicateGroups(vectors)
    #expect(duplicates.representative == [0, 1, 0, 0, 4])
    #expect(duplicates.representatives == [0, 1, 4])
    #expect(duplicates.collapsedRow == [0, 1, 0, 0, 2])
    #expect(duplicates.rowCount == 5 && duplicates.count == 3 && duplicates.hasCopies)

    let distinct = duplicates.collapse(vectors)
    #expect(distinct.matrix.rowCount == 3)
    for (collapsed, row) in [(0, 0), (1, 1), (2, 4)] {
      #expect(distinct.matrix.row(collapsed).map(\.column) == vectors.matrix.row(row).map(\.column))
      #expect(distinct.matrix.row(collapsed).map(\.value) == vectors.matrix.row(row).map(\.value))
    }
    #expect(distinct.model.vocabulary == vectors.model.vocabulary)
    let corpus = duplicates.collapse(analysed)
    #expect(corpus.ids == ["a", "b", "e"])
    #expect(corpus.texts == [analysed.texts[0], analysed.texts[1], analysed.texts[4]])
    #expect(corpus.articlesIn == 5)

    // Collapsed stories {b, e} and {a}: a's copies c and d join it, and the story of three
    // goes first (size descending).
    let stories = duplicates.expand(
      Stories(groups: [[1, 2], [0]], threshold: 0.5, background: 0.1))
    #expect(stories.groups == [[0, 2, 3], [1, 4]])
    #expect(stories.threshold == 0.5 && stories.background == 0.1)
    // Collapsed rows 1 and 2 are rows 1 and 4; the order of pairs is kept.
    let pairs = duplicates.expand([
      ScoredPair(a: 0, b: 1, score: 0.2), ScoredPair(a: 1, b: 2, score: 0.8),
    ])
    #expect(pairs == [ScoredPair(a: 0, b: 1, score: 0.2), ScoredPair(a: 1, b: 4, score: 0.8)])
    // Each member has its group's list; copies are not each other's neighbours.
    let neighbors = duplicates.expand(neighbors: [
      [Neighbor(index: 1, score: 0.2)], [Neighbor(index: 2, score: 0.8)],
      [Neighbor(index: 1, score: 0.8)],
    ])
    #expect(neighbors.map { $0.map(\.index) } == [[1], [4], [1], [1], [1]])
  }

  /// Explaining copies: one row to the graph, so story similarity 1 and a chain through the
  /// representative; a copy and another article are explained as the representative is.
  @Test func copiesAreExplainedThroughTheirRepresentative() throws {
    let (_, details) = try Engine().runKeepingDetails(Corpus(articles: Self.articles))
    let copies = try details.explain("c", "d")
    #expect(copies.kind == .exact && copies.isSameStory)
    #expect(copies.storySimilarity.score == 1 && copies.storySimilarity.isEdge)
    #expect(copies.chain.map { "\($0.a) \($0.b) \($0.score)" } == ["c a 1.0", "a d 1.0"])
    #expect(details.storySimilarity(2, 3) == 1)
    let viaCopy = try details.explain("c", "b")
    let viaFirst = try details.explain("a", "b")
    #expect(viaCopy.storySimilarity == viaFirst.storySimilarity)
    #expect(viaCopy.isSameStory == viaFirst.isSameStory)
    #expect(viaCopy.storyLinkage == viaFirst.storyLinkage)
    #expect(details.storySimilarity(2, 1) == details.storySimilarity(0, 1))
  }

  @Test func withoutCopiesNothingChanges() throws {
    let engine = try Engine()
    let analysed = engine.analyse(Corpus(articles: [Self.articles[0], Self.articles[1]]))
    let vectors = try engine.vectorize(analysed)
    let duplicates = engine.duplicateGroups(vectors)
    #expect(!duplicates.hasCopies && duplicates.representatives == [0, 1])
    #expect(duplicates.collapse(vectors).matrix == vectors.matrix)
    #expect(duplicates.collapse(analysed) == analysed)
    let stories = Stories(groups: [[1], [0]], threshold: 0.3, background: 0.01)
    #expect(duplicates.expand(stories) == stories)
  }

  /// Without lowercasing, "storm hits COAST!" has the fingerprint of "Storm hits coast" but not
  /// its row: it stays a row of its own for the kernel, and the ranker still pairs it with the
  /// smallest row of its fingerprint as `exact`.
  @Test func aSharedFingerprintWithAnotherRowStaysApart() throws {
    var configuration = EngineConfiguration()
    configuration.vectorizer.analyzer.isLowercasing = false
    let engine = try Engine(configuration: configuration)
    let analysed = engine.analyse(Corpus(articles: Self.articles))
    let vectors = try engine.vectorize(analysed)
    let duplicates = engine.duplicateGroups(vectors)
    #expect(duplicates.representative == [0, 1, 2, 0, 4])
    let report = try engine.run(articles: Self.articles)
    let exact = report.pairs.filter { $0.kind == .exact }.map { "\($0.a) \($0.b)" }
    #expect(exact.sorted() == ["a c", "a d"])
  }

  /// Whether two reports hold the same results (the kernel's work counters name its workers).
  static func sameResults(_ x: Report, _ y: Report) -> Bool {
    x.clusters == y.clusters && x.pairs == y.pairs && x.neighbors == y.neighbors
      && x.background == y.background && x.clusterThreshold == y.clusterThreshold
      && x.articlesOut == y.articlesOut
  }

  /// A feed's boilerplate 3,000 times among four distinct articles (two of them one story).
  static func flood(copies: Int) -> [Article] {
    var articles = (0..<copies).map { k in
      Article(
        id: String(format: "f%05d", k), title: "Subscribe to our newsletter",
        body: "Get the latest headlines in your inbox every morning. Sign up now.",
        date: "2024-03-\(String(format: "%02d", 1 + k % 28))T08:00:00Z")
    }
    articles += [
      Article(
        id: "s1", title: "Storm hits Florida coast",
        body: "A strong storm hit the coast of Florida, cutting power to thousands of homes."),
      Article(
        id: "s2", title: "Florida storm cuts power",
        body: "Thousands of homes lost power as a strong storm hit the Florida coast."),
      Article(id: "m1", title: "Markets rally", body: "Stocks rose sharply in late trading."),
      Article(
        id: "w1", title: "Election results", body: "Voters elected a new parliament on Sunday."),
    ]
    return articles
  }

  @Test func aFloodOfCopiesIsOneStoryAndAStarOfExactPairs() throws {
    let copies = 3_000
    let articles = Self.flood(copies: copies)
    var reports: [Report] = []
    for threads in [1, 2] {
      var configuration = EngineConfiguration()
      configuration.threads = threads
      reports.append(try Engine(configuration: configuration).run(articles: articles))
    }
    let report = reports[0]
    #expect(Self.sameResults(reports[1], report))
    // Every article exactly once.
    #expect(report.articlesOut == copies + 4)
    let members = report.clusters.flatMap(\.members)
    #expect(members.count == copies + 4 && Set(members) == Set(articles.map(\.id)))
    // The copies are one story of their own; the two storm articles are another.
    let flood = try #require(report.clusters.first)
    #expect(flood.members == (0..<copies).map { String(format: "f%05d", $0) })
    #expect(report.clusters.contains { $0.members == ["s1", "s2"] })
    // One exact pair per copy but the first, each with the first: O(N), not N²/2.
    let exact = report.pairs.filter { $0.kind == .exact }
    #expect(exact.count == copies - 1)
    #expect(exact.allSatisfy { $0.a == "f00000" && $0.b.hasPrefix("f") })
    #expect(Set(exact.map(\.b)).count == copies - 1)
    #expect(report.pairs.count - exact.count <= 4 * 10)
    // The copies' neighbour lists are their group's: no copy among them.
    #expect(report.neighbors.count == copies + 4)
    #expect(
      report.neighbors.allSatisfy { list in
        list.neighbors.allSatisfy { !$0.id.hasPrefix("f") || $0.id == "f00000" }
      })
  }

  /// A hundred-word article: one replaced word leaves a cosine far above the pair floor.
  static let paragraph = """
    Officials in the coastal city confirmed on Tuesday that the regional water authority will \
    begin replacing aging pipes across twelve districts next spring, a project expected to cost \
    nearly four hundred million dollars and take six years. Residents have complained for \
    decades about brown tap water, frequent outages and rising bills. The mayor said federal \
    infrastructure grants would cover roughly half the expense, while the remainder would come \
    from municipal bonds approved by voters last November. Engineers plan to start work in the \
    northern neighborhoods, where leaks are most common, before moving south toward the harbor \
    and industrial zone.
    """

  /// 1,500 re-edits of one article, one word replaced in each by a word of its own (seeded):
  /// every pair is at the floor (m²/2 = 1,124,250 pairs), and the report keeps at most 10 per
  /// article.
  @Test func aNearDuplicateCliqueStaysWithinTheCap() throws {
    let count = 1_500
    var generator = SeededGenerator(seed: 15)
    let words = Self.paragraph.split(separator: " ").map(String.init)
    let articles = (0..<count).map { k in
      var edited = words
      edited[Int.random(in: 0..<words.count, using: &generator)] = "w\(k)"
      return Article(
        id: String(format: "n%05d", k), title: "Newsletter", body: edited.joined(separator: " "))
    }
    var configuration = EngineConfiguration()
    configuration.threads = 2
    let engine = try Engine(configuration: configuration)
    let report = try engine.run(articles: articles)
    #expect(Set(report.clusters.flatMap(\.members)).count == count)
    #expect(report.clusters.map(\.size).reduce(0, +) == count)
    #expect(report.pairs.count <= count * 10)
    // Every article keeps its own ten nearest, so it is in ten pairs or more.
    var pairsOf: [String: Int] = [:]
    for pair in report.pairs {
      pairsOf[pair.a, default: 0] += 1
      pairsOf[pair.b, default: 0] += 1
    }
    #expect(pairsOf.count == count && pairsOf.values.allSatisfy { $0 >= 10 })
    // All pairs, on request, are every pair of the clique.
    configuration.pairsPerArticle = nil
    let all = try Engine(configuration: configuration).run(articles: articles)
    #expect(all.pairs.count == count * (count - 1) / 2)
    #expect(all.clusters == report.clusters)
    configuration.threads = 1
    configuration.pairsPerArticle = 10
    #expect(
      Self.sameResults(try Engine(configuration: configuration).run(articles: articles), report))
  }
}
