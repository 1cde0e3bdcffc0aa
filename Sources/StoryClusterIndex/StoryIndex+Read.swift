#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

extension StoryIndex {
  // MARK: - Reading

  /// The live stories, largest first (ties by id), each with every live member.
  ///
  /// Labels and representatives are computed as `cluster run` computes them, from the members'
  /// rows under the index's current document frequencies. One read transaction: a concurrent
  /// add is either wholly in the answer or not at all.
  ///
  /// - Parameter since: Only stories with a member dated at or after this time (seconds since
  ///   1970); `nil` for all (undated stories included).
  /// - Returns: The stories.
  /// - Throws: ``IndexError/corrupt(path:detail:)`` on unreadable records, or SQLite failures.
  /// - Complexity: O(nnz of the live articles) time; O(articles + terms) memory.
  public func stories(since: Double? = nil) throws(IndexError) -> [StorySummary] {
    try transaction(writing: false, commit: false) {
      try refreshCache()
      let n = try liveCount()
      var terms: [String] = []
      let termStatement = try connection.prepare("SELECT term FROM terms ORDER BY id")
      while try termStatement.step() { terms.append(termStatement.text(0)) }
      var sql =
        "SELECT s.id, s.first_seen, s.last_seen, a.id, a.terms FROM stories s "
        + "JOIN articles a ON a.story = s.id WHERE s.state = 0"
      if since != nil { sql += " AND s.last_seen >= ?1" }
      sql += " ORDER BY s.id, a.seq"
      let statement = try connection.prepare(sql)
      try statement.bind(since.map { [.real($0)] } ?? [])
      var summaries: [StorySummary] = []
      var current: (id: Int, first: Double?, last: Double?)?
      var members: [(id: String, terms: [Int32], values: [Float])] = []
      var weigher = weigher(df: documentFrequencies, n: n)
      func finish() {
        guard let story = current, !members.isEmpty else { return }
        summaries.append(summarise(story.id, story.first, story.last, members, terms))
        members = []
      }
      while try statement.step() {
        let id = statement.int(0)
        if current?.id != id {
          finish()
          current = (id, statement.optionalDouble(1), statement.optionalDouble(2))
        }
        guard
          let entries = Self.decode(statement.blob(4), termCount: documentFrequencies.count)
        else {
          throw IndexError.corrupt(path: path, detail: "article \(statement.text(3)) has bad terms")
        }
        let (t, v) = weigher.weigh(entries)
        members.append((statement.text(3), t, v))
      }
      finish()
      summaries.sort { $0.size != $1.size ? $0.size > $1.size : $0.id < $1.id }
      return summaries
    }
  }

  /// A story by id, with its members and lineage; an id merged away answers with the story it
  /// lives on in.
  ///
  /// - Parameter id: A story id.
  /// - Returns: The detail.
  /// - Throws: ``IndexError/unknownStory(_:)`` when no story ever had the id;
  ///   ``IndexError/corrupt(path:detail:)`` when its merge path loops.
  /// - Complexity: O(members + events + merge path).
  public func story(_ id: Int) throws(IndexError) -> StoryDetail {
    try transaction(writing: false, commit: false) {
      let lookup = try connection.prepare("SELECT state, merged_into FROM stories WHERE id = ?1")
      var resolved = id
      var path: [Int] = []
      var state = 0
      while true {
        try lookup.bind([.integer(resolved)])
        guard try lookup.step() else {
          if path.isEmpty { throw IndexError.unknownStory(id) }
          throw IndexError.corrupt(
            path: self.path, detail: "story \(path.last ?? id) merged into missing \(resolved)")
        }
        state = lookup.int(0)
        guard state == 1, let next = lookup.optionalInt(1) else { break }
        path.append(resolved)
        if path.contains(next) || path.count > 1_000_000 {
          throw IndexError.corrupt(path: self.path, detail: "story \(id)'s merges form a cycle")
        }
        resolved = next
      }
      var members: [StoryDetail.Member] = []
      var dated: [(Double?, StoryDetail.Member)] = []
      let statement = try connection.prepare(
        "SELECT id, ts, date, title FROM articles WHERE story = ?1")
      try statement.bind([.integer(resolved)])
      while try statement.step() {
        dated.append(
          (
            statement.optionalDouble(1),
            .init(id: statement.text(0), date: statement.optionalText(2), title: statement.text(3))
          ))
      }
      dated.sort {
        switch ($0.0, $1.0) {
        case (let a?, let b?) where a != b: return a < b
        case (.some, nil): return true
        case (nil, .some): return false
        default: return $0.1.id.utf8.lexicographicallyPrecedes($1.1.id.utf8)
        }
      }
      members = dated.map(\.1)
      // Lineage of the story and of every story merged into it, transitively.
      var family = [resolved]
      var frontier = [resolved]
      let absorbed = try connection.prepare("SELECT id FROM stories WHERE merged_into = ?1")
      while let next = frontier.popLast() {
        try absorbed.bind([.integer(next)])
        while try absorbed.step() {
          let child = absorbed.int(0)
          if family.contains(child) { continue }
          family.append(child)
          frontier.append(child)
        }
      }
      var lineage: [StoryDetail.Event] = []
      let events = try connection.prepare(
        "SELECT story, event, other, article, count, batch FROM lineage WHERE story = ?1")
      for story in family {
        try events.bind([.integer(story)])
        while try events.step() {
          lineage.append(
            .init(
              story: events.int(0), kind: events.text(1), other: events.optionalInt(2),
              article: events.optionalText(3), count: events.int(4), batch: events.int(5)))
        }
      }
      let order = [
        "created": 0, "grew": 1, "took": 2, "gave": 3, "absorbed": 4, "merged": 5, "expired": 6,
      ]
      lineage.sort {
        if $0.batch != $1.batch { return $0.batch < $1.batch }
        if $0.story != $1.story { return $0.story < $1.story }
        return (order[$0.kind] ?? 9) < (order[$1.kind] ?? 9)
      }
      return StoryDetail(
        requested: id, id: resolved, mergedThrough: path,
        state: state == 2 || members.isEmpty ? "expired" : "live", members: members,
        lineage: lineage)
    }
  }

  /// Calls `body` with every live article in the order they were added.
  ///
  /// - Parameter body: Receives each article.
  /// - Throws: SQLite failures as ``IndexError``.
  /// - Complexity: O(articles) time; O(1) memory beyond one record.
  public func export(_ body: (ExportedArticle) -> Void) throws(IndexError) {
    try transaction(writing: false, commit: false) {
      let statement = try connection.prepare(
        "SELECT id, story, date, title, batch FROM articles ORDER BY seq")
      while try statement.step() {
        body(
          ExportedArticle(
            id: statement.text(0), story: statement.int(1), date: statement.optionalText(2),
            title: statement.text(3), batch: statement.int(4)))
      }
    }
  }

  /// The index's counts, background and threshold, and its size on disk.
  ///
  /// - Returns: The statistics.
  /// - Throws: SQLite failures as ``IndexError``.
  /// - Complexity: O(stories).
  public func statistics() throws(IndexError) -> IndexStatistics {
    try transaction(writing: false, commit: false) {
      func count(_ state: Int) throws -> Int {
        try connection.integer("SELECT count(*) FROM stories WHERE state = ?1", [.integer(state)])
          ?? 0
      }
      let (threshold, background) = try lastThreshold()
      var bytes = 0
      for suffix in ["", "-wal"] {
        var status = stat()
        if stat(path + suffix, &status) == 0 { bytes += Int(status.st_size) }
      }
      return IndexStatistics(
        articles: try liveCount(), liveStories: try count(0), mergedStories: try count(1),
        expiredStories: try count(2),
        terms: try connection.integer("SELECT count(*) FROM terms") ?? 0,
        batches: Int(try meta("batches")) ?? 0, background: background, threshold: threshold,
        bytes: bytes)
    }
  }

  // MARK: - Internals

  /// A story's label (top terms of the summed rows; ties to the smaller term) and
  /// representative (largest dot product with the sum; ties to the smaller id).
  private func summarise(
    _ id: Int, _ first: Double?, _ last: Double?,
    _ members: [(id: String, terms: [Int32], values: [Float])], _ terms: [String]
  ) -> StorySummary {
    var sum: [Int32: Double] = [:]
    for member in members {
      for (t, v) in zip(member.terms, member.values) { sum[t, default: 0] += Double(v) }
    }
    let top = sum.sorted {
      $0.value != $1.value
        ? $0.value > $1.value
        : terms[Int($0.key)].utf8.lexicographicallyPrecedes(
          terms[Int($1.key)].utf8)
    }
    let label = top.prefix(settings.engine.labelTermCount).map { terms[Int($0.key)] }
    var best = members[0].id
    var bestScore = -Double.infinity
    for member in members {
      var dot = 0.0
      for (t, v) in zip(member.terms, member.values) { dot += Double(v) * (sum[t] ?? 0) }
      if dot > bestScore
        || (dot == bestScore && member.id.utf8.lexicographicallyPrecedes(best.utf8))
      {
        best = member.id
        bestScore = dot
      }
    }
    let ids = members.map(\.id).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    return StorySummary(
      id: id, size: members.count, label: label, representative: best, firstSeen: first,
      lastSeen: last, members: ids)
  }
}
