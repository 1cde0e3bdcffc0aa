/// Small helpers that write JSON text with a fixed key order and fixed number formatting, so the
/// same report always prints the same bytes.
enum JSONText {
  /// A JSON string literal.
  static func string(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  /// A score with six decimals (`0.412345`), the precision every output uses.
  static func score(_ x: Double) -> String { fixed(x, decimals: 6) }

  /// `x` rounded half away from zero to `decimals` places, without locale or exponent.
  static func fixed(_ x: Double, decimals: Int) -> String {
    if !x.isFinite { return "0" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
    let integer = Int(scaled)
    let whole = integer / Int(scale)
    let fraction = integer % Int(scale)
    var digits = String(fraction)
    digits = String(repeating: "0", count: decimals - digits.count) + digits
    let sign = x < 0 && integer != 0 ? "-" : ""
    return decimals > 0 ? "\(sign)\(whole).\(digits)" : "\(sign)\(whole)"
  }

  /// A JSON array of strings.
  static func strings(_ values: [String]) -> String {
    "[" + values.map(string).joined(separator: ", ") + "]"
  }
}
