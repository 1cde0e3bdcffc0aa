import Foundation
import StoryClusterTestSupport
import Testing

/// `cluster run` on floods, through the built binary: copies are accounted for once each, pairs
/// stay O(N), the JSON config names the cap, and the bytes do not depend on the thread counts.
struct DuplicateFloodTests {
  /// 2,000 copies of one item (dated a minute apart), 300 re-edits of another (one word
  /// replaced in each, seeded) and three articles of their own, as JSON Lines.
  static let stdin: String = {
    var generator = SeededGenerator(seed: 2_026)
    let words = """
      The regional water authority will replace aging pipes across twelve districts next spring \
      in a project expected to cost nearly four hundred million dollars over six years while \
      residents complain about brown tap water frequent outages and rising bills
      """.split(separator: " ").map(String.init)
    var lines: [String] = []
    for k in 0..<2_000 {
      lines.append(
        #"{"id": "copy-\#(String(format: "%04d", k))", "title": "Subscribe to our newsletter", "body": "Get the latest headlines in your inbox. Sign up now!", "date": "2024-03-01T\#(String(format: "%02d:%02d", k / 60 % 24, k % 60)):00Z"}"#
      )
    }
    for k in 0..<300 {
      var edited = words
      edited[Int.random(in: 0..<words.count, using: &generator)] = "w\(k)"
      lines.append(
        #"{"id": "edit-\#(String(format: "%03d", k))", "title": "Water pipes", "body": "\#(edited.joined(separator: " "))"}"#
      )
    }
    lines += [
      #"{"id": "s1", "title": "Storm hits Florida coast", "body": "A strong storm hit the coast of Florida, cutting power to thousands of homes."}"#,
      #"{"id": "s2", "title": "Florida storm cuts power", "body": "Thousands of homes lost power as a strong storm hit the Florida coast."}"#,
      #"{"id": "m1", "title": "Markets rally", "body": "Stocks rose sharply in late trading."}"#,
    ]
    return lines.joined(separator: "\n") + "\n"
  }()

  static func json(_ stdout: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
  }

  @Test func everyArticleOnceAndPairsBounded() throws {
    let result = try ClusterBinary.run(
      ["run", "-", "--format", "json", "--shared-terms", "0"], stdin: Self.stdin)
    #expect(result.status == 0, "\(result.stderr)")
    let json = try Self.json(result.stdout)
    #expect(json["articles_in"] as? Int == 2_303 && json["articles_out"] as? Int == 2_303)
    let clusters = try #require(json["clusters"] as? [[String: Any]])
    let members = clusters.flatMap { ($0["members"] as? [String]) ?? [] }
    #expect(members.count == 2_303 && Set(members).count == 2_303)
    // The copies are one story, first.
    #expect((clusters.first?["members"] as? [String])?.count == 2_000)
    let pairs = try #require(json["pairs"] as? [[String: Any]])
    let exact = pairs.filter { $0["kind"] as? String == "exact" }
    #expect(exact.count == 1_999)
    #expect(exact.allSatisfy { $0["a"] as? String == "copy-0000" })
    // The other pairs: at most 10 per article among 304 distinct texts.
    #expect(pairs.count - exact.count <= 304 * 10)
    let config = try #require(json["config"] as? [String: Any])
    #expect(config["pairs_per_article"] as? Int == 10)
  }

  @Test func allPairsListsEveryPairOfDistinctTexts() throws {
    let result = try ClusterBinary.run(
      ["run", "-", "--format", "json", "--shared-terms", "0", "--all-pairs"], stdin: Self.stdin)
    #expect(result.status == 0, "\(result.stderr)")
    let json = try Self.json(result.stdout)
    let pairs = try #require(json["pairs"] as? [[String: Any]])
    // The 300 re-edits are a clique: 300 · 299 / 2 = 44,850 pairs, plus the 1,999 exact pairs
    // and the storm pair.
    let edits = pairs.filter { ($0["a"] as? String)?.hasPrefix("edit-") == true }
    #expect(edits.count == 44_850)
    #expect(pairs.filter { $0["kind"] as? String == "exact" }.count == 1_999)
    let config = try #require(json["config"] as? [String: Any])
    #expect(config["pairs_per_article"] is NSNull)
  }

  @Test(arguments: ["json", "csv", "table"])
  func outputIsIdenticalAtEveryThreadCount(format: String) throws {
    let args = ["run", "-", "--format", format, "--max-pairs", "0"]
    let reference = try ClusterBinary.run(
      args + ["--threads", "1"], stdin: Self.stdin, environment: ["OPENBLAS_NUM_THREADS": "1"])
    #expect(reference.status == 0)
    for (blas, engine) in [("2", "2"), ("1", "0")] {
      let other = try ClusterBinary.run(
        args + ["--threads", engine], stdin: Self.stdin,
        environment: ["OPENBLAS_NUM_THREADS": blas])
      #expect(other.stdout == reference.stdout, "OPENBLAS_NUM_THREADS=\(blas) --threads \(engine)")
    }
  }

  /// Option errors stop before any input is read (so no standard input is given).
  @Test func theCapAndAllPairsCannotBeCombined() throws {
    let both = try ClusterBinary.run(
      ["run", RepositoryPaths.seeds, "--all-pairs", "--pairs-per-article", "5"])
    #expect(both.status == 64)
    #expect(
      both.stderr.hasPrefix(
        "Error: --all-pairs and --pairs-per-article cannot be combined: pick one.\n"),
      "\(both.stderr)")
    let zero = try ClusterBinary.run(["run", RepositoryPaths.seeds, "--pairs-per-article", "0"])
    #expect(zero.status == 64)
    #expect(
      zero.stderr.hasPrefix("Error: --pairs-per-article must be 1 or more, got 0.\n"),
      "\(zero.stderr)")
  }
}
