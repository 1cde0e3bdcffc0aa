import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// The plain-text reader on tiny files: one article per file, or one located problem.
struct TextFolderReaderTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    /// `location id|title|body`, or the problem's diagnostic.
    var result: String
    var testDescription: String { name }

    init(_ name: String, _ text: String, _ result: String) {
      self.init(name, bytes: Array(text.utf8), result)
    }

    init(_ name: String, bytes: [UInt8], _ result: String) {
      self.name = name
      self.bytes = bytes
      self.result = result
    }
  }

  static func describe(_ result: JSONLinesReader.LineResult) -> String {
    switch result {
    case .article(let a): return "\(a.location) \(a.id)|\(a.title)|\(a.body)"
    case .problem(let p): return p.description
    case .blank: return "blank"
    }
  }

  static let cases: [Case] = [
    Case(
      "title and body", "Storm hits coast\nIt rained.\nAll day.",
      "a.txt:1 id|Storm hits coast|It rained.\nAll day."),
    // Leading blank lines are skipped; title and body are trimmed, inner blank lines kept.
    Case(
      "blank lines and spaces", "\n  \n  Title  \nline one\n\nline two  \n\n",
      "a.txt:1 id|Title|line one\n\nline two"),
    Case("title only", "Headline\n", "a.txt:1 id|Headline|"),
    Case(
      "CRLF", "Title\r\n\r\nBody one.\r\nBody two.\r\n", "a.txt:1 id|Title|Body one.\nBody two."),
    Case("lone CR", "Title\rBody one.\rBody two.", "a.txt:1 id|Title|Body one.\nBody two."),
    Case(
      "byte-order mark", bytes: [0xEF, 0xBB, 0xBF] + Array("Title\nBody".utf8),
      "a.txt:1 id|Title|Body"),
    // No-break space and em space are whitespace too.
    Case("Unicode spaces", "\u{00A0}Título\u{2003}\nCafé ", "a.txt:1 id|Título|Café"),
    Case("empty file", "", "a.txt: error: both \"title\" and \"body\" are empty"),
    Case("blank file", "\n \t\n\r\n", "a.txt: error: both \"title\" and \"body\" are empty"),
    Case(
      "NUL byte on line 2", bytes: Array("Title\nbo".utf8) + [0] + Array("dy\n".utf8),
      "a.txt:2: error: NUL byte in text"),
    Case(
      "invalid UTF-8 on line 3", bytes: Array("Title\n\nx".utf8) + [0xE2, 0x82] + Array("\n".utf8),
      "a.txt:3: error: invalid UTF-8"),
  ]

  @Test(arguments: cases)
  func parse(_ c: Case) {
    #expect(Self.describe(TextFolderReader.parse(c.bytes, id: "id", path: "a.txt")) == c.result)
  }

  @Test func idAndPathAreTakenAsGiven() {
    let result = TextFolderReader.parse(Array("T\nB".utf8), id: "sub/x.txt", path: "/in/sub/x.txt")
    #expect(Self.describe(result) == "/in/sub/x.txt:1 sub/x.txt|T|B")
  }
}
