/// Reads plain-text articles: one article per `.txt` file.
///
/// The title is the first line that is not blank and the body is the rest, both trimmed. The text
/// must be valid UTF-8 without NUL bytes; a byte-order mark is skipped and `\r\n` and `\r` read as
/// line breaks.
enum TextFolderReader {
  /// Parses one file's bytes into an article with the given id.
  ///
  /// - Complexity: O(n) time and memory in the bytes.
  static func parse(_ bytes: [UInt8], id: String, path: String) -> JSONLinesReader.LineResult {
    bytes.withUnsafeBufferPointer { all in
      let buffer = skippingBOM(all)
      if let nul = buffer.firstIndex(of: 0) {
        return .problem(
          .nulByte(SourceLocation(path: path, line: lineNumber(of: nul, in: buffer))))
      }
      if let bad = firstInvalidUTF8(buffer) {
        return .problem(
          .invalidUTF8(SourceLocation(path: path, line: lineNumber(of: bad, in: buffer))))
      }
      var lines: [String] = []
      forEachLine(buffer) { range, _ in
        lines.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self))
      }
      guard let titleIndex = lines.firstIndex(where: { !$0.trimmingSpaces().isEmpty }) else {
        return .problem(.emptyText(SourceLocation(path: path)))
      }
      let title = lines[titleIndex].trimmingSpaces()
      let body = lines[(titleIndex + 1)...].joined(separator: "\n").trimmingSpaces()
      return .article(
        Article(id: id, title: title, body: body, location: SourceLocation(path: path, line: 1)))
    }
  }
}
