/// A problem with the input data, located at the file (and line) where it was found.
///
/// Every case prints as a compiler-style diagnostic, `path:line: error: what is wrong`, so a user
/// can find and fix the offending article. The command-line tool exits with code 65 after listing
/// them all.
///
/// ```swift
/// let error = CorpusError.missingField(SourceLocation(path: "dev.jsonl", line: 17), field: "id")
/// print(error)  // dev.jsonl:17: error: missing required string field "id"
/// ```
///
/// - Complexity: O(1).
public enum CorpusError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A path given by the user does not exist.
  case noSuchPath(String)
  /// A file or folder could not be read; `reason` is the system's explanation.
  case unreadable(SourceLocation, reason: String)
  /// A file given explicitly has an extension the readers do not handle.
  case unsupportedFile(SourceLocation)
  /// A folder links back to one of its ancestors.
  case symlinkLoop(SourceLocation)
  /// The bytes at this location are not valid UTF-8.
  case invalidUTF8(SourceLocation)
  /// The line holds a NUL byte, which no text article contains.
  case nulByte(SourceLocation)
  /// The line is not a valid JSON object; `detail` says where parsing stopped and why.
  case invalidJSON(SourceLocation, detail: String)
  /// A required field is absent (or `null`).
  case missingField(SourceLocation, field: String)
  /// A field has the wrong JSON type.
  case wrongType(SourceLocation, field: String, expected: String, found: String)
  /// Both `title` and `body` are empty or absent.
  case emptyText(SourceLocation)
  /// The `date` field is not ISO 8601.
  case invalidDate(SourceLocation, value: String)
  /// The `id` is empty.
  case emptyID(SourceLocation)
  /// Two articles share an id.
  case duplicateID(String, first: SourceLocation, second: SourceLocation)
  /// A CSV header lacks a column the reader needs.
  case missingColumn(SourceLocation, column: String)
  /// A CSV row has a different number of fields than the header.
  case raggedRow(SourceLocation, expected: Int, found: Int)
  /// A CSV quoted field is never closed.
  case unterminatedQuote(SourceLocation)
  /// The input holds no article at all.
  case noArticles([String])
  /// A graded-pairs line is not `{"a": string, "b": string, "score": number}`.
  case invalidGradedPair(SourceLocation)
  /// A labels line is not `{"a": string, "b": string, "label": "same-text" | "same-story" |
  /// "different"}`.
  case invalidLabelledPair(SourceLocation)
  /// A graded pair names an id that is not among the articles.
  case unknownPairID(SourceLocation, id: String)

  /// Where the problem is, when it has one place.
  public var location: SourceLocation? {
    switch self {
    case .noSuchPath, .noArticles: return nil
    case .unreadable(let l, _), .unsupportedFile(let l), .symlinkLoop(let l), .invalidUTF8(let l),
      .nulByte(let l), .invalidJSON(let l, _), .missingField(let l, _),
      .wrongType(let l, _, _, _), .emptyText(let l), .invalidDate(let l, _), .emptyID(let l),
      .missingColumn(let l, _), .raggedRow(let l, _, _), .unterminatedQuote(let l),
      .invalidGradedPair(let l), .unknownPairID(let l, _), .invalidLabelledPair(let l):
      return l
    case .duplicateID(_, _, let second): return second
    }
  }

  /// What is wrong, without the location prefix.
  public var message: String {
    switch self {
    case .noSuchPath(let path): return "no such file or directory: \(path)"
    case .unreadable(_, let reason): return "cannot read: \(reason)"
    case .unsupportedFile:
      return
        "unsupported file type; expected .txt, .jsonl, .ndjson or .csv (or - for JSON Lines on standard input)"
    case .symlinkLoop: return "symbolic link loop; the folder is already being read"
    case .invalidUTF8: return "invalid UTF-8"
    case .nulByte: return "NUL byte in text"
    case .invalidJSON(_, let detail): return "invalid JSON: \(detail)"
    case .missingField(_, let field): return "missing required string field \"\(field)\""
    case .wrongType(_, let field, let expected, let found):
      return "field \"\(field)\" must be \(expected), found \(found)"
    case .emptyText: return "both \"title\" and \"body\" are empty"
    case .invalidDate(_, let value): return "field \"date\" is not ISO 8601: \"\(value)\""
    case .emptyID: return "field \"id\" is empty"
    case .duplicateID(let id, let first, _):
      return "duplicate id \"\(id)\" (first seen at \(first))"
    case .missingColumn(_, let column): return "CSV header has no \"\(column)\" column"
    case .raggedRow(_, let expected, let found):
      return "CSV row has \(found) fields, header has \(expected)"
    case .unterminatedQuote: return "CSV quoted field is not closed"
    case .noArticles(let paths):
      return "no articles in \(paths.joined(separator: ", "))"
    case .invalidGradedPair:
      return "expected {\"a\": string, \"b\": string, \"score\": number}"
    case .invalidLabelledPair:
      return
        "expected {\"a\": string, \"b\": string, \"label\": \"same-text\", \"same-story\" or \"different\"}"
    case .unknownPairID(_, let id): return "pair names id \"\(id)\", which is not in the articles"
    }
  }

  /// `path:line: error: message`.
  public var description: String {
    switch self {
    case .noSuchPath(let path): return "\(path): error: no such file or directory"
    default:
      if let location { return "\(location): error: \(message)" }
      return "error: \(message)"
    }
  }
}
