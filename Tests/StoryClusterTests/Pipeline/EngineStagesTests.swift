import Foundation
import StoryCluster
import StoryClusterTestSupport
import Testing

/// The stages composed by hand give exactly what `Engine.run` gives, and each stage can be
/// entered with state from outside.
struct EngineStagesTests {
  static let samples = ["ecbplus-dev-sample.jsonl", "uci-dev-sample.jsonl"].map {
    RepositoryPaths.root.appendingPathComponent("Tests/StoryClusterTests/Fixtures/samples/\($0)")
      .path
  }

  static var configurations: [(String, EngineConfiguration)] {
    var online = EngineConfiguration()
    online.linkage = .online
    var weighted = EngineConfiguration()
    weighted.titleWeight = 3
    weighted.stripsBoilerplate = true
    return [
      ("news", EngineConfiguration()), ("sklearn", .sklearn), ("online", online),
      ("title weight 3, boilerplate", weighted),
    ]
  }

  @Test(arguments: samples, 0..<4)
  func stagesByHandEqualRun(path: String, configurationIndex: Int) throws {
    let (_, configuration) = Self.configurations[configurationIndex]
    let engine = try Engine(configuration: configuration)
    let corpus = CorpusReader().read([path])
    let report = try engine.run(corpus)

    let analysed = engine.analyse(corpus)
    let vectors = try engine.vectorize(analysed)
    // Exact copies are one row from the kernel to clustering.
    let duplicates = engine.duplicateGroups(vectors)
    let distinct = duplicates.collapse(vectors)
    let collapsed = duplicates.collapse(analysed)
    let similarity = engine.similarity(distinct, corpus: collapsed)
    let graph = engine.storyGraph(similarity, vectors: distinct, corpus: collapsed)
    let stories = duplicates.expand(engine.stories(graph, count: duplicates.count))
    let clusters = engine.describe(stories, vectors: vectors, corpus: analysed)
    let pairs = try engine.rankPairs(
      duplicates.expand(similarity.pairs), vectors: vectors, corpus: analysed)

    #expect(clusters == report.clusters)
    #expect(pairs == report.pairs)
    #expect(stories.threshold == report.clusterThreshold)
    #expect(stories.background == report.background)
    #expect(analysed.articlesIn == report.articlesIn && analysed.count == report.articlesOut)
    // Every row in exactly one story.
    #expect(stories.groups.flatMap { $0 }.sorted() == Array(0..<analysed.count))
  }

  @Test func vectorizingWithAFittedModelEqualsFitting() throws {
    let engine = try Engine()
    let analysed = engine.analyse(CorpusReader().read([Self.samples[0]]))
    let fitted = try engine.vectorize(analysed)
    let entered = engine.vectorize(analysed, using: fitted.model)
    #expect(entered.matrix == fitted.matrix)
    #expect(entered.model.vocabulary == fitted.model.vocabulary)
  }

  @Test func aModelFromAnotherCorpusDropsUnknownTerms() throws {
    let engine = try Engine()
    let old = engine.analyse(
      Corpus(articles: [
        Article(id: "a", title: "Storm hits coast", body: ""),
        Article(id: "b", title: "Markets rally", body: ""),
      ]))
    let model = try engine.vectorize(old).model
    let new = engine.analyse(
      Corpus(articles: [Article(id: "c", title: "Storm over markets", body: "")]))
    let vectors = engine.vectorize(new, using: model)
    // "storm" and "markets" are known (columns 1 and 3 of coast, hits, markets, rally, storm…);
    // the stop word "over" is dropped by analysis, nothing else is unknown.
    let terms = vectors.matrix.row(0).map { model.vocabulary[$0.0] }
    #expect(terms == ["markets", "storm"])
  }

  @Test func analyseRepeatsTheTitleAndStripsBoilerplate() throws {
    var configuration = EngineConfiguration()
    configuration.titleWeight = 3
    let engine = try Engine(configuration: configuration)
    let analysed = engine.analyse(
      Corpus(articles: [
        Article(id: "b", title: "Storm", body: "It rained."),
        Article(id: "a", title: "", body: "No title here."),
      ]))
    // Rows in id order; the title counts three times in all, once it has a body.
    #expect(analysed.ids == ["a", "b"])
    #expect(analysed.texts == ["No title here.", "Storm\nStorm\nStorm\nIt rained."])
    #expect(analysed.articlesIn == 2 && analysed.skipped.isEmpty)
  }

  @Test func analyseCarriesTheCorpusProblemsAsSkipped() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "stages-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("a.jsonl")
    try Data("{\"id\": \"x\", \"title\": \"Hello\"}\n{\"id\": 3}\n".utf8).write(to: file)
    let analysed = try Engine().analyse(CorpusReader().read([file.path]))
    #expect(analysed.ids == ["x"])
    #expect(analysed.articlesIn == 2)
    #expect(
      analysed.skipped == [
        SkippedArticle(
          location: "\(file.path):2", reason: "field \"id\" must be a string, found a number")
      ])
  }

  @Test func evaluateClustersAsRunDoes() throws {
    let engine = try Engine()
    let corpus = CorpusReader().read([Self.samples[0]])
    let report = try engine.run(corpus)
    let run = try engine.evaluate(corpus, thresholds: [try #require(engine.configuration.lift)])
    // The same partition: rows with equal labels are exactly the report's clusters.
    var groups: [Int: [String]] = [:]
    for (row, label) in run.labels[0].enumerated() {
      groups[label, default: []].append(run.ids[row])
    }
    #expect(Set(groups.values) == Set(report.clusters.map(\.members)))
    #expect(run.clusterThresholds == [report.clusterThreshold])
  }
}
