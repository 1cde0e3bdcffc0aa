extension StoryIndex {
  // MARK: - Expiring and checking

  /// Removes the articles dated before `cutoff` from the store and from every later window,
  /// in one transaction. Their stories keep their ids and lineage: a story left without live
  /// articles becomes `expired`, and each story that lost articles gets an `expired` event.
  /// Undated articles never expire.
  ///
  /// - Parameter cutoff: Seconds since 1970; articles dated strictly before it leave.
  /// - Returns: How many articles left, and how many stories expired entirely.
  /// - Throws: ``IndexError/busy(path:waitedMilliseconds:)``,
  ///   ``IndexError/writeFailed(path:detail:)``, ``IndexError/corrupt(path:detail:)``.
  /// - Complexity: O(expired articles' terms + touched stories' members).
  public func expire(before cutoff: Double) throws(IndexError) -> (
    articles: Int, stories: Int
  ) {
    try transaction(writing: true) {
      try refreshCache()
      // The terms' frequencies, and the names' when the index reads them (columns 2 and 3),
      // with the expired articles taken out.
      var tables = [(name: "terms", df: documentFrequencies, touched: Set<Int32>())]
      if readsMarks { tables.append(("names", nameFrequencies, [])) }
      var lost: [Int: Int] = [:]
      var removed = 0
      let statement = try connection.prepare(
        "SELECT story, id, " + tables.map(\.name).joined(separator: ", ")
          + " FROM articles WHERE ts < ?1")
      try statement.bind([.real(cutoff)])
      while try statement.step() {
        for k in tables.indices {
          guard
            let entries = Self.decode(statement.blob(Int32(2 + k)), termCount: tables[k].df.count)
          else {
            throw IndexError.corrupt(
              path: path, detail: "article \(statement.text(1)) has bad \(tables[k].name)")
          }
          for entry in entries {
            tables[k].df[Int(entry.term)] -= 1
            tables[k].touched.insert(entry.term)
          }
        }
        lost[statement.int(0), default: 0] += 1
        removed += 1
      }
      if removed == 0 { return (0, 0) }
      let batch = (Int(try meta("batches")) ?? 0) + 1
      try connection.prepare("DELETE FROM articles WHERE ts < ?1").run([.real(cutoff)])
      for table in tables {
        let update = try connection.prepare("UPDATE \(table.name) SET df = ?2 WHERE id = ?1")
        for term in table.touched.sorted() {
          try update.run([.integer(Int(term)), .integer(Int(table.df[Int(term)]))])
        }
      }
      try resize(Set(lost.keys))
      let event = try connection.prepare(
        "INSERT INTO lineage(story, event, other, article, count, batch) "
          + "VALUES (?1, 'expired', NULL, NULL, ?2, ?3)")
      for (story, count) in lost.sorted(by: { $0.key < $1.key }) {
        try event.run([.integer(story), .integer(count), .integer(batch)])
      }
      try connection.execute("UPDATE stories SET state = 2 WHERE state = 0 AND size = 0")
      let emptied = connection.changes
      try setMeta("articles", "\(try liveCount() - removed)")
      try setMeta("batches", "\(batch)")
      documentFrequencies = tables[0].df
      if readsMarks { nameFrequencies = tables[1].df }
      windowCache = nil
      return (removed, emptied)
    }
  }

  /// Checks the index: SQLite's integrity check, every live article in exactly one live story,
  /// story sizes and the article count consistent, document frequencies equal to a recount, and
  /// merge lineage acyclic and ending in a story that exists.
  ///
  /// - Returns: Each problem found, one line each; empty when healthy.
  /// - Throws: Only when the file cannot be read at all (``IndexError``).
  /// - Complexity: O(nnz + stories) time; O(terms + stories) memory.
  public func check() throws(IndexError) -> [String] {
    try transaction(writing: false, commit: false) {
      var problems: [String] = []
      let integrity = try connection.prepare("PRAGMA integrity_check")
      while try integrity.step() {
        if integrity.text(0) != "ok" { problems.append("integrity: \(integrity.text(0))") }
      }
      if !problems.isEmpty { return problems }
      let orphans = try connection.prepare(
        "SELECT a.id, a.story, s.state FROM articles a LEFT JOIN stories s ON s.id = a.story "
          + "WHERE s.id IS NULL OR s.state != 0")
      while try orphans.step() {
        let state = orphans.optionalInt(2).map { $0 == 1 ? "merged" : "expired" } ?? "missing"
        problems.append(
          "article \"\(orphans.text(0))\" is in story \(orphans.int(1)), which is \(state)")
      }
      let sizes = try connection.prepare(
        "SELECT s.id, s.size, s.state, (SELECT count(*) FROM articles a WHERE a.story = s.id) "
          + "FROM stories s")
      var storyState: [Int: (state: Int, into: Int?)] = [:]
      while try sizes.step() {
        let (id, size, state, count) = (sizes.int(0), sizes.int(1), sizes.int(2), sizes.int(3))
        storyState[id] = (state, nil)
        if state == 0 && size != count {
          problems.append("story \(id) records \(size) articles but holds \(count)")
        }
        if state == 0 && count == 0 { problems.append("live story \(id) holds no article") }
        if state != 0 && count != 0 {
          problems.append("story \(id) is not live but holds \(count) articles")
        }
        if !(0...2).contains(state) { problems.append("story \(id) has unknown state \(state)") }
      }
      let merged = try connection.prepare(
        "SELECT id, merged_into FROM stories WHERE state = 1")
      while try merged.step() {
        storyState[merged.int(0)]?.into = merged.optionalInt(1)
      }
      for (id, entry) in storyState.sorted(by: { $0.key < $1.key }) where entry.state == 1 {
        var seen: Set<Int> = [id]
        var current = entry.into
        while let next = current {
          guard let target = storyState[next] else {
            problems.append("story \(id) was merged into story \(next), which does not exist")
            break
          }
          if seen.contains(next) {
            problems.append("story \(id)'s merges form a cycle through story \(next)")
            break
          }
          seen.insert(next)
          current = target.state == 1 ? target.into : nil
          if target.state == 1 && target.into == nil {
            problems.append("story \(next) is merged but names no story")
          }
        }
        if entry.into == nil { problems.append("story \(id) is merged but names no story") }
      }
      // Counts and document frequencies against a recount.
      let live = try connection.integer("SELECT count(*) FROM articles") ?? 0
      let recorded = try liveCount()
      if live != recorded {
        problems.append("the index records \(recorded) articles but holds \(live)")
      }
      for table in ["terms"] + (readsMarks ? ["names"] : []) {
        var stored: [Int] = []
        let frequencies = try connection.prepare("SELECT id, df FROM \(table) ORDER BY id")
        while try frequencies.step() {
          if frequencies.int(0) != stored.count {
            problems.append("\(table) ids are not dense at \(frequencies.int(0))")
            return problems
          }
          stored.append(frequencies.int(1))
        }
        var recount = [Int](repeating: 0, count: stored.count)
        let articles = try connection.prepare("SELECT id, \(table) FROM articles")
        while try articles.step() {
          guard let entries = Self.decode(articles.blob(1), termCount: stored.count) else {
            problems.append("article \"\(articles.text(0))\" has unreadable \(table)")
            continue
          }
          for entry in entries { recount[Int(entry.term)] += 1 }
        }
        var wrong = 0
        for t in stored.indices where stored[t] != recount[t] { wrong += 1 }
        if wrong > 0 {
          problems.append("\(wrong) \(table)' document frequencies differ from a recount")
        }
      }
      return problems
    }
  }
}
