/// The terms of ``Analyzer/Kind/names``: runs of capitalised words, the names a text mentions
/// (people, places, ships, companies).
///
/// A word is a run of letters (alphabetic scalars), with an apostrophe (`'`, `’`) or a hyphen
/// between two letters inside it (`O'Brien`, `Al-Qaeda`); it is capitalised when its first
/// letter is upper case. Spaces and tabs between capitalised words keep a run going; any other
/// character (punctuation, a digit, a line break), a word in lower case or a stop word ends it,
/// and a possessive `'s` ends it after its word (and is not part of the name). Each run is one
/// term, lowercased, its words joined by one space, followed (for runs of two or more) by each
/// of its words, so `Lindsay Lohan` meets a later `Lohan`.
///
/// ```swift
/// Analyzer(stopWords: .english, kind: .names).terms(in: "Police said Harry Winston's Paris store was hit.")
/// // ["police", "harry winston", "harry", "winston", "paris"]
/// ```
///
/// One pass over the UTF-8 bytes: only non-ASCII scalars are decoded, and only a capitalised
/// word holding one is lowercased through `String`.
struct NameRuns: Sendable {
  /// The current run's words, lowercased, one after another.
  private var run: [UInt8] = []
  /// Where each word of the run ends in ``run``.
  private var wordEnds: [Int] = []
  /// The joined run.
  private var joined: [UInt8] = []

  /// Calls `body` with each name term of `text`, in order.
  ///
  /// - Parameters:
  ///   - text: UTF-8 bytes.
  ///   - stopTable: Lowercased words that are never part of a name.
  ///   - body: Called with each term's bytes.
  mutating func forEachTerm(
    in text: UnsafeBufferPointer<UInt8>, stopTable: TermTable?,
    _ body: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    run.removeAll(keepingCapacity: true)
    wordEnds.removeAll(keepingCapacity: true)
    let n = text.count
    // The scalar starting at byte `i` and its length in bytes (a malformed byte is one scalar
    // that is not a letter).
    @inline(__always) func scalar(at i: Int) -> (value: Unicode.Scalar?, length: Int) {
      let b = text[i]
      if b < 0x80 { return (Unicode.Scalar(b), 1) }
      let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
      guard length > 1, i + length <= n else { return (nil, 1) }
      var value = UInt32(b) & (0x7F >> length)
      for k in 1..<length { value = value << 6 | UInt32(text[i + k] & 0x3F) }
      return (Unicode.Scalar(value), length)
    }
    @inline(__always) func isLetter(_ s: Unicode.Scalar?) -> Bool {
      guard let s else { return false }
      if s.value < 0x80 {
        let lower = s.value | 0x20
        return lower >= 0x61 && lower <= 0x7A
      }
      return s.properties.isAlphabetic
    }
    @inline(__always) func isApostrophe(_ s: Unicode.Scalar?) -> Bool {
      s == "'" || s == "\u{2019}"
    }
    var i = 0
    while i < n {
      let (first, firstLength) = scalar(at: i)
      guard isLetter(first), let first else {
        // Spaces and tabs join the words of a run; anything else ends it.
        if text[i] != 0x20 && text[i] != 0x09 { endRun(body) }
        i += firstLength
        continue
      }
      // One word: letters, with an apostrophe or hyphen between two letters.
      let start = i
      var lastJoiner = -1
      i += firstLength
      while i < n {
        let (next, length) = scalar(at: i)
        if isLetter(next) {
          i += length
        } else if isApostrophe(next) || next == "-", i + length < n {
          let after = scalar(at: i + length)
          guard isLetter(after.value) else { break }
          lastJoiner = i
          i += length + after.length
        } else {
          break
        }
      }
      var end = i
      // A possessive `'s` is not part of the name and ends the run.
      var isPossessive = false
      if lastJoiner >= 0, text[end - 1] | 0x20 == 0x73,
        case let (mark, length) = scalar(at: lastJoiner), isApostrophe(mark),
        lastJoiner + length == end - 1
      {
        end = lastJoiner
        isPossessive = true
      }
      let isCapital =
        first.value < 0x80 ? first.value &- 0x41 < 26 : first.properties.isUppercase
      guard isCapital else {
        endRun(body)
        continue
      }
      // The word, lowercased, at the run's end.
      let wordStart = run.count
      let word = UnsafeBufferPointer(rebasing: text[start..<end])
      if word.allSatisfy({ $0 < 0x80 }) {
        for b in word { run.append(b &- 0x41 < 26 ? b | 0x20 : b) }
      } else {
        run += String(decoding: word, as: UTF8.self).lowercased().utf8
      }
      let isStopWord =
        stopTable.map { table in
          run.withUnsafeBufferPointer {
            table.find(UnsafeBufferPointer(rebasing: $0[wordStart...])) >= 0
          }
        } ?? false
      if isStopWord {
        run.removeSubrange(wordStart...)
        endRun(body)
        continue
      }
      wordEnds.append(run.count)
      if isPossessive { endRun(body) }
    }
    endRun(body)
  }

  /// Emits the run (joined, then its words when it has two or more) and empties it.
  private mutating func endRun(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    guard !wordEnds.isEmpty else { return }
    if wordEnds.count == 1 {
      run.withUnsafeBufferPointer(body)
    } else {
      joined.removeAll(keepingCapacity: true)
      var start = 0
      for end in wordEnds {
        if start > 0 { joined.append(0x20) }
        joined += run[start..<end]
        start = end
      }
      joined.withUnsafeBufferPointer(body)
      run.withUnsafeBufferPointer { words in
        var start = 0
        for end in wordEnds {
          body(UnsafeBufferPointer(rebasing: words[start..<end]))
          start = end
        }
      }
    }
    run.removeAll(keepingCapacity: true)
    wordEnds.removeAll(keepingCapacity: true)
  }
}
