/// A JSON value kind, used in type-mismatch messages.
enum JSONKind: String, Sendable {
  case string, number, object, array, null
  case boolean = "a boolean"

  /// The kind with its article, as messages print it ("a string", "null").
  var described: String {
    switch self {
    case .string: return "a string"
    case .number: return "a number"
    case .object: return "an object"
    case .array: return "an array"
    case .null: return "null"
    case .boolean: return "a boolean"
    }
  }
}

/// A strict RFC 8259 parser for one JSON object per line, specialised for article records.
///
/// It decodes the values of the keys the caller asks for as strings (or reports their kind) and
/// validates and skips every other value without building it. Errors carry the 1-based column.
/// Input must already be valid UTF-8.
struct JSONObjectParser {
  /// A parse failure at a byte offset.
  struct Failure: Error {
    var offset: Int
    var reason: String
    /// The message with a 1-based column.
    var detail: String { "\(reason) at column \(offset + 1)" }
  }

  /// A decoded field value: a string, or another kind with its JSON text (`1`, `true`, `null`).
  enum Value {
    case string(String)
    case other(JSONKind, text: UnsafeBufferPointer<UInt8>)
  }

  private let bytes: UnsafeBufferPointer<UInt8>
  private var i = 0

  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// Parses the whole buffer as one object, calling `field` for each key in `wanted` (the last
  /// occurrence wins, as in most decoders). Other keys are validated and skipped.
  mutating func parseObject(
    wanted: (UnsafeBufferPointer<UInt8>) -> Int?, field: (Int, Value) -> Void
  ) throws(Failure) {
    skipSpace()
    guard i < bytes.count else { throw Failure(offset: i, reason: "empty line") }
    guard bytes[i] == UInt8(ascii: "{") else {
      throw Failure(offset: i, reason: "expected a JSON object, found \(kindAhead().described)")
    }
    i += 1
    skipSpace()
    if peek() == UInt8(ascii: "}") {
      i += 1
    } else {
      while true {
        skipSpace()
        guard peek() == UInt8(ascii: "\"") else { throw failure("expected a string key") }
        let keyStart = i + 1
        let hasEscape = try skipString()
        let key = UnsafeBufferPointer(rebasing: bytes[keyStart..<(i - 1)])
        let slot = hasEscape ? nil : wanted(key)
        skipSpace()
        guard peek() == UInt8(ascii: ":") else { throw failure("expected ':' after key") }
        i += 1
        skipSpace()
        if let slot {
          if peek() == UInt8(ascii: "\"") {
            field(slot, .string(try parseString()))
          } else {
            let kind = kindAhead()
            let start = i
            try skipValue(depth: 0)
            field(slot, .other(kind, text: UnsafeBufferPointer(rebasing: bytes[start..<i])))
          }
        } else {
          try skipValue(depth: 0)
        }
        skipSpace()
        guard let c = peek() else { throw failure("unexpected end of line (truncated object?)") }
        i += 1
        if c == UInt8(ascii: "}") { break }
        guard c == UInt8(ascii: ",") else {
          i -= 1
          throw failure("expected ',' or '}'")
        }
      }
    }
    skipSpace()
    guard i == bytes.count else { throw failure("unexpected text after the object") }
  }

  // MARK: - Internals

  private func peek() -> UInt8? { i < bytes.count ? bytes[i] : nil }

  private func failure(_ reason: String) -> Failure {
    if i >= bytes.count { return Failure(offset: i, reason: "unexpected end of line (truncated?)") }
    return Failure(offset: i, reason: reason)
  }

  private mutating func skipSpace() {
    while i < bytes.count {
      let c = bytes[i]
      guard c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D else { return }
      i += 1
    }
  }

  private func kindAhead() -> JSONKind {
    switch peek() {
    case UInt8(ascii: "\""): return .string
    case UInt8(ascii: "{"): return .object
    case UInt8(ascii: "["): return .array
    case UInt8(ascii: "n"): return .null
    case UInt8(ascii: "t"), UInt8(ascii: "f"): return .boolean
    default: return .number
    }
  }

  private mutating func skipValue(depth: Int) throws(Failure) {
    guard depth < 512 else { throw failure("nesting deeper than 512 levels") }
    guard let c = peek() else { throw failure("expected a value") }
    switch c {
    case UInt8(ascii: "\""): _ = try skipString()
    case UInt8(ascii: "{"):
      i += 1
      skipSpace()
      if peek() == UInt8(ascii: "}") {
        i += 1
        return
      }
      while true {
        skipSpace()
        guard peek() == UInt8(ascii: "\"") else { throw failure("expected a string key") }
        _ = try skipString()
        skipSpace()
        guard peek() == UInt8(ascii: ":") else { throw failure("expected ':' after key") }
        i += 1
        skipSpace()
        try skipValue(depth: depth + 1)
        skipSpace()
        guard let d = peek() else { throw failure("expected ',' or '}'") }
        i += 1
        if d == UInt8(ascii: "}") { return }
        guard d == UInt8(ascii: ",") else {
          i -= 1
          throw failure("expected ',' or '}'")
        }
      }
    case UInt8(ascii: "["):
      i += 1
      skipSpace()
      if peek() == UInt8(ascii: "]") {
        i += 1
        return
      }
      while true {
        skipSpace()
        try skipValue(depth: depth + 1)
        skipSpace()
        guard let d = peek() else { throw failure("expected ',' or ']'") }
        i += 1
        if d == UInt8(ascii: "]") { return }
        guard d == UInt8(ascii: ",") else {
          i -= 1
          throw failure("expected ',' or ']'")
        }
      }
    case UInt8(ascii: "t"): try literal("true")
    case UInt8(ascii: "f"): try literal("false")
    case UInt8(ascii: "n"): try literal("null")
    default: try skipNumber()
    }
  }

  private mutating func literal(_ word: StaticString) throws(Failure) {
    let n = word.utf8CodeUnitCount
    guard i + n <= bytes.count else { throw failure("invalid literal") }
    let w = word.utf8Start
    for k in 0..<n where bytes[i + k] != w[k] {
      throw failure("invalid literal")
    }
    i += n
  }

  private mutating func skipNumber() throws(Failure) {
    let start = i
    if peek() == UInt8(ascii: "-") { i += 1 }
    guard let first = peek(), first >= 48, first <= 57 else {
      i = start
      throw failure("expected a value")
    }
    if first == 48 {
      i += 1
    } else {
      while let c = peek(), c >= 48, c <= 57 { i += 1 }
    }
    if peek() == UInt8(ascii: ".") {
      i += 1
      guard let c = peek(), c >= 48, c <= 57 else { throw failure("invalid number") }
      while let c = peek(), c >= 48, c <= 57 { i += 1 }
    }
    if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
      i += 1
      if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { i += 1 }
      guard let c = peek(), c >= 48, c <= 57 else { throw failure("invalid number") }
      while let c = peek(), c >= 48, c <= 57 { i += 1 }
    }
  }

  /// Skips a string starting at the opening quote; returns whether it held an escape.
  private mutating func skipString() throws(Failure) -> Bool {
    i += 1
    var escaped = false
    let base = bytes.baseAddress
    while i < bytes.count {
      // Skip eight plain bytes at a time, then jump to the first quote, backslash or control
      // character.
      if let base, i + 8 <= bytes.count {
        let w = ByteScanning.word(base, at: i)
        let mask =
          ByteScanning.bytes(w, equalTo: UInt8(ascii: "\""))
          | ByteScanning.bytes(w, equalTo: UInt8(ascii: "\\"))
          | ByteScanning.bytes(w, below: 0x20)
        if mask == 0 {
          i += 8
          continue
        }
        i += ByteScanning.firstMarked(mask)
      }
      let c = bytes[i]
      if c == UInt8(ascii: "\"") {
        i += 1
        return escaped
      }
      if c < 0x20 { throw failure("control character in string") }
      if c == UInt8(ascii: "\\") {
        escaped = true
        i += 1
        guard let e = peek() else { break }
        switch e {
        case UInt8(ascii: "u"):
          guard i + 4 < bytes.count else { throw failure("invalid \\u escape") }
          for k in 1...4 where hexValue(bytes[i + k]) == nil {
            throw failure("invalid \\u escape")
          }
          i += 5
          continue
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
          UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
          i += 1
          continue
        default: throw failure("invalid escape")
        }
      }
      i += 1
    }
    throw failure("unterminated string")
  }

  private func hexValue(_ c: UInt8) -> UInt32? {
    switch c {
    case 48...57: return UInt32(c - 48)
    case 65...70: return UInt32(c - 55)
    case 97...102: return UInt32(c - 87)
    default: return nil
    }
  }

  private mutating func parseString() throws(Failure) -> String {
    let start = i + 1
    let escaped = try skipString()
    let end = i - 1
    if !escaped {
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
    // The decoded text is never longer than the escaped text: each escape of k bytes decodes to
    // at most k - 2 bytes (`\uXXXX` to at most 3, a surrogate pair of 12 to 4).
    var failure: Failure?
    let bytes = self.bytes
    let text = String(unsafeUninitializedCapacity: end - start) { out in
      var o = 0
      var j = start
      func put(_ byte: UInt8) {
        out[o] = byte
        o += 1
      }
      func unit(at p: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 { v = v << 4 | (hexValue(bytes[p + k]) ?? 0) }
        return v
      }
      while j < end {
        // Copy the run up to the next backslash in one move.
        let slash = ByteScanning.firstIndex(of: UInt8(ascii: "\\"), in: bytes, from: j, to: end)
        if slash > j, let from = bytes.baseAddress, let to = out.baseAddress {
          (to + o).update(from: from + j, count: slash - j)
          o += slash - j
        }
        j = slash
        guard j < end else { break }
        let e = bytes[j + 1]
        j += 2
        switch e {
        case UInt8(ascii: "b"): put(0x08)
        case UInt8(ascii: "f"): put(0x0C)
        case UInt8(ascii: "n"): put(0x0A)
        case UInt8(ascii: "r"): put(0x0D)
        case UInt8(ascii: "t"): put(0x09)
        case UInt8(ascii: "u"):
          var scalar = unit(at: j)
          j += 4
          if scalar >= 0xD800, scalar < 0xDC00 {
            guard j + 6 <= end, bytes[j] == UInt8(ascii: "\\"), bytes[j + 1] == UInt8(ascii: "u")
            else {
              failure = Failure(offset: j - 6, reason: "unpaired UTF-16 surrogate in \\u escape")
              return 0
            }
            let low = unit(at: j + 2)
            guard low >= 0xDC00, low < 0xE000 else {
              failure = Failure(offset: j - 6, reason: "unpaired UTF-16 surrogate in \\u escape")
              return 0
            }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            j += 6
          } else if scalar >= 0xDC00, scalar < 0xE000 {
            failure = Failure(offset: j - 6, reason: "unpaired UTF-16 surrogate in \\u escape")
            return 0
          }
          if scalar == 0 {
            failure = Failure(offset: j - 6, reason: "NUL character (\\u0000) in string")
            return 0
          }
          // Surrogates were excluded above, so the value is a valid scalar: encode it as UTF-8.
          if scalar < 0x80 {
            put(UInt8(scalar))
          } else if scalar < 0x800 {
            put(UInt8(0xC0 | scalar >> 6))
            put(UInt8(0x80 | scalar & 0x3F))
          } else if scalar < 0x10000 {
            put(UInt8(0xE0 | scalar >> 12))
            put(UInt8(0x80 | scalar >> 6 & 0x3F))
            put(UInt8(0x80 | scalar & 0x3F))
          } else {
            put(UInt8(0xF0 | scalar >> 18))
            put(UInt8(0x80 | scalar >> 12 & 0x3F))
            put(UInt8(0x80 | scalar >> 6 & 0x3F))
            put(UInt8(0x80 | scalar & 0x3F))
          }
        default: put(e)  // \" \\ /
        }
      }
      return o
    }
    if let failure { throw failure }
    return text
  }
}
