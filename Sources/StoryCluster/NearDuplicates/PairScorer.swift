/// Scores pairs of articles as a ``PairScore`` says, from vectors fitted on the whole corpus.
///
/// For ``PairScore/cosine`` it holds only the engine's rows. For ``PairScore/blended`` it also
/// fits stemmed word rows (or reuses the engine's when they are stemmed already), character
/// trigram rows, and each article's sorted numbers.
///
/// - Complexity: Building is linear in the text (two more vectorisations for `.blended`), with
///   memory for their rows; a score is O(terms in both rows).
package struct PairScorer: Sendable {
  /// The score's definition.
  package let kind: PairScore
  /// The engine's rows (the clustering vectors).
  let matrix: SparseMatrix
  /// Stemmed word rows (`.blended` only).
  let wordMatrix: SparseMatrix?
  /// Character-trigram rows (`.blended` only).
  let characterMatrix: SparseMatrix?
  /// Each article's numbers, sorted and unique (`.blended` only).
  let numbers: [[String]]

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
      characterMatrix = nil
      numbers = []
      return
    }
    var stemmed = vectorizer
    stemmed.analyzer.isStemming = true
    wordMatrix =
      stemmed == vectorizer
      ? matrix
      : try TFIDFVectorizer(configuration: stemmed).fitTransform(
        texts: texts, threads: threads
      ).1
    characterMatrix = try TFIDFVectorizer(configuration: Self.characterVectorizer)
      .fitTransform(texts: texts, threads: threads).1
    numbers = parallelMap(texts.count, threads: effectiveThreadCount(threads)) {
      Self.numbers(in: texts[$0])
    }
  }

  /// The pair score of rows `a` and `b`, in `0...1` (1 for `a == b`).
  ///
  /// - Complexity: O(terms in both rows).
  package func score(_ a: Int, _ b: Int) -> Double {
    if a == b { return 1 }
    guard kind == .blended, let wordMatrix, let characterMatrix else {
      return min(1, matrix.dot(a, b))
    }
    return blend(wordMatrix.dot(a, b), characterMatrix.dot(a, b), a, b)
  }

  /// `pairs` with each score replaced by the pair score (unchanged for ``PairScore/cosine``,
  /// whose pairs already hold it). Each score equals ``score(_:_:)`` exactly.
  ///
  /// - Complexity: O(P·t) for P pairs of t terms, spread over `threads`; O(threads · columns)
  ///   scratch.
  package func rescore(_ pairs: [ScoredPair], threads: Int) -> [ScoredPair] {
    guard kind == .blended, let wordMatrix, let characterMatrix else { return pairs }
    let workers = effectiveThreadCount(threads)
    let word = Self.dots(pairs, wordMatrix, threads: workers)
    let character = Self.dots(pairs, characterMatrix, threads: workers)
    return pairs.indices.map { k in
      let pair = pairs[k]
      let score = pair.a == pair.b ? 1 : blend(word[k], character[k], pair.a, pair.b)
      return ScoredPair(a: pair.a, b: pair.b, score: score)
    }
  }

  // MARK: - Internals

  /// The blended score from the two cosines of rows `a` and `b`.
  private func blend(_ word: Double, _ character: Double, _ a: Int, _ b: Int) -> Double {
    let mean = (word + character) / 2
    let agreement = 1 - Self.numberMismatchWeight * (1 - Self.overlap(numbers[a], numbers[b]))
    return min(1, max(0, mean * agreement))
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
    if x.isEmpty || y.isEmpty { return 1 }
    var i = 0
    var j = 0
    var shared = 0
    while i < x.count && j < y.count {
      if x[i] == y[j] {
        shared += 1
        i += 1
        j += 1
      } else if x[i] < y[j] {
        i += 1
      } else {
        j += 1
      }
    }
    return Double(shared) / Double(x.count + y.count - shared)
  }

  /// The numbers `text` mentions, sorted and unique: each run of ASCII digits, joined across a
  /// single `,` or `.` between digits (`1,000` → `1000`, `2.5` stays), with leading zeros
  /// dropped (`07` → `7`); and each ASCII word `zero` … `twelve` (any case) as its digits.
  /// A word counts only when no other letter touches it (`someone` holds no `one`, `twoé` no
  /// `two`); digits and punctuation may (`G20` holds `20`, `two-thirds` holds `2`).
  ///
  /// ```swift
  /// PairScorer.numbers(in: "Three killed, 1,000 flee; 07 of 12 ok")  // ["1000", "12", "3", "7"]
  /// ```
  package static func numbers(in text: String) -> [String] {
    var found = Set<String>()
    let scalars = Array(text.unicodeScalars)
    let n = scalars.count
    @inline(__always) func isDigit(_ s: Unicode.Scalar) -> Bool { s >= "0" && s <= "9" }
    @inline(__always) func isASCIILetter(_ s: Unicode.Scalar) -> Bool {
      (s >= "a" && s <= "z") || (s >= "A" && s <= "Z")
    }
    @inline(__always) func isLetter(_ s: Unicode.Scalar) -> Bool {
      isASCIILetter(s) || (!s.isASCII && s.properties.isAlphabetic)
    }
    var i = 0
    while i < n {
      let c = scalars[i]
      if isDigit(c) {
        var digits = ""
        while i < n {
          let d = scalars[i]
          if isDigit(d) {
            digits.unicodeScalars.append(d)
          } else if d == "," || d == ".", i + 1 < n, isDigit(scalars[i + 1]) {
            if d == "." { digits.unicodeScalars.append(d) }
          } else {
            break
          }
          i += 1
        }
        while digits.count > 1, digits.first == "0", let next = digits.dropFirst().first,
          next.isASCII, next.isNumber
        {
          digits.removeFirst()
        }
        found.insert(digits)
        continue
      }
      if isLetter(c) {
        var word = ""
        var isASCII = true
        while i < n, isLetter(scalars[i]) {
          if isASCIILetter(scalars[i]) {
            word.unicodeScalars.append(scalars[i])
          } else {
            isASCII = false
          }
          i += 1
        }
        if isASCII, let value = Self.numberWords[word.lowercased()] { found.insert(value) }
        continue
      }
      i += 1
    }
    return found.sorted()
  }

  /// English number words and their digits.
  static let numberWords: [String: String] = [
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
  ]
}
