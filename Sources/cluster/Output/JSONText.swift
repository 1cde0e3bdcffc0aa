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

  /// Appends an integer in decimal.
  static func appendInteger(_ value: Int, to out: inout [UInt8]) {
    var magnitude = value.magnitude
    if value < 0 { out.append(UInt8(ascii: "-")) }
    let start = out.count
    repeat {
      out.append(UInt8(48 + magnitude % 10))
      magnitude /= 10
    } while magnitude > 0
    out[start...].reverse()
  }

  /// Appends `x` rounded half away from zero to `decimals` places: no locale, no exponent;
  /// non-finite values print as 0.
  static func appendFixed(_ x: Double, decimals: Int, to out: inout [UInt8]) {
    guard x.isFinite else {
      out.append(48)
      return
    }
    var scale = 1
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int((abs(x) * Double(scale)).rounded(.toNearestOrAwayFromZero))
    if x < 0 && scaled != 0 { out.append(UInt8(ascii: "-")) }
    appendInteger(scaled / scale, to: &out)
    guard decimals > 0 else { return }
    out.append(UInt8(ascii: "."))
    var fraction = scaled % scale
    var divisor = scale / 10
    for _ in 0..<decimals {
      out.append(UInt8(48 + fraction / divisor))
      fraction %= divisor
      divisor = max(1, divisor / 10)
    }
  }
}
