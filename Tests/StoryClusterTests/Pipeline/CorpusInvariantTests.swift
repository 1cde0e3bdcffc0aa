import Foundation
import StoryCluster
import StoryClusterTestSupport
import Testing

/// Invariants on the real corpora in `../shared/data` (skipped when a fresh clone has none; the
/// committed samples are always checked).
struct CorpusInvariantTests {
  static let corpora: [String] = {
    let shared = [
      "ecbplus/dev.jsonl", "uci-news-aggregator-prefix/dev.jsonl", "sts-headlines/articles.jsonl",
      "bbc-fulltext/all.jsonl",
    ].compactMap(RepositoryPaths.sharedData)
    let samples = ["ecbplus-dev-sample", "uci-dev-sample"].compactMap {
      Bundle.module.url(
        forResource: "samples/\($0)", withExtension: "jsonl", subdirectory: "Fixtures")?.path
    }
    return samples + shared
  }()

  @Test(arguments: corpora)
  func everyArticleAppearsExactlyOnce(path: String) throws {
    let corpus = CorpusReader().read([path])
    let report = try Engine().run(corpus)
    let members = report.clusters.flatMap(\.members)
    #expect(members.count == corpus.articles.count)
    #expect(Set(members) == Set(corpus.articles.map(\.id)))
    #expect(report.articlesIn == report.articlesOut + report.skipped.count)
    // Clusters in order: size descending, then smallest id.
    for (x, y) in zip(report.clusters, report.clusters.dropFirst()) {
      #expect(
        x.size > y.size
          || (x.size == y.size && x.members[0].utf8.lexicographicallyPrecedes(y.members[0].utf8)))
    }
    // Pairs: scores in [0, 1], ranked by score then ids.
    for p in report.pairs { #expect(p.score >= 0 && p.score <= 1 && !p.score.isNaN) }
    for (x, y) in zip(report.pairs, report.pairs.dropFirst()) { #expect(x.score >= y.score) }
  }

  @Test(arguments: corpora)
  func rowsAreUnitAndScoresMatchExactCosine(path: String) throws {
    let corpus = CorpusReader().read([path])
    let (_, matrix) = try TFIDFVectorizer().fitTransform(texts: corpus.articles.map(\.text))
    for r in 0..<matrix.rowCount where matrix.rowStarts[r + 1] > matrix.rowStarts[r] {
      #expect(abs(matrix.norm(r) - 1) <= 1e-6)
      #expect(abs(matrix.dot(r, r) - 1) <= 1e-6)  // self-similarity is 1
    }
    let result = SimilarityKernel(configuration: .init(neighborCount: 5, threshold: 0.4)).run(
      matrix)
    var seen = Set<[Int]>()
    for p in result.pairs {
      #expect(abs(p.score - matrix.dot(p.a, p.b)) <= 1e-5)
      #expect(abs(matrix.dot(p.a, p.b) - matrix.dot(p.b, p.a)) <= 1e-12)  // symmetric
      seen.insert([p.a, p.b])
    }
    // Exhaustive check of the pair set on the smaller corpora.
    if matrix.rowCount <= 600 {
      for a in 0..<matrix.rowCount {
        for b in (a + 1)..<matrix.rowCount {
          let exact = matrix.dot(a, b)
          if exact >= 0.4 + 1e-5 { #expect(seen.contains([a, b]), "missing \(a),\(b) \(exact)") }
          if exact < 0.4 - 1e-5 { #expect(!seen.contains([a, b])) }
        }
      }
    }
    for (row, list) in result.neighbors.enumerated() {
      for n in list { #expect(n.index != row && n.score > 0 && n.score <= 1) }
    }
  }

  @Test(arguments: corpora)
  func pairScoresAreSymmetricBoundedAndOneOnThemselves(path: String) throws {
    let corpus = CorpusReader().read([path])
    let run = try Engine().evaluate(corpus, thresholds: [5])
    var generator = SeededGenerator(seed: 7)
    let n = run.ids.count
    for _ in 0..<2_000 {
      let a = Int.random(in: 0..<n, using: &generator)
      let b = Int.random(in: 0..<n, using: &generator)
      let score = run.score(a, b)
      #expect(score >= 0 && score <= 1 && !score.isNaN)
      #expect(score == run.score(b, a))
      if a == b { #expect(score == 1) }
    }
    for pair in run.pairs.prefix(500) {
      #expect(run.score(pair.a, pair.b) >= 0 && run.score(pair.a, pair.b) <= 1)
    }
  }
}
