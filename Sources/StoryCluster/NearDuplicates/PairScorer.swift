/// Scores pairs of articles as a ``PairScore`` says, from vectors fitted on the whole corpus.
///
/// For ``PairScore/cosine`` it holds only the engine's rows. For ``PairScore/blended`` it also
/// fits stemmed word rows (or reuses the engine's when they are stemmed already), character
/// trigram rows, each article's sorted numbers, and the short texts' words for the alignment
/// (``WordAlignment``).
///
/// Copies of one text have equal rows in every matrix, so `.blended` vectorises each distinct
/// text once, fitted as if on all of them (``TFIDFVectorizer/fitTransform(texts:multiplicities:threads:)``:
/// the same vocabulary, idf and rows as fitting every copy), and looks a row's text up: a flood
/// of 100,000 copies of one article costs one article's rows, not 100,000.
///
/// - Complexity: Building is linear in the text (two more vectorisations of the distinct texts
///   for `.blended`, after one hash of every text, and one of the short texts' words), with
///   memory for their rows; a score is O(terms in both rows), and O(a·b) trigram dot products
///   for two short texts of a and b distinct content words (at most 20 each).
package struct PairScorer: Sendable {
  /// The score's definition.
  package let kind: PairScore
  /// The engine's rows (the clustering vectors).
  let matrix: SparseMatrix
  /// Stemmed word rows (`.blended` only): the engine's rows when they are stemmed already,
  /// else one row per distinct text.
  let wordMatrix: SparseMatrix?
  /// Whether ``wordMatrix`` has one row per distinct text (else one per article).
  let isWordMatrixDistinct: Bool
  /// Character-trigram rows (`.blended` only), one per distinct text.
  let characterMatrix: SparseMatrix?
  /// Each distinct text's numbers, sorted and unique (`.blended` only).
  let numbers: [[String]]
  /// The short texts' words for the soft alignment (`.blended` only).
  let alignment: WordAlignment?
  /// Per article, its distinct text's row (`.blended` only; empty when every text is distinct).
  let distinctRow: [Int]

  /// How much of the blended score a complete number mismatch takes away.
  static let numberMismatchWeight = 0.2

  /// The character n-gram vectorizer of ``PairScore/blended``: `char_wb` trigrams on the
  /// tokens, sublinear tf, smoothed idf, L2 rows.
  static var characterVectorizer: TFIDFVectorizer.Configuration {
    TFIDFVectorizer.Configuration(
      analyzer: Analyzer(ngramRange: 3...3, kind: .characterWordBounded), isSublinearTF: true)
  }

  /// Creates a scorer for `texts`, whose engine rows are `matrix` (fitted with `vectorizer`).
  package init(
    kind: PairScore, texts: [String], matrix: SparseMatrix,
    vectorizer: TFIDFVectorizer.Configuration, threads: Int
  ) throws(ConfigurationError) {
    self.kind = kind
    self.matrix = matrix
    guard kind == .blended else {
      wordMatrix = nil
      isWordMatrixDistinct = false
      characterMatrix = nil
      numbers = []
      alignment = nil
      distinctRow = []
      return
    }
    // One row per distinct text, fitted as if on every copy. The texts are hashed on all
    // threads first; equal hashes are then told apart by comparing the texts.
    let hashes = parallelMap(texts.count, threads: effectiveThreadCount(threads)) {
      texts[$0].hashValue
    }
    var firstOf: [Int: Int] = [:]
    var nextWithHash: [Int] = []
    var distinctRow = [Int](repeating: 0, count: texts.count)
    var distinct: [String] = []
    var multiplicities: [Int] = []
    for (row, text) in texts.enumerated() {
      var known = firstOf[hashes[row]]
      while let candidate = known, distinct[candidate] != text {
        known = nextWithHash[candidate] >= 0 ? nextWithHash[candidate] : nil
      }
      if let known {
        distinctRow[row] = known
        multiplicities[known] += 1
      } else {
        // Chained in front of the texts that share its hash.
        nextWithHash.append(firstOf[hashes[row]] ?? -1)
        firstOf[hashes[row]] = distinct.count
        distinctRow[row] = distinct.count
        distinct.append(text)
        multiplicities.append(1)
      }
    }
    firstOf = [:]
    let hasCopies = distinct.count < texts.count
    func fit(_ configuration: TFIDFVectorizer.Configuration) throws(ConfigurationError)
      -> SparseMatrix
    {
      let vectorizer = TFIDFVectorizer(configuration: configuration)
      return hasCopies
        ? try vectorizer.fitTransform(
          texts: distinct, multiplicities: multiplicities, threads: threads
        ).1
        : try vectorizer.fitTransform(texts: texts, threads: threads).1
    }
    var stemmed = vectorizer
    stemmed.analyzer.isStemming = true
    isWordMatrixDistinct = stemmed != vectorizer
    wordMatrix = isWordMatrixDistinct ? try fit(stemmed) : matrix
    characterMatrix = try fit(Self.characterVectorizer)
    numbers = parallelMap(distinct.count, threads: effectiveThreadCount(threads)) {
      NumberMentions.numbers(in: distinct[$0])
    }
    alignment = try WordAlignment(
      texts: hasCopies ? distinct : texts, multiplicities: hasCopies ? multiplicities : nil,
      threads: threads)
    self.distinctRow = hasCopies ? distinctRow : []
  }

  /// The pair score of rows `a` and `b`, in `0...1` (1 for `a == b`).
  ///
  /// - Complexity: O(terms in both rows).
  package func score(_ a: Int, _ b: Int) -> Double {
    if a == b { return 1 }
    guard kind == .blended, let wordMatrix, let characterMatrix else {
      return min(1, matrix.dot(a, b))
    }
    let (x, y) = (distinct(a), distinct(b))
    let word = isWordMatrixDistinct ? wordMatrix.dot(x, y) : wordMatrix.dot(a, b)
    return blend(word, characterMatrix.dot(x, y), x, y)
  }

  /// `pairs` with each score replaced by the pair score (unchanged for ``PairScore/cosine``,
  /// whose pairs already hold it). Each score equals ``score(_:_:)`` exactly.
  ///
  /// - Complexity: O(P·t) for P pairs of t terms, spread over `threads`; O(threads · columns)
  ///   scratch.
  package func rescore(_ pairs: [ScoredPair], threads: Int) -> [ScoredPair] {
    guard kind == .blended, let wordMatrix, let characterMatrix else { return pairs }
    let workers = effectiveThreadCount(threads)
    guard !distinctRow.isEmpty else {
      let word = Self.dots(pairs, wordMatrix, threads: workers)
      let character = Self.dots(pairs, characterMatrix, threads: workers)
      return parallelMap(pairs.count, threads: workers) { k in
        let pair = pairs[k]
        return ScoredPair(a: pair.a, b: pair.b, score: blend(word[k], character[k], pair.a, pair.b))
      }
    }
    // The pairs of distinct texts' rows (dot products are symmetric, bit for bit); the pair of
    // two copies is their one row dotted with itself.
    var positions: [Int] = []
    var mapped: [ScoredPair] = []
    for (k, pair) in pairs.enumerated() {
      let (x, y) = (distinct(pair.a), distinct(pair.b))
      if x != y {
        positions.append(k)
        mapped.append(ScoredPair(a: min(x, y), b: max(x, y), score: 0))
      }
    }
    let character = Self.dots(mapped, characterMatrix, threads: workers)
    let word =
      isWordMatrixDistinct
      ? Self.dots(mapped, wordMatrix, threads: workers)
      : Self.dots(positions.map { pairs[$0] }, wordMatrix, threads: workers)
    var slotOf = [Int](repeating: -1, count: pairs.count)
    for (slot, k) in positions.enumerated() { slotOf[k] = slot }
    return parallelMap(pairs.count, threads: workers) { k in
      let pair = pairs[k]
      let slot = slotOf[k]
      if slot >= 0 {
        return ScoredPair(
          a: pair.a, b: pair.b,
          score: blend(word[slot], character[slot], mapped[slot].a, mapped[slot].b))
      }
      let x = distinct(pair.a)
      let w = isWordMatrixDistinct ? wordMatrix.dot(x, x) : wordMatrix.dot(pair.a, pair.b)
      return ScoredPair(a: pair.a, b: pair.b, score: blend(w, characterMatrix.dot(x, x), x, x))
    }
  }

  /// The parts of the pair score of rows `a ≠ b` (``PairScore/blended`` only; `nil` for the
  /// cosine): ``score(_:_:)`` is `min(1, max(0, (first + characters) / 2 × numbers))`, bit for
  /// bit.
  package func parts(_ a: Int, _ b: Int) -> Explanation.PairScoreParts? {
    guard kind == .blended, a != b, let wordMatrix, let characterMatrix else { return nil }
    let (x, y) = (distinct(a), distinct(b))
    let alignment = self.alignment?.score(x, y)
    let words =
      alignment != nil
      ? nil : isWordMatrixDistinct ? wordMatrix.dot(x, y) : wordMatrix.dot(a, b)
    return Explanation.PairScoreParts(
      alignment: alignment, words: words, characters: characterMatrix.dot(x, y),
      numbers: agreement(x, y))
  }

  // MARK: - Internals

  /// The row of article `row`'s distinct text.
  @inline(__always)
  private func distinct(_ row: Int) -> Int { distinctRow.isEmpty ? row : distinctRow[row] }

  /// The blended score from the two cosines of distinct texts `x` and `y`: the character
  /// cosine with the word alignment when both are short (``WordAlignment``), else with the word
  /// cosine.
  private func blend(_ word: Double, _ character: Double, _ x: Int, _ y: Int) -> Double {
    let mean = ((alignment?.score(x, y) ?? word) + character) / 2
    return min(1, max(0, mean * agreement(x, y)))
  }

  /// The number-agreement factor of distinct texts `x` and `y`.
  private func agreement(_ x: Int, _ y: Int) -> Double {
    1 - Self.numberMismatchWeight * (1 - Self.overlap(numbers[x], numbers[y]))
  }

  /// The dot product of each pair's rows in `matrix`, equal to ``SparseMatrix/dot(_:_:)``
  /// bit for bit (the same products, added in the same column order).
  ///
  /// Pairs are grouped by their first row, scattered once per group
  /// (``SparseMatrix/mapPairsByFirstRow(_:threads:initial:state:_:)``, as for shared terms), so
  /// the results do not depend on the thread count.
  ///
  /// - Complexity: O(P·t) for P pairs of t terms; O(threads · columns) scratch.
  static func dots(_ pairs: [ScoredPair], _ matrix: SparseMatrix, threads: Int) -> [Double] {
    matrix.mapPairsByFirstRow(pairs, threads: threads, initial: 0.0, state: {}) {
      _, scratch, _, columns, values, entries in
      var sum = 0.0
      for j in entries {
        let x = scratch[Int(columns[j])]
        if x != 0 { sum += Double(x) * Double(values[j]) }
      }
      return sum
    }
  }

  /// The Jaccard overlap of two sorted, unique number lists, 1 when either is empty (no
  /// evidence either way).
  static func overlap(_ x: [String], _ y: [String]) -> Double {
    x.isEmpty || y.isEmpty ? 1 : sortedJaccard(x, y)
  }
}
