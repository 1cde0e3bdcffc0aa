/// Where one added (or queried) article went: its story, whether it started it, and its closest
/// candidate.
///
/// ```swift
/// for p in try index.add(articles).placements {
///   print(p.id, p.story, p.status.rawValue, p.bestMatch ?? "-", p.score)
/// }
/// ```
public struct Placement: Sendable, Equatable {
  /// Whether the article started a story or joined one.
  public enum Status: String, Sendable, Equatable {
    /// It started a story (which may have been merged into an older one later in its batch).
    case new
    /// It joined an existing story.
    case joined
  }

  /// The article's id.
  public var id: String
  /// Its story's id after the batch (merges applied).
  public var story: Int
  /// `new` or `joined`.
  public var status: Status
  /// The candidate with the highest cosine (in the index or earlier in the batch), if any.
  public var bestMatch: String?
  /// That candidate's TF-IDF cosine (not decayed), as `cluster run` computes it over the same
  /// articles; 0 without a candidate.
  public var score: Double
  /// The article's average story similarity (the batch engine's: decayed cosine blended with
  /// neighbourhood cosine) to the other members of its group in the window, or, when it is
  /// alone, the highest average to any other group (0 without an edge).
  public var storyScore: Double

  /// Creates a placement.
  ///
  /// - Parameters:
  ///   - id: The article's id.
  ///   - story: Its story.
  ///   - status: `new` or `joined`.
  ///   - bestMatch: The closest candidate.
  ///   - score: Its cosine.
  ///   - storyScore: The deciding story similarity.
  public init(
    id: String, story: Int, status: Status, bestMatch: String?, score: Double, storyScore: Double
  ) {
    self.id = id
    self.story = story
    self.status = status
    self.bestMatch = bestMatch
    self.score = score
    self.storyScore = storyScore
  }
}

/// The outcome of ``StoryIndex/add(_:skippingDuplicates:)`` or ``StoryIndex/query(_:)``.
public struct AddResult: Sendable, Equatable {
  /// One placement per article placed, in the order they were placed (date, then id).
  public var placements: [Placement]
  /// Articles left out because their id was already in the index (with `skippingDuplicates`).
  public var duplicates: [IndexError.DuplicateArticle]
  /// Stories merged by the batch: each absorbed id and the id it lives on in.
  public var merges: [(absorbed: Int, into: Int)]
  /// Stored articles the batch moved to another story.
  public var moves: [Move]
  /// The story-similarity threshold the batch was clustered at (lift × background).
  public var threshold: Double
  /// The background story similarity the batch was clustered over: the touched part's
  /// between-story background (the batch defaults), or the window's over all pairs (an index
  /// made without a seed threshold).
  public var background: Double
  /// Candidates the batch was scored against (from the index, the batch's own rows aside).
  public var candidateCount: Int
  /// Stored stories the batch touched (a batch article's edge in the batch engine's bounded
  /// graph reaches one of their members), re-clustered with it.
  public var touchedStories: Int

  /// Creates a result.
  ///
  /// - Parameters:
  ///   - placements: The placements.
  ///   - duplicates: Articles skipped as already indexed.
  ///   - merges: Stories merged.
  ///   - moves: Stored articles moved to another story.
  ///   - threshold: The join threshold.
  ///   - background: The background cosine.
  ///   - candidateCount: Candidates from the index.
  ///   - touchedStories: Stored stories re-clustered with the batch.
  public init(
    placements: [Placement], duplicates: [IndexError.DuplicateArticle],
    merges: [(absorbed: Int, into: Int)], moves: [Move] = [], threshold: Double,
    background: Double, candidateCount: Int, touchedStories: Int = 0
  ) {
    self.placements = placements
    self.duplicates = duplicates
    self.merges = merges
    self.moves = moves
    self.threshold = threshold
    self.background = background
    self.candidateCount = candidateCount
    self.touchedStories = touchedStories
  }

  /// Equal placements, duplicates, merges and figures.
  public static func == (l: AddResult, r: AddResult) -> Bool {
    l.placements == r.placements && l.duplicates == r.duplicates
      && l.merges.map(\.absorbed) == r.merges.map(\.absorbed)
      && l.merges.map(\.into) == r.merges.map(\.into) && l.moves == r.moves
      && l.threshold == r.threshold
      && l.background == r.background && l.candidateCount == r.candidateCount
      && l.touchedStories == r.touchedStories
  }
}

/// A stored article an add moved: the re-clustering of the window's touched part put it apart
/// from the group holding most of its story's members in the window, in the group holding most
/// of another stored story's, so it went to that story (the survivor, when the group merged
/// stories). No move starts a story.
public struct Move: Sendable, Equatable {
  /// The article's row in the index.
  let seq: Int
  /// The article's id.
  public var id: String
  /// The story it left.
  public var from: Int
  /// The story it went to.
  public var to: Int
}
