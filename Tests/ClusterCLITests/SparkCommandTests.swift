import Foundation
import StoryClusterTestSupport
import Testing

/// `cluster spark count | weigh | prepare | task | finish`, the Spark job's steps, run by hand:
/// the shares' counts and the tasks' lines concatenated (no aggregation, no merge), and the
/// report must be `cluster run`'s byte for byte.
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
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    // Three shares' term counts, one after another: the finish and prepare add them up.
    var counts = ""
    for part in 0..<3 {
      let counted = try ClusterBinary.run(
        ["spark", "count", "--part", "\(part)", "--parts", "3", Self.corpus] + options)
      #expect(counted.status == 0, "\(counted.stderr)")
      #expect(counted.stdout.hasPrefix("D "))
      counts += counted.stdout
    }
    let frequencies = work + "/frequencies.txt"
    try counts.write(toFile: frequencies, atomically: true, encoding: .utf8)
    // Two shares' rows, weighed with those counts into the work directory.
    for part in [1, 0] {
      let weighed = try ClusterBinary.run(
        [
          "spark", "weigh", "--work", work, "--frequencies", frequencies, "--part", "\(part)",
          "--parts", "2", Self.corpus,
        ] + options)
      #expect(weighed.status == 0, "\(weighed.stderr)")
    }
    let prepared = try ClusterBinary.run(
      [
        "spark", "prepare", "--work", work, "--tasks", "5", "--frequencies", frequencies,
        "--rows", "2", Self.corpus,
      ] + options)
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
      [
        "spark", "finish", "--work", work, "--merged", merged, "--frequencies", frequencies,
        "--rows", "2", Self.corpus, "--format", "json",
      ] + options)
    #expect(finished.status == 0, "\(finished.stderr)")
    let run = try ClusterBinary.run(["run", Self.corpus, "--format", "json"] + options)
    #expect(finished.stdout == run.stdout)
    #expect(run.stdout.contains("\"clusters\""))
  }

  /// Counts of another corpus do not pass for this one's: prepare weighs with the counts it
  /// is given, and refuses counts of another number of articles.
  @Test func prepareWeighsWithTheCountsItIsGiven() throws {
    let work = FileManager.default.temporaryDirectory
      .appendingPathComponent("spark-counts-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: work) }
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    let sample = RepositoryPaths.sample("uci-dev-sample.jsonl")
    let counted = try ClusterBinary.run(["spark", "count", sample])
    #expect(counted.status == 0, "\(counted.stderr)")
    // The same number of articles, one term's document frequency changed: another model.
    var lines = counted.stdout.split(separator: "\n").map(String.init)
    let term = try #require(lines.firstIndex { $0.hasPrefix("T ") })
    var fields = lines[term].split(separator: " ").map(String.init)
    fields[2] = "\(Int(fields[2])! + 7)"
    lines[term] = fields.joined(separator: " ")
    let edited = work + "/edited.txt"
    try (lines.joined(separator: "\n") + "\n").write(
      toFile: edited, atomically: true, encoding: .utf8)
    func plan(_ name: String, _ extra: [String]) throws -> Data {
      let result = try ClusterBinary.run(
        ["spark", "prepare", "--work", work + "/" + name, sample] + extra)
      #expect(result.status == 0, "\(result.stderr)")
      return try Data(contentsOf: URL(fileURLWithPath: work + "/" + name + "/block-000000.bin"))
    }
    let given = work + "/given.txt"
    try counted.stdout.write(toFile: given, atomically: true, encoding: .utf8)
    #expect(try plan("fitted", []) == plan("given", ["--frequencies", given]))
    #expect(try plan("fitted", []) != plan("edited", ["--frequencies", edited]))
    // Counts of fewer articles are refused.
    let fewer = work + "/fewer.txt"
    try counted.stdout.replacingOccurrences(of: "D 329", with: "D 328")
      .write(toFile: fewer, atomically: true, encoding: .utf8)
    let refused = try ClusterBinary.run(
      ["spark", "prepare", "--work", work + "/fewer", "--frequencies", fewer, sample])
    #expect(refused.status == 64)
    #expect(refused.stderr.contains("the term counts are of 328 articles, the corpus has 329"))
    // A line that is not a count line is named.
    let broken = work + "/broken.txt"
    try "D 329\nT 6162 one 1\n".write(toFile: broken, atomically: true, encoding: .utf8)
    let bad = try ClusterBinary.run(
      ["spark", "prepare", "--work", work + "/broken", "--frequencies", broken, sample])
    #expect(bad.status == 65)
    #expect(bad.stderr.contains("\(broken):2: 'T 6162 one 1' is not a count line"), "\(bad.stderr)")
  }

  /// prepare reads the weighed shares it is pointed to (a damaged one stops it, named), and
  /// weigh refuses counts that are not count lines.
  @Test func prepareReadsTheWeighedShares() throws {
    let work = FileManager.default.temporaryDirectory
      .appendingPathComponent("spark-rows-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: work) }
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    let sample = RepositoryPaths.sample("ecbplus-dev-sample.jsonl")
    let counted = try ClusterBinary.run(["spark", "count", sample])
    let counts = work + "/counts.txt"
    try counted.stdout.write(toFile: counts, atomically: true, encoding: .utf8)
    let weighed = try ClusterBinary.run(
      ["spark", "weigh", "--work", work, "--frequencies", counts, sample])
    #expect(weighed.status == 0, "\(weighed.stderr)")
    let share = work + "/rows-000000.bin"
    let bytes = try Data(contentsOf: URL(fileURLWithPath: share))
    try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: share))
    let prepared = try ClusterBinary.run(
      ["spark", "prepare", "--work", work, "--frequencies", counts, "--rows", "1", sample])
    #expect(prepared.status == 1)
    #expect(prepared.stderr.contains("\(share): ends early"), "\(prepared.stderr)")
    try "D 82\nnot a count\n".write(toFile: counts, atomically: true, encoding: .utf8)
    let refused = try ClusterBinary.run(
      ["spark", "weigh", "--work", work, "--frequencies", counts, sample])
    #expect(refused.status == 65)
    #expect(refused.stderr.contains("\(counts):2: 'not a count' is not a count line"))
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
