/// Splits UTF-8 text into word tokens exactly as scikit-learn's default `token_pattern`
/// `(?u)\b\w\w+\b` does after `str.lower()`.
///
/// A token is a maximal run of word characters, at least ``minimumLength`` code points long. A
/// word character is what Python's `re` calls `\w` in Unicode mode: a letter (general category
/// L*), a character with a numeric value (Nd, Nl, No, and the CJK numerals), or `_`. Combining
/// marks are not word characters, so they split words, as in Python.
///
/// Lowercasing uses Unicode's full mappings (`İ` becomes `i` + U+0307, which then splits, as in
/// Python) and the final-sigma rule (`ΟΔΟΣ` becomes `οδος`).
///
/// Texts that are all ASCII (most news) take a word-at-a-time path. In other texts, ASCII bytes
/// take a table-driven path, and other scalars are classified once and cached.
///
/// ```swift
/// var tokenizer = Tokenizer()
/// tokenizer.tokens(in: "Straße, café & 東京 2020") // ["straße", "café", "東京", "2020"]
/// ```
///
/// - Complexity: O(n) time in the bytes; O(n) scratch memory, reused across calls.
package struct Tokenizer: Sendable {
  /// Whether to lowercase before splitting (scikit-learn `lowercase`, default `true`).
  var isLowercasing = true
  /// The shortest token kept, in code points (2 for scikit-learn's default pattern).
  var minimumLength = 2

  private var scratch: [UInt8] = []
  private var cache: [UInt32: ScalarClass] = [:]

  /// Creates a tokenizer.
  package init(isLowercasing: Bool = true, minimumLength: Int = 2) {
    self.isLowercasing = isLowercasing
    self.minimumLength = minimumLength
  }

  /// The tokens of `text`, as strings (a convenience for tests and tools).
  package mutating func tokens(in text: String) -> [String] {
    var result: [String] = []
    var text = text
    text.withUTF8 { bytes in
      forEachToken(in: bytes) { result.append(String(decoding: $0, as: UTF8.self)) }
    }
    return result
  }

  /// Calls `body` with the bytes of each token, in order. The buffer is valid only during the call.
  package mutating func forEachToken(
    in text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    let n = text.count
    if n == 0 { return }
    let needed = n * 3 + 32
    var buffer = scratch
    scratch = []
    defer { scratch = buffer }
    if buffer.count < needed { buffer = [UInt8](repeating: 0, count: needed) }
    let lowering = isLowercasing
    let minimum = minimumLength
    var isASCII = false
    buffer.withUnsafeMutableBufferPointer { out in
      isASCII = Self.forEachASCIIToken(
        in: text, lowering: lowering, minimum: minimum, scratch: out, body)
    }
    if isASCII { return }
    buffer.withUnsafeMutableBufferPointer { outBuffer in
      (lowering ? Self.asciiTable : Self.asciiWordTable).withUnsafeBufferPointer { table in
        guard let out = outBuffer.baseAddress else { return }
        var p = 0  // bytes in the current token
        var length = 0  // code points in the current token
        var previousCased = false  // for the final-sigma context
        var i = 0
        @inline(__always) func flush() {
          if length >= minimum { body(UnsafeBufferPointer(start: out, count: p)) }
          p = 0
          length = 0
        }
        while i < n {
          let c = text[i]
          if c < 0x80 {
            if table[Int(c)] == 0 {
              flush()
              if !Self.isASCIICaseIgnorable(c) { previousCased = false }
              i += 1
              continue
            }
            // A run of ASCII word bytes: copy it (lowercased) in one tight loop. The table maps
            // bytes from 0x80 up to 0, so the run also stops before any multi-byte scalar.
            let runStart = i
            var t = table[Int(c)]
            repeat {
              out[p] = t
              p &+= 1
              i &+= 1
              if i == n { break }
              t = table[Int(text[i])]
            } while t != 0
            length &+= i &- runStart
            let last = text[i &- 1] | 0x20
            previousCased = last >= 0x61 && last <= 0x7A
            continue
          }
          let (scalar, width) = Self.decode(text, at: i)
          let info = classify(scalar)
          if lowering {
            var mapped = info.lowered
            if scalar == 0x3A3, previousCased, !nextIsCased(text, from: i + width) {
              mapped = [0x3C2]  // final sigma
            }
            for (k, m) in mapped.enumerated() {
              if info.loweredIsWord[k] {
                p += Self.encode(m, into: out + p)
                length += 1
              } else {
                flush()
              }
            }
          } else if info.isWord {
            p += Self.encode(scalar, into: out + p)
            length += 1
          } else {
            flush()
          }
          if !info.isCaseIgnorable { previousCased = info.isCased }
          i += width
        }
        flush()
      }
    }
  }

  // MARK: - Internals

  /// The ASCII fast path of ``forEachToken(in:_:)``: when every byte of `text` is ASCII, calls
  /// `body` with each token and returns true; otherwise returns false without calling `body`.
  ///
  /// A first pass reads eight bytes at a time: it copies them to `scratch` (lowercased when
  /// `lowering`, the byte-wise SWAR range tests of H. S. Warren, "Hacker's Delight", ch. 6) and
  /// records one bit per byte for the word characters `[0-9A-Za-z_]`. A second pass walks the
  /// bitmap's transitions with count-trailing-zeros, so each token costs a few word operations
  /// however long it is. Tokens are slices of `scratch`, which needs `text.count + 8` bytes plus
  /// eight bits of bitmap per 64 bytes (`forEachToken` allocates three bytes per input byte).
  ///
  /// ASCII text has no final sigma or multi-scalar lowercase mappings, so the tokens are exactly
  /// those of the general path.
  private static func forEachASCIIToken(
    in text: UnsafeBufferPointer<UInt8>, lowering: Bool, minimum: Int,
    scratch: UnsafeMutableBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void
  ) -> Bool {
    guard let source = UnsafeRawPointer(text.baseAddress), let out = scratch.baseAddress else {
      return false
    }
    let n = text.count
    // The bitmap lives after the copied text (8-byte aligned): bit i of word k is byte 64k + i.
    let mapOffset = (n + 8 + 7) & ~7
    let wordCount = n / 64 + 1  // one bit past the end is always 0, so the last run ends
    precondition(mapOffset + wordCount * 8 <= scratch.count)
    let map = UnsafeMutableRawPointer(out + mapOffset)
    map.initializeMemory(as: UInt8.self, repeating: 0, count: wordCount * 8)
    let ones: UInt64 = 0x0101_0101_0101_0101
    let high: UInt64 = 0x8080_8080_8080_8080
    let destination = UnsafeMutableRawPointer(out)
    var i = 0
    while i < n {
      var x: UInt64
      if i + 8 <= n {
        x = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: i, as: UInt64.self))
      } else {
        x = 0
        for k in 0..<(n - i) {
          x |= UInt64(source.load(fromByteOffset: i + k, as: UInt8.self)) << UInt64(8 * k)
        }
      }
      if x & high != 0 { return false }
      // Bytes are below 0x80, so adding at most 0x7F to each never carries into the next.
      let folded = x | 0x20 &* ones
      let letter = (folded &+ 0x1F &* ones) & ~(folded &+ 0x05 &* ones)  // a…z after folding
      let digit = (x &+ 0x50 &* ones) & ~(x &+ 0x46 &* ones)  // 0…9
      let underscore = ~((x ^ 0x5F &* ones) &+ 0x7F &* ones)  // _
      let word = (letter | digit | underscore) & high
      if lowering {
        let upper = (x &+ 0x3F &* ones) & ~(x &+ 0x25 &* ones) & high  // A…Z
        x |= upper >> 2
      }
      destination.storeBytes(of: x.littleEndian, toByteOffset: i, as: UInt64.self)
      // Gather the eight high bits into one byte (byte k → bit k).
      let bits = ((word >> 7) &* 0x0102_0408_1020_4080) >> 56
      let slot = (i >> 6) << 3
      let old = map.loadUnaligned(fromByteOffset: slot, as: UInt64.self)
      map.storeBytes(of: old | bits << UInt64(i & 63), toByteOffset: slot, as: UInt64.self)
      i += 8
    }
    // Runs of set bits are the tokens: walk the bits where word-ness changes.
    var start = 0
    var carry: UInt64 = 0
    for k in 0..<wordCount {
      let m = map.loadUnaligned(fromByteOffset: k << 3, as: UInt64.self)
      var changes = m ^ (m << 1 | carry)
      carry = m >> 63
      while changes != 0 {
        let position = k << 6 | changes.trailingZeroBitCount
        changes &= changes &- 1
        if m >> UInt64(position & 63) & 1 == 1 {
          start = position
        } else if position - start >= minimum {
          body(UnsafeBufferPointer(start: out + start, count: position - start))
        }
      }
    }
    return true
  }

  /// What the tokenizer needs to know about one non-ASCII scalar.
  struct ScalarClass: Sendable {
    var isWord: Bool
    var lowered: [UInt32]
    var loweredIsWord: [Bool]
    var isCased: Bool
    var isCaseIgnorable: Bool
  }

  /// ASCII byte → its lowercase when it is a word character, 0 otherwise.
  static let asciiTable: [UInt8] = (0..<256).map { b -> UInt8 in
    let c = UInt8(b)
    switch c {
    case 0x30...0x39, 0x61...0x7A, 0x5F: return c
    case 0x41...0x5A: return c | 0x20
    default: return 0
    }
  }

  /// ASCII byte → itself when it is a word character, 0 otherwise (no lowercasing).
  static let asciiWordTable: [UInt8] = (0..<256).map { b -> UInt8 in
    let c = UInt8(b)
    switch c {
    case 0x30...0x39, 0x61...0x7A, 0x5F, 0x41...0x5A: return c
    default: return 0
    }
  }

  @inline(__always)
  static func isASCIICaseIgnorable(_ c: UInt8) -> Bool {
    c == 0x27 || c == 0x2E || c == 0x3A || c == 0x5E || c == 0x60
  }

  /// Python's `\w`: a letter, a character with a numeric value, or `_`.
  static func isWord(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == "_" { return true }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
      return true
    default:
      return scalar.properties.numericType != nil
    }
  }

  private mutating func classify(_ value: UInt32) -> ScalarClass {
    if let known = cache[value] { return known }
    let info: ScalarClass
    if let scalar = Unicode.Scalar(value) {
      let props = scalar.properties
      let lowered =
        props.changesWhenLowercased ? props.lowercaseMapping.unicodeScalars.map(\.value) : [value]
      info = ScalarClass(
        isWord: Self.isWord(scalar), lowered: lowered,
        loweredIsWord: lowered.map { Unicode.Scalar($0).map(Self.isWord) ?? false },
        isCased: props.isCased, isCaseIgnorable: props.isCaseIgnorable)
    } else {
      info = ScalarClass(
        isWord: false, lowered: [value], loweredIsWord: [false], isCased: false,
        isCaseIgnorable: false)
    }
    cache[value] = info
    return info
  }

  /// Whether the next scalar that is not case-ignorable is cased (the final-sigma lookahead).
  private mutating func nextIsCased(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
    var i = start
    while i < text.count {
      let (scalar, width) = Self.decode(text, at: i)
      if scalar < 0x80 {
        let c = UInt8(scalar)
        if Self.isASCIICaseIgnorable(c) {
          i += 1
          continue
        }
        return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A
      }
      let info = classify(scalar)
      if !info.isCaseIgnorable { return info.isCased }
      i += width
    }
    return false
  }

  /// Decodes the scalar at `i` of valid UTF-8 (malformed bytes decode as U+FFFD, width 1).
  @inline(__always)
  static func decode(_ t: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
    let c = t[i]
    if c < 0x80 { return (UInt32(c), 1) }
    if c >= 0xC2, c <= 0xDF, i + 1 < t.count {
      return (UInt32(c & 0x1F) << 6 | UInt32(t[i + 1] & 0x3F), 2)
    }
    if c >= 0xE0, c <= 0xEF, i + 2 < t.count {
      return (UInt32(c & 0x0F) << 12 | UInt32(t[i + 1] & 0x3F) << 6 | UInt32(t[i + 2] & 0x3F), 3)
    }
    if c >= 0xF0, c <= 0xF4, i + 3 < t.count {
      let v =
        UInt32(c & 0x07) << 18 | UInt32(t[i + 1] & 0x3F) << 12 | UInt32(t[i + 2] & 0x3F) << 6
        | UInt32(t[i + 3] & 0x3F)
      return (v, 4)
    }
    return (0xFFFD, 1)
  }

  /// Writes the UTF-8 encoding of `v` at `out`; returns the byte count.
  @inline(__always)
  static func encode(_ v: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
    switch v {
    case 0..<0x80:
      out[0] = UInt8(v)
      return 1
    case 0x80..<0x800:
      out[0] = UInt8(0xC0 | v >> 6)
      out[1] = UInt8(0x80 | v & 0x3F)
      return 2
    case 0x800..<0x10000:
      out[0] = UInt8(0xE0 | v >> 12)
      out[1] = UInt8(0x80 | (v >> 6) & 0x3F)
      out[2] = UInt8(0x80 | v & 0x3F)
      return 3
    default:
      out[0] = UInt8(0xF0 | v >> 18)
      out[1] = UInt8(0x80 | (v >> 12) & 0x3F)
      out[2] = UInt8(0x80 | (v >> 6) & 0x3F)
      out[3] = UInt8(0x80 | v & 0x3F)
      return 4
    }
  }
}
