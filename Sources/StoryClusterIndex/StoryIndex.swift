import StoryCluster

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// A story index that grows: articles are placed as they arrive, each in an existing story or a
/// new one, and story ids never change.
///
/// The whole state is one SQLite file (write-ahead log, schema version in `PRAGMA user_version`,
/// `PRAGMA application_id` marking it as a story index). Each article keeps its raw term counts;
/// the index keeps the document frequency of every term over its live articles, so weights are
/// always those ``TFIDFVectorizer`` would give the same articles in one batch (smoothed idf
/// `ln((1 + n) / (1 + df)) + 1`, sublinear tf and the row norm as the settings say), and a cosine
/// the index reports equals `cluster run`'s over the same articles. With the batch engine's
/// names and years (``EngineConfiguration/namesWeight``, ``EngineConfiguration/yearPenalty``),
/// each article also keeps the counts of the names its text mentions (the index keeps their
/// document frequencies too, in a table of their own) and its years, so the story graph reads
/// the same ``EventMarks`` as the batch engine's.
///
/// A batch is compared with the candidates of its window (``StoryIndexSettings``) in one
/// batch × candidates block (a sparse product over the candidates' postings, `BlockScorer`),
/// or, when that block would pass ``blockBudget`` cosines (an archive added in one batch), in
/// chunks of rows, each against only the candidates its rows' windows reach.
/// The stored stories it touches (those with an article among a new one's edges in the batch
/// engine's bounded graph: its `graphEdgeCount` strongest candidates at the graph floor or
/// above) are then re-clustered with the new articles by the batch engine's own stages: the
/// exact cosine kernel, the story graph (decayed cosine blended with neighbourhood cosine,
/// ``StoryGraph``) and average linkage at `lift × background`, the background being the part's
/// between-story background as `cluster run` measures a corpus's (or, for an index made without
/// a seed threshold, the window's over all pairs). The result is reconciled with the stored
/// stories so that ids stay stable: stored stories with most of their window members in one
/// group merge into the oldest of them (the other ids are recorded as merged into it), and the
/// new articles of a group join that story or start one. A stored article that the
/// re-clustering puts in the group of another stored story's majority moves to that story (a
/// ``Move``, recorded as `gave` and `took` in both stories' lineage): a placement made with
/// little context is taken back once the stories it lay between say otherwise (twin events
/// come apart when the second has a story of its own). A group holding no stored story's
/// majority takes no stored articles, so a story never splits into a new one on one batch's
/// evidence. A batch into an empty index gets exactly the batch engine's stories. See the README's story index section for what this gives on DEV fed one
/// article, 50 articles and everything at a time.
///
/// Every ``add(_:skippingDuplicates:)`` is one `BEGIN IMMEDIATE` transaction: a crash leaves the
/// index as it was before the batch or after it, a second writer waits for the first (the busy
/// timeout), and readers see the last committed state.
///
/// ```swift
/// let index = try StoryIndex.create(at: "news.db", settings: StoryIndexSettings())
/// let result = try index.add(CorpusReader().read(["today.jsonl"]).articles)
/// for placement in result.placements { print(placement.id, placement.story, placement.status) }
/// ```
///
/// - Complexity: an add of B articles against C candidates in the window costs O(B·C·T) flops on
///   BLAS (T terms of a batch tile) and O(nnz) to load and weigh the window, plus the batch
///   engine's stages on the touched part of N rows: O(N²·H) kernel flops and O(P log P) average
///   linkage over its P graph edges; memory O(B·C) plus the window's rows and the part's graph.
public final class StoryIndex {
  /// The schema this build writes (and the newest it reads). Version 2 adds the articles'
  /// names and years and the names' document frequencies; a version 1 index, made before them,
  /// reads no names or years (its settings, made then, weigh them 0).
  public static let schemaVersion = 2
  /// `PRAGMA application_id` of a story index ("SCIX").
  static let applicationID = 0x5343_4958
  /// The undated articles by arrival, the candidates of every batch: without it, finding the
  /// most recent undated ones scans the whole table backwards when there are few or none. An
  /// index made before it gets it at its next `add` (an index changes no result, so the
  /// schema version stays).
  static let undatedIndexSQL =
    "CREATE INDEX IF NOT EXISTS articles_undated ON articles(seq) WHERE ts IS NULL"

  /// The file.
  public let path: String
  /// The settings fixed at creation.
  public let settings: StoryIndexSettings
  let connection: SQLiteConnection
  let engine: Engine
  /// Milliseconds a writer waits for another's lock.
  public let busyTimeout: Int

  /// Cached state, valid while `PRAGMA data_version` is unchanged.
  var documentFrequencies: [Int32] = []
  var termIDs: [String: Int32] = [:]
  /// The names' document frequencies and ids, as the terms' (when ``readsMarks``).
  var nameFrequencies: [Int32] = []
  var nameIDs: [String: Int32] = [:]
  var cachedDataVersion: Int?
  /// The dated articles of the last window loaded, kept across adds and queries on this
  /// connection; dropped whenever the cache above is (see ``WindowCache``).
  var windowCache: WindowCache?
  /// The most cosines an add or query holds at once: a batch is scored against its candidates
  /// in chunks of rows of at most this many cosines (64 MiB), so an archive added in one batch
  /// holds one chunk's block, not batch × candidates. Tests lower it to force chunks.
  var blockBudget = defaultBlockBudget
  static let defaultBlockBudget = 16 << 20

  // MARK: - Opening

  /// Creates a new, empty index at `path`.
  ///
  /// - Parameters:
  ///   - path: A path that does not exist yet.
  ///   - settings: The settings the index is fixed to.
  /// - Returns: The open index.
  /// - Throws: ``IndexError/alreadyExists(path:)``, ``IndexError/unsupportedSetting(_:)``,
  ///   ``IndexError/writeFailed(path:detail:)``.
  /// - Complexity: O(1).
  public static func create(at path: String, settings: StoryIndexSettings) throws(IndexError)
    -> StoryIndex
  {
    try settings.validate()
    if fileExists(path) { throw .alreadyExists(path: path) }
    let data: Data
    do {
      data = try JSONEncoder().encode(settings)
    } catch {
      throw .database(path: path, detail: "cannot encode the settings: \(error)")
    }
    let json = String(decoding: data, as: UTF8.self)
    do {
      let connection = try SQLiteConnection(path: path, create: true)
      try connection.execute(
        """
        PRAGMA journal_mode = WAL;
        BEGIN IMMEDIATE;
        PRAGMA application_id = \(applicationID);
        PRAGMA user_version = \(schemaVersion);
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE terms(id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE,
          df INTEGER NOT NULL);
        CREATE TABLE names(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
          df INTEGER NOT NULL);
        CREATE TABLE stories(id INTEGER PRIMARY KEY, state INTEGER NOT NULL,
          merged_into INTEGER, size INTEGER NOT NULL, first_seen REAL, last_seen REAL,
          batch INTEGER NOT NULL);
        CREATE TABLE articles(seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
          story INTEGER NOT NULL, ts REAL, date TEXT, title TEXT NOT NULL, terms BLOB NOT NULL,
          batch INTEGER NOT NULL, names BLOB, years BLOB);
        CREATE INDEX articles_ts ON articles(ts) WHERE ts IS NOT NULL;
        CREATE INDEX articles_story ON articles(story);
        \(Self.undatedIndexSQL);
        CREATE TABLE lineage(seq INTEGER PRIMARY KEY, story INTEGER NOT NULL,
          event TEXT NOT NULL, other INTEGER, article TEXT, count INTEGER NOT NULL,
          batch INTEGER NOT NULL);
        CREATE INDEX lineage_story ON lineage(story);
        """)
      let insert = try connection.prepare("INSERT INTO meta(key, value) VALUES (?1, ?2)")
      for (key, value) in [
        ("settings", json), ("articles", "0"), ("batches", "0"),
      ] {
        try insert.run([.text(key), .text(value)])
      }
      try connection.execute("COMMIT")
    } catch {
      unlink(path)
      throw IndexError.from(error, path: path)
    }
    return try StoryIndex(opening: path)
  }

  /// Opens an existing index.
  ///
  /// - Parameters:
  ///   - path: The index file.
  ///   - busyTimeout: Milliseconds to wait for another process's write lock (default 60,000).
  /// - Throws: ``IndexError/noSuchIndex(path:)``, ``IndexError/notAnIndex(path:reason:)`` (not
  ///   SQLite, or SQLite without the index's mark), ``IndexError/newerSchema(path:found:supported:)``,
  ///   ``IndexError/corrupt(path:detail:)``.
  /// - Complexity: O(1).
  public init(opening path: String, busyTimeout: Int = 60_000) throws(IndexError) {
    guard Self.fileExists(path) else { throw .noSuchIndex(path: path) }
    self.path = path
    self.busyTimeout = busyTimeout
    let connection: SQLiteConnection
    let settingsText: String
    var schema = 0
    do {
      connection = try SQLiteConnection(path: path, create: false)
      connection.setBusyTimeout(busyTimeout)
      let application = try connection.integer("PRAGMA application_id") ?? 0
      let version = try connection.integer("PRAGMA user_version") ?? 0
      if application != Self.applicationID {
        throw IndexError.notAnIndex(
          path: path, reason: "an SQLite database without the story index's application id")
      }
      if version > Self.schemaVersion {
        throw IndexError.newerSchema(path: path, found: version, supported: Self.schemaVersion)
      }
      if version < 1 {
        throw IndexError.notAnIndex(path: path, reason: "schema version \(version)")
      }
      schema = version
      try connection.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
      // A testing aid: a database limited to this many pages fails its writes with SQLITE_FULL
      // as a full disk does, so the failed-write path can be exercised from the command line.
      if let limit = getenv("STORYCLUSTER_INDEX_MAX_PAGES").flatMap({ Int(String(cString: $0)) }) {
        try connection.execute("PRAGMA max_page_count = \(limit)")
      }
      let statement = try connection.prepare("SELECT value FROM meta WHERE key = 'settings'")
      guard try statement.step() else {
        throw IndexError.corrupt(path: path, detail: "no settings record")
      }
      settingsText = statement.text(0)
    } catch let error as SQLiteError {
      throw IndexError.from(error, path: path, busyTimeout: busyTimeout)
    } catch let error as IndexError {
      throw error
    } catch {
      throw .database(path: path, detail: "\(error)")
    }
    self.connection = connection
    do {
      settings = try JSONDecoder().decode(StoryIndexSettings.self, from: Data(settingsText.utf8))
      engine = try Engine(configuration: settings.engine)
    } catch {
      throw .corrupt(path: path, detail: "unreadable settings record")
    }
    if settings.engine.usesEventMarks && schema < 2 {
      throw .corrupt(
        path: path, detail: "schema version \(schema) cannot hold the names and years it weighs")
    }
  }

  /// Whether the index keeps and reads its articles' names and years (``EventMarks``).
  var readsMarks: Bool { settings.engine.usesEventMarks }

  // MARK: - Internals

  static func fileExists(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0
  }

  /// Runs `body` in a transaction (`BEGIN IMMEDIATE` for writes), committing when `commit` and
  /// it succeeds, rolling back otherwise. SQLite failures become ``IndexError``s.
  func transaction<T>(writing: Bool, commit: Bool = true, _ body: () throws -> T)
    throws(IndexError) -> T
  {
    do {
      try connection.execute(writing ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED")
    } catch {
      throw IndexError.from(error, path: path, busyTimeout: busyTimeout)
    }
    do {
      let value = try body()
      try connection.execute(commit ? "COMMIT" : "ROLLBACK")
      return value
    } catch {
      try? connection.execute("ROLLBACK")
      cachedDataVersion = nil
      documentFrequencies = []
      termIDs = [:]
      nameFrequencies = []
      nameIDs = [:]
      windowCache = nil
      if let error = error as? IndexError { throw error }
      if let error = error as? SQLiteError {
        throw IndexError.from(error, path: path, busyTimeout: busyTimeout)
      }
      throw .database(path: path, detail: "\(error)")
    }
  }

  /// Reloads the document frequencies when another connection has committed since the last
  /// load (`PRAGMA data_version`).
  func refreshCache() throws(SQLiteError) {
    let version = try connection.integer("PRAGMA data_version") ?? 0
    if version == cachedDataVersion { return }
    documentFrequencies = try frequencies("terms")
    termIDs = [:]
    nameFrequencies = readsMarks ? try frequencies("names") : []
    nameIDs = [:]
    windowCache = nil
    cachedDataVersion = version
  }

  /// The document frequencies of `table` (`terms` or `names`), by id.
  private func frequencies(_ table: String) throws(SQLiteError) -> [Int32] {
    var df: [Int32] = []
    let statement = try connection.prepare("SELECT id, df FROM \(table) ORDER BY id")
    while try statement.step() {
      let id = statement.int(0)
      if id != df.count { throw SQLiteError(code: 11, message: "\(table) ids are not dense") }
      df.append(Int32(truncatingIfNeeded: statement.int(1)))
    }
    return df
  }

  func meta(_ key: String) throws(SQLiteError) -> String {
    let statement = try connection.prepare("SELECT value FROM meta WHERE key = ?1")
    try statement.bind([.text(key)])
    guard try statement.step() else {
      throw SQLiteError(code: 11, message: "missing meta record \"\(key)\"")
    }
    return statement.text(0)
  }

  func setMeta(_ key: String, _ value: String) throws(SQLiteError) {
    try connection.prepare(
      "INSERT INTO meta(key, value) VALUES (?1, ?2) "
        + "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
    ).run([.text(key), .text(value)])
  }

  /// The number of live articles.
  func liveCount() throws(SQLiteError) -> Int { Int(try meta("articles")) ?? 0 }

  /// The background and join threshold of the last add (before any, the batch engine's prior
  /// background, ``StoryGraph/Settings/backgroundPrior``, and the threshold it gives).
  func lastThreshold() throws(SQLiteError) -> (threshold: Double, background: Double) {
    let statement = try connection.prepare(
      "SELECT key, value FROM meta WHERE key IN ('background', 'threshold')")
    var values: [String: Double] = [:]
    while try statement.step() { values[statement.text(0)] = Double(statement.text(1)) }
    let background =
      values["background"] ?? settings.engine.storyGraphSettings.backgroundPrior
    let threshold =
      values["threshold"] ?? settings.engine.lift.map { min(1, $0 * background) }
      ?? settings.engine.threshold
    return (threshold, background)
  }

  /// The weigher of rows under `df` over `n` live articles (``TFIDFVectorizer``'s arithmetic).
  func weigher(df: [Int32], n: Int) -> TermWeigher {
    TermWeigher(configuration: settings.engine.vectorizer, df: df, n: n)
  }

  /// A stored article's `(term, count)` pairs: little-endian `Int32` pairs, terms ascending.
  static func encode(_ entries: [(term: Int32, count: Int32)]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(entries.count * 8)
    for entry in entries {
      withUnsafeBytes(of: entry.term.littleEndian) { bytes.append(contentsOf: $0) }
      withUnsafeBytes(of: entry.count.littleEndian) { bytes.append(contentsOf: $0) }
    }
    return bytes
  }

  /// A stored article's years: little-endian `Int16`s, ascending.
  static func encode(years: [Int16]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(years.count * 2)
    for year in years { withUnsafeBytes(of: year.littleEndian) { bytes.append(contentsOf: $0) } }
    return bytes
  }

  /// Decodes ``encode(years:)``; `nil` when the bytes are not whole years.
  static func decode(years bytes: [UInt8]) -> [Int16]? {
    guard bytes.count % 2 == 0 else { return nil }
    return bytes.withUnsafeBytes { raw in
      (0..<(raw.count / 2)).map {
        Int16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2, as: Int16.self))
      }
    }
  }

  /// Decodes ``encode(_:)``; `nil` when the bytes are not whole pairs or a term is out of range.
  static func decode(_ bytes: [UInt8], termCount: Int) -> [(term: Int32, count: Int32)]? {
    guard bytes.count % 8 == 0 else { return nil }
    var entries: [(term: Int32, count: Int32)] = []
    entries.reserveCapacity(bytes.count / 8)
    var valid = true
    bytes.withUnsafeBytes { raw in
      for k in 0..<(raw.count / 8) {
        let term = Int32(littleEndian: raw.loadUnaligned(fromByteOffset: k * 8, as: Int32.self))
        let count = Int32(
          littleEndian: raw.loadUnaligned(fromByteOffset: k * 8 + 4, as: Int32.self))
        if term < 0 || Int(term) >= termCount || count < 1 { valid = false }
        entries.append((term, count))
      }
    }
    return valid ? entries : nil
  }
}
