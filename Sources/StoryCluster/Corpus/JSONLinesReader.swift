/// Reads JSON Lines: one article object per line.
///
/// Each non-blank line must be a JSON object with a string `id`; `title` and `body` are strings or
/// null, at least one non-empty; `story`, `source`, `date` (ISO 8601) and `url` are optional
/// strings or null; other keys are ignored. Lines end with `\n`, `\r\n` or `\r`; a UTF-8 byte-order
/// mark at the start is skipped; blank lines are allowed.
///
/// ```swift
/// let result = JSONLinesReader.parse(Array(#"{"id":"a","title":"Hi"}"#.utf8), path: "x.jsonl")
/// ```
enum JSONLinesReader {
  /// One line's outcome.
  enum LineResult {
    case article(Article)
    case problem(CorpusError)
    case blank
  }

  /// Parses a whole file's bytes, in parallel over lines, keeping line order.
  ///
  /// - Complexity: O(n) time in the bytes; O(lines) memory for the results.
  ///
  /// - Parameters:
  ///   - bytes: The file's bytes.
  ///   - path: The path messages name.
  ///   - threads: Parser threads.
  ///   - labelField: A key whose value becomes each article's ``Article/label``, if any.
  package static func parse(
    _ bytes: [UInt8], path: String, threads: Int = 1, labelField: String? = nil
  ) -> [LineResult] {
    bytes.withUnsafeBufferPointer { all in
      parse(
        skippingBOM(all), path: path, firstLine: 1, threads: threads,
        labelKey: labelField.map { Array($0.utf8) }
      ).results
    }
  }

  /// Reads and parses a file (or standard input for `nil`) block by block: each block is cut
  /// after its last `\n`, so no line (and no `\r\n`) is split, and lines are numbered on from the
  /// block before. The results are the same as reading the whole file and calling
  /// ``parse(_:path:threads:)``, one array per block.
  ///
  /// - Parameters:
  ///   - file: The path to open, or `nil` for standard input.
  ///   - path: The path messages name.
  ///   - threads: Parser threads.
  ///   - blockSize: Bytes per block; a longer line grows the block.
  ///   - labelField: A key whose value becomes each article's ``Article/label``, if any.
  ///   - consumed: Called with the bytes of each block once it is parsed (for progress).
  /// - Returns: The results of each block, in line order.
  /// - Throws: `CorpusError.unreadable` when the input cannot be opened or read.
  /// - Complexity: O(n) time in the bytes; O(lines) memory for the results and O(blockSize) (or
  ///   the longest line) for the bytes.
  static func read(
    file: String?, path: String, threads: Int, blockSize: Int = 1 << 22,
    labelField: String? = nil, consumed: (Int) -> Void = { _ in }
  ) throws(CorpusError) -> [[LineResult]] {
    let labelKey = labelField.map { Array($0.utf8) }
    var blocks: [[LineResult]] = []
    var line = 1
    var isFirst = true
    try FileBytes.forEachBlock(path: file, blockSize: blockSize) { bytes, isLast in
      var cut = bytes.count
      if !isLast {
        while cut > 0, bytes[cut - 1] != 0x0A { cut -= 1 }
        if cut == 0 { return 0 }
      }
      var block = UnsafeBufferPointer(rebasing: bytes[0..<cut])
      if isFirst {
        block = skippingBOM(block)
        isFirst = false
      }
      let parsed = parse(
        block, path: path, firstLine: line, threads: threads, labelKey: labelKey)
      line += parsed.lines
      blocks.append(parsed.results)
      consumed(cut)
      return cut
    }
    return blocks
  }

  /// Parses the lines of `body`, numbering them from `firstLine`; returns the results and the
  /// number of lines.
  private static func parse(
    _ body: UnsafeBufferPointer<UInt8>, path: String, firstLine: Int, threads: Int,
    labelKey: [UInt8]?
  ) -> (results: [LineResult], lines: Int) {
    var ranges: [(Range<Int>, Int)] = []
    var lines = 0
    forEachLine(body) { range, line in
      ranges.append((range, firstLine + line - 1))
      lines = line
    }
    nonisolated(unsafe) let buffer = body
    let results = parallelMap(ranges.count, threads: threads) { k in
      let (range, line) = ranges[k]
      return parseLine(
        UnsafeBufferPointer(rebasing: buffer[range]),
        location: SourceLocation(path: path, line: line), labelKey: labelKey)
    }
    return (results, lines)
  }

  /// Parses one line; the value of `labelKey` (a string, or the JSON text of a number, Boolean,
  /// array or object; `null` for none) becomes the article's ``Article/label``.
  static func parseLine(
    _ line: UnsafeBufferPointer<UInt8>, location: SourceLocation, labelKey: [UInt8]? = nil
  ) -> LineResult {
    if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return .blank }
    if ByteScanning.firstIndex(of: 0, in: line, from: 0, to: line.count) < line.count {
      return .problem(.nulByte(location))
    }
    if firstInvalidUTF8(line) != nil { return .problem(.invalidUTF8(location)) }
    var values = [String?](repeating: nil, count: ArticleField.count + 1)
    var typeProblem: CorpusError?
    var parser = JSONObjectParser(line)
    // A label key that names an article field reads that field's slot; any other key its own.
    let labelSlot =
      labelKey.flatMap { key in key.withUnsafeBufferPointer { ArticleField.named($0)?.rawValue } }
      ?? ArticleField.count
    do throws(JSONObjectParser.Failure) {
      try parser.parseObject(wanted: { key in
        if let field = ArticleField.named(key) { return field.rawValue }
        if let labelKey, labelKey.elementsEqual(key) { return labelSlot }
        return nil
      }) { slot, value in
        switch value {
        case .string(let s): values[slot] = s
        case .other(.null, _): values[slot] = nil
        case .other(_, let text) where slot == ArticleField.count:
          values[slot] = String(decoding: text, as: UTF8.self)
        case .other(let kind, _):
          if typeProblem == nil {
            let name = ArticleField.allCases[slot].name
            typeProblem = .wrongType(
              location, field: name, expected: slot == 0 ? "a string" : "a string or null",
              found: kind.described)
          }
        }
      }
    } catch {
      return .problem(.invalidJSON(location, detail: error.detail))
    }
    if let typeProblem { return .problem(typeProblem) }
    do throws(CorpusError) {
      var article = try ArticleField.makeArticle(values, location: location)
      if labelKey != nil { article.label = values[labelSlot] }
      return .article(article)
    } catch {
      return .problem(error)
    }
  }
}

/// The buffer without a leading UTF-8 byte-order mark.
func skippingBOM(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
  if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
    return UnsafeBufferPointer(rebasing: bytes[3...])
  }
  return bytes
}
