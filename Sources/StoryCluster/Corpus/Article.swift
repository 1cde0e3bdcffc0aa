/// One news article, as read from the input.
///
/// An article has a unique `id`, a `title` and a `body` (at least one of them non-empty), and
/// optional metadata. The text the engine analyses is ``text``: the title and the body joined by
/// a newline.
///
/// ```swift
/// let article = Article(id: "a1", title: "Talks on Syria", body: "Diplomats met on Friday.")
/// print(article.text)  // "Talks on Syria\nDiplomats met on Friday."
/// ```
///
/// - Complexity: Stores its strings; O(1) beyond them.
public struct Article: Sendable, Hashable {
  /// The unique identifier. Output orders articles by the UTF-8 bytes of their ids.
  public var id: String
  /// The headline; may be empty.
  public var title: String
  /// The article text; may be empty when the title is not.
  public var body: String
  /// The gold story label, for evaluation (`story` in JSON Lines and CSV).
  public var story: String?
  /// The publisher.
  public var source: String?
  /// The publication time as given (ISO 8601).
  public var date: String?
  /// The publication time in seconds since 1970-01-01T00:00:00Z, parsed from ``date``.
  public var timestamp: Double?
  /// The article's address.
  public var url: String?
  /// Where the article was read from.
  public var location: SourceLocation
  /// The value of the field a ``CorpusReader`` was asked to keep (``CorpusReader/labelField``),
  /// as text: a string as it is, a number, Boolean, array or object as its JSON text (CSV: the
  /// cell); `nil` when the field is absent, null or empty, or no field was asked for. `cluster
  /// eval --gold FIELD` scores against it.
  public var label: String?

  /// Creates an article.
  ///
  /// - Parameters:
  ///   - id: The unique identifier.
  ///   - title: The headline (may be empty).
  ///   - body: The text (may be empty when `title` is not).
  ///   - story: The gold story label, if known.
  ///   - source: The publisher, if known.
  ///   - date: The ISO 8601 publication time, if known; parsed into ``timestamp``.
  ///   - url: The address, if known.
  ///   - location: Where it came from; defaults to `<memory>`.
  public init(
    id: String, title: String, body: String, story: String? = nil, source: String? = nil,
    date: String? = nil, url: String? = nil,
    location: SourceLocation = SourceLocation(path: "<memory>")
  ) {
    self.id = id
    self.title = title
    self.body = body
    self.story = story
    self.source = source
    self.date = date
    self.timestamp = date.flatMap(ISO8601Date.parse)
    self.url = url
    self.location = location
  }

  /// The analysed text: `title + "\n" + body` when both are non-empty, otherwise whichever is.
  public var text: String {
    if title.isEmpty { return body }
    if body.isEmpty { return title }
    return title + "\n" + body
  }
}

/// Orders ids by their UTF-8 bytes, the total order every output uses.
@inline(__always)
func idPrecedes(_ a: String, _ b: String) -> Bool {
  a.utf8.lexicographicallyPrecedes(b.utf8)
}
