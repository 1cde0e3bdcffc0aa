/// The report's ranked pairs: a random-access collection of ``NearDuplicatePair`` in ranking
/// order (pair score descending, then the two ids in byte order).
///
/// A large corpus yields millions of pairs. They are kept as 16-byte row pairs with a one-byte
/// kind (and the shared terms, when asked for), and each ``NearDuplicatePair`` is made on access
/// from the corpus's ids: a third of the memory of materialised records, and no time spent
/// building them before they are printed.
///
/// ```swift
/// for pair in report.pairs.prefix(10) { print(pair.a, pair.b, pair.score, pair.kind) }
/// ```
public struct RankedPairs: RandomAccessCollection, Sendable, Equatable {
  /// The ranked row pairs with their pair scores.
  package let rows: [ScoredPair]
  /// Each pair's kind.
  package let kinds: [NearDuplicatePair.Kind]
  /// Each pair's top shared terms as (column, contribution), or empty when none were asked for.
  package let terms: [[(column: Int, weight: Double)]]
  /// Row index → article id.
  package let ids: [String]
  /// Column index → term.
  package let vocabulary: [String]

  package init(
    rows: [ScoredPair], kinds: [NearDuplicatePair.Kind],
    terms: [[(column: Int, weight: Double)]], ids: [String], vocabulary: [String]
  ) {
    precondition(kinds.count == rows.count && (terms.isEmpty || terms.count == rows.count))
    self.rows = rows
    self.kinds = kinds
    self.terms = terms
    self.ids = ids
    self.vocabulary = vocabulary
  }

  /// No pairs.
  package init() {
    self.init(rows: [], kinds: [], terms: [], ids: [], vocabulary: [])
  }

  /// The first position, 0.
  public var startIndex: Int { 0 }
  /// One past the last position: the number of pairs.
  public var endIndex: Int { rows.count }

  /// The pair at `position` in ranking order.
  public subscript(position: Int) -> NearDuplicatePair {
    let pair = rows[position]
    return NearDuplicatePair(
      a: ids[pair.a], b: ids[pair.b], score: pair.score, kind: kinds[position],
      sharedTerms: sharedTerms(at: position))
  }

  /// The shared terms of the pair at `position` (empty when none were asked for).
  package func sharedTerms(at position: Int) -> [NearDuplicatePair.SharedTerm] {
    guard !terms.isEmpty else { return [] }
    return terms[position].map { .init(term: vocabulary[$0.column], weight: $0.weight) }
  }

  /// Equal when they hold the same pairs in the same order.
  public static func == (x: RankedPairs, y: RankedPairs) -> Bool { x.elementsEqual(y) }
}
