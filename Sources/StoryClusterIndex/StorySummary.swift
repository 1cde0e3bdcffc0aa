/// A live story as `cluster index stories` lists it.
///
/// ```swift
/// for story in try index.stories() { print(story.id, story.size, story.label) }
/// ```
public struct StorySummary: Sendable, Equatable {
  /// The story's stable id.
  public var id: Int
  /// Live articles in it.
  public var size: Int
  /// The top terms of its members' summed TF-IDF rows (as `cluster run` labels a cluster).
  public var label: [String]
  /// The member closest to that sum (ties to the smaller id).
  public var representative: String
  /// The earliest and latest member dates (seconds since 1970), `nil` when no member is dated.
  public var firstSeen: Double?
  /// See ``firstSeen``.
  public var lastSeen: Double?
  /// Member ids in byte order.
  public var members: [String]

  /// Creates a summary.
  ///
  /// - Parameters:
  ///   - id: The story id.
  ///   - size: Live articles.
  ///   - label: Top terms.
  ///   - representative: The central member.
  ///   - firstSeen: The earliest member date.
  ///   - lastSeen: The latest member date.
  ///   - members: Member ids.
  public init(
    id: Int, size: Int, label: [String], representative: String, firstSeen: Double?,
    lastSeen: Double?, members: [String]
  ) {
    self.id = id
    self.size = size
    self.label = label
    self.representative = representative
    self.firstSeen = firstSeen
    self.lastSeen = lastSeen
    self.members = members
  }
}

/// One story with its members and its history, as `cluster index story` prints it.
public struct StoryDetail: Sendable, Equatable {
  /// A lineage event.
  public struct Event: Sendable, Equatable {
    /// The story the event happened to.
    public var story: Int
    /// `created`, `grew`, `took` (articles from ``other``), `gave` (articles to ``other``),
    /// `merged` (into ``other``), `absorbed` (``other``) or `expired`.
    public var kind: String
    /// The other story of a merge or move.
    public var other: Int?
    /// The article that created the story.
    public var article: String?
    /// Articles that joined (`grew`), moved (`took`, `gave`) or left (`expired`).
    public var count: Int
    /// The add or expire batch it happened in (1, 2, …).
    public var batch: Int

    /// Creates an event.
    ///
    /// - Parameters:
    ///   - story: The story.
    ///   - kind: The event's kind.
    ///   - other: The other story of a merge.
    ///   - article: The creating article.
    ///   - count: Articles involved.
    ///   - batch: The batch number.
    public init(story: Int, kind: String, other: Int?, article: String?, count: Int, batch: Int) {
      self.story = story
      self.kind = kind
      self.other = other
      self.article = article
      self.count = count
      self.batch = batch
    }
  }

  /// A member: id, date as given and title.
  public struct Member: Sendable, Equatable {
    /// The article id.
    public var id: String
    /// Its date as given, if any.
    public var date: String?
    /// Its title.
    public var title: String

    /// Creates a member.
    ///
    /// - Parameters:
    ///   - id: The id.
    ///   - date: The date.
    ///   - title: The title.
    public init(id: String, date: String?, title: String) {
      self.id = id
      self.date = date
      self.title = title
    }
  }

  /// The id asked for.
  public var requested: Int
  /// The story it lives on in (itself unless merged away).
  public var id: Int
  /// The merge path from ``requested`` to ``id`` (empty when not merged).
  public var mergedThrough: [Int]
  /// `live` or `expired` (every member expired).
  public var state: String
  /// The live members in date order (undated last, ties by id).
  public var members: [Member]
  /// The events of ``id`` and of every story merged into it, in order.
  public var lineage: [Event]

  /// Creates a detail.
  ///
  /// - Parameters:
  ///   - requested: The id asked for.
  ///   - id: The resolved id.
  ///   - mergedThrough: The merge path.
  ///   - state: `live` or `expired`.
  ///   - members: The members.
  ///   - lineage: The events.
  public init(
    requested: Int, id: Int, mergedThrough: [Int], state: String, members: [Member],
    lineage: [Event]
  ) {
    self.requested = requested
    self.id = id
    self.mergedThrough = mergedThrough
    self.state = state
    self.members = members
    self.lineage = lineage
  }
}

/// An index's size and settings, as `cluster index stats` prints them.
public struct IndexStatistics: Sendable, Equatable {
  /// Live articles.
  public var articles: Int
  /// Live stories (with at least one live article).
  public var liveStories: Int
  /// Stories merged into others.
  public var mergedStories: Int
  /// Stories whose articles all expired.
  public var expiredStories: Int
  /// Distinct terms ever seen.
  public var terms: Int
  /// Batches written (adds and expires).
  public var batches: Int
  /// The background story similarity and the threshold the last add used (before any add, the
  /// batch engine's prior background 0.01 and lift × it).
  public var background: Double
  /// See ``background``.
  public var threshold: Double
  /// The file's bytes (database and write-ahead log).
  public var bytes: Int

  /// Creates statistics.
  ///
  /// - Parameters:
  ///   - articles: Live articles.
  ///   - liveStories: Live stories.
  ///   - mergedStories: Merged stories.
  ///   - expiredStories: Expired stories.
  ///   - terms: Terms.
  ///   - batches: Batches.
  ///   - background: Background cosine.
  ///   - threshold: Join threshold.
  ///   - bytes: File size.
  public init(
    articles: Int, liveStories: Int, mergedStories: Int, expiredStories: Int, terms: Int,
    batches: Int, background: Double, threshold: Double, bytes: Int
  ) {
    self.articles = articles
    self.liveStories = liveStories
    self.mergedStories = mergedStories
    self.expiredStories = expiredStories
    self.terms = terms
    self.batches = batches
    self.background = background
    self.threshold = threshold
    self.bytes = bytes
  }
}

/// One article as `cluster index export` writes it.
public struct ExportedArticle: Sendable, Equatable {
  /// The id.
  public var id: String
  /// Its story.
  public var story: Int
  /// Its date as given.
  public var date: String?
  /// Its title.
  public var title: String
  /// The add batch it came in.
  public var batch: Int

  /// Creates a record.
  ///
  /// - Parameters:
  ///   - id: The id.
  ///   - story: The story.
  ///   - date: The date.
  ///   - title: The title.
  ///   - batch: The batch.
  public init(id: String, story: Int, date: String?, title: String, batch: Int) {
    self.id = id
    self.story = story
    self.date = date
    self.title = title
    self.batch = batch
  }
}
