import StoryCluster

/// Each article's title and date by id, kept from the corpus before it is handed to the engine,
/// for the table's member lines.
///
/// The title is the article's title, or the first non-blank line of its body when it has none
/// (as a `.txt` file's title is its first line), with control characters and runs of spaces made
/// single spaces, and at most ``maximumLength`` Unicode scalars kept. The date is the first ten
/// characters of a date the reader could parse (`YYYY-MM-DD`, as the input gives it).
///
/// ```swift
/// let captions = ArticleCaptions(corpus.articles)
/// captions["a1"]  // (title: "Storm hits coast", date: "2014-03-10")
/// ```
struct ArticleCaptions {
  /// The most Unicode scalars of a title kept: wider than any terminal line.
  static let maximumLength = 400

  private var byID: [String: (title: String, date: String?)] = [:]

  /// Keeps the caption of every article (the first of equal ids).
  ///
  /// - Complexity: O(n) articles, reading at most a few kilobytes of each.
  init(_ articles: [Article]) {
    byID.reserveCapacity(articles.count)
    for article in articles where byID[article.id] == nil {
      let date = article.timestamp == nil ? nil : article.date.map { String($0.prefix(10)) }
      byID[article.id] = (Self.title(of: article), date)
    }
  }

  /// The caption of `id`, or nil for an id the corpus did not hold.
  subscript(id: String) -> (title: String, date: String?)? { byID[id] }

  /// The title shown for `article`, cleaned and cut to ``maximumLength`` scalars.
  static func title(of article: Article) -> String {
    if !article.title.isEmpty { return clean(article.title, firstLineOnly: false) }
    return clean(article.body, firstLineOnly: true)
  }

  /// `text` with control characters and whitespace runs made single spaces, trimmed, at most
  /// ``maximumLength`` scalars; with `firstLineOnly`, only its first non-blank line.
  static func clean(_ text: Substring.UnicodeScalarView, firstLineOnly: Bool) -> String {
    // UTF-8 bytes, not a scalar view: appending to a byte array is what keeps this cheap.
    var out: [UInt8] = []
    var count = 0
    var pendingSpace = false
    for scalar in text {
      let isBreak = scalar == "\n" || scalar == "\r"
      if isBreak && firstLineOnly && count > 0 { break }
      // ASCII answers without the property tables: its white space (tab to carriage return,
      // space) and controls (below space, delete) are exactly these.
      let v = scalar.value
      let isGap =
        v < 0x80
        ? v <= 0x20 || v == 0x7F
        : scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
      if isGap {
        pendingSpace = count > 0
        continue
      }
      if pendingSpace {
        out.append(0x20)
        pendingSpace = false
      }
      if v < 0x80 {
        out.append(UInt8(v))
      } else {
        UTF8.encode(scalar) { out.append($0) }
      }
      count += 1
      if count >= maximumLength { break }
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func clean(_ text: String, firstLineOnly: Bool) -> String {
    clean(Substring(text).unicodeScalars, firstLineOnly: firstLineOnly)
  }
}
