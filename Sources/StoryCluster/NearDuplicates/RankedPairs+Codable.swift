/// `RankedPairs` is encoded as the array of its ``NearDuplicatePair``s in ranking order (ids,
/// score, kind and shared terms: what a reader outside needs) and decoded back into the compact
/// form, with the ids and terms it names as its tables.
extension RankedPairs: Codable {
  /// Encodes the pairs as an array in ranking order.
  ///
  /// - Parameter encoder: The encoder.
  /// - Throws: What the encoder throws.
  /// - Complexity: O(P·t) for P pairs of t shared terms.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.unkeyedContainer()
    for pair in self { try container.encode(pair) }
  }

  /// Decodes an array of pairs, in the order given.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: `DecodingError` when an element is not a pair, or a pair's `a` is not before its
  ///   `b` in byte order.
  /// - Complexity: O(P·t) time; the ids and terms are interned once each.
  public init(from decoder: any Decoder) throws {
    var container = try decoder.unkeyedContainer()
    var ids: [String] = []
    var idRows: [String: Int] = [:]
    var vocabulary: [String] = []
    var columns: [String: Int] = [:]
    var rowPairs: [(a: Int, b: Int, score: Double)] = []
    var kinds: [NearDuplicatePair.Kind] = []
    var terms: [[(column: Int, weight: Double)]] = []
    func intern(_ value: String, _ table: inout [String], _ index: inout [String: Int]) -> Int {
      if let known = index[value] { return known }
      table.append(value)
      index[value] = table.count - 1
      return table.count - 1
    }
    while !container.isAtEnd {
      let pair = try container.decode(NearDuplicatePair.self)
      guard idPrecedes(pair.a, pair.b) else {
        throw DecodingError.dataCorruptedError(
          in: container, debugDescription: "pair ids must be in byte order: a < b")
      }
      rowPairs.append(
        (intern(pair.a, &ids, &idRows), intern(pair.b, &ids, &idRows), pair.score))
      kinds.append(pair.kind)
      terms.append(
        pair.sharedTerms.map { (intern($0.term, &vocabulary, &columns), $0.weight) })
    }
    // Rows follow the ids' byte order, so each pair's a < b holds for its rows as for its ids.
    let order = ids.indices.sorted { idPrecedes(ids[$0], ids[$1]) }
    var rank = [Int](repeating: 0, count: ids.count)
    for (position, row) in order.enumerated() { rank[row] = position }
    let rows = rowPairs.map { ScoredPair(a: rank[$0.a], b: rank[$0.b], score: $0.score) }
    if terms.allSatisfy(\.isEmpty) { terms = [] }
    self.init(
      rows: rows, kinds: kinds, terms: terms, ids: order.map { ids[$0] }, vocabulary: vocabulary)
  }
}
