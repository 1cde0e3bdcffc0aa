/// Reads CSV (RFC 4180) with a header row naming the article fields.
///
/// The header must name `id` and at least one of `title` and `body`; `story`, `source`, `date`
/// and `url` are optional, other columns are ignored, and names match case-insensitively after
/// trimming spaces. Fields may be quoted with `"`, with `""` for a quote inside, and quoted fields
/// may span lines. Empty optional fields read as absent. Every row must have as many fields as the
/// header.
enum CSVReader {
  /// Parses a whole file's bytes; the cells of the column named `labelField` (matched as the
  /// article fields are) become the articles' ``Article/label``s.
  ///
  /// - Complexity: O(n) time in the bytes; O(rows) memory for the results.
  static func parse(
    _ bytes: [UInt8], path: String, labelField: String? = nil
  ) -> [JSONLinesReader.LineResult] {
    bytes.withUnsafeBufferPointer { all in
      let buffer = skippingBOM(all)
      if buffer.contains(0) {
        let offset = buffer.firstIndex(of: 0) ?? 0
        return [
          .problem(.nulByte(SourceLocation(path: path, line: lineNumber(of: offset, in: buffer))))
        ]
      }
      if let bad = firstInvalidUTF8(buffer) {
        return [
          .problem(.invalidUTF8(SourceLocation(path: path, line: lineNumber(of: bad, in: buffer))))
        ]
      }
      var rows = Rows(buffer)
      var results: [JSONLinesReader.LineResult] = []
      guard let header = rows.next() else { return [] }
      if header.unterminated {
        return [.problem(.unterminatedQuote(SourceLocation(path: path, line: header.line)))]
      }
      var columns = [Int?](repeating: nil, count: ArticleField.allCases.count)
      let labelKey = labelField?.trimmingSpaces().lowercased()
      var labelColumn: Int?
      for (index, name) in header.fields.enumerated() {
        let key = name.trimmingSpaces().lowercased()
        if key == labelKey, labelColumn == nil { labelColumn = index }
        if let field = ArticleField.allCases.first(where: { $0.name == key }),
          columns[field.rawValue] == nil
        {
          columns[field.rawValue] = index
        }
      }
      let headerLocation = SourceLocation(path: path, line: header.line)
      guard columns[ArticleField.id.rawValue] != nil else {
        return [.problem(.missingColumn(headerLocation, column: "id"))]
      }
      guard
        columns[ArticleField.title.rawValue] != nil || columns[ArticleField.body.rawValue] != nil
      else {
        return [.problem(.missingColumn(headerLocation, column: "title\" or \"body"))]
      }
      while let row = rows.next() {
        let location = SourceLocation(path: path, line: row.line)
        if row.unterminated {
          results.append(.problem(.unterminatedQuote(location)))
          break
        }
        if row.fields.count == 1, row.fields[0].isEmpty { continue }  // blank line
        guard row.fields.count == header.fields.count else {
          results.append(
            .problem(.raggedRow(location, expected: header.fields.count, found: row.fields.count)))
          continue
        }
        var values = [String?](repeating: nil, count: ArticleField.allCases.count)
        for field in ArticleField.allCases {
          guard let column = columns[field.rawValue] else { continue }
          let value = row.fields[column]
          switch field {
          case .id, .title, .body: values[field.rawValue] = value
          default: values[field.rawValue] = value.isEmpty ? nil : value
          }
        }
        do throws(CorpusError) {
          var article = try ArticleField.makeArticle(values, location: location)
          if let labelColumn, !row.fields[labelColumn].isEmpty {
            article.label = row.fields[labelColumn]
          }
          results.append(.article(article))
        } catch {
          results.append(.problem(error))
        }
      }
      return results
    }
  }

  /// One parsed row: its fields, its first line, and whether a quote was left open.
  struct Row {
    var fields: [String]
    var line: Int
    var unterminated: Bool
  }

  /// An iterator over the rows of a CSV buffer.
  struct Rows {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0
    var line = 1

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func next() -> Row? {
      guard i < bytes.count else { return nil }
      let startLine = line
      var fields: [String] = []
      var field: [UInt8] = []
      var quoted = false
      var inQuotes = false
      while i < bytes.count {
        let c = bytes[i]
        if inQuotes {
          if c == UInt8(ascii: "\"") {
            if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
              field.append(c)
              i += 2
            } else {
              inQuotes = false
              i += 1
            }
            continue
          }
          if c == 0x0A || (c == 0x0D && !(i + 1 < bytes.count && bytes[i + 1] == 0x0A)) {
            line += 1
          }
          field.append(c)
          i += 1
          continue
        }
        switch c {
        case UInt8(ascii: "\""):
          if field.isEmpty && !quoted {
            quoted = true
            inQuotes = true
          } else {
            field.append(c)
          }
          i += 1
        case UInt8(ascii: ","):
          fields.append(String(decoding: field, as: UTF8.self))
          field.removeAll(keepingCapacity: true)
          quoted = false
          i += 1
        case 0x0A, 0x0D:
          if c == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
          i += 1
          line += 1
          fields.append(String(decoding: field, as: UTF8.self))
          return Row(fields: fields, line: startLine, unterminated: false)
        default:
          field.append(c)
          i += 1
        }
      }
      fields.append(String(decoding: field, as: UTF8.self))
      return Row(fields: fields, line: startLine, unterminated: inQuotes)
    }
  }
}

extension String {
  /// The string without leading and trailing spaces and tabs.
  func trimmingSpaces() -> String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[first...last])
  }
}
