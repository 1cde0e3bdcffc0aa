/// Removes boilerplate lines from article bodies: lines that recur across many articles of the
/// corpus (learned), and lines that are boilerplate by their form (copyright and rights notices,
/// bare addresses, "follow … on Twitter", agency sign-offs such as "-AFP/NOW Lebanon").
///
/// Lines are compared after trimming and lowercasing. Titles are never touched: a headline that
/// recurs is a reprint, which is exactly what the engine must see.
///
/// ```swift
/// let filter = BoilerplateFilter(learningFrom: articles.map(\.body))
/// let cleaned = filter.strip("Storm hits coast.\nCopyright 2014 AFP. All rights reserved.")
/// // "Storm hits coast."
/// ```
///
/// - Complexity: Learning and stripping are linear in the text.
public struct BoilerplateFilter: Sendable {
  /// Lines (trimmed, lowercased) that recur in at least ``minimumCount`` articles.
  public let recurringLines: Set<String>
  /// The recurrence bound the lines were learned with.
  public let minimumCount: Int

  /// Learns the recurring lines of `bodies`.
  ///
  /// - Parameters:
  ///   - bodies: Every article's body.
  ///   - share: A line is boilerplate when it recurs in at least this fraction of articles…
  ///   - floor: …and in at least this many (so small corpora keep shared wire sentences).
  public init(learningFrom bodies: [String], share: Double = 0.01, floor: Int = 5) {
    let bound = max(floor, Int((share * Double(bodies.count)).rounded(.up)))
    minimumCount = bound
    var counts: [String: Int] = [:]
    for body in bodies {
      var seen = Set<String>()
      for line in body.split(separator: "\n") {
        let key = Self.key(line)
        if !key.isEmpty, seen.insert(key).inserted { counts[key, default: 0] += 1 }
      }
    }
    recurringLines = Set(counts.filter { $0.value >= bound }.keys)
  }

  /// `body` without its boilerplate lines (the other lines keep their order and text).
  public func strip(_ body: String) -> String {
    var kept: [Substring] = []
    var removed = false
    for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
      let key = Self.key(line)
      if !key.isEmpty, recurringLines.contains(key) || Self.isBoilerplate(key) {
        removed = true
      } else {
        kept.append(line)
      }
    }
    return removed ? kept.joined(separator: "\n") : body
  }

  /// Whether a trimmed, lowercased line is boilerplate by its form alone.
  public static func isBoilerplate(_ line: String) -> Bool {
    if line.contains("all rights reserved") || line.contains("©") || line.hasPrefix("copyright ")
      || line.hasPrefix("(c) ")
    {
      return true
    }
    if !line.contains(" "),
      line.hasPrefix("http://") || line.hasPrefix("https://") || line.hasPrefix("www.")
    {
      return true
    }
    if line.contains("follow"), line.contains("on twitter") || line.contains("on facebook") {
      return line.count <= 120
    }
    // Agency sign-offs: "-AFP/NOW Lebanon", "— Reuters", "(AP)".
    let signOff = line.drop { $0 == "-" || $0 == "—" || $0 == "–" || $0 == " " }
    if signOff.count < line.count, signOff.count <= 40,
      !signOff.contains(".") || signOff.contains("/")
    {
      let words = signOff.split { $0 == "/" || $0 == " " }
      if let first = words.first, agencies.contains(String(first)) { return true }
    }
    return agencies.contains(line.trimmingCharacters(in: "()"))
  }

  static let agencies: Set<String> = [
    "afp", "ap", "reuters", "reuter", "upi", "dpa", "xinhua", "ians", "pti", "efe", "ansa",
    "bloomberg",
  ]

  static func key(_ line: Substring) -> String {
    line.trimmingCharacters(in: " \t\r").lowercased()
  }
}

extension StringProtocol {
  fileprivate func trimmingCharacters(in set: String) -> String {
    let scalars = Set(set.unicodeScalars)
    var view = Substring(self)
    while let first = view.unicodeScalars.first, scalars.contains(first) {
      view = view.dropFirst()
    }
    while let last = view.unicodeScalars.last, scalars.contains(last) { view = view.dropLast() }
    return String(view)
  }
}
