import Foundation
import StoryClusterTestSupport
import Testing

/// `articles_in = articles_out + skipped`, and every valid article is in exactly one cluster, on
/// every article corpus in `../shared/data` (and the committed samples), through the CLI with
/// `--skip-invalid`. Single linkage at 0.5 keeps the debug-build run short; accounting does not
/// depend on the method.
struct AccountingTests {
  static let corpora: [String] = {
    var paths = [
      "ecbplus-dev-sample.jsonl", "uci-dev-sample.jsonl",
    ].map {
      RepositoryPaths.root.appendingPathComponent("Tests/StoryClusterTests/Fixtures/samples/\($0)")
        .path
    }
    if let data = RepositoryPaths.sharedData("") {
      let names = (FileManager.default.subpaths(atPath: data) ?? []).sorted()
      for name in names where name.hasSuffix(".jsonl") && !name.hasSuffix("pairs.jsonl") {
        paths.append(data + "/" + name)
      }
    }
    return paths
  }()

  @Test(arguments: corpora)
  func countsAddUp(path: String) throws {
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
      .filter { !$0.allSatisfy(\.isWhitespace) }
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
    #expect(articlesIn == lines.count)
    #expect(articlesIn == articlesOut + skipped.count)
    for entry in skipped {
      #expect(entry["location"]?.hasPrefix(path + ":") == true)
      #expect(entry["reason"]?.isEmpty == false)
    }
    // Each skipped record is also a warning naming its line.
    let warnings = result.stderr.split(separator: "\n").filter { $0.contains(": warning: ") }
    #expect(warnings.count == skipped.count)
    let clusters = try #require(json["clusters"] as? [[String: Any]])
    let members = clusters.flatMap { ($0["members"] as? [String]) ?? [] }
    #expect(members.count == articlesOut)
    #expect(Set(members).count == articlesOut)
  }
}
