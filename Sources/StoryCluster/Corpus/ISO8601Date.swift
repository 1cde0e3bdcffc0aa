/// A strict, allocation-free parser for the ISO 8601 forms news feeds use.
///
/// Accepts `YYYY-MM-DD`, optionally followed by `T` or a space, `hh:mm`, optional `:ss`, optional
/// fraction, and an optional zone (`Z`, `±hh:mm`, `±hhmm`, `±hh`). A time without a zone is read as
/// UTC. Returns seconds since the Unix epoch.
enum ISO8601Date {
  /// Parses `text`, or returns `nil` when it is not one of the accepted forms.
  static func parse(_ text: String) -> Double? {
    let b = Array(text.utf8)
    var i = 0
    func digits(_ n: Int) -> Int? {
      guard i + n <= b.count else { return nil }
      var v = 0
      for k in 0..<n {
        let c = b[i + k]
        guard c >= 48, c <= 57 else { return nil }
        v = v * 10 + Int(c - 48)
      }
      i += n
      return v
    }
    func expect(_ c: UInt8) -> Bool {
      guard i < b.count, b[i] == c else { return false }
      i += 1
      return true
    }
    guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2)
    else { return nil }
    guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else {
      return nil
    }
    var seconds = Double(daysFromCivil(year: year, month: month, day: day)) * 86_400
    if i == b.count { return seconds }
    guard b[i] == 84 || b[i] == 32 else { return nil }  // 'T' or ' '
    i += 1
    guard let hour = digits(2), hour < 24, expect(58), let minute = digits(2), minute < 60 else {
      return nil
    }
    seconds += Double(hour * 3600 + minute * 60)
    if i < b.count, b[i] == 58 {
      i += 1
      guard let second = digits(2), second <= 60 else { return nil }
      seconds += Double(second)
      if i < b.count, b[i] == 46 || b[i] == 44 {
        i += 1
        var scale = 0.1
        var fraction = 0.0
        let start = i
        while i < b.count, b[i] >= 48, b[i] <= 57 {
          fraction += Double(b[i] - 48) * scale
          scale /= 10
          i += 1
        }
        guard i > start else { return nil }
        seconds += fraction
      }
    }
    if i == b.count { return seconds }
    if b[i] == 90 { return i + 1 == b.count ? seconds : nil }  // 'Z'
    guard b[i] == 43 || b[i] == 45 else { return nil }
    let sign: Double = b[i] == 43 ? 1 : -1
    i += 1
    guard let zh = digits(2), zh <= 14 else { return nil }
    var zm = 0
    if i < b.count {
      _ = expect(58)
      guard let m = digits(2), m < 60 else { return nil }
      zm = m
    }
    guard i == b.count else { return nil }
    return seconds - sign * Double(zh * 3600 + zm * 60)
  }

  private static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

  private static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible
  /// low-level date algorithms").
  private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }
}
