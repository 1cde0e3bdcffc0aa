import StoryCluster

/// The exact copies among an index's rows (a batch's part, or its window), collapsed to one row
/// each before the batch engine's stages and expanded after, as the batch engine collapses its
/// corpus's copies (``DuplicateGroups``).
///
/// Two rows are copies when they hold the same weighted terms, bit for bit, and the same names
/// and years: the index keeps no text, so this stands for the engine's "same fingerprint and
/// same row". A byte-for-byte copy always satisfies both; texts with the same terms in another
/// order, or with tokens the analyser drops, satisfy only this one, and texts that differ in
/// case where it changes their capitalised names only the engine's. Each group is seen once by
/// the kernel, the story graph, the background and the linkage, as its *representative*: the
/// member the caller orders first (the batch engine's smallest id), whose date the group takes.
/// Without it, a feed that repeats one text fills the window with pairs of cosine 1: the
/// background rises toward 1, the threshold with it, and no story forms at all, not even of the
/// copies.
///
/// - Complexity: O(nnz) hashing and one comparison of each row with its group's first member;
///   O(N) memory.
struct RowCopies {
  /// Per row, its collapsed row (its group's position in ``representatives``).
  let collapsedRow: [Int]
  /// Per collapsed row, the row standing for its group, in ascending row order.
  let representatives: [Int]
  /// Per collapsed row, how many rows its group holds.
  let sizes: [Int]

  /// Groups `rows` (with their `names` rows and `years`, when given) into copies.
  ///
  /// - Parameters:
  ///   - rows: The weighted rows.
  ///   - names: Their names rows, in the same order.
  ///   - years: Their years.
  ///   - precedes: Orders two rows of a group; the first is its representative (default: the
  ///     smaller row).
  init(
    _ rows: WeightedRows, names: WeightedRows? = nil, years: [[Int16]]? = nil,
    precedes: ((Int, Int) -> Bool)? = nil
  ) {
    let n = rows.count
    func same(_ a: Int, _ b: Int) -> Bool {
      func equal(_ r: WeightedRows) -> Bool {
        let x = r.starts[a]..<r.starts[a + 1]
        let y = r.starts[b]..<r.starts[b + 1]
        return x.count == y.count && r.terms[x].elementsEqual(r.terms[y])
          && r.values[x].elementsEqual(r.values[y]) { $0.bitPattern == $1.bitPattern }
      }
      return equal(rows) && (names.map(equal) ?? true) && (years.map { $0[a] == $0[b] } ?? true)
    }
    func key(_ r: Int) -> Int {
      var hasher = Hasher()
      for k in rows.starts[r]..<rows.starts[r + 1] {
        hasher.combine(rows.terms[k])
        hasher.combine(rows.values[k].bitPattern)
      }
      if let names {
        hasher.combine(-1)
        for k in names.starts[r]..<names.starts[r + 1] { hasher.combine(names.terms[k]) }
      }
      return hasher.finalize()
    }
    // Key → the groups (as lists of rows) with that key.
    var byKey: [Int: [Int]] = [:]
    var members: [[Int]] = []
    for r in 0..<n {
      let h = key(r)
      if let group = byKey[h, default: []].first(where: { same(members[$0][0], r) }) {
        members[group].append(r)
      } else {
        byKey[h, default: []].append(members.count)
        members.append([r])
      }
    }
    let precedes = precedes ?? { $0 < $1 }
    var chosen = members.map { group in
      group.dropFirst().reduce(group[0]) { precedes($1, $0) ? $1 : $0 }
    }
    let order = chosen.indices.sorted { chosen[$0] < chosen[$1] }
    chosen = order.map { chosen[$0] }
    var collapsed = [Int](repeating: 0, count: n)
    for (position, group) in order.enumerated() {
      for r in members[group] { collapsed[r] = position }
    }
    collapsedRow = collapsed
    representatives = chosen
    sizes = order.map { members[$0].count }
  }

  /// The representatives' rows of `rows`, in collapsed order.
  func collapse(_ rows: WeightedRows) -> WeightedRows {
    var out = WeightedRows()
    for r in representatives { out.append(row: r, of: rows) }
    return out
  }

  /// The representatives' values of `values`, in collapsed order.
  func collapse<T>(_ values: [T]) -> [T] { representatives.map { values[$0] } }
}
