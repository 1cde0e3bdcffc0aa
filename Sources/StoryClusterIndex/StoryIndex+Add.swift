import StoryCluster

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

extension StoryIndex {
  // MARK: - Adding and querying

  /// Places `articles` in stories and stores them, in one transaction.
  ///
  /// The batch is re-clustered with the stored stories it touches by the batch engine's stages
  /// and reconciled with them (see ``StoryIndex``); placements are listed in date order
  /// (undated after dated, ties by id). Nothing is written when any step fails: a full disk
  /// rolls the whole batch back.
  ///
  /// - Parameters:
  ///   - articles: The batch (ids unique within it, as ``CorpusReader`` guarantees).
  ///   - skippingDuplicates: Leave out articles whose id is already indexed (reported in
  ///     ``AddResult/duplicates``) instead of failing.
  /// - Returns: Each article's placement, the merges and the threshold used.
  /// - Throws: ``IndexError/duplicateIDs(_:)`` (listing every one; nothing added),
  ///   ``IndexError/busy(path:waitedMilliseconds:)``, ``IndexError/writeFailed(path:detail:)``,
  ///   ``IndexError/corrupt(path:detail:)``.
  /// - Complexity: the sparse product of the B articles with the candidates each may compare
  ///   with (its window's; at most B·C for C candidates), O(nnz) to weigh the window, and the
  ///   batch engine's stages on the touched part of N rows and P graph edges (O(N²·H) kernel
  ///   flops within the window, O(P log P) average linkage); memory for the window, one chunk of
  ///   cosines (``blockBudget``, 64 MiB) and the part's graph, so an archive added in one batch
  ///   does not hold B × C cosines.
  public func add(_ articles: [Article], skippingDuplicates: Bool = false) throws(IndexError)
    -> AddResult
  {
    try transaction(writing: true) {
      try connection.execute(Self.undatedIndexSQL)
      return try place(articles, skippingDuplicates, writes: true)
    }
  }

  /// Places `articles` as ``add(_:skippingDuplicates:)`` would, in a read transaction, and
  /// writes nothing: the index's committed state is the snapshot.
  ///
  /// Document frequencies count the queried articles, as a batch run over the index's articles
  /// and these would, so each ``Placement/score`` equals that run's cosine.
  ///
  /// - Parameter articles: The articles to place.
  /// - Returns: The placements they would get (new stories with the ids they would take).
  /// - Throws: As ``add(_:skippingDuplicates:)`` for reading; an id already indexed is placed
  ///   anyway (the stored copy is among its candidates).
  /// - Complexity: As ``add(_:skippingDuplicates:)``.
  public func query(_ articles: [Article]) throws(IndexError) -> AddResult {
    try transaction(writing: false, commit: false) { try place(articles, true, writes: false) }
  }

  // MARK: - Internals

  /// One candidate loaded from the index.
  private struct StoredCandidate {
    var seq: Int
    var id: String
    var story: Int
    var timestamp: Double?
    var entries: [(term: Int32, count: Int32)]
    var names: [(term: Int32, count: Int32)] = []
    var years: [Int16] = []
    var isRecent = false
    var isRecentUndated = false
  }

  private func place(_ input: [Article], _ skippingDuplicates: Bool, writes: Bool) throws
    -> AddResult
  {
    try refreshCache()
    // Ids already indexed.
    var duplicates: [IndexError.DuplicateArticle] = []
    var articles: [Article] = []
    let lookup = try connection.prepare("SELECT story FROM articles WHERE id = ?1")
    for article in input {
      try lookup.bind([.text(article.id)])
      if try lookup.step() {
        duplicates.append(
          .init(id: article.id, location: article.location, story: lookup.int(0)))
        if !writes { articles.append(article) }
      } else {
        articles.append(article)
      }
    }
    if writes && !duplicates.isEmpty && !skippingDuplicates {
      throw IndexError.duplicateIDs(duplicates)
    }
    // Placement order: dated by date, then undated; ties by id.
    articles.sort {
      switch ($0.timestamp, $1.timestamp) {
      case (let a?, let b?) where a != b: return a < b
      case (.some, nil): return true
      case (nil, .some): return false
      default: return $0.id.utf8.lexicographicallyPrecedes($1.id.utf8)
      }
    }
    let b = articles.count
    let analysed = engine.analyse(Corpus(articles: articles))
    // `Corpus` sorts by id: map the analysed rows back to placement order.
    var rowOf: [String: Int] = [:]
    for (row, id) in analysed.ids.enumerated() { rowOf[id] = row }
    let texts = articles.map { rowOf[$0.id].map { analysed.texts[$0] } ?? "" }
    let counts = TermCounts(
      texts: texts, analyzer: settings.engine.vectorizer.analyzer, threads: settings.engine.threads)
    // Global term ids; new terms get the next ids.
    let terms = try stored(counts, table: "terms", known: &termIDs, df: documentFrequencies)
    // The names and years the story graph reads (EventMarks), when the settings weigh them.
    var names = StoredCounts(df: nameFrequencies)
    var batchYears = [[Int16]](repeating: [], count: b)
    if readsMarks {
      let nameCounts = TermCounts(
        texts: texts, analyzer: EventMarks.namesVectorizer.analyzer,
        threads: settings.engine.threads)
      names = try stored(nameCounts, table: "names", known: &nameIDs, df: nameFrequencies)
      batchYears = texts.map(EventMarks.years(in:))
    }
    let df = terms.df
    let batchEntries = terms.rows
    let n = try liveCount() + b
    // Candidates from the index.
    let candidates = try loadCandidates(
      for: articles, termCount: df.count, nameCount: names.df.count)
    let threads = effectiveThreadCount(settings.engine.threads)
    // The candidates' rows, then the batch's.
    let stored = candidates.count
    let all = weigher(df: df, n: n).rows(count: stored + b, threads: threads) {
      $0 < stored ? candidates[$0].entries : batchEntries[$0 - stored]
    }
    var batchRows = WeightedRows()
    for r in stored..<(stored + b) { batchRows.append(row: r, of: all) }
    // The names rows of candidates and batch articles (`k` as in `all`), weighed as the batch
    // engine weighs them (``EventMarks/namesVectorizer``) under the index's names frequencies;
    // only the rows the story graph reads are weighed (each row's weights are its own).
    let namesWeigher = TermWeigher(
      configuration: EventMarks.namesVectorizer, df: names.df, n: n)
    func namesRows(_ rows: [Int]) -> WeightedRows {
      namesWeigher.rows(count: rows.count, threads: threads) {
        let k = rows[$0]
        return k < stored ? candidates[k].names : names.rows[k - stored]
      }
    }
    // The best match of each article: its highest cosine among the index's candidates in its
    // window and the batch's articles placed before it.
    let windowSeconds = settings.windowDays * 86_400
    let recentLimit = settings.undatedCandidates
    // The part of the window the batch touches: every stored story with an article among a
    // batch article's `graphEdgeCount` strongest at the graph floor or above (its edges in the
    // batch engine's bounded graph), with all its members in the window. Found in the same
    // pass over the cosines as the best matches.
    let engineSettings = settings.engine
    let floor =
      engineSettings.lift == nil
      ? min(engineSettings.graphFloor, engineSettings.threshold) : engineSettings.graphFloor
    // The candidates' dates and flags as plain arrays: the pass below reads them B × C times.
    let storedDated = candidates.map { $0.timestamp != nil }
    let storedTime = candidates.map { $0.timestamp ?? 0 }
    let storedRecent = candidates.map(\.isRecent)
    let storedRecentUndated = candidates.map(\.isRecentUndated)
    var isTouched = [Bool](repeating: false, count: stored)
    var bestMatches: [(id: String?, score: Double)] = []
    bestMatches.reserveCapacity(b)
    // The batch engine's graph keeps each article's `graphEdgeCount` strongest edges at the
    // floor: a batch article touches the stories of those, not of every candidate at the floor
    // (at high density, nearly every story in the window).
    let edgeBound = engineSettings.isGraphBounded ? engineSettings.graphEdgeCount : nil
    // The batch in chunks of rows, each scored against only the candidates some row of it may
    // compare with (the time window's and the recent undated ones, a superset checked pair by
    // pair below), so that a batch of a whole archive holds one chunk's block, not B × C.
    // Rows per chunk: as many as the budget allows against every candidate, then against the
    // last chunk's reach (a chunk that reaches further is cut to the budget).
    var chunkRows = max(1, blockBudget / max(1, all.count))
    let reachOf =
      chunkRows >= b
      ? nil
      : CandidateReach(
        dated: storedDated, time: storedTime, recent: storedRecent,
        recentUndated: storedRecentUndated, batchTimes: articles.map(\.timestamp),
        windowSeconds: windowSeconds, recentLimit: recentLimit)
    var first = 0
    while first < b {
      var chunk = first..<min(b, first + chunkRows)
      // One chunk (every batch of a feed's size): all candidates, as loaded for the batch.
      var reach = reachOf?(chunk) ?? (0..<Int32(all.count)).map { $0 }
      if let reachOf, chunk.count > 1, chunk.count * reach.count > blockBudget {
        chunk = first..<(first + max(1, blockBudget / reach.count))
        reach = reachOf(chunk)
      }
      chunkRows = max(1, blockBudget / max(1, reach.count))
      let width = reach.count
      let cosines = BlockScorer.cosines(
        batch: batchRows, rows: chunk, candidates: all, columns: reach,
        threads: settings.engine.threads)
      // The reach holds the stored candidates first, then the batch's articles.
      let storedReach = reach.firstIndex { Int($0) >= stored } ?? width
      // Each row of the chunk on its own: its best match and the candidates it touches, on
      // both threads (a row reads only the block and the candidates; the touched marks are a
      // union, and the best matches are kept in row order).
      let rowsOfChunk = cosines.withUnsafeBufferPointer { cosine in
        parallelMapDynamic(
          chunk.count, threads: b >= BlockScorer.rowsWorthThreads ? threads : 1,
          state: { [(score: Float, index: Int32)]() }
        ) { atFloor, r -> (best: Int, cosine: Double, touched: [Int32]) in
          let i = chunk.lowerBound + r
          let ti = articles[i].timestamp
          let row = r * width
          var best = -1
          var bestCosine = -Double.infinity
          var touched: [Int32] = []
          for q in 0..<storedReach {
            let j = Int(reach[q])
            // Eligible: within the window of a dated article, or among the recent ones.
            let isEligible =
              if let ti {
                storedDated[j] ? abs(ti - storedTime[j]) <= windowSeconds : storedRecentUndated[j]
              } else {
                storedRecent[j]
              }
            guard isEligible else { continue }
            let x = Double(cosine[row + q])
            if x > bestCosine {
              best = j
              bestCosine = x
            }
            if x >= floor {
              if edgeBound == nil {
                touched.append(Int32(j))
              } else {
                atFloor.append((cosine[row + q], Int32(j)))
              }
            }
          }
          if let edgeBound {
            SimilarityKernel.selectBest(edgeBound, in: &atFloor)
            touched = atFloor.prefix(edgeBound).map(\.index)
            atFloor.removeAll(keepingCapacity: true)
          }
          // The batch's articles placed before it.
          for q in storedReach..<width {
            let k = Int(reach[q]) - stored
            if k >= i { break }
            let isEligible =
              if let ti, let tk = articles[k].timestamp {
                abs(ti - tk) <= windowSeconds
              } else {
                i - k <= recentLimit
              }
            let x = Double(cosine[row + q])
            if isEligible && x > bestCosine {
              best = stored + k
              bestCosine = x
            }
          }
          return (best, bestCosine, touched)
        }
      }
      for (best, bestCosine, touched) in rowsOfChunk {
        for j in touched { isTouched[Int(j)] = true }
        bestMatches.append(
          best < 0
            ? (nil, 0)
            : (
              best < stored ? candidates[best].id : articles[best - stored].id,
              min(1, max(-1, bestCosine))
            ))
      }
      first = chunk.upperBound
    }
    var touchedStories = Set<Int>()
    for j in 0..<stored where isTouched[j] { touchedStories.insert(candidates[j].story) }
    let partStored = (0..<stored).filter { touchedStories.contains(candidates[$0].story) }
    let rowsOfPart = partStored + (stored..<(stored + b))
    var part = WeightedRows()
    for j in partStored { part.append(row: j, of: all) }
    part.append(batchRows)
    // The all-pairs rule measures its background over the window's distinct rows, names and
    // all; otherwise only the part's names are read.
    let measuresWindow = settings.engine.seedThreshold == nil
    let allNames =
      measuresWindow && readsMarks ? namesRows(Array(0..<(stored + b))) : WeightedRows()
    var partNames = WeightedRows()
    if readsMarks && measuresWindow {
      for j in rowsOfPart { partNames.append(row: j, of: allNames) }
    } else if readsMarks {
      partNames = namesRows(rowsOfPart)
    }
    let partYears =
      readsMarks
      ? rowsOfPart.map { $0 < stored ? candidates[$0].years : batchYears[$0 - stored] } : nil
    let partIDs = partStored.map { candidates[$0].id } + articles.map(\.id)
    // Exact copies count once, in the part and in the window, as in the batch engine: each
    // group is its smallest id (``RowCopies``).
    let copies = RowCopies(
      part, names: readsMarks ? partNames : nil, years: partYears,
      precedes: { partIDs[$0].utf8.lexicographicallyPrecedes(partIDs[$1].utf8) })
    let windowCopies = measuresWindow ? RowCopies(all, names: readsMarks ? allNames : nil) : nil
    let partMarks =
      readsMarks
      ? EventMarks(
        names: copies.collapse(partNames).matrix(columnCount: names.df.count),
        years: copies.collapse(partYears ?? []))
      : nil
    // The batch engine's stages on the part's distinct rows; its background is the window's.
    let batchRowsCollapsed = Array(Set((0..<b).map { copies.collapsedRow[partStored.count + $0] }))
      .sorted()
    let clustering = recluster(
      copies.collapse(part),
      timestamps: copies.collapse(
        partStored.map { candidates[$0].timestamp } + articles.map(\.timestamp)),
      termCount: df.count, scored: batchRowsCollapsed, window: windowCopies?.collapse(all),
      marks: partMarks,
      windowNames: readsMarks
        ? windowCopies?.collapse(allNames).matrix(columnCount: names.df.count) : nil,
      prior: try lastThreshold().background)
    // Back to the part's rows: each copy in its group's group.
    let groupOfPartRow = copies.collapsedRow.map { clustering.groups[$0] }
    var distinctInGroup: [Int: Int] = [:]
    for g in clustering.groups { distinctInGroup[g, default: 0] += 1 }
    let scoreOf = Dictionary(
      uniqueKeysWithValues: zip(batchRowsCollapsed, clustering.storyScores))
    // A story score is over distinct texts; an article whose story holds only its own copies
    // scores 1 (they are the same text).
    let storyScores = (0..<b).map { i -> Double in
      let c = copies.collapsedRow[partStored.count + i]
      if distinctInGroup[clustering.groups[c]] == 1 && copies.sizes[c] > 1 { return 1 }
      return scoreOf[c] ?? 0
    }
    let threshold = clustering.threshold
    let background = clustering.background
    // Stories. Stored stories with most of their window members in one group merge into the
    // oldest of them; the new articles of a group join that story, or start one.
    var nextStory = (try connection.integer("SELECT max(id) FROM stories") ?? 0) + 1
    let firstNewStory = nextStory
    var inWindow: [Int: Int] = [:]
    var membersIn: [Int: [Int: Int]] = [:]  // group → story → its members there
    for (k, j) in partStored.enumerated() {
      inWindow[candidates[j].story, default: 0] += 1
      membersIn[groupOfPartRow[k], default: [:]][candidates[j].story, default: 0] += 1
    }
    var merges: [(absorbed: Int, into: Int)] = []
    var storyOf: [Int: Int] = [:]  // group → story id
    var majorityGroup: [Int: Int] = [:]  // story → the group holding most of its members
    for (g, here) in membersIn.sorted(by: { $0.key < $1.key }) {
      let majority = here.filter { 2 * $0.value > (inWindow[$0.key] ?? 0) }.keys.sorted()
      guard let survivor = majority.first else { continue }
      for story in majority.dropFirst() { merges.append((story, survivor)) }
      for story in majority { majorityGroup[story] = g }
      storyOf[g] = survivor
    }
    merges.sort { $0.absorbed < $1.absorbed }
    // Stored members the re-clustering puts in a group holding the window majority of another
    // stored story move to that story: a placement is taken back when the stories it lay
    // between say otherwise (twin events apart once the second has a story of its own). A
    // group holding no stored story's majority never takes members: a story does not split
    // off on one batch's evidence.
    var moves: [Move] = []
    for (k, j) in partStored.enumerated() {
      let g = groupOfPartRow[k]
      guard let to = storyOf[g], let home = majorityGroup[candidates[j].story], home != g
      else { continue }
      moves.append(
        Move(seq: candidates[j].seq, id: candidates[j].id, from: candidates[j].story, to: to))
    }
    var placements: [Placement] = []
    for i in 0..<b {
      let g = groupOfPartRow[partStored.count + i]
      let status: Placement.Status
      if storyOf[g] != nil {
        status = .joined
      } else {
        storyOf[g] = nextStory
        nextStory += 1
        status = .new
      }
      placements.append(
        Placement(
          id: articles[i].id, story: storyOf[g] ?? 0, status: status,
          bestMatch: bestMatches[i].id, score: bestMatches[i].score,
          storyScore: storyScores[i]))
    }
    if writes {
      let seqs = try write(
        articles: articles, terms: terms, names: readsMarks ? names : nil, years: batchYears,
        placements: placements, merges: merges, moves: moves, firstNewStory: firstNewStory,
        live: n, background: background, threshold: threshold)
      documentFrequencies = df
      for term in terms.new { termIDs[term.term] = term.id }
      if readsMarks {
        nameFrequencies = names.df
        for name in names.new { nameIDs[name.term] = name.id }
      }
      // The cache follows the write (rolled back with it: a failed commit drops the cache).
      windowCache?.record(
        added: (0..<b).compactMap { i in
          articles[i].timestamp.map {
            WindowCache.Article(
              seq: seqs[i], id: articles[i].id, story: placements[i].story, timestamp: $0,
              entries: batchEntries[i], names: names.rows.isEmpty ? [] : names.rows[i],
              years: batchYears[i])
          }
        }, merges: merges, moves: moves)
    }
    return AddResult(
      placements: placements, duplicates: duplicates, merges: merges, moves: moves,
      threshold: threshold, background: background, candidateCount: stored,
      touchedStories: touchedStories.count)
  }

  /// A batch's counts under the index's ids of `terms` or `names`: the document frequencies
  /// with the batch counted in, the ids new to the index, each row's `(id, count)` pairs
  /// (ascending) and the ids the batch touched.
  struct StoredCounts {
    var df: [Int32]
    var new: [(id: Int32, term: String)] = []
    var rows: [[(term: Int32, count: Int32)]] = []
    var touched = Set<Int32>()
  }

  /// Maps `counts` to the index's ids of `table` (`terms` or `names`, whose frequencies are
  /// `df` and whose known ids are cached in `known`); terms the index does not hold take the
  /// next ids.
  private func stored(
    _ counts: TermCounts, table: String, known: inout [String: Int32], df: [Int32]
  ) throws -> StoredCounts {
    var result = StoredCounts(df: df)
    var global = [Int32](repeating: 0, count: counts.terms.count)
    let column = table == "names" ? "name" : "term"
    let find = try connection.prepare("SELECT id FROM \(table) WHERE \(column) = ?1")
    for (local, term) in counts.terms.enumerated() {
      if let id = known[term] {
        global[local] = id
        continue
      }
      try find.bind([.text(term)])
      if try find.step() {
        let id = Int32(truncatingIfNeeded: find.int(0))
        guard Int(id) < result.df.count else {
          throw IndexError.corrupt(path: path, detail: "\(column) \"\(term)\" has no frequency")
        }
        global[local] = id
        known[term] = id
      } else {
        let id = Int32(result.df.count)
        result.df.append(0)
        global[local] = id
        result.new.append((id, term))
      }
    }
    result.rows.reserveCapacity(counts.rowCount)
    for r in 0..<counts.rowCount {
      var entries = counts.row(r).map { (term: global[$0.term], count: Int32($0.count)) }
      entries.sort { $0.term < $1.term }
      for entry in entries {
        result.df[Int(entry.term)] += 1
        result.touched.insert(entry.term)
      }
      result.rows.append(entries)
    }
    return result
  }

  /// The index's candidates for a batch: dated articles within the window of the batch's dates,
  /// the most recent articles when the batch holds undated ones, and the most recent undated
  /// ones when it holds dated ones.
  private func loadCandidates(for articles: [Article], termCount: Int, nameCount: Int) throws
    -> [StoredCandidate]
  {
    let dates = articles.compactMap(\.timestamp)
    let hasUndated = dates.count < articles.count
    // The window's dated articles, ascending by seq (most candidates; no hashing), and the
    // others the recent lists read from SQLite, by seq (a recent article may be in either).
    var window: [StoredCandidate] = []
    var others: [Int: StoredCandidate] = [:]
    func load(_ sql: String, _ values: [SQLiteValue], mark: (inout StoredCandidate) -> Void)
      throws
    {
      let statement = try connection.prepare(sql)
      try statement.bind(values)
      while try statement.step() {
        let seq = statement.int(0)
        var (k, end) = (0, window.count)
        while k < end {
          let middle = (k + end) / 2
          if window[middle].seq < seq { k = middle + 1 } else { end = middle }
        }
        if k < window.count && window[k].seq == seq {
          mark(&window[k])
          continue
        }
        if var existing = others[seq] {
          mark(&existing)
          others[seq] = existing
          continue
        }
        guard let entries = Self.decode(statement.blob(4), termCount: termCount) else {
          throw IndexError.corrupt(path: path, detail: "article \(seq) has unreadable terms")
        }
        var candidate = StoredCandidate(
          seq: seq, id: statement.text(1), story: statement.int(2),
          timestamp: statement.optionalDouble(3), entries: entries)
        (candidate.names, candidate.years) = try marks(
          of: statement, seq: seq, nameCount: nameCount)
        mark(&candidate)
        others[seq] = candidate
      }
    }
    let columns = "SELECT \(articleColumns) FROM articles"
    let limit = settings.undatedCandidates
    if let low = dates.min(), let high = dates.max() {
      let reach = settings.windowDays * 86_400
      window = try windowArticles(
        low - reach, high + reach, termCount: termCount, nameCount: nameCount
      ).map {
        StoredCandidate(
          seq: $0.seq, id: $0.id, story: $0.story, timestamp: $0.timestamp,
          entries: $0.entries, names: $0.names, years: $0.years)
      }
      window.sort { $0.seq < $1.seq }
      try load(columns + Self.recentUndatedCondition, [.integer(limit)]) {
        $0.isRecentUndated = true
      }
    }
    if hasUndated {
      try load(columns + " ORDER BY seq DESC LIMIT ?1", [.integer(limit)]) { $0.isRecent = true }
    }
    // Both lists, ascending by seq (the window is one sorted run already).
    window.append(contentsOf: others.values)
    window.sort { $0.seq < $1.seq }
    return window
  }

  /// The dated articles with `lo ≤ ts ≤ hi`, from the window cache, reading from SQLite only
  /// the part of the range it does not cover (see ``WindowCache``).
  private func windowArticles(_ lo: Double, _ hi: Double, termCount: Int, nameCount: Int) throws
    -> [WindowCache.Article]
  {
    func read(_ condition: String, _ values: [Double]) throws -> [WindowCache.Article] {
      let statement = try connection.prepare(
        "SELECT \(articleColumns) FROM articles WHERE " + condition)
      try statement.bind(values.map { .real($0) })
      var read: [WindowCache.Article] = []
      while try statement.step() {
        let seq = statement.int(0)
        guard let entries = Self.decode(statement.blob(4), termCount: termCount) else {
          throw IndexError.corrupt(path: path, detail: "article \(seq) has unreadable terms")
        }
        let (names, years) = try marks(of: statement, seq: seq, nameCount: nameCount)
        read.append(
          WindowCache.Article(
            seq: seq, id: statement.text(1), story: statement.int(2),
            timestamp: statement.double(3), entries: entries, names: names, years: years))
      }
      return read
    }
    if var cache = windowCache, let parts = cache.missing(lo, hi) {
      windowCache = nil
      var added: [WindowCache.Article] = []
      for part in parts { added += try read(part.condition, part.values) }
      cache.extend(lo, hi, with: added)
      windowCache = cache
      return cache.articles(from: lo, to: hi)
    }
    windowCache = nil
    let cache = WindowCache(
      low: lo, high: hi, articles: try read("ts BETWEEN ?1 AND ?2", [lo, hi]))
    windowCache = cache
    return cache.articles
  }

  /// The most recent undated articles, every dated batch's candidates; answered from
  /// ``undatedIndexSQL``'s index, not a scan of the table.
  static let recentUndatedCondition = " WHERE ts IS NULL ORDER BY seq DESC LIMIT ?1"

  /// The columns an article is read with: its terms, and its names and years when the index
  /// reads them (``readsMarks``; a version 1 index has no such columns).
  private var articleColumns: String {
    "seq, id, story, ts, terms" + (readsMarks ? ", names, years" : "")
  }

  /// An article's stored names and years (columns 5 and 6 of ``articleColumns``), or none when
  /// the index does not read them.
  private func marks(of statement: SQLiteStatement, seq: Int, nameCount: Int) throws -> (
    [(term: Int32, count: Int32)], [Int16]
  ) {
    guard readsMarks else { return ([], []) }
    guard let names = Self.decode(statement.blob(5), termCount: nameCount),
      let years = Self.decode(years: statement.blob(6))
    else {
      throw IndexError.corrupt(path: path, detail: "article \(seq) has unreadable names or years")
    }
    return (names, years)
  }

  /// Writes a placed batch: new terms (and names) and frequencies, articles, stories, merges,
  /// lineage and the counters.
  private func write(
    articles: [Article], terms: StoredCounts, names: StoredCounts?, years: [[Int16]],
    placements: [Placement], merges: [(absorbed: Int, into: Int)], moves: [Move],
    firstNewStory: Int, live: Int, background: Double, threshold: Double
  ) throws -> [Int] {
    let batch = (Int(try meta("batches")) ?? 0) + 1
    for (table, column, counts) in [("terms", "term", terms)]
      + (names.map { [("names", "name", $0)] } ?? [])
    {
      let insert = try connection.prepare(
        "INSERT INTO \(table)(id, \(column), df) VALUES (?1, ?2, 0)")
      for term in counts.new { try insert.run([.integer(Int(term.id)), .text(term.term)]) }
      let update = try connection.prepare("UPDATE \(table) SET df = ?2 WHERE id = ?1")
      for term in counts.touched.sorted() {
        try update.run([.integer(Int(term)), .integer(Int(counts.df[Int(term)]))])
      }
    }
    // New stories, in the order they were started.
    let insertStory = try connection.prepare(
      "INSERT INTO stories(id, state, merged_into, size, batch) VALUES (?1, 0, NULL, 0, ?2)")
    let insertEvent = try connection.prepare(
      "INSERT INTO lineage(story, event, other, article, count, batch) "
        + "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
    var created: [Int: String] = [:]
    var startedBy: [String: Int] = [:]
    var story = firstNewStory
    for placement in placements where placement.status == .new {
      created[story] = placement.id
      startedBy[placement.id] = story
      try insertStory.run([.integer(story), .integer(batch)])
      try insertEvent.run([
        .integer(story), .text("created"), .null, .text(placement.id), .integer(1),
        .integer(batch),
      ])
      story += 1
    }
    let insertArticle = try connection.prepare(
      "INSERT INTO articles(id, story, ts, date, title, terms, batch"
        + (names == nil
          ? ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
          : ", names, years) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"))
    var grew: [Int: Int] = [:]
    var seqs: [Int] = []
    for (i, placement) in placements.enumerated() {
      let article = articles[i]
      var values: [SQLiteValue] = [
        .text(article.id), .integer(placement.story),
        article.timestamp.map { .real($0) } ?? .null, article.date.map { .text($0) } ?? .null,
        .text(article.title), .blob(Self.encode(terms.rows[i])), .integer(batch),
      ]
      if let names {
        values += [.blob(Self.encode(names.rows[i])), .blob(Self.encode(years: years[i]))]
      }
      try insertArticle.run(values)
      seqs.append(connection.lastInsertRowID)
      if startedBy[article.id] != placement.story { grew[placement.story, default: 0] += 1 }
    }
    // Moves: stored articles the batch put with another story's majority.
    var resized = Set(placements.map(\.story))
    let moveArticle = try connection.prepare("UPDATE articles SET story = ?2 WHERE seq = ?1")
    var moved: [Int: [Int: Int]] = [:]  // from → to → articles
    for move in moves {
      try moveArticle.run([.integer(move.seq), .integer(move.to)])
      moved[move.from, default: [:]][move.to, default: 0] += 1
      resized.formUnion([move.from, move.to])
    }
    for (from, targets) in moved.sorted(by: { $0.key < $1.key }) {
      for (to, count) in targets.sorted(by: { $0.key < $1.key }) {
        try insertEvent.run([
          .integer(from), .text("gave"), .integer(to), .null, .integer(count), .integer(batch),
        ])
        try insertEvent.run([
          .integer(to), .text("took"), .integer(from), .null, .integer(count), .integer(batch),
        ])
      }
    }
    // Merges: the absorbed story's articles move to the survivor; its id stays as history.
    let moveArticles = try connection.prepare("UPDATE articles SET story = ?2 WHERE story = ?1")
    let markMerged = try connection.prepare(
      "UPDATE stories SET state = 1, merged_into = ?2, size = 0, first_seen = NULL, "
        + "last_seen = NULL WHERE id = ?1")
    for merge in merges {
      try moveArticles.run([.integer(merge.absorbed), .integer(merge.into)])
      try markMerged.run([.integer(merge.absorbed), .integer(merge.into)])
      try insertEvent.run([
        .integer(merge.absorbed), .text("merged"), .integer(merge.into), .null, .integer(0),
        .integer(batch),
      ])
      try insertEvent.run([
        .integer(merge.into), .text("absorbed"), .integer(merge.absorbed), .null, .integer(0),
        .integer(batch),
      ])
      resized.insert(merge.into)
    }
    for (story, count) in grew.sorted(by: { $0.key < $1.key }) {
      try insertEvent.run([
        .integer(story), .text("grew"), .null, .null, .integer(count), .integer(batch),
      ])
    }
    try resize(resized)
    try setMeta("articles", "\(live)")
    try setMeta("batches", "\(batch)")
    try setMeta("background", "\(background)")
    try setMeta("threshold", "\(threshold)")
    return seqs
  }

  /// Recounts the size and date span of `stories` from their live articles.
  func resize(_ stories: Set<Int>) throws(SQLiteError) {
    let statement = try connection.prepare(
      """
      UPDATE stories SET
        size = (SELECT count(*) FROM articles WHERE story = ?1),
        first_seen = (SELECT min(ts) FROM articles WHERE story = ?1),
        last_seen = (SELECT max(ts) FROM articles WHERE story = ?1)
      WHERE id = ?1 AND state = 0
      """)
    for story in stories.sorted() { try statement.run([.integer(story)]) }
  }
}
