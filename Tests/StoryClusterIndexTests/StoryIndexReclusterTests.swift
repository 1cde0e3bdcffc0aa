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
  /// Both collapse copies before their stages, but not quite the same ones: the engine's are
  /// texts with one token sequence, the index's texts with the same terms, names and years
  /// (``RowCopies``: it keeps no text). So the articles here are the sample's without either
  /// kind of copy (`copiesCountOnce` checks them).
  ///
  /// With a tight graph (each article's 10 strongest edges, a one-day window) the bound and the
  /// window are the engine's too: the index runs the engine's own kernel stage for its graph
  /// (`Engine.graphSimilarity`), not a kernel of its own at the floor.
  ///
  /// Both story rules: the batch defaults' (the part's between-story background) and the
  /// all-pairs background at lift 5 of an index made with `--seed-threshold 0`.
  @Test(arguments: ["ecbplus-dev-sample.jsonl", "uci-dev-sample.jsonl"], [false, true])
  func oneBatchGivesTheBatchEnginesStories(sample: String, tight: Bool) throws {
    for allPairs in [false, true] {
      try oneBatchGivesTheBatchEnginesStories(sample: sample, tight: tight, allPairs: allPairs)
    }
  }

  func oneBatchGivesTheBatchEnginesStories(sample: String, tight: Bool, allPairs: Bool) throws {
    var settings = StoryIndexSettings()
    if allPairs {
      settings.engine.seedThreshold = nil
      settings.engine.lift = 5
    }
    if tight {
      settings.engine.graphEdgeCount = settings.engine.neighborCount
      settings.engine.windowDays = 1
      settings.windowDays = 1
    }
    let articles = try withoutCopies(sampleArticles(sample), settings: settings)
    let index = try StoryIndex.create(at: temporaryIndexPath(), settings: settings)
    _ = try index.add(articles)
    let report = try Engine(configuration: index.settings.engine).run(Corpus(articles: articles))
    let batch = Set(report.clusters.map { Set($0.members) })
    let indexed = Set(try index.stories().map { Set($0.members) })
    #expect(indexed == batch, "all pairs: \(allPairs)")
    #expect(batch.count > 1 && batch.count < articles.count)
  }

  /// A batch touches the stories its articles' edges in the batch engine's bounded graph reach
  /// (each article's `graphEdgeCount` strongest candidates at the floor), not every story with a
  /// candidate at the floor: at a feed's density that was nearly the whole window, re-clustered
  /// for every one-article query. With 10 edges an article touches at most 10 stories; with the
  /// default 200 the same queries touch more (so the bound is what holds them to 10).
  @Test func aQueryTouchesTheStoriesOfItsBoundedEdges() throws {
    let articles = sampleArticles("uci-dev-sample.jsonl").sorted {
      ($0.timestamp ?? 0, $0.id) < ($1.timestamp ?? 0, $1.id)
    }
    let stored = Array(articles.dropLast(10))
    var touched: [Int: Int] = [:]  // edge bound → the most stories one query touched
    for bound in [10, 200] {
      var settings = StoryIndexSettings()
      settings.engine.graphEdgeCount = bound
      let index = try StoryIndex.create(at: temporaryIndexPath(), settings: settings)
      _ = try index.add(stored)
      for article in articles.suffix(10) {
        touched[bound] = max(touched[bound] ?? 0, try index.query([article]).touchedStories)
      }
    }
    #expect((touched[10] ?? 0) >= 1 && (touched[10] ?? 0) <= 10, "\(touched)")
    #expect((touched[200] ?? 0) > 10, "\(touched)")
  }

  /// A small part's between-story background is shrunk toward the index's last one, not the
  /// engine's fixed prior: one article's part keeps few pairs apart, or none, and the engine's
  /// prior (0.01) would put its threshold at lift × 0.01 whatever the corpus (on UCI headlines,
  /// sixteen times `cluster run`'s). After a first batch, a one-article add whose first pass
  /// keeps nothing apart takes the index's background exactly, none falls back to the engine's
  /// prior, and they stay near the first batch's (the build before: four of ten at 0.01
  /// exactly, mean 0.0068).
  @Test func aSmallPartInheritsTheIndexsBackground() throws {
    let articles = sampleArticles("uci-dev-sample.jsonl").sorted {
      ($0.timestamp ?? 0, $0.id) < ($1.timestamp ?? 0, $1.id)
    }
    let settings = StoryIndexSettings()
    let prior = settings.engine.storyGraphSettings.backgroundPrior
    let index = try StoryIndex.create(at: temporaryIndexPath(), settings: settings)
    let first = try index.add(Array(articles.dropLast(10)))
    #expect(first.background < prior / 4, "\(first.background)")
    var backgrounds = [first.background]
    for article in articles.suffix(10) {
      backgrounds.append(try index.add([article]).background)
      #expect(backgrounds.last == (try index.lastThreshold().background))
    }
    let added = backgrounds.dropFirst()
    #expect(!added.contains(prior), "\(backgrounds)")
    #expect(zip(backgrounds, added).contains { $0 == $1 }, "\(backgrounds)")
    #expect(added.reduce(0, +) / Double(added.count) < prior / 2, "\(backgrounds)")
  }

  /// Each live article's story id in `index`.
  func storyOfArticle(in index: StoryIndex) throws -> [String: Int] {
    var story: [String: Int] = [:]
    for s in try index.stories() { for m in s.members { story[m] = s.id } }
    return story
  }

  /// The B-cubed scores of `predicted` (article id → cluster) against the articles' stories.
  func bcubed(_ articles: [Article], _ predicted: [String: Int]) -> ClusterScores {
    ClusterScores(
      gold: ClusterScores.labels(gold: articles.map(\.story)),
      predicted: articles.map { predicted[$0.id] ?? -1 })
  }

  /// `articles` without the engine's exact copies and without texts whose TF-IDF row repeats
  /// an earlier one's (the index's copies are a subset of the latter).
  func withoutCopies(_ articles: [Article], settings: StoryIndexSettings) throws -> [Article] {
    let engine = try Engine(configuration: settings.engine)
    let exact = Set(
      try engine.run(Corpus(articles: articles)).pairs.filter { $0.kind == .exact }.map(\.b))
    let kept = Corpus(articles: articles.filter { !exact.contains($0.id) })
    let analysed = engine.analyse(kept)
    let matrix = try engine.vectorize(analysed).matrix
    var seen = Set<[UInt32]>()
    var sameRow = Set<String>()
    for r in 0..<matrix.rowCount {
      let key = matrix.row(r).flatMap { [UInt32($0.column), $0.value.bitPattern] }
      if !seen.insert(key).inserted { sameRow.insert(analysed.ids[r]) }
    }
    return kept.articles.filter { !sameRow.contains($0.id) }
  }

  /// Copies count once, as in the batch engine: 300 copies of one article added with the
  /// others all land in its story, and the stories are exactly `cluster run`'s over the same
  /// articles and copies. Without the collapse the copies' pairs of cosine 1 drove the
  /// background up and the threshold with it, and a flood of copies came out as stories of one.
  ///
  /// The names are left out here: the index's names frequencies count every article, copies
  /// included (as both count the words'), where the engine reads the names of distinct texts
  /// only, so with copies and names the two backgrounds differ in the fourth decimal.
  @Test func copiesCountOnce() throws {
    var settings = StoryIndexSettings()
    settings.engine.namesWeight = 0
    let articles = try withoutCopies(sampleArticles("ecbplus-dev-sample.jsonl"), settings: settings)
    let original = articles[0]
    let copies = (0..<300).map {
      Article(
        id: "~copy\($0)", title: original.title, body: original.body, date: original.date)
    }
    let index = try StoryIndex.create(at: temporaryIndexPath(), settings: settings)
    let result = try index.add(articles + copies)
    #expect(result.placements.count == articles.count + copies.count)
    let storyOf = Dictionary(uniqueKeysWithValues: result.placements.map { ($0.id, $0.story) })
    for copy in copies { #expect(storyOf[copy.id] == storyOf[original.id]) }
    let report = try Engine(configuration: index.settings.engine).run(
      Corpus(articles: articles + copies))
    #expect(
      Set(try index.stories().map { Set($0.members) })
        == Set(report.clusters.map { Set($0.members) }))
  }

  /// Fed in date order ten at a time, an article changes story only by a merge (an absorbed
  /// story's members follow it into the older id, which is smaller) or a recorded move into a
  /// story that existed before the batch; a new story always takes a fresh id.
  @Test func articlesChangeStoryOnlyByMergesAndRecordedMoves() throws {
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
      var movedTo: [String: Int] = [:]
      for move in result.moves {
        #expect(storyOf[move.id] == move.from && move.to <= highest && move.to != move.from)
        movedTo[move.id] = move.to
      }
      let now = try storyOfArticle(in: index)
      for (id, story) in storyOf {
        #expect(now[id] == movedTo[id] ?? into[story] ?? story, "\(id)")
      }
      storyOf = now
      highest = max(highest, storyOf.values.max() ?? 0)
    }
    #expect(storyOf.count == articles.count)
    #expect(mergeCount > 0, "no merge to check")
    #expect(try index.check() == [])
  }

  /// Twin events apart one article at a time: fed by id, the ECB+ sample's second event of a
  /// topic first lands in the first event's story (its only like articles), and once it has a
  /// story of its own the re-clustering moves those articles there. Every story is then one
  /// event (B-cubed precision 1; 0.925 when placements were never taken back), each move is in
  /// both stories' lineage, and `index check` passes.
  @Test func placementsAreTakenBackWhenTwinEventsComeApart() throws {
    let articles = sampleArticles("ecbplus-dev-sample.jsonl").sorted { $0.id < $1.id }
    let index = try StoryIndex.create(at: temporaryIndexPath(), settings: StoryIndexSettings())
    var moves: [Move] = []
    for article in articles { moves += try index.add([article]).moves }
    let scores = bcubed(articles, try storyOfArticle(in: index))
    #expect(scores.bcubedPrecision == 1)
    #expect(scores.bcubedRecall > 0.6, "\(scores.bcubedRecall)")
    #expect(!moves.isEmpty)
    for move in moves {
      let events = try index.story(move.to).lineage
      #expect(events.contains { $0.kind == "took" && $0.other == move.from })
    }
    #expect(try index.check() == [])
  }

  /// ECB+ DEV fed one article at a time (by id; it is undated) ends within 0.02 of the batch
  /// default's B-cubed F1 on the same articles, the index's quality target: 0.951 against
  /// 0.951 with the index's own background prior, 0.945 before it, 0.815 when placements were
  /// never taken back.
  @Test(.enabled(if: RepositoryPaths.isSharedDataPresent))
  func ecbPlusOneAtATimeIsWithinTwoHundredthsOfTheBatch() throws {
    let corpus = CorpusReader().read([try #require(RepositoryPaths.sharedData("ecbplus/dev.jsonl"))]
    )
    let articles = corpus.articles.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
    let report = try Engine().run(Corpus(articles: articles))
    var batch: [String: Int] = [:]
    for (k, cluster) in report.clusters.enumerated() { for m in cluster.members { batch[m] = k } }
    let index = try StoryIndex.create(at: temporaryIndexPath(), settings: StoryIndexSettings())
    for article in articles { _ = try index.add([article]) }
    let batchF1 = bcubed(articles, batch).bcubedF1
    let indexF1 = bcubed(articles, try storyOfArticle(in: index)).bcubedF1
    #expect(indexF1 >= batchF1 - 0.02, "index \(indexF1), batch \(batchF1)")
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
