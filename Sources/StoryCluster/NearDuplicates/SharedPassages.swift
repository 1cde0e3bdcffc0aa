/// The passages two texts share: maximal runs of the same words, longest first, none
/// overlapping another in either text.
///
/// Words are maximal runs of letters and digits (Unicode), compared case-insensitively; what
/// lies between them (spaces, punctuation, line breaks) is ignored, so a reprint with changed
/// quotes or spacing still shares its sentences. Runs are found with the classic dynamic
/// programme for common substrings over words (Gusfield, *Algorithms on Strings, Trees and
/// Sequences*, 1997, §7.4): every run that cannot be extended either way is a candidate; the
/// longest are kept first, ties by their position in the first text, and a candidate that
/// overlaps a kept one in either text is dropped.
///
/// ```swift
/// let shared = SharedPassages(
///   "Russia and the US agreed on Syria.", "Officials said Russia and the US agreed on a text.",
///   minimumWords: 3)
/// shared.passages.map(\.text)  // ["Russia and the US agreed on"]
/// ```
///
/// - Complexity: O(n·m) time for texts of n and m words (each cut to ``wordLimit`` words) and
///   O(m + r) memory for r candidate runs.
public struct SharedPassages: Sendable, Equatable {
  /// One shared passage.
  public struct Passage: Sendable, Equatable, Codable {
    /// The passage as it reads in the first text (from its first word to its last).
    public var text: String
    /// Its length in words.
    public var wordCount: Int
    /// Its UTF-8 byte range in the first text.
    public var rangeInA: Range<Int>
    /// Its UTF-8 byte range in the second text.
    public var rangeInB: Range<Int>
  }

  /// Words of each text beyond this many are not compared.
  public static let wordLimit = 20_000

  /// The passages, longest first (ties by position in the first text).
  public let passages: [Passage]

  /// Finds the passages of at least `minimumWords` words that `a` and `b` share.
  ///
  /// - Parameters:
  ///   - a: The first text.
  ///   - b: The second text.
  ///   - minimumWords: The shortest run reported (default 3).
  ///   - limit: The most passages reported (default all).
  public init(_ a: String, _ b: String, minimumWords: Int = 3, limit: Int = .max) {
    let wordsA = Self.words(a)
    let wordsB = Self.words(b)
    let n = wordsA.count
    let m = wordsB.count
    let minimum = max(1, minimumWords)
    // runs ending at (i, j) that cannot be extended to (i + 1, j + 1)
    var candidates: [(endA: Int, endB: Int, length: Int)] = []
    var previous = [Int](repeating: 0, count: m + 1)
    var current = [Int](repeating: 0, count: m + 1)
    for i in 0..<n {
      for j in 0..<m {
        current[j + 1] = wordsA[i].key == wordsB[j].key ? previous[j] + 1 : 0
      }
      if i + 1 < n {
        for j in 0..<m where current[j + 1] >= minimum {
          // The run goes on only when the next words match too.
          if j + 1 < m, wordsA[i + 1].key == wordsB[j + 1].key { continue }
          candidates.append((i, j, current[j + 1]))
        }
      } else {
        for j in 0..<m where current[j + 1] >= minimum { candidates.append((i, j, current[j + 1])) }
      }
      swap(&previous, &current)
    }
    candidates.sort {
      $0.length != $1.length
        ? $0.length > $1.length : ($0.endA - $0.length, $0.endB) < ($1.endA - $1.length, $1.endB)
    }
    var usedA = [Bool](repeating: false, count: n)
    var usedB = [Bool](repeating: false, count: m)
    var kept: [Passage] = []
    let bytesA = Array(a.utf8)
    for run in candidates where kept.count < limit {
      let startA = run.endA - run.length + 1
      let startB = run.endB - run.length + 1
      if (startA...run.endA).contains(where: { usedA[$0] }) { continue }
      if (startB...run.endB).contains(where: { usedB[$0] }) { continue }
      for k in startA...run.endA { usedA[k] = true }
      for k in startB...run.endB { usedB[k] = true }
      let rangeA = wordsA[startA].bytes.lowerBound..<wordsA[run.endA].bytes.upperBound
      let rangeB = wordsB[startB].bytes.lowerBound..<wordsB[run.endB].bytes.upperBound
      kept.append(
        Passage(
          text: String(decoding: bytesA[rangeA], as: UTF8.self), wordCount: run.length,
          rangeInA: rangeA, rangeInB: rangeB))
    }
    passages = kept
  }

  /// The words of `text` (at most ``wordLimit``): lowercased keys and UTF-8 byte ranges.
  static func words(_ text: String) -> [(key: String, bytes: Range<Int>)] {
    var words: [(key: String, bytes: Range<Int>)] = []
    var start: Int?
    var offset = 0
    var word = ""
    for scalar in text.unicodeScalars {
      let width = UTF8.width(scalar)
      if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
        if start == nil {
          start = offset
          word = ""
        }
        word.unicodeScalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
      } else if let begin = start {
        words.append((word, begin..<offset))
        start = nil
        if words.count == wordLimit { return words }
      }
      offset += width
    }
    if let begin = start, words.count < wordLimit { words.append((word, begin..<offset)) }
    return words
  }
}
