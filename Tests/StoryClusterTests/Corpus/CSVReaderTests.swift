import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// The CSV reader on tiny files: every article and problem it returns, located, in order.
struct CSVReaderTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    /// Each result as ``describe(_:)`` prints it.
    var results: [String]
    var testDescription: String { name }

    init(_ name: String, _ text: String, _ results: [String]) {
      self.name = name
      self.bytes = Array(text.utf8)
      self.results = results
    }

    init(_ name: String, bytes: [UInt8], _ results: [String]) {
      self.name = name
      self.bytes = bytes
      self.results = results
    }
  }

  /// `location id|title|body|story|source|date|url` for an article (absent fields as `-`), the
  /// diagnostic for a problem.
  static func describe(_ result: JSONLinesReader.LineResult) -> String {
    switch result {
    case .article(let a):
      return [
        "\(a.location) \(a.id)", a.title, a.body, a.story ?? "-", a.source ?? "-", a.date ?? "-",
        a.url ?? "-",
      ].joined(separator: "|")
    case .problem(let p): return p.description
    case .blank: return "blank"
    }
  }

  static let cases: [Case] = [
    Case("one row", "id,title,body\nc1,Storm,Rain\n", ["f.csv:2 c1|Storm|Rain|-|-|-|-"]),
    Case("last row without a line end", "id,title\nc1,Storm", ["f.csv:2 c1|Storm||-|-|-|-"]),
    // Names match after trimming and lowercasing; columns in any order; others are ignored.
    Case(
      "header names trimmed, any case, any order", " Body ,ID,extra,Title\nb,x1,zzz,t\n",
      ["f.csv:2 x1|t|b|-|-|-|-"]),
    // The first of two columns with one name is read.
    Case("repeated column", "id,title,title\nc1,first,second\n", ["f.csv:2 c1|first||-|-|-|-"]),
    Case(
      "optional fields: empty is absent",
      "id,title,story,source,date,url\nc1,A,,,,\nc2,B,s7,Wire,2014-03-10,http://x\n",
      ["f.csv:2 c1|A||-|-|-|-", "f.csv:3 c2|B||s7|Wire|2014-03-10|http://x"]),
    // Quoted: a comma, a doubled quote, a newline (the next row starts two lines on).
    Case(
      "quoting", "id,title\nc1,\"a, b\"\nc2,\"say \"\"hi\"\"\"\nc3,\"two\nlines\"\nc4,after\n",
      [
        "f.csv:2 c1|a, b||-|-|-|-", "f.csv:3 c2|say \"hi\"||-|-|-|-",
        "f.csv:4 c3|two\nlines||-|-|-|-", "f.csv:6 c4|after||-|-|-|-",
      ]),
    // A quote inside an unquoted field is a plain character; text after a closing quote joins
    // the field.
    Case(
      "stray quotes", "id,title\nc1,a\"b\nc2,\"a\"b\n",
      ["f.csv:2 c1|a\"b||-|-|-|-", "f.csv:3 c2|ab||-|-|-|-"]),
    // \r\n and a lone \r end rows and count as one line each, also inside quotes.
    Case(
      "CRLF and CR", "id,title\r\nc1,A\rc2,\"x\r\ny\"\r\nc3,C\r\n",
      ["f.csv:2 c1|A||-|-|-|-", "f.csv:3 c2|x\r\ny||-|-|-|-", "f.csv:5 c3|C||-|-|-|-"]),
    Case(
      "byte-order mark", bytes: [0xEF, 0xBB, 0xBF] + Array("id,title\nc1,A\n".utf8),
      ["f.csv:2 c1|A||-|-|-|-"]),
    Case("blank lines are skipped", "id,title\n\nc1,A\n\n", ["f.csv:3 c1|A||-|-|-|-"]),
    Case("empty file", "", []),
    Case("header only", "id,title\n", []),
    Case(
      "no id column", "title,body\nStorm,Rain\n",
      ["f.csv:1: error: CSV header has no \"id\" column"]
    ),
    Case(
      "neither title nor body", "id,story\nc1,s\n",
      ["f.csv:1: error: CSV header has no \"title\" or \"body\" column"]),
    // Ragged rows (too few and too many fields) are reported and reading goes on.
    Case(
      "ragged rows", "id,title,body\nc1,Storm\nc2,A,B,C\nc3,Sun,Heat\n",
      [
        "f.csv:2: error: CSV row has 2 fields, header has 3",
        "f.csv:3: error: CSV row has 4 fields, header has 3", "f.csv:4 c3|Sun|Heat|-|-|-|-",
      ]),
    // An open quote swallows the rest of the file: reported once, at the row it starts on.
    Case(
      "unterminated quote", "id,title\nc1,Storm\nc2,\"never closed\nc3,x\n",
      ["f.csv:2 c1|Storm||-|-|-|-", "f.csv:3: error: CSV quoted field is not closed"]),
    Case(
      "unterminated quote in the header", "id,\"title\nc1,x\n",
      ["f.csv:1: error: CSV quoted field is not closed"]),
    // Field rules shared with JSON Lines, each located at its row.
    Case(
      "invalid records", "id,title,body,date\n,A,,\nc2,,  ,\nc3,C,,yesterday\nc4,D,,\n",
      [
        "f.csv:2: error: field \"id\" is empty",
        "f.csv:3: error: both \"title\" and \"body\" are empty",
        "f.csv:4: error: field \"date\" is not ISO 8601: \"yesterday\"", "f.csv:5 c4|D||-|-|-|-",
      ]),
    // Byte problems stop the whole file: one problem at the first bad byte's line.
    Case(
      "NUL byte", bytes: Array("id,title\nc1,A\nc2,B".utf8) + [0] + Array("\nc3,C\n".utf8),
      ["f.csv:3: error: NUL byte in text"]),
    Case(
      "invalid UTF-8", bytes: Array("id,title\nc1,A\n\nc2,".utf8) + [0xC3, 0x28, 0x0A],
      ["f.csv:4: error: invalid UTF-8"]),
  ]

  @Test(arguments: cases)
  func parse(_ c: Case) {
    #expect(CSVReader.parse(c.bytes, path: "f.csv").map(Self.describe) == c.results)
  }

  @Test func parsedDateHasItsTimestamp() throws {
    let results = CSVReader.parse(Array("id,title,date\nc1,A,1970-01-02\n".utf8), path: "f.csv")
    guard case .article(let article) = try #require(results.first) else {
      Issue.record("expected an article")
      return
    }
    #expect(article.timestamp == 86_400)  // one day after the epoch
  }

  @Test func trimmingSpacesDropsUnicodeWhitespaceAtBothEnds() {
    #expect(" \t a b \n".trimmingSpaces() == "a b")
    #expect("\u{00A0}Title\u{2003}".trimmingSpaces() == "Title")  // no-break and em spaces
    #expect(" \t ".trimmingSpaces() == "")
    #expect("".trimmingSpaces() == "")
  }
}
