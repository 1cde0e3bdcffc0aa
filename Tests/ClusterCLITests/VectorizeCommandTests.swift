import Foundation
import StoryClusterTestSupport
import Testing

/// `cluster vectorize --preset sklearn` against the scikit-learn fixtures that
/// `Tests/StoryClusterTests/Fixtures/make_fixtures.py` wrote (scikit-learn 1.9.1): the same
/// articles in the same order (ids in byte order), and in each row the same terms with weights
/// within 1e-6 (printed from `Float`). "default" is `TfidfVectorizer()`; "tuned" adds
/// `sublinear_tf=True, stop_words="english", min_df=2, max_df=0.9`, given here as flags.
struct VectorizeCommandTests {
  typealias Fixture = TFIDFFixture

  static let fixtures = RepositoryPaths.root.appendingPathComponent(
    "Tests/StoryClusterTests/Fixtures")

  static let flags: [String: [String]] = [
    "default": [],
    "tuned": ["--sublinear-tf", "--stop-words", "english", "--min-df", "2", "--max-df", "0.9"],
  ]

  @Test(arguments: ["tiny", "ecbplus", "uci"], ["default", "tuned"])
  func weightsEqualScikitLearns(corpus: String, parameters: String) throws {
    let fixture = try JSONDecoder().decode(
      Fixture.self,
      from: Data(
        contentsOf: Self.fixtures.appendingPathComponent("tfidf-\(corpus)-\(parameters).json")))
    #expect(fixture.sklearnVersion == "1.9.1")
    // The committed sample the fixture was made from, or the fixture's own documents written
    // as JSON Lines (each text as the body, so the article's text is exactly it).
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "vectorize-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let input: String
    if let source = fixture.source {
      input = Self.fixtures.appendingPathComponent(source).path
    } else {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      let documents = try #require(fixture.documents)
      let lines = try documents.map {
        String(
          decoding: try JSONSerialization.data(withJSONObject: ["id": $0.id, "body": $0.text]),
          as: UTF8.self)
      }
      input = folder.appendingPathComponent("tiny.jsonl").path
      try (lines.joined(separator: "\n") + "\n").write(
        toFile: input, atomically: false, encoding: .utf8)
    }
    let result = try ClusterBinary.run(
      ["vectorize", input, "--preset", "sklearn"] + (Self.flags[parameters] ?? []))
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    let rows = result.stdout.split(separator: "\n")
    #expect(rows.count == fixture.ids.count)
    var worst = 0.0
    for (row, line) in rows.enumerated() where row < fixture.ids.count {
      let object = try #require(
        JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      #expect(object["id"] as? String == fixture.ids[row])
      let terms = try #require(object["terms"] as? [String: Double])
      let entries = fixture.indptr[row]..<fixture.indptr[row + 1]
      let expected = Dictionary(
        uniqueKeysWithValues: entries.map {
          (fixture.vocabulary[fixture.indices[$0]], fixture.data[$0])
        })
      #expect(Set(terms.keys) == Set(expected.keys), "\(fixture.ids[row])")
      for (term, weight) in expected {
        worst = max(worst, abs((terms[term] ?? .infinity) - weight))
      }
      // Terms are printed in column order, which is the vocabulary's byte order.
      let printed = Self.keysInOrder(String(line))
      #expect(printed == printed.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }
    #expect(worst <= 1e-6, "max |difference| \(worst)")
  }

  /// The keys of a line's `"terms"` object in the order printed.
  static func keysInOrder(_ line: String) -> [String] {
    guard let start = line.range(of: "\"terms\": {") else { return [] }
    let body = line[start.upperBound...]
    var keys: [String] = []
    var scanner = body.startIndex
    while let open = body[scanner...].firstIndex(of: "\"") {
      var close = body.index(after: open)
      while close < body.endIndex && body[close] != "\"" {
        if body[close] == "\\" { close = body.index(after: close) }
        close = body.index(after: close)
      }
      guard close < body.endIndex else { break }
      keys.append(String(body[body.index(after: open)..<close]))
      scanner = body.index(after: close)
      // Skip the value up to the next key.
      guard let comma = body[scanner...].firstIndex(where: { $0 == "," || $0 == "}" }) else {
        break
      }
      scanner = body.index(after: comma)
    }
    return keys
  }
}
