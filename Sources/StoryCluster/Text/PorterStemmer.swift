/// The Snowball English ("Porter2") stemmer, working directly on lowercased UTF-8 bytes.
///
/// This is the algorithm of <https://snowballstem.org/algorithms/english/stemmer.html> as
/// shipped in Snowball 3.1 (the `snowballstemmer` 3.1.1 Python package produces the reference
/// stems in `Tests/StoryClusterTests/Fixtures/porter2-english.tsv`). Compared with the original
/// 2006 description, Snowball 3 extends the R1 prefix exceptions (`gener`, `commun`, `arsen`,
/// plus `emerg`, `inter`, `later`, `organ`, `past`, `univers`), treats a stem ending in `past`
/// as ending in a short syllable, moves the `dying`/`lying`/`tying` and `inning`/`outing`/
/// `proceed`-style exceptions into Step 1b (where they also cover `evening`), and maps
/// `-ogist` to `-og` in Step 2.
///
/// Tokens come from the analyzer's `\w\w+` pattern, so they never contain apostrophes and the
/// algorithm's apostrophe handling is left out. Words with a non-ASCII byte, and words of two
/// bytes or fewer, are returned unchanged. The stemmer keeps no state, so one value can be shared
/// freely.
///
/// ```swift
/// var out: [UInt8] = []
/// Array("generously".utf8).withUnsafeBufferPointer { PorterStemmer().stem($0, into: &out) }
/// // out == Array("generous".utf8)
/// ```
struct PorterStemmer: Sendable {
  /// Writes the Porter2 stem of `word` into `output`, replacing whatever `output` held.
  ///
  /// - Parameters:
  ///   - word: A lowercased UTF-8 token.
  ///   - output: Receives the stem; its capacity is reused between calls.
  func stem(_ word: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
    output.removeAll(keepingCapacity: true)
    output.append(contentsOf: word)
    guard word.count > 2, !word.contains(where: { $0 >= 0x80 }) else { return }
    if Self.replaceExceptionalForm(&output) { return }

    let markedY = Self.markConsonantY(&output)
    let regions = Regions(of: output)
    Self.step1a(&output)
    Self.step1b(&output, regions)
    Self.step1c(&output)
    Self.applyLongestRule(Self.step2Rules, region: regions.p1, regions: regions, to: &output)
    Self.applyLongestRule(Self.step3Rules, region: regions.p1, regions: regions, to: &output)
    Self.applyLongestRule(Self.step4Rules, region: regions.p2, regions: regions, to: &output)
    Self.step5(&output, regions)
    if markedY {
      for i in output.indices where output[i] == Byte.upperY {
        output[i] = Byte.y
      }
    }
  }
}

// MARK: - Regions and letter classes

extension PorterStemmer {
  /// The start offsets of the regions R1 and R2 of a word (its length when a region is empty).
  ///
  /// R1 starts after the first non-vowel that follows a vowel, except that a word beginning
  /// with one of ``PorterStemmer/r1Prefixes`` has R1 start right after that prefix. R2 is the
  /// same construction applied again from the start of R1. Offsets are fixed once, on the word
  /// as it is before Step 1a, and suffixes are compared against them as the word shrinks.
  private struct Regions {
    /// Offset where R1 starts.
    var p1: Int
    /// Offset where R2 starts.
    var p2: Int

    /// Marks the regions of `word`, whose consonant `y`s are already marked as `Y`.
    init(of word: [UInt8]) {
      p1 = word.count
      p2 = word.count
      var start: Int
      if let prefix = PorterStemmer.r1Prefixes.first(where: { word.hasPrefix($0) }) {
        start = prefix.utf8CodeUnitCount
      } else if let next = Self.offsetAfterVowelThenConsonant(in: word, from: 0) {
        start = next
      } else {
        return
      }
      p1 = start
      if let next = Self.offsetAfterVowelThenConsonant(in: word, from: start) {
        p2 = next
      }
    }

    /// The offset just past the first non-vowel that follows a vowel at or after `from`, or
    /// `nil` when there is no such non-vowel.
    private static func offsetAfterVowelThenConsonant(in word: [UInt8], from: Int) -> Int? {
      var i = from
      while i < word.count && !PorterStemmer.isVowel(word[i]) { i += 1 }
      guard i < word.count else { return nil }
      i += 1
      while i < word.count && PorterStemmer.isVowel(word[i]) { i += 1 }
      guard i < word.count else { return nil }
      return i + 1
    }
  }

  /// Whether `byte` is one of the vowels `a e i o u y` (a marked consonant `Y` is not a vowel).
  private static func isVowel(_ byte: UInt8) -> Bool {
    switch byte {
    case Byte.a, Byte.e, Byte.i, Byte.o, Byte.u, Byte.y: return true
    default: return false
    }
  }

  /// Whether `byte` may not end a short syllable: a vowel, `w`, `x` or a marked `Y`.
  private static func isVowelWXY(_ byte: UInt8) -> Bool {
    switch byte {
    case Byte.w, Byte.x, Byte.upperY: return true
    default: return isVowel(byte)
    }
  }

  /// Whether `word[..<end]` ends in a short syllable.
  ///
  /// That is a non-vowel other than `w`, `x` or `Y`, preceded by a vowel, preceded by a
  /// non-vowel; or a vowel then a non-vowel making up the whole of `word[..<end]`; or `past`.
  private static func endsInShortSyllable(_ word: [UInt8], end: Int) -> Bool {
    if end >= 3 && !isVowelWXY(word[end - 1]) && isVowel(word[end - 2])
      && !isVowel(word[end - 3])
    {
      return true
    }
    if end == 2 && !isVowel(word[1]) && isVowel(word[0]) { return true }
    return word.hasSuffix("past", end: end)
  }

  /// Replaces every consonant `y` with `Y`: a leading `y` and any `y` right after a vowel.
  ///
  /// - Returns: Whether anything was marked (so the final step must turn `Y` back into `y`).
  private static func markConsonantY(_ word: inout [UInt8]) -> Bool {
    var marked = false
    if word.first == Byte.y {
      word[0] = Byte.upperY
      marked = true
    }
    var i = 1
    while i < word.count {
      if word[i] == Byte.y && isVowel(word[i - 1]) {
        word[i] = Byte.upperY
        marked = true
      }
      i += 1
    }
    return marked
  }
}

// MARK: - Exceptional forms and Steps 1a to 1c

extension PorterStemmer {
  /// Prefixes after which R1 starts, whatever follows.
  private static let r1Prefixes: [StaticString] = [
    "arsen", "commun", "emerg", "gener", "inter", "later", "organ", "past", "univers",
  ]

  /// Whole words with a fixed stem, checked before any other step.
  private static let exceptionalForms: [(word: StaticString, stem: StaticString)] = [
    ("skis", "ski"), ("skies", "sky"), ("idly", "idl"), ("gently", "gentl"), ("ugly", "ugli"),
    ("early", "earli"), ("only", "onli"), ("singly", "singl"), ("sky", "sky"), ("news", "news"),
    ("howe", "howe"), ("atlas", "atlas"), ("cosmos", "cosmos"), ("bias", "bias"),
    ("andes", "andes"),
  ]

  /// Stems before which Step 1b leaves `-eed` and `-eedly` alone (`proceed`, `exceed`, ...).
  private static let eedStems: [StaticString] = ["succ", "proc", "exc"]

  /// Stems before which Step 1b leaves `-ing` alone (`evening`, `inning`, `outing`, ...).
  private static let ingStems: [StaticString] = ["even", "cann", "inn", "earr", "herr", "out"]

  /// Replaces `word` with its fixed stem when it is an exceptional form.
  ///
  /// - Returns: Whether `word` was an exceptional form (and so is fully stemmed).
  private static func replaceExceptionalForm(_ word: inout [UInt8]) -> Bool {
    for form in exceptionalForms where word.isEqual(to: form.word, end: word.count) {
      word.replaceSuffix(length: word.count, with: form.stem)
      return true
    }
    return false
  }

  /// Step 1a: `sses` → `ss`; `ied`/`ies` → `i` (or `ie` after a single letter); a final `s` is
  /// dropped when a vowel occurs before the letter preceding it, except after `ss` or `us`.
  private static func step1a(_ word: inout [UInt8]) {
    let n = word.count
    if word.hasSuffix("sses", end: n) {
      word.removeLast(2)
    } else if word.hasSuffix("ied", end: n) || word.hasSuffix("ies", end: n) {
      word.replaceSuffix(length: 3, with: n - 3 >= 2 ? "i" : "ie")
    } else if word.hasSuffix("ss", end: n) || word.hasSuffix("us", end: n) {
      return
    } else if n >= 2 && word[n - 1] == Byte.s && word[..<(n - 2)].contains(where: isVowel) {
      word.removeLast()
    }
  }

  /// Step 1b: `-eed`/`-eedly` → `-ee` in R1; `-ed`, `-edly`, `-ing`, `-ingly` are dropped when
  /// the rest has a vowel, then `at`/`bl`/`iz` gain an `e`, a double consonant loses a letter,
  /// and a short word gains an `e`.
  private static func step1b(_ word: inout [UInt8], _ regions: Regions) {
    let n = word.count
    let start: Int
    var isEED = false
    var isING = false
    if word.hasSuffix("eedly", end: n) {
      start = n - 5
      isEED = true
    } else if word.hasSuffix("ingly", end: n) {
      start = n - 5
    } else if word.hasSuffix("edly", end: n) {
      start = n - 4
    } else if word.hasSuffix("eed", end: n) {
      start = n - 3
      isEED = true
    } else if word.hasSuffix("ing", end: n) {
      start = n - 3
      isING = true
    } else if word.hasSuffix("ed", end: n) {
      start = n - 2
    } else {
      return
    }

    if isEED {
      if start >= regions.p1 && !eedStems.contains(where: { word.isEqual(to: $0, end: start) }) {
        word.replaceSuffix(length: n - start, with: "ee")
      }
      return
    }
    if isING {
      if ingStems.contains(where: { word.isEqual(to: $0, end: start) }) { return }
      // A consonant then `y` before `-ing` is the whole stem: dying → die, lying → lie.
      if start == 2 && word[1] == Byte.y && !isVowel(word[0]) {
        word.replaceSuffix(length: n - 1, with: "ie")
        return
      }
    }

    guard word[..<start].contains(where: isVowel) else { return }
    word.removeLast(n - start)
    if word.hasSuffix("at", end: start) || word.hasSuffix("bl", end: start)
      || word.hasSuffix("iz", end: start)
    {
      word.append(Byte.e)
    } else if start >= 2 && word[start - 1] == word[start - 2] && isDoubled(word[start - 1]) {
      // A lone `a`, `e` or `o` before the double is the whole stem: keep "add", "egg", "off".
      if !(start == 3 && (word[0] == Byte.a || word[0] == Byte.e || word[0] == Byte.o)) {
        word.removeLast()
      }
    } else if start == regions.p1 && endsInShortSyllable(word, end: start) {
      word.append(Byte.e)
    }
  }

  /// Whether a doubled `byte` at the end of a Step 1b stem is undoubled (`bb dd ff gg mm nn pp
  /// rr tt`).
  private static func isDoubled(_ byte: UInt8) -> Bool {
    switch byte {
    case Byte.b, Byte.d, Byte.f, Byte.g, Byte.m, Byte.n, Byte.p, Byte.r, Byte.t: return true
    default: return false
    }
  }

  /// Step 1c: a final `y` or `Y` after a non-vowel that is not the first letter becomes `i`.
  private static func step1c(_ word: inout [UInt8]) {
    let n = word.count
    guard n >= 3, word[n - 1] == Byte.y || word[n - 1] == Byte.upperY, !isVowel(word[n - 2])
    else { return }
    word[n - 1] = Byte.i
  }
}

// MARK: - Steps 2 to 5

extension PorterStemmer {
  /// An extra test a suffix rule makes on the word before replacing the suffix.
  private enum Condition: Sendable {
    /// No extra test.
    case always
    /// The suffix is preceded by `l`.
    case afterL
    /// The suffix is preceded by a valid `li` ending: `c d e g h k m n r t`.
    case afterValidLI
    /// The suffix is preceded by `s` or `t`.
    case afterSOrT
    /// The suffix also lies in R2.
    case inR2
  }

  /// A suffix, its replacement, and the extra test it needs.
  private struct SuffixRule: Sendable {
    /// The suffix to find at the end of the word.
    let suffix: StaticString
    /// What replaces the suffix (empty to delete it).
    let replacement: StaticString
    /// The extra test before replacing.
    let condition: Condition

    /// Creates a rule replacing `suffix` with `replacement` when `condition` holds.
    init(_ suffix: StaticString, _ replacement: StaticString, _ condition: Condition = .always) {
      self.suffix = suffix
      self.replacement = replacement
      self.condition = condition
    }
  }

  /// Suffix rules grouped by the suffix's last letter, each group longest suffix first, so
  /// that the first rule of a group matching a word is the longest matching one.
  private struct RuleTable: Sendable {
    /// All rules, grouped by last letter.
    private let rules: [SuffixRule]
    /// `rules[groupStarts[k]..<groupStarts[k + 1]]` end in the letter `a` + `k`.
    private let groupStarts: [Int]

    /// Groups `rules`, which must list longer suffixes before shorter ones.
    init(_ rules: [SuffixRule]) {
      func group(_ rule: SuffixRule) -> Int {
        Int(rule.suffix.withUTF8Buffer { $0.last ?? 0 } &- Byte.a)
      }
      var sorted: [SuffixRule] = []
      var groupStarts: [Int] = []
      for letter in 0..<26 {
        groupStarts.append(sorted.count)
        sorted.append(contentsOf: rules.filter { group($0) == letter })
      }
      groupStarts.append(sorted.count)
      self.rules = sorted
      self.groupStarts = groupStarts
    }

    /// The longest suffix of `word` among the rules, if any.
    func longestMatch(in word: [UInt8]) -> SuffixRule? {
      guard let last = word.last else { return nil }
      let letter = Int(last &- Byte.a)
      guard letter < 26 else { return nil }
      var k = groupStarts[letter]
      let end = groupStarts[letter + 1]
      while k < end {
        if word.hasSuffix(rules[k].suffix, end: word.count) { return rules[k] }
        k += 1
      }
      return nil
    }
  }

  /// Step 2 rules, longest suffix first; the suffix must lie in R1.
  private static let step2Rules = RuleTable([
    SuffixRule("ational", "ate"), SuffixRule("iveness", "ive"), SuffixRule("fulness", "ful"),
    SuffixRule("ousness", "ous"), SuffixRule("ization", "ize"), SuffixRule("tional", "tion"),
    SuffixRule("biliti", "ble"), SuffixRule("lessli", "less"), SuffixRule("entli", "ent"),
    SuffixRule("ousli", "ous"), SuffixRule("fulli", "ful"), SuffixRule("aliti", "al"),
    SuffixRule("iviti", "ive"), SuffixRule("alism", "al"), SuffixRule("ation", "ate"),
    SuffixRule("ogist", "og"), SuffixRule("enci", "ence"), SuffixRule("anci", "ance"),
    SuffixRule("abli", "able"), SuffixRule("alli", "al"), SuffixRule("izer", "ize"),
    SuffixRule("ator", "ate"), SuffixRule("bli", "ble"), SuffixRule("ogi", "og", .afterL),
    SuffixRule("li", "", .afterValidLI),
  ])

  /// Step 3 rules, longest suffix first; the suffix must lie in R1.
  private static let step3Rules = RuleTable([
    SuffixRule("ational", "ate"), SuffixRule("tional", "tion"), SuffixRule("icate", "ic"),
    SuffixRule("ative", "", .inR2), SuffixRule("alize", "al"), SuffixRule("iciti", "ic"),
    SuffixRule("ical", "ic"), SuffixRule("ness", ""), SuffixRule("ful", ""),
  ])

  /// Step 4 rules, longest suffix first; the suffix must lie in R2 and is deleted.
  private static let step4Rules = RuleTable([
    SuffixRule("ement", ""), SuffixRule("ment", ""), SuffixRule("ance", ""),
    SuffixRule("ence", ""), SuffixRule("able", ""), SuffixRule("ible", ""), SuffixRule("ate", ""),
    SuffixRule("ive", ""), SuffixRule("ize", ""), SuffixRule("iti", ""), SuffixRule("ism", ""),
    SuffixRule("ous", ""), SuffixRule("ant", ""), SuffixRule("ent", ""),
    SuffixRule("ion", "", .afterSOrT), SuffixRule("ic", ""), SuffixRule("al", ""),
    SuffixRule("er", ""),
  ])

  /// Finds the longest suffix of `word` among `rules` and applies that rule alone, provided the
  /// suffix starts at or after `region` and the rule's condition holds.
  private static func applyLongestRule(
    _ rules: RuleTable, region: Int, regions: Regions, to word: inout [UInt8]
  ) {
    let n = word.count
    guard let rule = rules.longestMatch(in: word) else { return }
    let start = n - rule.suffix.utf8CodeUnitCount
    guard start >= region else { return }
    let before = start > 0 ? word[start - 1] : 0
    switch rule.condition {
    case .always:
      break
    case .afterL:
      guard before == Byte.l else { return }
    case .afterValidLI:
      guard isValidLIEnding(before) else { return }
    case .afterSOrT:
      guard before == Byte.s || before == Byte.t else { return }
    case .inR2:
      guard start >= regions.p2 else { return }
    }
    word.replaceSuffix(length: n - start, with: rule.replacement)
  }

  /// Whether `byte` may precede a deleted `li` in Step 2.
  private static func isValidLIEnding(_ byte: UInt8) -> Bool {
    switch byte {
    case Byte.c, Byte.d, Byte.e, Byte.g, Byte.h, Byte.k, Byte.m, Byte.n, Byte.r, Byte.t:
      return true
    default:
      return false
    }
  }

  /// Step 5: a final `e` goes in R2, or in R1 unless a short syllable precedes it; a final `l`
  /// goes in R2 after another `l`.
  private static func step5(_ word: inout [UInt8], _ regions: Regions) {
    let n = word.count
    guard n > 0 else { return }
    let start = n - 1
    if word[start] == Byte.e {
      if start >= regions.p2
        || (start >= regions.p1 && !endsInShortSyllable(word, end: start))
      {
        word.removeLast()
      }
    } else if word[start] == Byte.l && start >= regions.p2 && start >= 1
      && word[start - 1] == Byte.l
    {
      word.removeLast()
    }
  }
}

// MARK: - Bytes

/// The ASCII letters the stemmer looks at.
private enum Byte {
  /// `a`.
  static let a = UInt8(ascii: "a")
  /// `b`.
  static let b = UInt8(ascii: "b")
  /// `c`.
  static let c = UInt8(ascii: "c")
  /// `d`.
  static let d = UInt8(ascii: "d")
  /// `e`.
  static let e = UInt8(ascii: "e")
  /// `f`.
  static let f = UInt8(ascii: "f")
  /// `g`.
  static let g = UInt8(ascii: "g")
  /// `h`.
  static let h = UInt8(ascii: "h")
  /// `i`.
  static let i = UInt8(ascii: "i")
  /// `k`.
  static let k = UInt8(ascii: "k")
  /// `l`.
  static let l = UInt8(ascii: "l")
  /// `m`.
  static let m = UInt8(ascii: "m")
  /// `n`.
  static let n = UInt8(ascii: "n")
  /// `o`.
  static let o = UInt8(ascii: "o")
  /// `p`.
  static let p = UInt8(ascii: "p")
  /// `r`.
  static let r = UInt8(ascii: "r")
  /// `s`.
  static let s = UInt8(ascii: "s")
  /// `t`.
  static let t = UInt8(ascii: "t")
  /// `u`.
  static let u = UInt8(ascii: "u")
  /// `w`.
  static let w = UInt8(ascii: "w")
  /// `x`.
  static let x = UInt8(ascii: "x")
  /// `y`.
  static let y = UInt8(ascii: "y")
  /// `Y`, a `y` marked as a consonant.
  static let upperY = UInt8(ascii: "Y")
}

extension [UInt8] {
  /// Whether `self[..<end]` ends with the UTF-8 bytes of `suffix`.
  @inline(__always)
  fileprivate func hasSuffix(_ suffix: StaticString, end: Int) -> Bool {
    let length = suffix.utf8CodeUnitCount
    guard length <= end else { return false }
    return suffix.withUTF8Buffer { bytes in
      // Compare from the end: most candidates already differ in their last byte.
      var i = length
      while i > 0 {
        i -= 1
        if self[end - length + i] != bytes[i] { return false }
      }
      return true
    }
  }

  /// Whether `self[..<end]` is exactly the UTF-8 bytes of `text`.
  fileprivate func isEqual(to text: StaticString, end: Int) -> Bool {
    end == text.utf8CodeUnitCount && hasSuffix(text, end: end)
  }

  /// Whether `self` starts with the UTF-8 bytes of `prefix`.
  fileprivate func hasPrefix(_ prefix: StaticString) -> Bool {
    let length = prefix.utf8CodeUnitCount
    return length <= count && hasSuffix(prefix, end: length)
  }

  /// Replaces the last `length` bytes with the UTF-8 bytes of `replacement`.
  fileprivate mutating func replaceSuffix(length: Int, with replacement: StaticString) {
    removeLast(length)
    replacement.withUTF8Buffer { append(contentsOf: $0) }
  }
}
