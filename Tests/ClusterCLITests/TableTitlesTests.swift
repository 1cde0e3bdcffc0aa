import Foundation
import StoryClusterTestSupport
import Testing

/// The table's member lines: id, date and title, aligned within a cluster and cut to the width
/// (the terminal's, else `COLUMNS`, else 100) so that no line wraps.
struct TableTitlesTests {
  /// A story of two dated articles (one id longer than the other, one title with a tab and a
  /// line break), a body-only article and a title with double-width characters.
  static let corpus = """
    {"id": "a1", "title": "Storm hits the coast of Florida on Monday, forcing thousands to leave their homes", "body": "A strong storm hit the coast of Florida on Monday. Thousands left their homes.", "date": "2014-03-10T16:52:50Z"}
    {"id": "a2-long-id", "title": "Florida\\tstorm:\\nthousands leave homes", "body": "A strong storm hit the Florida coast on Monday; thousands left their homes.", "date": "2014-03-11"}
    {"id": "b1", "title": "", "body": "\\n  Markets rally as stocks rise\\nStocks rose sharply in late trading on Tuesday."}
    {"id": "c1", "title": "東京で大雨 Heavy rain in Tokyo", "body": "Heavy rain fell in Tokyo."}

    """

  static func memberLines(columns: String) throws -> [String] {
    let result = try ClusterBinary.run(
      ["run", "-"], stdin: corpus, environment: ["COLUMNS": columns])
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdout.split(separator: "\n").map(String.init).filter(isMemberLine)
  }

  /// A cluster's member line (not a pair's "shared:" line).
  static func isMemberLine(_ line: some StringProtocol) -> Bool {
    (line.hasPrefix("  * ") || line.hasPrefix("    ")) && !line.hasPrefix("       shared:")
  }

  @Test func titlesAndDatesBesideIDsCutToTheWidth() throws {
    // 60 columns: "  * " 4 + the id column 10 ("a2-long-id") + 2 leaves 44 for the date (10),
    // 2 spaces and the title, cut to 31 columns + "…".
    #expect(
      try Self.memberLines(columns: "60") == [
        "  * a1          2014-03-10  Storm hits the coast of Florida…",
        "    a2-long-id  2014-03-11  Florida storm: thousands leave…",
        "  * b1  Markets rally as stocks rise",
        "  * c1  東京で大雨 Heavy rain in Tokyo",
      ])
    // 30 columns: c1 has 30 − 4 − 2 − 2 = 22 columns; 東京で大雨 takes 10 of them (two each),
    // " Heavy rain" 11, and "…" the last.
    #expect(try Self.memberLines(columns: "30").last == "  * c1  東京で大雨 Heavy rain…")
  }

  @Test func withoutATerminalOrColumnsTheWidthIs100() throws {
    let lines = try Self.memberLines(columns: "")
    #expect(
      lines[0]
        == "  * a1          2014-03-10  Storm hits the coast of Florida on Monday, forcing thousands to leave t…"
    )
    #expect(lines[0].count == 100)
  }

  /// Every ASCII control, delete, and white space beyond ASCII (no-break space, em space,
  /// next line) each become one space in a caption, none at either end; other characters stay.
  @Test func everyControlAndSpaceInATitleIsOneSpace() throws {
    let controls = (1..<32).map { String(format: "\\u%04x", $0) }.joined()
    let corpus = """
      {"id": "x1", "title": "Storm\(controls)hits\\u007fthe\\u00a0Florida\\u2003coast\\u0085today é", "body": "A storm hit the coast of Florida."}
      {"id": "x2", "title": "Storm hits the Florida coast", "body": "A storm hit the coast of Florida."}
      {"id": "x3", "title": "\\u007f Storm\(controls)hits\\u007fthe Florida coast\\t", "body": "A storm hit the coast of Florida."}

      """
    let result = try ClusterBinary.run(
      ["run", "-"], stdin: corpus, environment: ["COLUMNS": "200"])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").filter(Self.isMemberLine)
    #expect(lines.contains { $0.hasSuffix("x1  Storm hits the Florida coast today é") }, "\(lines)")
    // All ASCII (answered without the property tables): the same rule.
    #expect(lines.contains { $0.hasSuffix("x3  Storm hits the Florida coast") }, "\(lines)")
  }

  @Test func noMemberLineIsWiderThanTheWidth() throws {
    let sample = RepositoryPaths.root.appendingPathComponent(
      "Tests/StoryClusterTests/Fixtures/samples/uci-dev-sample.jsonl"
    ).path
    for width in [40, 72, 100] {
      let result = try ClusterBinary.run(["run", sample], environment: ["COLUMNS": "\(width)"])
      #expect(result.status == 0)
      let members = result.stdout.split(separator: "\n").filter(Self.isMemberLine)
      #expect(!members.isEmpty)
      // The sample's titles take one column per character.
      #expect(members.allSatisfy { $0.count <= width }, "\(width)")
      #expect(members.contains { $0.hasSuffix("…") })
    }
  }
}
