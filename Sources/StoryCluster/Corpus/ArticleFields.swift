/// The fields of an article record in JSON Lines and CSV, and the checks they share.
enum ArticleField: Int, CaseIterable {
  case id, title, body, story, source, date, url

  /// The field's key.
  var name: String {
    switch self {
    case .id: return "id"
    case .title: return "title"
    case .body: return "body"
    case .story: return "story"
    case .source: return "source"
    case .date: return "date"
    case .url: return "url"
    }
  }

  /// The number of fields.
  static let count = allCases.count

  /// The field named by these UTF-8 bytes, if any.
  static func named(_ key: UnsafeBufferPointer<UInt8>) -> ArticleField? {
    // Compare lengths first, then bytes, against the keys' UTF-8 held once.
    for (field, name) in keys where name.count == key.count {
      if name.withUnsafeBufferPointer({ $0.elementsEqual(key) }) { return field }
    }
    return nil
  }

  /// Each field with its key's UTF-8 bytes, in declaration order.
  private static let keys: [(ArticleField, [UInt8])] = allCases.map { ($0, Array($0.name.utf8)) }

  /// Builds an article from decoded field values, applying the shared rules: `id` is a non-empty
  /// string; `title` and `body` are strings or null with at least one non-empty; the rest are
  /// strings or null; `date` is ISO 8601.
  static func makeArticle(
    _ values: [String?], location: SourceLocation
  ) throws(CorpusError) -> Article {
    guard let id = values[ArticleField.id.rawValue] else {
      throw .missingField(location, field: "id")
    }
    guard !id.isEmpty else { throw .emptyID(location) }
    let title = values[ArticleField.title.rawValue] ?? ""
    let body = values[ArticleField.body.rawValue] ?? ""
    guard containsNonSpace(title) || containsNonSpace(body) else { throw .emptyText(location) }
    let date = values[ArticleField.date.rawValue].flatMap { $0.isEmpty ? nil : $0 }
    var article = Article(
      id: id, title: title, body: body, story: values[ArticleField.story.rawValue],
      source: values[ArticleField.source.rawValue], date: nil,
      url: values[ArticleField.url.rawValue], location: location)
    if let date {
      guard let timestamp = ISO8601Date.parse(date) else {
        throw .invalidDate(location, value: date)
      }
      article.date = date
      article.timestamp = timestamp
    }
    return article
  }

  private static func containsNonSpace(_ s: String) -> Bool {
    s.unicodeScalars.contains { !$0.properties.isWhitespace }
  }
}
