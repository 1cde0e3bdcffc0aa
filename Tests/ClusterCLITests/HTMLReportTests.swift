import Foundation
import StoryClusterTestSupport
import Testing

/// `cluster run --format html` at the byte level: every article is in the page, escaped for a
/// `<script>` element; the page loads nothing; the same input gives the same bytes at any thread
/// count; hostile input text cannot break out of the data blob. (Tests/browser opens the page in
/// Chromium.)
struct HTMLReportTests {
  static let sample = RepositoryPaths.root.appendingPathComponent(
    "Tests/StoryClusterTests/Fixtures/samples/ecbplus-dev-sample.jsonl"
  ).path

  static func html(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:])
    throws -> String
  {
    let result = try ClusterBinary.run(
      ["run"] + arguments + ["--format", "html"], stdin: stdin, environment: environment)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr == "")
    return result.stdout
  }

  /// `text` as the page's data blob writes it: a JSON string literal whose `<`, `>`, `&`,
  /// U+2028 and U+2029 are `\uXXXX` escapes.
  static func scriptEscaped(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "<": out += "\\u003c"
      case ">": out += "\\u003e"
      case "&": out += "\\u0026"
      case "\u{2028}": out += "\\u2028"
      case "\u{2029}": out += "\\u2029"
      default:
        if scalar.value < 0x20 {
          out += String(format: "\\u%04x", scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  /// The page's data blob, parsed.
  static func blob(_ page: String) throws -> [String: Any] {
    let open = "<script type=\"application/json\" id=\"report-data\">"
    let start = try #require(page.range(of: open))
    let end = try #require(page.range(of: "</script>", range: start.upperBound..<page.endIndex))
    let json = String(page[start.upperBound..<end.lowerBound])
    return try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
  }

  @Test func seedsPageHoldsEachArticleIDAndTitleEscaped() throws {
    let page = try Self.html([RepositoryPaths.seeds])
    #expect(page.hasPrefix("<!DOCTYPE html>\n"))
    #expect(page.hasSuffix("</html>\n"))
    let names = try FileManager.default.contentsOfDirectory(atPath: RepositoryPaths.seeds).sorted()
    #expect(names.count == 2)
    for name in names {
      let text = try String(
        contentsOfFile: RepositoryPaths.seeds + "/" + name, encoding: .utf8)
      let title = try #require(
        text.split(separator: "\n").first { !$0.allSatisfy(\.isWhitespace) })
      // The page shows at most 160 characters of a title, so look for its start.
      let start = String(
        title.split(whereSeparator: \.isWhitespace).joined(separator: " ").prefix(100))
      var escaped = Self.scriptEscaped(start)
      escaped.removeLast()
      #expect(page.contains(Self.scriptEscaped(name)), "\(name)")
      #expect(page.contains(escaped), "\(start)")
    }
    // 000's title quotes "constructive": escaped inside the JSON string, never raw.
    #expect(page.contains(#"\"constructive\""#))
    let data = try Self.blob(page)
    let summary = try #require(data["summary"] as? [String: Any])
    #expect(summary["articles"] as? Int == 2)
    #expect(summary["stories"] as? Int == 1)
    #expect(summary["pairs"] as? Int == 1)
    #expect((data["views"] as? [Any])?.count == 1)
  }

  @Test func pageIsSelfContained() throws {
    let page = try Self.html([RepositoryPaths.seeds])
    for reference in [
      "<script src", "<link", "<iframe", "<img", "src=", "href=", "url(", "@import",
    ] {
      #expect(!page.contains(reference), "\(reference)")
    }
    for call in [
      "fetch(", "XMLHttpRequest", "innerHTML", "outerHTML", "insertAdjacentHTML", "eval(",
    ] {
      #expect(!page.contains(call), "\(call)")
    }
    // Outside the data blob (whose strings are inert data: a seed's body quotes an address),
    // the only address in the page is the SVG namespace, which names and never loads.
    let open = "<script type=\"application/json\" id=\"report-data\">"
    let start = try #require(page.range(of: open))
    let end = try #require(page.range(of: "</script>", range: start.upperBound..<page.endIndex))
    var addresses: [String] = []
    let outside = String(page[..<start.upperBound]) + String(page[end.lowerBound...])
    var rest = outside[...]
    while let found = rest.range(of: #"https?://[^'"\s]*"#, options: .regularExpression) {
      addresses.append(String(rest[found]))
      rest = rest[found.upperBound...]
    }
    #expect(addresses == ["http://www.w3.org/2000/svg"])
    #expect(page.contains("default-src 'none'"))
    #expect(page.components(separatedBy: "<script").count - 1 == 2)
  }

  @Test func sameBytesAtAnyThreadCount() throws {
    for input in [RepositoryPaths.seeds, Self.sample] {
      let one = try Self.html(
        [input, "--threads", "1"], environment: ["OPENBLAS_NUM_THREADS": "1"])
      let two = try Self.html(
        [input, "--threads", "2"], environment: ["OPENBLAS_NUM_THREADS": "2"])
      let again = try Self.html([input, "--threads", "2"])
      #expect(one == two, "\(input)")
      #expect(two == again, "\(input)")
    }
  }

  @Test func hostileTextStaysInsideTheDataBlob() throws {
    let hostile = "<img src=x onerror=alert(1)>"
    let body =
      "Flood waters rose in the town of Riverside on Monday as rain kept falling and residents left"
    let records: [[String: String]] = [
      [
        "id": "x<1>", "title": hostile,
        "body": body + " </script><script>alert(2)</script> \u{2028}\u{2029} <!-- & -->",
        "source": "<b>Wire</b>", "url": "javascript:alert(3)",
      ],
      ["id": "x2", "title": "Riverside floods", "body": body + " their homes."],
    ]
    let stdin = try records.map {
      String(
        decoding: try JSONSerialization.data(withJSONObject: $0, options: .sortedKeys),
        as: UTF8.self)
    }.joined(separator: "\n")
    let page = try Self.html(["-"], stdin: stdin)
    #expect(!page.contains("<img"))
    #expect(!page.contains("<b>"))
    #expect(!page.contains("<!--"))
    #expect(!page.contains("\u{2028}") && !page.contains("\u{2029}"))
    // Only the page's own two scripts open and close.
    #expect(page.components(separatedBy: "<script").count - 1 == 2)
    #expect(page.components(separatedBy: "</script").count - 1 == 2)
    #expect(page.contains(Self.scriptEscaped(hostile)))
    #expect(page.contains(Self.scriptEscaped("x<1>")))
    #expect(page.contains(#"\u003c/script\u003e\u003cscript\u003ealert(2)"#))
    #expect(page.contains(#"\u2028\u2029 \u003c!-- \u0026 --\u003e"#))
    // Parsed back, the blob holds the text exactly as it was given.
    let data = try Self.blob(page)
    let articles = try #require(data["articles"] as? [[Any]])
    #expect(articles.count == 2)
    #expect(articles[0][0] as? String == "x2")
    #expect(articles[1][0] as? String == "x<1>")
    #expect(articles[1][1] as? String == hostile)
    #expect(articles[1][2] as? String == "<b>Wire</b>")
    #expect(articles[1][5] as? String == "javascript:alert(3)")
  }
}
