import Foundation
import StoryCluster
import StoryClusterTestSupport
import Testing

@testable import StoryClusterIndex

/// A fresh path for an index in a temporary folder.
func temporaryIndexPath(_ name: String = "index.db") -> String {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "storyindex-\(UUID().uuidString)")
  try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder.appendingPathComponent(name).path
}

/// The samples the engine's tests use.
func sampleArticles(_ name: String) -> [Article] {
  let path = RepositoryPaths.root.appendingPathComponent(
    "Tests/StoryClusterTests/Fixtures/samples/\(name)"
  ).path
  return CorpusReader(threads: 1).read([path]).articles
}

func article(_ id: String, _ text: String, date: String? = nil) -> Article {
  Article(id: id, title: "", body: text, date: date)
}

@Suite struct StoryIndexTests {
  /// The cosine `query` reports for an article and its best match equals the batch engine's
  /// (`cluster run`'s vectorise stage) over the index's articles plus the queried ones.
  @Test(arguments: ["ecbplus-dev-sample.jsonl", "uci-dev-sample.jsonl"])
  func queryCosineEqualsTheBatchEngines(sample: String) throws {
    let articles = sampleArticles(sample)
    let stored = Array(articles.prefix(articles.count * 2 / 3))
    let queried = Array(articles.dropFirst(stored.count))
    let index = try StoryIndex.create(at: temporaryIndexPath(), settings: StoryIndexSettings())
    _ = try index.add(Array(stored.prefix(20)))
    _ = try index.add(Array(stored.dropFirst(20)))
    let result = try index.query(queried)
    let engine = try Engine(configuration: index.settings.engine)
    let analysed = engine.analyse(Corpus(articles: articles))
    let vectors = try engine.vectorize(analysed)
    var row: [String: Int] = [:]
    for (r, id) in analysed.ids.enumerated() { row[id] = r }
    var compared = 0
    for placement in result.placements {
      guard let match = placement.bestMatch, let a = row[placement.id], let b = row[match] else {
        continue
      }
      let batch = vectors.matrix.dot(a, b)
      #expect(abs(placement.score - batch) <= 1e-5, "\(placement.id) – \(match)")
      compared += 1
    }
    #expect(compared >= queried.count / 2)
    // Query wrote nothing.
    #expect(try index.statistics().articles == stored.count)
    #expect(try index.check() == [])
  }

  /// Every cosine of the batch × candidates block equals the sparse dot product of the engine's
  /// rows, not only the best match's.
  @Test func blockScorerEqualsSparseDotProducts() throws {
    let articles = sampleArticles("ecbplus-dev-sample.jsonl")
    let engine = try Engine(configuration: StoryIndexSettings().engine)
    let vectors = try engine.vectorize(engine.analyse(Corpus(articles: articles)))
    func rows(_ range: Range<Int>) -> WeightedRows {
      var out = WeightedRows()
      for r in range {
        let entries = vectors.matrix.row(r)
        out.append(terms: entries.map { Int32($0.column) }, values: entries.map(\.value))
      }
      return out
    }
    let batch = rows(0..<30)
    let candidates = rows(10..<82)
    let block = BlockScorer.cosines(batch: batch, candidates: candidates)
    for i in 0..<30 {
      for j in 0..<72 {
        #expect(abs(Double(block[i * 72 + j]) - vectors.matrix.dot(i, 10 + j)) <= 1e-5)
      }
    }
  }

  /// One or two batch rows (a query) are scored directly against each candidate instead of
  /// through posting lists: every cosine is bit for bit the posting lists' (the same products,
  /// added in ascending term order), for all candidates and for a subset in another order.
  @Test func directScoringOfFewRowsEqualsPostingLists() throws {
    let articles = sampleArticles("uci-dev-sample.jsonl")
    let engine = try Engine(configuration: StoryIndexSettings().engine)
    let vectors = try engine.vectorize(engine.analyse(Corpus(articles: articles)))
    var rows = WeightedRows()
    for r in 0..<vectors.matrix.rowCount {
      let entries = vectors.matrix.row(r)
      rows.append(terms: entries.map { Int32($0.column) }, values: entries.map(\.value))
    }
    let n = rows.count
    #expect(BlockScorer.directRowLimit >= 2)
    let all = (0..<Int32(n)).map { $0 }
    let subset = stride(from: Int32(n - 1), through: 0, by: -3).map { $0 }
    for columns in [all, subset] {
      let c = columns.count
      // Rows 5..<25 through posting lists; the same rows one and two at a time, directly.
      let block = BlockScorer.cosines(
        batch: rows, rows: 5..<25, candidates: rows, columns: columns, threads: 1)
      for first in stride(from: 5, to: 25, by: 2) {
        for width in [1, 2] {
          let direct = BlockScorer.cosines(
            batch: rows, rows: first..<(first + width), candidates: rows, columns: columns)
          let expected = Array(block[((first - 5) * c)..<((first - 5 + width) * c)])
          #expect(direct.map(\.bitPattern) == expected.map(\.bitPattern), "rows from \(first)")
        }
      }
    }
  }

  /// Weighing rows on threads, each into its place, gives the weights of weighing them one by
  /// one, for any thread count: seeded rows with counts across the tf table's edge (64).
  @Test func weighingOnThreadsEqualsOneByOne() {
    var generator = SeededGenerator(seed: 5)
    let termCount = 3_000
    let df = (0..<termCount).map { _ in Int32.random(in: 1...400, using: &generator) }
    let entries: [[(term: Int32, count: Int32)]] = (0..<257).map { r in
      if r % 50 == 7 { return [] }
      let terms = Set(
        (0..<Int.random(in: 1...120, using: &generator)).map { _ in
          Int32.random(in: 0..<Int32(termCount), using: &generator)
        }
      ).sorted()
      return terms.map { ($0, Int32.random(in: 1...90, using: &generator)) }
    }
    let weigher = TermWeigher(
      configuration: StoryIndexSettings().engine.vectorizer, df: df, n: 500)
    var oneByOne = WeightedRows()
    var serial = weigher
    for row in entries { serial.append(row, to: &oneByOne) }
    for threads in [1, 2, 3] {
      let rows = weigher.rows(count: entries.count, threads: threads) { entries[$0] }
      #expect(rows.starts == oneByOne.starts)
      #expect(rows.terms == oneByOne.terms)
      #expect(rows.values.map(\.bitPattern) == oneByOne.values.map(\.bitPattern))
    }
  }

  /// A batch is scored in chunks of rows, each against only the candidates its rows may
  /// compare with (the window's, the recent undated ones, the batch's own earlier articles):
  /// with a budget of one row's cosines at a time, the two adds' results (placements, best
  /// matches and scores, merges, moves) are those of one block. A narrow window and few undated
  /// candidates make the chunks' reach leave candidates out, dated (UCI) and undated (ECB+).
  @Test(arguments: ["ecbplus-dev-sample.jsonl", "uci-dev-sample.jsonl"], [false, true])
  func scoringInChunksPlacesAsOneBlock(sample: String, narrow: Bool) throws {
    let articles = sampleArticles(sample)
    var settings = StoryIndexSettings()
    if narrow {
      settings.windowDays = 0.05
      settings.undatedCandidates = 20
    }
    var results: [[AddResult]] = []
    for budget in [StoryIndex.defaultBlockBudget, 1] {
      let index = try StoryIndex.create(at: temporaryIndexPath(), settings: settings)
      index.blockBudget = budget
      let half = articles.count / 2
      results.append([
        try index.add(Array(articles[..<half])), try index.add(Array(articles[half...])),
      ])
    }
    for (one, chunked) in zip(results[0], results[1]) {
      let differing = zip(one.placements, chunked.placements).filter { $0 != $1 }.map(\.0.id)
      let isSame = one == chunked
      #expect(isSame, "placements differing: \(differing)")
    }
    let placements = results[0].flatMap(\.placements)
    #expect(placements.count == articles.count)
    #expect(placements.contains { $0.bestMatch != nil })
    #expect(placements.contains { $0.status == .joined })
  }

  @Test func everyArticleIsInExactlyOneLiveStory() throws {
    let articles = sampleArticles("uci-dev-sample.jsonl")
    let path = temporaryIndexPath()
    let index = try StoryIndex.create(at: path, settings: StoryIndexSettings())
    var placed: [String: Int] = [:]
    for start in stride(from: 0, to: articles.count, by: 50) {
      let result = try index.add(Array(articles[start..<min(articles.count, start + 50)]))
      for p in result.placements { placed[p.id] = p.story }
      for move in result.moves { placed[move.id] = move.to }
      for merge in result.merges {
        for (id, story) in placed where story == merge.absorbed { placed[id] = merge.into }
      }
    }
    let stories = try index.stories()
    var seen: [String: Int] = [:]
    for story in stories {
      #expect(story.size == story.members.count)
      #expect(story.members.contains(story.representative))
      for member in story.members {
        #expect(seen[member] == nil)
        seen[member] = story.id
      }
    }
    #expect(seen == placed)
    #expect(seen.count == articles.count)
    #expect(try index.check() == [])
    // Reopened, the same.
    let again = try StoryIndex(opening: path)
    #expect(try again.stories() == stories)
  }

  @Test func storyIdsNeverChangeAndAreNeverReused() throws {
    var settings = StoryIndexSettings()
    settings.engine.lift = nil
    settings.engine.threshold = 0.3
    let index = try StoryIndex.create(at: temporaryIndexPath(), settings: settings)
    let first = try index.add([
      article("a", "volcano erupts near village, ash cloud grounds flights"),
      article("b", "central bank raises interest rates to fight inflation"),
    ])
    #expect(first.placements.map(\.story) == [1, 2])
    #expect(first.placements.map(\.status) == [.new, .new])
    let second = try index.add([
      article("c", "volcano ash cloud grounds more flights near village"),
      article("d", "football club wins the cup final"),
    ])
    #expect(second.placements.map(\.id) == ["c", "d"])
    #expect(second.placements.map(\.story) == [1, 3])
    #expect(second.placements.map(\.status) == [.joined, .new])
    #expect(second.placements[0].bestMatch == "a")
    let stories = try index.stories()
    #expect(stories.map(\.id) == [1, 2, 3])
    #expect(stories[0].members == ["a", "c"])
  }

  @Test func articlesTyingTwoStoriesMergeThemIntoTheOlderId() throws {
    var settings = StoryIndexSettings()
    settings.engine.lift = nil
    settings.engine.threshold = 0.2
    let path = temporaryIndexPath()
    let index = try StoryIndex.create(at: path, settings: settings)
    _ = try index.add([article("a", "alpha bravo charlie")])
    _ = try index.add([article("b", "delta echo foxtrot")])
    let tie = try index.add([article("c", "alpha bravo charlie delta echo foxtrot")])
    #expect(tie.placements[0].story == 1)
    #expect(tie.merges.map(\.absorbed) == [2])
    #expect(tie.merges.map(\.into) == [1])
    let detail = try index.story(2)
    #expect(detail.id == 1)
    #expect(detail.mergedThrough == [2])
    #expect(detail.members.map(\.id) == ["a", "b", "c"])
    #expect(detail.lineage.map(\.kind) == ["created", "created", "grew", "absorbed", "merged"])
    #expect(try index.stories().map(\.id) == [1])
    #expect(try index.check() == [])
    // A new story after the merge takes a new id, never 2.
    let next = try index.add([article("d", "golf hotel india")])
    #expect(next.placements[0].story == 3)
  }

  @Test func expiredArticlesLeaveButTheirStoriesStayAsHistory() throws {
    var settings = StoryIndexSettings()
    settings.engine.lift = nil
    settings.engine.threshold = 0.2
    let index = try StoryIndex.create(at: temporaryIndexPath(), settings: settings)
    _ = try index.add([
      article("old1", "alpha bravo charlie", date: "2024-01-01T00:00:00Z"),
      article("old2", "alpha bravo delta", date: "2024-01-01T06:00:00Z"),
      article("new1", "echo foxtrot golf", date: "2024-03-01T00:00:00Z"),
    ])
    let cutoff = try #require(Article(id: "x", title: "x", body: "", date: "2024-02-01").timestamp)
    let expired = try index.expire(before: cutoff)
    #expect(expired.articles == 2)
    #expect(expired.stories == 1)
    #expect(try index.stories().map(\.members) == [["new1"]])
    let history = try index.story(1)
    #expect(history.state == "expired")
    #expect(history.members.isEmpty)
    #expect(history.lineage.map(\.kind) == ["created", "grew", "expired"])
    #expect(try index.check() == [])
    #expect(try index.statistics().articles == 1)
    // An article like the expired ones starts a new story: they are out of every window.
    let again = try index.add([
      article("late", "alpha bravo charlie", date: "2024-03-01T01:00:00Z")
    ])
    #expect(again.placements[0].story == 3)
    #expect(again.placements[0].bestMatch == "new1" || again.placements[0].bestMatch == nil)
  }

  @Test func anIdAlreadyIndexedIsALocatedErrorAndNothingIsAdded() throws {
    let index = try StoryIndex.create(at: temporaryIndexPath(), settings: StoryIndexSettings())
    _ = try index.add([article("a", "alpha bravo"), article("b", "charlie delta")])
    let batch = [
      Article(
        id: "a", title: "", body: "echo", location: SourceLocation(path: "in.jsonl", line: 1)),
      Article(
        id: "c", title: "", body: "golf", location: SourceLocation(path: "in.jsonl", line: 2)),
      Article(
        id: "b", title: "", body: "hotel", location: SourceLocation(path: "in.jsonl", line: 3)),
    ]
    #expect(throws: IndexError.self) { _ = try index.add(batch) }
    do {
      _ = try index.add(batch)
    } catch {
      #expect(
        error.description
          == "in.jsonl:1: error: id \"a\" is already in the index (story 1)\n"
          + "in.jsonl:3: error: id \"b\" is already in the index (story 2)")
      #expect(error.exitCode == 65)
    }
    #expect(try index.statistics().articles == 2)
    let skipped = try index.add(batch, skippingDuplicates: true)
    #expect(skipped.placements.map(\.id) == ["c"])
    #expect(skipped.duplicates.map(\.id) == ["a", "b"])
    #expect(try index.check() == [])
  }

  @Test func badFilesAreClearErrors() throws {
    let garbage = temporaryIndexPath("garbage.db")
    try Data(repeating: 0x41, count: 5000).write(to: URL(fileURLWithPath: garbage))
    #expect(throws: IndexError.notAnIndex(path: garbage, reason: "not an SQLite database")) {
      _ = try StoryIndex(opening: garbage)
    }
    let missing = temporaryIndexPath("missing.db")
    #expect(throws: IndexError.noSuchIndex(path: missing)) { _ = try StoryIndex(opening: missing) }
    let plain = temporaryIndexPath("plain.db")
    let connection = try SQLiteConnection(path: plain, create: true)
    try connection.execute("CREATE TABLE t(x)")
    #expect(
      throws: IndexError.notAnIndex(
        path: plain, reason: "an SQLite database without the story index's application id")
    ) { _ = try StoryIndex(opening: plain) }
    let newer = temporaryIndexPath("newer.db")
    _ = try StoryIndex.create(at: newer, settings: StoryIndexSettings())
    try SQLiteConnection(path: newer, create: false).execute("PRAGMA user_version = 7")
    #expect(throws: IndexError.newerSchema(path: newer, found: 7, supported: 2)) {
      _ = try StoryIndex(opening: newer)
    }
    #expect(throws: IndexError.alreadyExists(path: newer)) {
      _ = try StoryIndex.create(at: newer, settings: StoryIndexSettings())
    }
  }

  /// An index made before the names and years (schema 1: no names table or columns, settings
  /// without the two keys) opens, takes articles and checks healthy, reading no names; today's
  /// index keeps its names' frequencies through adds and expiry (a recount agrees).
  @Test func anIndexFromBeforeTheNamesStillWorks() throws {
    let articles = sampleArticles("uci-dev-sample.jsonl").sorted {
      ($0.timestamp ?? 0, $0.id) < ($1.timestamp ?? 0, $1.id)
    }
    let today = try StoryIndex.create(at: temporaryIndexPath(), settings: StoryIndexSettings())
    #expect(today.readsMarks)
    _ = try today.add(Array(articles.prefix(60)))
    _ = try today.add(Array(articles.dropFirst(60)))
    #expect(try today.check() == [])
    #expect(try (today.connection.integer("SELECT count(*) FROM names") ?? 0) > 50)
    let cutoff = try #require(articles[articles.count / 2].timestamp)
    #expect(try today.expire(before: cutoff).articles > 0)
    #expect(try today.check() == [])

    let path = temporaryIndexPath("v1.db")
    var settings = StoryIndexSettings()
    settings.engine.namesWeight = 0
    settings.engine.yearPenalty = 0
    _ = try StoryIndex.create(at: path, settings: settings)
    let old = try SQLiteConnection(path: path, create: false)
    let json = try #require(
      try JSONSerialization.jsonObject(with: JSONEncoder().encode(settings)) as? [String: Any])
    var engine = try #require(json["engine"] as? [String: Any])
    engine["namesWeight"] = nil
    engine["yearPenalty"] = nil
    var older = json
    older["engine"] = engine
    let text = String(decoding: try JSONSerialization.data(withJSONObject: older), as: UTF8.self)
    try old.prepare("UPDATE meta SET value = ?1 WHERE key = 'settings'").run([.text(text)])
    try old.execute(
      "ALTER TABLE articles DROP COLUMN names; ALTER TABLE articles DROP COLUMN years; "
        + "DROP TABLE names; PRAGMA user_version = 1")
    let index = try StoryIndex(opening: path)
    #expect(!index.readsMarks && index.settings.engine.namesWeight == 0)
    let added = try index.add(Array(articles.prefix(60)))
    #expect(added.placements.count == 60)
    #expect(try index.check() == [])
  }

  /// Every dated batch asks for the most recent undated articles; without an index on them
  /// that was a scan of the whole table, backwards, when there are few (a million-article
  /// index read its whole file per batch). An index made before has it after its next add.
  @Test func theRecentUndatedArticlesComeFromAnIndex() throws {
    let articles = sampleArticles("uci-dev-sample.jsonl").sorted {
      ($0.timestamp ?? 0, $0.id) < ($1.timestamp ?? 0, $1.id)
    }
    let index = try StoryIndex.create(at: temporaryIndexPath(), settings: StoryIndexSettings())
    func plan() throws -> String {
      let statement = try index.connection.prepare(
        "EXPLAIN QUERY PLAN SELECT seq FROM articles" + StoryIndex.recentUndatedCondition)
      try statement.bind([.integer(10)])
      var details: [String] = []
      while try statement.step() { details.append(statement.text(3)) }
      return details.joined(separator: "; ")
    }
    _ = try index.add(Array(articles.prefix(40)))
    let made = try plan()
    #expect(made.contains("INDEX articles_undated"), "\(made)")
    // An index from before: no such index, so the query scans.
    try index.connection.execute("DROP INDEX articles_undated")
    let old = try plan()
    #expect(!old.contains("articles_undated"), "\(old)")
    let before = try index.query([articles[40]])
    _ = try index.add(Array(articles.dropFirst(40)))
    let remade = try plan()
    #expect(remade.contains("INDEX articles_undated"), "\(remade)")
    #expect(try index.check() == [])
    #expect(before.placements.count == 1)
  }

  @Test func aFullDiskRollsTheBatchBack() throws {
    let path = temporaryIndexPath()
    let index = try StoryIndex.create(at: path, settings: StoryIndexSettings())
    let articles = sampleArticles("ecbplus-dev-sample.jsonl")
    _ = try index.add(Array(articles.prefix(5)))
    let pages = try #require(try index.connection.integer("PRAGMA page_count"))
    try index.connection.execute("PRAGMA max_page_count = \(pages + 2)")
    #expect {
      _ = try index.add(Array(articles.dropFirst(5)))
    } throws: { error in
      guard let error = error as? IndexError, case .writeFailed = error else { return false }
      return error.exitCode == 74
    }
    #expect(try index.statistics().articles == 5)
    #expect(try index.check() == [])
  }

  @Test func checkFindsInconsistencies() throws {
    let path = temporaryIndexPath()
    let index = try StoryIndex.create(at: path, settings: StoryIndexSettings())
    _ = try index.add([article("a", "alpha bravo"), article("b", "charlie delta")])
    let raw = try SQLiteConnection(path: path, create: false)
    try raw.execute(
      "UPDATE stories SET size = 5 WHERE id = 1; UPDATE terms SET df = 9 WHERE id = 0;"
        + "INSERT INTO stories(id, state, merged_into, size, batch) VALUES (7, 1, 8, 0, 1);"
        + "INSERT INTO stories(id, state, merged_into, size, batch) VALUES (8, 1, 7, 0, 1);")
    let problems = try StoryIndex(opening: path).check()
    #expect(problems.contains("story 1 records 5 articles but holds 1"))
    #expect(problems.contains("1 terms' document frequencies differ from a recount"))
    #expect(problems.contains("story 7's merges form a cycle through story 7"))
  }
}
