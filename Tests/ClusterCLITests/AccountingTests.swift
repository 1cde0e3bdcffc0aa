import Foundation
import StoryClusterTestSupport
import Testing

/// Through the CLI with `--skip-invalid`: `articles_in` equals the records in the input as this
/// test counts them (not as the readers do), `articles_out` the articles in clusters, each once,
/// and `skipped` the rest, each also a warning. On the committed samples (two clean corpora and
/// a folder of valid and invalid records in every input form) and on every corpus in
/// `../shared/data`. Single linkage at 0.5 keeps the debug-build run short; accounting does not
/// depend on the method.
struct AccountingTests {
  static let invalidRecords = RepositoryPaths.root.appendingPathComponent(
    "Tests/StoryClusterTests/Fixtures/invalid-records"
  ).path

  /// Committed inputs and how many of their records are invalid (from the fixture's README).
  static let committed: [(path: String, invalid: Int)] = [
    (RepositoryPaths.sample("ecbplus-dev-sample.jsonl"), 0),
    (RepositoryPaths.sample("uci-dev-sample.jsonl"), 0),
    (invalidRecords + "/feed-a.jsonl", 5),
    // Alone, feed-b's a5 is no duplicate: only the ragged row and the empty id are invalid.
    (invalidRecords + "/feed-b.csv", 2),
    (invalidRecords + "/texts", 1),
    (invalidRecords, 9),
  ]

  /// The article corpora in `../shared/data` (its README): every `.jsonl` but the graded pairs.
  static let shared = [
    "agnews-test/all.jsonl", "bbc-fulltext/all.jsonl", "ecbplus/dev.jsonl",
    "reuters21578/all.jsonl", "sts-headlines/articles.jsonl",
    "uci-news-aggregator-prefix/dev.jsonl",
  ]

  /// Records in `path`, counted without the readers: a non-blank line of JSON Lines, a non-blank
  /// line of CSV after the header (the committed CSV has no quoted line breaks), a `.txt` file;
  /// folders recursively, other files not at all.
  static func records(at path: String) throws -> Int {
    var isFolder: ObjCBool = false
    _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
    if isFolder.boolValue {
      return try FileManager.default.contentsOfDirectory(atPath: path).reduce(0) {
        try $0 + records(at: path + "/" + $1)
      }
    }
    let lines = { () throws -> Int in
      try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        .filter { !$0.allSatisfy(\.isWhitespace) }.count
    }
    switch (path as NSString).pathExtension {
    case "jsonl": return try lines()
    case "csv": return try lines() - 1
    case "txt": return 1
    default: return 0
    }
  }

  static func check(_ path: String, invalid: Int?) throws {
    let expectedIn = try Self.records(at: path)
    #expect(expectedIn > 0)
    let result = try ClusterBinary.run([
      "run", path, "--skip-invalid", "--format", "json", "--linkage", "single", "--threshold",
      "0.5", "--pair-floor", "0.5",
    ])
    #expect(result.status == 0, "\(result.stderr.prefix(500))")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let articlesIn = try #require(json["articles_in"] as? Int)
    let articlesOut = try #require(json["articles_out"] as? Int)
    let skipped = try #require(json["skipped"] as? [[String: String]])
    let clusters = try #require(json["clusters"] as? [[String: Any]])
    let members = clusters.flatMap { ($0["members"] as? [String]) ?? [] }
    #expect(articlesIn == expectedIn)
    #expect(articlesOut == members.count)
    #expect(Set(members).count == members.count)
    #expect(skipped.count == expectedIn - members.count)
    if let invalid { #expect(skipped.count == invalid) }
    for entry in skipped {
      let location = entry["location"] ?? ""
      #expect(location.hasPrefix(path + ":") || location.hasPrefix(path + "/") || location == path)
      #expect(entry["reason"]?.isEmpty == false)
    }
    // Each skipped record is also a warning naming its place, in the same order.
    let warnings = result.stderr.split(separator: "\n").filter { $0.contains(": warning: ") }
    #expect(warnings.count == skipped.count)
    for (warning, entry) in zip(warnings, skipped) {
      #expect(
        warning == "\(entry["location"] ?? ""): warning: \(entry["reason"] ?? "")", "\(warning)")
    }
  }

  @Test(arguments: committed.map(\.path))
  func countsAddUpOnCommittedInputs(path: String) throws {
    let invalid = Self.committed.first { $0.path == path }?.invalid
    try Self.check(path, invalid: invalid)
  }

  @Test(.enabled(if: RepositoryPaths.isSharedDataPresent), arguments: shared)
  func countsAddUpOnSharedCorpora(name: String) throws {
    try Self.check(try #require(RepositoryPaths.sharedData(name)), invalid: nil)
  }

  /// The list above is every article corpus there, so a new one is not left out silently.
  @Test(.enabled(if: RepositoryPaths.isSharedDataPresent))
  func everySharedCorpusIsListed() throws {
    let data = try #require(RepositoryPaths.sharedData(""))
    let names = (FileManager.default.subpaths(atPath: data) ?? []).filter {
      $0.hasSuffix(".jsonl") && !$0.hasSuffix("pairs.jsonl")
    }
    #expect(names.sorted() == Self.shared)
  }
}
