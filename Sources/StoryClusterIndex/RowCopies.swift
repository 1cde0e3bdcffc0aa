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
    // A cheap multiplicative hash of the row's entries (and names), checked by `same`: the
    // window's rows are hashed at every add and query.
    @inline(__always) func mix(_ h: UInt64, _ v: UInt64) -> UInt64 {
      let x = (h ^ v) &* 0x9E37_79B9_7F4A_7C15
      return x ^ (x >> 29)
    }
    func key(_ r: Int) -> UInt64 {
      var h: UInt64 = 0x243F_6A88_85A3_08D3
      for k in rows.starts[r]..<rows.starts[r + 1] {
        h = mix(
          h, UInt64(UInt32(bitPattern: rows.terms[k])) << 32 | UInt64(rows.values[k].bitPattern))
      }
      if let names {
        h = mix(h, .max)
        for k in names.starts[r]..<names.starts[r + 1] {
          h = mix(h, UInt64(UInt32(bitPattern: names.terms[k])))
        }
      }
      return h
    }
    // Key → its first group; each group → the next group with its key (-1: none), its first
    // row, its representative and size.
    var firstWithKey: [UInt64: Int] = [:]
    firstWithKey.reserveCapacity(n)
    var nextWithKey: [Int] = []
    var firstRow: [Int] = []
    var chosen: [Int] = []
    var size: [Int] = []
    var groupOf = [Int](repeating: 0, count: n)
    let precedes = precedes ?? { $0 < $1 }
    for r in 0..<n {
      let h = key(r)
      var g = firstWithKey[h] ?? -1
      var last = -1
      while g >= 0 && !same(firstRow[g], r) {
        last = g
        g = nextWithKey[g]
      }
      if g < 0 {
        g = firstRow.count
        firstRow.append(r)
        chosen.append(r)
        size.append(0)
        nextWithKey.append(-1)
        if last >= 0 { nextWithKey[last] = g } else { firstWithKey[h] = g }
      } else if precedes(r, chosen[g]) {
        chosen[g] = r
      }
      size[g] += 1
      groupOf[r] = g
    }
    // Groups in the order of their representatives.
    let order = chosen.indices.sorted { chosen[$0] < chosen[$1] }
    var position = [Int](repeating: 0, count: order.count)
    for (p, g) in order.enumerated() { position[g] = p }
    collapsedRow = groupOf.map { position[$0] }
    representatives = order.map { chosen[$0] }
    sizes = order.map { size[$0] }
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
