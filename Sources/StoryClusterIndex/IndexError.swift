import StoryCluster

/// A problem opening, reading or writing a story index, or with what is being added to it.
///
/// Each case prints as a one-line diagnostic naming the file (and, for input, the article's
/// location), so a user knows what to fix. ``exitCode`` is the `cluster index` exit status.
///
/// ```swift
/// print(IndexError.newerSchema(path: "news.db", found: 3, supported: 1))
/// // news.db: error: the index was written by a newer version of cluster (schema 3; this one reads 1); upgrade cluster
/// ```
public enum IndexError: Error, Equatable, Sendable, CustomStringConvertible {
  /// `init` was given a path that already exists.
  case alreadyExists(path: String)
  /// The index file does not exist.
  case noSuchIndex(path: String)
  /// The file is not an SQLite database, or a database that is not a story index.
  case notAnIndex(path: String, reason: String)
  /// The index was written by a newer schema than this build reads.
  case newerSchema(path: String, found: Int, supported: Int)
  /// SQLite found the file damaged, or the index's own records contradict each other.
  case corrupt(path: String, detail: String)
  /// Another process holds the write lock longer than the busy timeout.
  case busy(path: String, waitedMilliseconds: Int)
  /// A write failed (a full disk, an I/O error); the batch was rolled back.
  case writeFailed(path: String, detail: String)
  /// Articles of the batch already in the index: each id with where it was read and its story.
  case duplicateIDs([DuplicateArticle])
  /// No story has this id.
  case unknownStory(Int)
  /// A setting the index cannot keep incrementally.
  case unsupportedSetting(String)
  /// Any other SQLite failure.
  case database(path: String, detail: String)

  /// An article whose id is already in the index.
  public struct DuplicateArticle: Equatable, Sendable {
    /// The article's id.
    public var id: String
    /// Where it was read.
    public var location: SourceLocation
    /// The story it already belongs to.
    public var story: Int

    /// Creates the record.
    ///
    /// - Parameters:
    ///   - id: The article's id.
    ///   - location: Where it was read.
    ///   - story: Its story in the index.
    public init(id: String, location: SourceLocation, story: Int) {
      self.id = id
      self.location = location
      self.story = story
    }

    /// `file:line: error: id "x" is already in the index (story 4)`.
    public var description: String {
      "\(location): error: id \"\(id)\" is already in the index (story \(story))"
    }
  }

  /// The diagnostic, one line per problem.
  public var description: String {
    switch self {
    case .alreadyExists(let path):
      return "\(path): error: already exists; give a new path to create an index"
    case .noSuchIndex(let path):
      return "\(path): error: no such index; create it with `cluster index init \(path)`"
    case .notAnIndex(let path, let reason):
      return "\(path): error: not a story index (\(reason))"
    case .newerSchema(let path, let found, let supported):
      return
        "\(path): error: the index was written by a newer version of cluster (schema \(found); "
        + "this one reads \(supported)); upgrade cluster"
    case .corrupt(let path, let detail):
      return "\(path): error: the index is damaged: \(detail); run `cluster index check \(path)`"
    case .busy(let path, let waited):
      return
        "\(path): error: another process is writing to the index (waited \(waited) ms); "
        + "try again when it has finished"
    case .writeFailed(let path, let detail):
      return "\(path): error: cannot write the index: \(detail); nothing of the batch was written"
    case .duplicateIDs(let duplicates):
      return duplicates.map(\.description).joined(separator: "\n")
    case .unknownStory(let id):
      return "error: no story with id \(id) in the index"
    case .unsupportedSetting(let detail):
      return "error: \(detail)"
    case .database(let path, let detail):
      return "\(path): error: \(detail)"
    }
  }

  /// The `cluster` exit status: 73 cannot create, 74 failed write, 75 busy, 65 bad data or a
  /// bad index file, 64 an unsupported setting, 1 otherwise.
  public var exitCode: Int32 {
    switch self {
    case .alreadyExists: return 73
    case .writeFailed: return 74
    case .busy: return 75
    case .unsupportedSetting: return 64
    case .database: return 1
    case .noSuchIndex, .notAnIndex, .newerSchema, .corrupt, .duplicateIDs, .unknownStory:
      return 65
    }
  }

  /// The index error for an SQLite failure on `path`.
  static func from(_ error: SQLiteError, path: String, busyTimeout: Int = 0) -> IndexError {
    if error.isNotADatabase {
      return .notAnIndex(path: path, reason: "not an SQLite database")
    }
    if error.isCorrupt { return .corrupt(path: path, detail: error.message) }
    if error.isBusy { return .busy(path: path, waitedMilliseconds: busyTimeout) }
    if error.isFull {
      return .writeFailed(path: path, detail: "No space left on device (\(error.message))")
    }
    if error.isIOError || error.isReadOnly {
      return .writeFailed(path: path, detail: error.message)
    }
    return .database(path: path, detail: "\(error.message) (SQLite code \(error.code))")
  }
}
