/// A place in the input: a file path and, where it applies, a 1-based line number.
///
/// Diagnostics print it the way compilers do, `path:line`, so editors can jump to it.
///
/// ```swift
/// let location = SourceLocation(path: "dev.jsonl", line: 17)
/// print(location)  // dev.jsonl:17
/// ```
///
/// - Complexity: O(1) time and memory beyond the path string.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The path of the file as the user named it (or as found below a folder they named).
  public var path: String
  /// The 1-based line number, or `nil` when the location is the whole file.
  public var line: Int?

  /// Creates a location.
  ///
  /// - Parameters:
  ///   - path: The file path, as it should appear in messages.
  ///   - line: The 1-based line, or `nil` for the whole file.
  public init(path: String, line: Int? = nil) {
    self.path = path
    self.line = line
  }

  /// `path:line`, or `path` alone when there is no line.
  public var description: String {
    if let line { return "\(path):\(line)" }
    return path
  }

  /// Orders by path (byte order), then by line (a whole-file location first).
  public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
    if lhs.path != rhs.path { return Array(lhs.path.utf8).lexicographicallyPrecedes(rhs.path.utf8) }
    return (lhs.line ?? 0) < (rhs.line ?? 0)
  }
}
