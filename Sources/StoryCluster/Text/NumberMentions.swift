/// The numbers a text mentions, in digits or as the English words zero to twelve: what the
/// blended pair score compares (``PairScorer``) and where ``EventMarks`` finds years.
package enum NumberMentions {
  /// The numbers `text` mentions, sorted and unique: each run of ASCII digits, joined across a
  /// single `,` or `.` between digits (`1,000` → `1000`, `2.5` stays), with leading zeros
  /// dropped (`07` → `7`); and each ASCII word `zero` … `twelve` (any case) as its digits.
  /// A word counts only when no other letter touches it (`someone` holds no `one`, `twoé` no
  /// `two`); digits and punctuation may (`G20` holds `20`, `two-thirds` holds `2`).
  ///
  /// ```swift
  /// NumberMentions.numbers(in: "Three killed, 1,000 flee; 07 of 12 ok")  // ["1000", "12", "3", "7"]
  /// ```
  ///
  /// One pass over the UTF-8 bytes, with no copy of the text: digits and number words are ASCII,
  /// and only a non-ASCII scalar's lead byte is decoded, to ask whether it is a letter.
  package static func numbers(in text: String) -> [String] {
    var found: [String] = []
    var text = text
    text.withUTF8 { bytes in
      let n = bytes.count
      @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
      @inline(__always) func isASCIILetter(_ b: UInt8) -> Bool {
        let lower = b | 0x20
        return lower >= 0x61 && lower <= 0x7A
      }
      // The length of the letter starting at byte `i` (1 for ASCII, the scalar's length for a
      // non-ASCII alphabetic scalar), or 0 when no letter starts there.
      @inline(__always) func letterLength(at i: Int) -> Int {
        let b = bytes[i]
        if b < 0x80 { return isASCIILetter(b) ? 1 : 0 }
        let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0
        guard length > 0, i + length <= n else { return 0 }
        var value = UInt32(b) & (0x7F >> length)
        for k in 1..<length { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
        guard let scalar = Unicode.Scalar(value), scalar.properties.isAlphabetic else { return 0 }
        return length
      }
      var digits: [UInt8] = []
      let longest = Self.longestNumberWord
      let shortest = Self.shortestNumberWord
      let words = Self.numberWordKeys
      var i = 0
      while i < n {
        let c = bytes[i]
        if isDigit(c) {
          digits.removeAll(keepingCapacity: true)
          while i < n {
            let d = bytes[i]
            if isDigit(d) {
              digits.append(d)
            } else if d == 0x2C || d == 0x2E, i + 1 < n, isDigit(bytes[i + 1]) {
              if d == 0x2E { digits.append(d) }
            } else {
              break
            }
            i += 1
          }
          // Leading zeros go while a digit follows (`07` → `7`, `0.5` stays).
          var first = 0
          while digits.count - first > 1, digits[first] == 0x30, isDigit(digits[first + 1]) {
            first += 1
          }
          found.append(String(decoding: digits[first...], as: UTF8.self))
          continue
        }
        var length = letterLength(at: i)
        if length > 0 {
          // A run of letters: a number word only when it is all ASCII and at most as long as
          // the longest word; its first letters, lowercased, are packed into one integer.
          var key: UInt64 = 0
          var count = 0
          var isASCII = true
          while length > 0 {
            if length == 1 {
              if count < longest { key = key << 8 | UInt64(bytes[i] | 0x20) }
              count += 1
            } else {
              isASCII = false
            }
            i += length
            length = i < n ? letterLength(at: i) : 0
          }
          if isASCII, count >= shortest, count <= longest,
            let k = words.firstIndex(of: key)
          {
            found.append(Self.numberWordBytes[k].digits)
          }
          continue
        }
        i += 1
      }
    }
    found.sort()
    var unique: [String] = []
    unique.reserveCapacity(found.count)
    for value in found where unique.last != value { unique.append(value) }
    return unique
  }

  /// The length of the shortest of ``numberWords``.
  static let shortestNumberWord = numberWords.keys.map(\.utf8.count).min() ?? 0
  /// The length of the longest of ``numberWords``.
  static let longestNumberWord = numberWords.keys.map(\.utf8.count).max() ?? 0

  /// English number words and their digits.
  static let numberWords: [String: String] = [
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
  ]

  /// ``numberWords`` as bytes, with their digits.
  static let numberWordBytes: [(word: [UInt8], digits: String)] = numberWords.map {
    (Array($0.key.utf8), $0.value)
  }

  /// Each of ``numberWordBytes`` packed as a run of letters is in ``numbers(in:)`` (its bytes,
  /// first in the highest place used), so a short run is compared as one integer, not made
  /// into a string or an array.
  static let numberWordKeys: [UInt64] = numberWordBytes.map {
    $0.word.reduce(0) { $0 << 8 | UInt64($1) }
  }
}
