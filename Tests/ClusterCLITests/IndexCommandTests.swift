import Foundation
import StoryCluster
import StoryClusterTestSupport
import Testing

@testable import StoryClusterIndex

/// `cluster index …` end to end: the daily workflow, bad input, bad files, failed writes,
/// concurrent readers and writers, and `kill -9` during an add.
@Suite(.serialized) struct IndexCommandTests {
  let folder: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "index-cli-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }()

  func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

  static let sample = RepositoryPaths.root.appendingPathComponent(
    "Tests/StoryClusterTests/Fixtures/samples/uci-dev-sample.jsonl"
  ).path

  /// The sample's lines (all dated 2014-03-10), re-identified with `prefix` and the copy
  /// number (`0-1`, `0-2`, … for the first copy without a prefix), repeated `copies` times, and
  /// re-dated to `year` when given.
  static func lines(prefix: String, copies: Int = 1, year: Int? = nil) throws -> [String] {
    let text = try String(contentsOfFile: sample, encoding: .utf8)
    var out: [String] = []
    for copy in 0..<copies {
      for line in text.split(separator: "\n") {
        var line = line.replacingOccurrences(
          of: "{\"id\": \"", with: "{\"id\": \"\(prefix)\(copy)-", options: [], range: nil)
        if let year {
          line = line.replacingOccurrences(of: "\"date\": \"2014-", with: "\"date\": \"\(year)-")
        }
        out.append(line)
      }
    }
    return out
  }

  func write(_ lines: [String], to name: String) throws -> String {
    let file = path(name)
    try (lines.joined(separator: "\n") + "\n").write(
      toFile: file, atomically: true, encoding: .utf8)
    return file
  }

  func cluster(_ arguments: String..., stdin: String? = nil, environment: [String: String] = [:])
    throws -> CommandResult
  {
    try ClusterBinary.run(arguments, stdin: stdin, environment: environment)
  }

  /// The number of articles `export` lists.
  func exported(_ db: String) throws -> Int {
    let result = try cluster("index", "export", db)
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdout.split(separator: "\n").count
  }

  @Test func dailyWorkflow() throws {
    let db = path("news.db")
    #expect(try cluster("index", "init", db, "--stem", "--window", "3").status == 0)
    let stats = try cluster("index", "stats", db, "--format", "json")
    #expect(stats.stdout.contains("\"stemming\": \"on\""))
    #expect(stats.stdout.contains("\"window (days)\": \"3.00\""))
    #expect(stats.stdout.contains("\"background rule\": \"between stories of the part (seed 0.005"))
    let all = try Self.lines(prefix: "")
    let first = try write(Array(all.prefix(200)), to: "day1.jsonl")
    let second = try write(Array(all.dropFirst(200)), to: "day2.jsonl")
    let added = try cluster("index", "add", db, first, "--format", "csv")
    #expect(added.status == 0, "\(added.stderr)")
    let rows = added.stdout.split(separator: "\n")
    #expect(rows.first == "id,story,status,best_match,score,story_score")
    #expect(rows.count == 201)
    let json = try cluster("index", "add", db, second, "--format", "json")
    #expect(json.status == 0, "\(json.stderr)")
    let placed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    #expect((placed?["placements"] as? [Any])?.count == all.count - 200)
    // Moves name articles of the first day, each between two different stories.
    let firstIDs = Set(rows.dropFirst().map { $0.split(separator: ",")[0] })
    for move in try #require(placed?["moves"] as? [[String: Any]]) {
      #expect(firstIDs.contains(Substring(move["id"] as? String ?? "")))
      #expect((move["from"] as? Int).map { $0 > 0 && $0 != move["to"] as? Int } == true)
    }
    // Every article in exactly one story.
    let listing = try cluster("index", "stories", db, "--format", "json")
    #expect(listing.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as? [String: Any]
    let stories = try #require(object?["stories"] as? [[String: Any]])
    var members: [String] = []
    for story in stories {
      let list = try #require(story["members"] as? [String])
      #expect(story["size"] as? Int == list.count)
      #expect(story["first_seen"] is String && story["last_seen"] is String)
      members += list
    }
    #expect(members.count == all.count)
    #expect(Set(members).count == all.count)
    #expect(try cluster("index", "check", db).status == 0)
    #expect(try exported(db) == all.count)
    // A story by id, and a query that writes nothing.
    let story = try cluster("index", "story", db, "1")
    #expect(story.status == 0)
    #expect(story.stdout.contains("LINEAGE") && story.stdout.contains("created by"))
    let query = try cluster("index", "query", db, first, "--format", "csv")
    #expect(query.status == 0)
    #expect(try exported(db) == all.count)
    // Expire everything before the last hour of the sample.
    let expire = try cluster("index", "expire", db, "--before", "2014-03-10T20:00:00Z")
    #expect(expire.status == 0, "\(expire.stderr)")
    #expect(expire.stdout.hasPrefix("expired "))
    #expect(try cluster("index", "check", db).status == 0)
    #expect(try exported(db) < all.count)
    let since = try cluster("index", "stories", db, "--since", "2099-01-01", "--format", "json")
    #expect(since.stdout == "{\"stories\": []}\n")
  }

  /// A stored article a batch moves is printed: one line each in the table after the
  /// placements (and a count in the summary), a `moves` list in JSON; `query` shows what `add`
  /// then does. The ECB+ sample fed by id: its 18th article moves three of topic 1's second
  /// event out of the first event's story.
  @Test func movesArePrintedByQueryAndAdd() throws {
    let sample = RepositoryPaths.root.appendingPathComponent(
      "Tests/StoryClusterTests/Fixtures/samples/ecbplus-dev-sample.jsonl"
    ).path
    let lines = try String(contentsOfFile: sample, encoding: .utf8).split(separator: "\n")
      .map(String.init)
    let articles = CorpusReader().read([sample]).articles.sorted { $0.id < $1.id }
    let db = path("moves.db")
    let index = try StoryIndex.create(at: db, settings: StoryIndexSettings())
    for article in articles.prefix(17) { _ = try index.add([article]) }
    let next = try #require(lines.first { $0.contains("\"id\": \"\(articles[17].id)\"") })
    let file = try write([next], to: "next.jsonl")
    let json = try cluster("index", "query", db, file, "--format", "json")
    #expect(json.status == 0, "\(json.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    let moves = try #require(object?["moves"] as? [[String: Any]])
    #expect(moves.count == 3)
    let table = try cluster("index", "add", db, file)
    #expect(table.status == 0, "\(table.stderr)")
    let rows = table.stdout.split(separator: "\n").map(String.init)
    let header = try #require(rows.firstIndex { $0.hasPrefix("moved ") })
    for (k, move) in moves.enumerated() {
      let fields = rows[header + 1 + k].split(separator: " ").map(String.init)
      #expect(
        fields == [move["id"] as? String ?? "", "\(move["from"] ?? "")", "\(move["to"] ?? "")"])
    }
    #expect(rows.last?.contains("; 3 stored article(s) moved;") == true, "\(rows)")
    #expect(try cluster("index", "check", db).status == 0)
  }

  @Test func badRecordsAddNothingUnlessSkipped() throws {
    let db = path("bad.db")
    #expect(try cluster("index", "init", db).status == 0)
    var lines = Array(try Self.lines(prefix: "").prefix(20))
    lines.insert("{\"id\": 5}", at: 3)
    lines.insert("not json", at: 8)
    let file = try write(lines, to: "bad.jsonl")
    let refused = try cluster("index", "add", db, file)
    #expect(refused.status == 65)
    #expect(refused.stderr.contains("bad.jsonl:4: error:"))
    #expect(refused.stderr.contains("bad.jsonl:9: error: invalid JSON"))
    #expect(try exported(db) == 0)
    let skipped = try cluster("index", "add", db, file, "--skip-invalid")
    #expect(skipped.status == 0)
    #expect(skipped.stderr.contains("warning: skipped 2 invalid record(s) of 22"))
    #expect(try exported(db) == 20)
    // The same ids again: located errors, nothing added; with --skip-invalid, warnings.
    let again = try cluster("index", "add", db, file, "--skip-invalid")
    #expect(again.status == 0)
    #expect(
      again.stderr.contains("bad.jsonl:1: warning: id \"0-1\" is already in the index (story 1)"))
    let clean = try write(Array(try Self.lines(prefix: "").prefix(3)), to: "dup.jsonl")
    let duplicate = try cluster("index", "add", db, clean)
    #expect(duplicate.status == 65)
    #expect(
      duplicate.stderr
        == "\(clean):1: error: id \"0-1\" is already in the index (story 1)\n"
        + "\(clean):2: error: id \"0-2\" is already in the index (story 1)\n"
        + "\(clean):3: error: id \"0-3\" is already in the index (story 1)\n"
        + "error: 3 article(s) already in the index; nothing was added "
        + "(pass --skip-invalid to add the others)\n")
    #expect(try exported(db) == 20)
  }

  @Test func filesThatAreNotIndexesAreClearErrors() throws {
    let text = path("notes.txt")
    try "just some text, not a database\n".write(toFile: text, atomically: true, encoding: .utf8)
    for command in ["stories", "check", "export", "stats"] {
      let result = try cluster("index", command, text)
      #expect(result.status == 65)
      #expect(result.stderr == "\(text): error: not a story index (not an SQLite database)\n")
    }
    let missing = path("missing.db")
    let result = try cluster("index", "stories", missing)
    #expect(result.status == 65)
    #expect(result.stderr.contains("no such index; create it with `cluster index init"))
    let db = path("exists.db")
    #expect(try cluster("index", "init", db).status == 0)
    let twice = try cluster("index", "init", db)
    #expect(twice.status == 73)
    #expect(twice.stderr == "\(db): error: already exists; give a new path to create an index\n")
    let unknown = try cluster("index", "story", db, "42")
    #expect(unknown.status == 65)
    #expect(unknown.stderr == "error: no story with id 42 in the index\n")
    let prune = try cluster("index", "init", path("prune.db"), "--min-df", "2")
    #expect(prune.status == 64)
    #expect(prune.stderr == "error: an index cannot prune by --min-df; leave it at 1\n")
  }

  @Test func aFailedWriteRollsBackWithExit74() throws {
    let db = path("full.db")
    #expect(try cluster("index", "init", db).status == 0)
    let file = try write(try Self.lines(prefix: ""), to: "all.jsonl")
    let full = try cluster(
      "index", "add", db, file, environment: ["STORYCLUSTER_INDEX_MAX_PAGES": "12"])
    #expect(full.status == 74)
    #expect(full.stderr.contains("error: cannot write the index: No space left on device"))
    #expect(full.stderr.contains("nothing of the batch was written"))
    #expect(try cluster("index", "check", db).status == 0)
    #expect(try exported(db) == 0)
  }

  @Test func readersSeeTheLastCommitAndWritersWaitOrFail() throws {
    let db = path("locks.db")
    #expect(try cluster("index", "init", db).status == 0)
    let all = try Self.lines(prefix: "")
    #expect(
      try cluster("index", "add", db, try write(Array(all.prefix(50)), to: "a.jsonl")).status == 0)
    // Another process holds the write lock with a half-written batch.
    let other = try SQLiteConnection(path: db, create: false)
    try other.execute(
      "BEGIN IMMEDIATE; INSERT INTO articles(id, story, ts, date, title, terms, batch) "
        + "VALUES ('half', 999, NULL, NULL, '', x'', 9)")
    let check = try cluster("index", "check", db)
    #expect(check.status == 0, "\(check.stderr)")
    #expect(try exported(db) == 50)
    let next = try write(Array(all.dropFirst(50).prefix(50)), to: "b.jsonl")
    let busy = try cluster("index", "add", db, next, "--busy-timeout", "200")
    #expect(busy.status == 75)
    #expect(busy.stderr.contains("another process is writing to the index (waited 200 ms)"))
    // A writer with the default timeout waits for the lock, then adds.
    let waiting = Process()
    waiting.executableURL = ClusterBinary.url
    waiting.arguments = ["index", "add", db, next]
    waiting.standardOutput = FileHandle.nullDevice
    waiting.standardError = FileHandle.nullDevice
    try waiting.run()
    Thread.sleep(forTimeInterval: 0.5)
    try other.execute("ROLLBACK")
    waiting.waitUntilExit()
    #expect(waiting.terminationStatus == 0)
    #expect(try exported(db) == 100)
    #expect(try cluster("index", "check", db).status == 0)
  }

  /// Starts `cluster index add DB -` with `lines` on its standard input, output discarded.
  func startAdd<Lines: Sequence<String>>(_ db: String, _ lines: Lines) throws -> Process {
    let process = Process()
    process.executableURL = ClusterBinary.url
    process.arguments = ["index", "add", db, "-"]
    let input = Pipe()
    process.standardInput = input
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    input.fileHandleForWriting.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    try input.fileHandleForWriting.close()
    return process
  }

  /// SIGKILL at 50 points spread over an add: each time the index is as before the batch or
  /// as after it, and healthy.
  @Test func killDashNineLeavesTheIndexBeforeOrAfterTheBatch() throws {
    let db = path("kill.db")
    #expect(try cluster("index", "init", db, "--window", "1").status == 0)
    // Each batch has its own year, so the 1-day window holds only its own articles and every
    // add costs the same.
    let base = try write(try Self.lines(prefix: "base", year: 2090), to: "base.jsonl")
    #expect(try cluster("index", "add", db, base).status == 0)
    var count = try exported(db)
    // How long one full add takes here.
    let probe =
      try Self.lines(prefix: "probe", copies: 2, year: 2091).joined(separator: "\n") + "\n"
    let started = Date()
    #expect(try cluster("index", "add", db, "-", stdin: probe).status == 0)
    let full = Date().timeIntervalSince(started)
    count = try exported(db)
    let index = try StoryIndex(opening: db)
    var before = 0
    var after = 0
    for trial in 0..<50 {
      let batch = try Self.lines(prefix: "t\(trial)x", year: 2100 + trial).prefix(150)
      let process = try startAdd(db, batch)
      Thread.sleep(forTimeInterval: full * 1.2 * Double(trial) / 50)
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      let check = try cluster("index", "check", db)
      #expect(check.status == 0, "trial \(trial): \(check.stderr)")
      let now = try index.connection.integer("SELECT count(*) FROM articles") ?? -1
      #expect(now == count || now == count + batch.count, "trial \(trial): \(count) → \(now)")
      if now == count { before += 1 } else { after += 1 }
      count = now
    }
    // The kills landed both before and after commits (late kills come after the commit unless
    // the machine is slow; a last add killed long after it ended must have committed).
    #expect(before > 0, "before \(before), after \(after)")
    if after == 0 {
      let late = try Self.lines(prefix: "late", year: 2200).prefix(150)
      let process = try startAdd(db, late)
      process.waitUntilExit()
      #expect(process.terminationStatus == 0)
      #expect(try index.connection.integer("SELECT count(*) FROM articles") == count + late.count)
    }
  }
}
