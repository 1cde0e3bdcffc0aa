#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the command needs to know about the terminal: whether a descriptor is one, how wide it
/// is, and how many columns a text takes on it.
enum Terminal {
  /// The width used when neither the terminal nor `COLUMNS` gives one.
  static let defaultWidth = 100

  /// Whether `descriptor` is a terminal (`isatty(3)`).
  static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

  /// The width to cut lines written to `descriptor` at: the terminal's columns
  /// (`ioctl(TIOCGWINSZ)`) when `descriptor` is a terminal that knows its size, else a positive
  /// `COLUMNS` from the environment, else ``defaultWidth``.
  ///
  /// - Parameter descriptor: Where the lines go.
  /// - Returns: A width of at least 20 columns.
  static func width(of descriptor: Int32) -> Int {
    if isTerminal(descriptor) {
      var size = winsize()
      if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
        return max(20, Int(size.ws_col))
      }
    }
    if let text = getenv("COLUMNS"), let columns = Int(String(cString: text)), columns > 0 {
      return max(20, columns)
    }
    return defaultWidth
  }

  /// The columns `character` takes: 2 for East Asian wide and fullwidth characters and emoji
  /// shown as pictures, 0 for a lone combining mark or format character, else 1.
  static func columns(of character: Character) -> Int {
    guard let scalar = character.unicodeScalars.first else { return 0 }
    let v = scalar.value
    if v >= 0x20 && v < 0x7F { return 1 }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format, .control: return 0
    default: break
    }
    if scalar.properties.isEmojiPresentation { return 2 }
    return wideRanges.contains { $0.contains(v) } ? 2 : 1
  }

  /// East Asian wide and fullwidth blocks (Unicode UAX #11, `W` and `F`), coarsely.
  private static let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
    0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
    0xFFE0...0xFFE6, 0x20000...0x3FFFD,
  ]

  /// The columns `text` takes.
  static func columns(of text: String) -> Int {
    if isPrintableASCII(text) { return text.utf8.count }
    return text.reduce(0) { $0 + columns(of: $1) }
  }

  /// Whether `text` is printable ASCII only: one column a byte (each byte a character).
  static func isPrintableASCII(_ text: String) -> Bool {
    text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
  }

  /// `text` cut to at most `width` columns, ending in `…` when cut; empty when `width` < 1.
  static func cut(_ text: String, to width: Int) -> String {
    guard width > 0 else { return "" }
    // Printable ASCII: the first width − 1 bytes, one column each.
    if isPrintableASCII(text) {
      if text.utf8.count <= width { return text }
      var kept = text.utf8.prefix(width - 1)
      while kept.last == 0x20 { kept = kept.dropLast() }
      return String(decoding: kept, as: UTF8.self) + "…"
    }
    if columns(of: text) <= width { return text }
    var out = ""
    var used = 0
    for character in text {
      let w = columns(of: character)
      if used + w > width - 1 { break }
      out.append(character)
      used += w
    }
    while out.last == " " { out.removeLast() }
    return out + "…"
  }
}
