/// The worst mistakes of a clustering against gold stories: the most similar pairs of one story
/// that were split apart, and the least similar pairs of different stories that were merged.
///
/// Split pairs come from the kernel's pairs (pairs below its threshold are too dissimilar to be
/// the hardest); merged pairs are enumerated within each predicted cluster, at most
/// ``mergedBudget`` of them, scored by cosine. Both are ordered with ties broken by `(a, b)`.
///
/// ```swift
/// let mistakes = run.hardestMistakes(gold: gold, at: 0, count: 5)
/// for pair in mistakes.split { print(run.ids[pair.a], run.ids[pair.b], pair.score) }
/// ```
public struct HardestMistakes: Sendable, Equatable {
  /// Pairs of one gold story in different clusters, by cosine descending.
  public var split: [ScoredPair]
  /// Pairs of different gold stories in one cluster, by cosine ascending.
  public var merged: [ScoredPair]

  /// How many merged pairs are scored at most (a corpus-wide cluster has N² of them).
  public static let mergedBudget = 2_000_000
}

extension EvaluationRun {
  /// The `count` hardest split and merged pairs of the labelling at `index` against `gold`.
  ///
  /// - Parameters:
  ///   - gold: One gold story index per row.
  ///   - index: The threshold's index in ``labels``.
  ///   - count: Pairs listed per kind.
  /// - Returns: The mistakes.
  /// - Complexity: O(P log P) for the kernel's P pairs, plus at most
  ///   ``HardestMistakes/mergedBudget`` merged pairs, each one sparse dot.
  public func hardestMistakes(gold: [Int], at index: Int, count: Int) -> HardestMistakes {
    let predicted = labels[index]
    var split = pairs.filter { gold[$0.a] == gold[$0.b] && predicted[$0.a] != predicted[$0.b] }
    split.sort { $0.score != $1.score ? $0.score > $1.score : ($0.a, $0.b) < ($1.a, $1.b) }
    var members: [[Int]] = []
    var slot: [Int: Int] = [:]
    for (row, label) in predicted.enumerated() {
      if let known = slot[label] {
        members[known].append(row)
      } else {
        slot[label] = members.count
        members.append([row])
      }
    }
    // Clusters in label order, as before: the budget cuts the same pairs whatever the order
    // the rows were met in.
    let order = slot.keys.sorted()
    var merged: [ScoredPair] = []
    var budget = HardestMistakes.mergedBudget
    scan: for label in order {
      guard let position = slot[label] else { continue }
      let rows = members[position]
      for x in 0..<rows.count {
        for y in (x + 1)..<rows.count where gold[rows[x]] != gold[rows[y]] {
          merged.append(ScoredPair(a: rows[x], b: rows[y], score: cosine(rows[x], rows[y])))
          budget -= 1
          if budget == 0 { break scan }
        }
      }
    }
    merged.sort { $0.score != $1.score ? $0.score < $1.score : ($0.a, $0.b) < ($1.a, $1.b) }
    return HardestMistakes(split: Array(split.prefix(count)), merged: Array(merged.prefix(count)))
  }
}
