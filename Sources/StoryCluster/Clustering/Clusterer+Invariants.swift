extension Clusterer {
  /// The first way `clusters` fails to be what ``cluster(count:pairs:)`` promises for rows
  /// `0..<count`, or `nil` when it holds.
  ///
  /// The promise: every row is in exactly one cluster (singletons included), each cluster's
  /// members are ascending, and clusters are ordered by size descending, then smallest member.
  ///
  /// - Parameters:
  ///   - clusters: Clusters of row indices.
  ///   - count: The number of rows clustered.
  /// - Returns: A description of the first violation, naming the row or the clusters.
  /// - Complexity: O(count + members).
  package static func invariantViolation(of clusters: [[Int]], count: Int) -> String? {
    var owner = [Int](repeating: -1, count: count)
    for (c, members) in clusters.enumerated() {
      guard let smallest = members.first else { return "cluster \(c) is empty" }
      for (position, row) in members.enumerated() {
        if row < 0 || row >= count { return "cluster \(c): row \(row) outside 0..<\(count)" }
        if owner[row] >= 0 { return "row \(row) is in cluster \(owner[row]) and in cluster \(c)" }
        owner[row] = c
        if position > 0 && row < members[position - 1] {
          return "cluster \(c): row \(row) follows row \(members[position - 1])"
        }
      }
      if c > 0 {
        let previous = clusters[c - 1]
        if previous.count < members.count
          || (previous.count == members.count && previous[0] > smallest)
        {
          return "cluster \(c) (size \(members.count), smallest row \(smallest)) ranks before "
            + "cluster \(c - 1) (size \(previous.count), smallest row \(previous[0]))"
        }
      }
    }
    if let row = owner.firstIndex(of: -1) { return "row \(row) is in no cluster" }
    return nil
  }

  /// Traps unless `clusters` is a clustering of rows `0..<count` in output order (see
  /// ``invariantViolation(of:count:)``); called at the end of ``cluster(count:pairs:)`` when
  /// built with `STORYCLUSTER_INTERNAL_CHECKS`.
  static func _checkInvariants(of clusters: [[Int]], count: Int) {
    let violation = invariantViolation(of: clusters, count: count)
    precondition(violation == nil, "Clusterer: \(violation ?? "")")
  }
}
