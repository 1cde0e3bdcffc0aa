import Foundation
import StoryCluster
import StoryClusterTestSupport
import Testing

@testable import StoryClusterIndex

/// The index places articles with the batch engine's own stages on the part of the window a
/// batch touches, and reconciles the result with the stored stories.
@Suite struct StoryIndexReclusterTests {
  /// One batch into an empty index is one batch run: the index's stories are exactly the
  /// batch engine's (`cluster run` with the same settings), member for member.
  ///
  /// The batch engine collapses exact copies to one row (its "Duplicate floods"); the index does
  /// not yet, so the articles here are the sample's without its exact copies.
  ///
  /// With a tight graph (each article's 10 strongest edges, a one-day window) the bound and the
  /// window are the engine's too: the index runs the engine's own kernel stage for its graph
  /// (`Engine.graphSimilarity`), not a kernel of its own at the floor.
  @Test(arguments: ["ecbplus-dev-sample.jsonl", "uci-dev-sample.jsonl"], [false, true])
  func oneBatchGivesTheBatchEnginesStories(sample: String, tight: Bool) throws {
    var settings = StoryIndexSettings()
    if tight {
      settings.engine.graphEdgeCount = settings.engine.neighborCount
      settings.engine.windowDays = 1
      settings.windowDays = 1
    }
    let all = sampleArticles(sample)
    let copies = Set(
      try Engine(configuration: settings.engine).run(Corpus(articles: all)).pairs
        .filter { $0.kind == .exact }.map(\.b))
    let articles = all.filter { !copies.contains($0.id) }
    let index = try StoryIndex.create(at: temporaryIndexPath(), settings: settings)
    _ = try index.add(articles)
    let report = try Engine(configuration: index.settings.engine).run(Corpus(articles: articles))
    let batch = Set(report.clusters.map { Set($0.members) })
    let indexed = Set(try index.stories().map { Set($0.members) })
    #expect(indexed == batch)
    #expect(batch.count > 1 && batch.count < articles.count)
  }

  /// Fed in date order ten at a time, stories never split: articles that shared a story still
  /// share one after every later add (an absorbed story's members follow it into the older id,
  /// which is smaller), and a new story always takes a fresh id.
  @Test func storiesNeverSplitAndMergesKeepTheOlderID() throws {
    let articles = sampleArticles("uci-dev-sample.jsonl").sorted {
      ($0.timestamp ?? 0, $0.id) < ($1.timestamp ?? 0, $1.id)
    }
    let index = try StoryIndex.create(at: temporaryIndexPath(), settings: StoryIndexSettings())
    var storyOf: [String: Int] = [:]
    var highest = 0
    var mergeCount = 0
    for start in stride(from: 0, to: articles.count, by: 10) {
      let result = try index.add(Array(articles[start..<min(articles.count, start + 10)]))
      for merge in result.merges {
        #expect(merge.into < merge.absorbed)
        mergeCount += 1
      }
      let into = Dictionary(uniqueKeysWithValues: result.merges.map { ($0.absorbed, $0.into) })
      for placement in result.placements where placement.status == .new {
        #expect(placement.story > highest)
      }
      var now: [String: Int] = [:]
      for story in try index.stories() { for member in story.members { now[member] = story.id } }
      for (id, story) in storyOf { #expect(now[id] == (into[story] ?? story), "\(id)") }
      storyOf = now
      highest = max(highest, storyOf.values.max() ?? 0)
    }
    #expect(storyOf.count == articles.count)
    #expect(mergeCount > 0, "no merge to check")
    #expect(try index.check() == [])
  }

  /// When the part is the whole window, the window's background is the story graph's own: the
  /// index's mean cosine and its un-shrinking of the part's background are exact.
  @Test func theWholeWindowsBackgroundIsTheStoryGraphs() throws {
    let articles = sampleArticles("ecbplus-dev-sample.jsonl")
    let settings = StoryIndexSettings()
    let engine = try Engine(configuration: settings.engine)
    let analysed = engine.analyse(Corpus(articles: articles))
    let vectors = try engine.vectorize(analysed)
    let graph = engine.storyGraph(
      engine.similarity(vectors, corpus: analysed), vectors: vectors, corpus: analysed)
    var rows = WeightedRows()
    for r in 0..<vectors.matrix.rowCount {
      let entries = vectors.matrix.row(r)
      rows.append(terms: entries.map { Int32($0.column) }, values: entries.map(\.value))
    }
    let background = StoryIndex.windowBackground(
      part: rows, partBackground: graph.background, window: rows,
      termCount: vectors.matrix.columnCount, settings: settings.engine.storyGraphSettings)
    #expect(abs(background - graph.background) <= 1e-12 * graph.background)
    #expect(graph.background > settings.engine.storyGraphSettings.backgroundPrior)
  }
}
