/// Small helpers that write JSON text with a fixed key order and fixed number formatting, so the
/// same report always prints the same bytes.
enum JSONText {
  /// A JSON string literal.
  static func string(_ s: String) -> String {
    var bytes: [UInt8] = []
    JSONBytes.appendString(s, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// A score with six decimals (`0.412345`), the precision every output uses.
  static func score(_ x: Double) -> String { fixed(x, decimals: 6) }

  /// `x` rounded half away from zero to `decimals` places, without locale or exponent.
  static func fixed(_ x: Double, decimals: Int) -> String {
    var bytes: [UInt8] = []
    JSONBytes.appendFixed(x, decimals: decimals, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// A JSON array of strings.
  static func strings(_ values: [String]) -> String {
    "[" + values.map(string).joined(separator: ", ") + "]"
  }
}

/// The byte-level formatting behind ``JSONText`` and ``ByteWriter``: one implementation, so a
/// value prints the same bytes whichever path writes it.
enum JSONBytes {
  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// Appends a JSON string literal: `"`, `\` and control characters escaped, the rest verbatim.
  static func appendString(_ text: String, to out: inout [UInt8]) {
    var text = text
    out.append(UInt8(ascii: "\""))
    text.withUTF8 { bytes in
      // Most strings need no escape: copy them whole.
      guard bytes.contains(where: { $0 < 0x20 || $0 == 34 || $0 == 92 }) else {
        out.append(contentsOf: bytes)
        return
      }
      for b in bytes {
        switch b {
        case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
        case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
        case UInt8(ascii: "\n"): out.append(contentsOf: [92, 110])
        case UInt8(ascii: "\r"): out.append(contentsOf: [92, 114])
        case UInt8(ascii: "\t"): out.append(contentsOf: [92, 116])
        case 0..<0x20:
          out.append(contentsOf: [92, 117, 48, 48, hexDigits[Int(b >> 4)], hexDigits[Int(b & 15)]])
        default: out.append(b)
        }
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  /// Appends a JSON string literal that is also safe inside an HTML `<script>` element: as
  /// ``appendString(_:to:)``, and `<`, `>`, `&`, U+2028 and U+2029 written as `\uXXXX`, so no
  /// input text can close the element, open a comment or end a JavaScript line.
  static func appendScriptString(_ text: String, to out: inout [UInt8]) {
    var text = text
    out.append(UInt8(ascii: "\""))
    text.withUTF8 { bytes in
      var k = 0
      while k < bytes.count {
        let b = bytes[k]
        switch b {
        case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
        case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
        case UInt8(ascii: "\n"): out.append(contentsOf: [92, 110])
        case UInt8(ascii: "\r"): out.append(contentsOf: [92, 114])
        case UInt8(ascii: "\t"): out.append(contentsOf: [92, 116])
        case 0..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
          out.append(contentsOf: [92, 117, 48, 48, hexDigits[Int(b >> 4)], hexDigits[Int(b & 15)]])
        case 0xE2
        where k + 2 < bytes.count && bytes[k + 1] == 0x80
          && (bytes[k + 2] == 0xA8 || bytes[k + 2] == 0xA9):
          // U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR
          out.append(contentsOf: Array("\\u202".utf8) + [bytes[k + 2] == 0xA8 ? 56 : 57])
          k += 2
        default: out.append(b)
        }
        k += 1
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  /// Appends an integer in decimal.
  static func appendInteger(_ value: Int, to out: inout [UInt8]) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { scratch in
      guard let base = scratch.baseAddress else { return }
      var n = 0
      if value < 0 {
        base[0] = UInt8(ascii: "-")
        n = 1
      }
      n += writeDigits(value.magnitude, minimum: 1, to: base + n)
      out.append(contentsOf: UnsafeBufferPointer(start: base, count: n))
    }
  }

  /// Appends `x` rounded half away from zero to `decimals` places: no locale, no exponent;
  /// non-finite values print as 0.
  static func appendFixed(_ x: Double, decimals: Int, to out: inout [UInt8]) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24 + decimals) { scratch in
      guard let base = scratch.baseAddress else { return }
      out.append(
        contentsOf: UnsafeBufferPointer(
          start: base, count: writeFixed(x, decimals: decimals, to: base)))
    }
  }

  /// Writes what ``appendFixed(_:decimals:to:)`` appends to `target` (room for 24 + `decimals`
  /// bytes) and returns the byte count.
  static func writeFixed(_ x: Double, decimals: Int, to target: UnsafeMutablePointer<UInt8>) -> Int
  {
    guard x.isFinite else {
      target[0] = 48
      return 1
    }
    var scale = 1
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int((abs(x) * Double(scale)).rounded(.toNearestOrAwayFromZero))
    var n = 0
    if x < 0 && scaled != 0 {
      target[0] = UInt8(ascii: "-")
      n = 1
    }
    n += writeDigits(UInt(scaled / scale), minimum: 1, to: target + n)
    guard decimals > 0 else { return n }
    target[n] = UInt8(ascii: ".")
    n += 1
    return n + writeDigits(UInt(scaled % scale), minimum: decimals, to: target + n)
  }

  /// Writes `value` in decimal, zero-padded on the left to at least `minimum` digits (at most
  /// 20 + `minimum` bytes), and returns the byte count.
  @inline(__always)
  private static func writeDigits(
    _ value: UInt, minimum: Int, to target: UnsafeMutablePointer<UInt8>
  )
    -> Int
  {
    var count = 0
    var rest = value
    repeat {
      count += 1
      rest /= 10
    } while rest > 0 || count < minimum
    rest = value
    for i in stride(from: count - 1, through: 0, by: -1) {
      target[i] = UInt8(48 + rest % 10)
      rest /= 10
    }
    return count
  }
}
