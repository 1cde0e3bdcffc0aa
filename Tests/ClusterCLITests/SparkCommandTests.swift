import Foundation
import StoryClusterTestSupport
import Testing

/// `cluster spark prepare | task | finish`, the Spark job's steps, run by hand: tasks of a few
/// row blocks each, their lines concatenated (no merge), and the report must be `cluster run`'s
/// byte for byte.
struct SparkCommandTests {
  /// UCI DEV (3,217 articles, seven row blocks) when the shared corpora are there, else its
  /// committed sample (one block).
  static let corpus =
    RepositoryPaths.sharedData("uci-news-aggregator-prefix/dev.jsonl")
    ?? RepositoryPaths.sample("uci-dev-sample.jsonl")

  @Test func stepsByHandWriteRunsReport() throws {
    let work = FileManager.default.temporaryDirectory
      .appendingPathComponent("spark-steps-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: work) }
    let options = ["--window", "3"]
    let prepared = try ClusterBinary.run(
      ["spark", "prepare", "--work", work, "--tasks", "5", Self.corpus] + options)
    #expect(prepared.status == 0, "\(prepared.stderr)")
    let plan = try #require(
      JSONSerialization.jsonObject(with: Data(prepared.stdout.utf8)) as? [String: Any])
    let blocks = try #require(plan["blocks"] as? Int)
    #expect(plan["rows"] as? Int == (blocks > 1 ? 3_205 : 329))
    let tasks = try #require(plan["tasks"] as? [[String]])
    #expect(tasks.count == (blocks > 1 ? 5 : 1))
    var lines = ""
    for units in tasks {
      let result = try ClusterBinary.run(
        ["spark", "task", "--work", work], stdin: units.joined(separator: "\n") + "\n")
      #expect(result.status == 0, "\(result.stderr)")
      lines += result.stdout
    }
    let merged = work + "/merged.txt"
    try lines.write(toFile: merged, atomically: true, encoding: .utf8)
    let finished = try ClusterBinary.run(
      ["spark", "finish", "--work", work, "--merged", merged, Self.corpus, "--format", "json"]
        + options)
    #expect(finished.status == 0, "\(finished.stderr)")
    let run = try ClusterBinary.run(["run", Self.corpus, "--format", "json"] + options)
    #expect(finished.stdout == run.stdout)
    #expect(run.stdout.contains("\"clusters\""))
  }

  @Test func aTaskWithoutItsPlanFailsNamingIt() throws {
    let missing = "/nonexistent/spark-work"
    let result = try ClusterBinary.run(["spark", "task", "--work", missing], stdin: "0\n")
    #expect(result.status == 1)
    #expect(result.stderr.contains("\(missing)/plan.bin"), "\(result.stderr)")
  }

  @Test func prepareReportsABadRecordAsRunDoes() throws {
    let work = FileManager.default.temporaryDirectory
      .appendingPathComponent("spark-bad-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: work) }
    let bad = RepositoryPaths.root.appendingPathComponent(
      "Tests/StoryClusterTests/Fixtures/invalid-records"
    ).path
    let path = bad + "/feed-a.jsonl"
    let prepared = try ClusterBinary.run(["spark", "prepare", "--work", work, path])
    let run = try ClusterBinary.run(["run", path])
    #expect(prepared.status == run.status && run.status == 65)
    #expect(prepared.stderr == run.stderr && run.stderr.contains(path))
  }
}
