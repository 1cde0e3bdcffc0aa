/// The first stage's result: what the later stages read of a corpus, and its accounting.
///
/// ``Engine/analyse(_:)`` makes it from a ``Corpus``: each article's id, date and *analysed
/// text* (its ``Article/text`` with the title repeated ``EngineConfiguration/titleWeight``
/// times and, with ``EngineConfiguration/stripsBoilerplate``, boilerplate lines left out of the
/// body). Rows keep the corpus's order (byte order of id), so row `i` of every later stage is
/// article `ids[i]`. The articles themselves are not kept: titles, bodies and metadata can go
/// once this is made.
///
/// ```swift
/// let engine = try Engine()
/// let analysed = engine.analyse(CorpusReader().read(["seeds"]))
/// print(analysed.ids, analysed.texts.map(\.count))
/// ```
///
/// - Complexity: O(N) ids and dates plus the analysed texts' bytes.
public struct AnalysedCorpus: Sendable, Equatable {
  /// Article ids, one per row, in byte order.
  public var ids: [String]
  /// Per row, the publication time in seconds since 1970, or `nil`.
  public var timestamps: [Double?]
  /// Per row, the text the vectorizer analyses. Emptied by ``Engine/run(_:)`` once no later
  /// stage reads it (the ``PairScore/cosine`` pair score does not).
  public var texts: [String]
  /// Records seen in the input: valid articles plus invalid records.
  public var articlesIn: Int
  /// The invalid records, in the corpus's problem order.
  public var skipped: [SkippedArticle]

  /// The number of rows.
  public var count: Int { ids.count }

  /// Creates an analysed corpus from its parts (for entering later stages with outside state).
  ///
  /// - Parameters:
  ///   - ids: Article ids, one per row.
  ///   - timestamps: Per row, seconds since 1970 or `nil`; as many as `ids`.
  ///   - texts: Per row, the text to vectorise; as many as `ids`.
  ///   - articlesIn: Records seen, valid and invalid (defaults to `ids.count`).
  ///   - skipped: The invalid records (defaults to none).
  /// - Complexity: O(1).
  public init(
    ids: [String], timestamps: [Double?], texts: [String], articlesIn: Int? = nil,
    skipped: [SkippedArticle] = []
  ) {
    precondition(ids.count == timestamps.count && ids.count == texts.count, "row counts differ")
    self.ids = ids
    self.timestamps = timestamps
    self.texts = texts
    self.articlesIn = articlesIn ?? ids.count
    self.skipped = skipped
  }
}
