import Foundation
import StoryClusterTestSupport
import Testing

/// `cluster eval` on the committed ECB+ sample (6 stories, 82 articles).
struct EvalCommandTests {
  static var sample: String {
    RepositoryPaths.root.appendingPathComponent(
      "Tests/StoryClusterTests/Fixtures/samples/ecbplus-dev-sample.jsonl"
    ).path
  }

  @Test func sweepReportsEveryThresholdAndMistakes() throws {
    let result = try ClusterBinary.run([
      "eval", Self.sample, "--sweep", "4:6:1", "--format", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let rows = try #require(json["results"] as? [[String: Any]])
    // Lifts by default: each resolves to lift × the corpus background.
    #expect(rows.compactMap { $0["threshold"] as? Double } == [4, 5, 6])
    let background = try #require(json["background"] as? Double)
    #expect(background > 0 && background < 0.1)
    for row in rows {
      let lift = try #require(row["threshold"] as? Double)
      let resolved = try #require(row["cluster_threshold"] as? Double)
      #expect(abs(resolved - lift * background) < 1e-5)
    }
    for row in rows {
      #expect(row["articles"] as? Int == 82)
      #expect(row["gold_clusters"] as? Int == 6)
      let f1 = try #require(row["bcubed_f1"] as? Double)
      #expect(f1 > 0.5 && f1 <= 1)
    }
    #expect(json["split"] is [[String: Any]])
    #expect(json["merged"] is [[String: Any]])
  }

  @Test func absoluteThresholdsReplaceTheLift() throws {
    let result = try ClusterBinary.run([
      "eval", Self.sample, "--threshold", "0.13", "--sweep", "0.1:0.2:0.05", "--format", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let rows = try #require(json["results"] as? [[String: Any]])
    #expect(rows.compactMap { $0["cluster_threshold"] as? Double } == [0.1, 0.15, 0.2])
    let tooHigh = try ClusterBinary.run([
      "eval", Self.sample, "--threshold", "0.1", "--sweep", "1:2:1",
    ])
    #expect(tooHigh.status == 64)
    #expect(tooHigh.stderr.contains("at most 1"))
    let both = try ClusterBinary.run(["eval", Self.sample, "--threshold", "0.1", "--lift", "5"])
    #expect(both.status != 0)
    #expect(both.stderr.contains("--lift and --threshold"))
  }

  /// The defaults on the full DEV corpora (when ../shared is beside the checkout) stay above the
  /// issue's targets: the tuned scikit-learn baseline + 0.05.
  @Test(arguments: [
    ("ecbplus/dev.jsonl", 0.936), ("uci-news-aggregator-prefix/dev.jsonl", 0.850),
  ])
  func defaultsBeatTheBaselineOnDEV(corpus: String, target: Double) throws {
    guard let path = RepositoryPaths.sharedData(corpus) else { return }
    let result = try ClusterBinary.run(["eval", path, "--format", "json", "--mistakes", "0"])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let rows = try #require(json["results"] as? [[String: Any]])
    let f1 = try #require(rows.first?["bcubed_f1"] as? Double)
    #expect(f1 >= target, "\(corpus): B-cubed F1 \(f1) < \(target)")
  }

  /// The default pair score on the DEV split of SemEval STS headlines (when ../shared is beside
  /// the checkout) stays at the target, Spearman 0.769 (the cosine's 0.719 + 0.05), and
  /// above the plain cosine.
  @Test func defaultPairScoreBeatsTheCosineOnDEV() throws {
    guard let pairs = RepositoryPaths.sharedData("sts-headlines/pairs.jsonl"),
      let articles = RepositoryPaths.sharedData("sts-headlines/articles.jsonl")
    else { return }
    func spearman(_ extra: [String]) throws -> Double {
      let result = try ClusterBinary.run(
        ["eval", "--pairs", pairs, articles, "--format", "json"] + extra)
      #expect(result.status == 0, "\(result.stderr)")
      let json = try #require(
        JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
      return try #require(json["spearman"] as? Double)
    }
    let blended = try spearman([])
    let cosine = try spearman(["--pair-score", "cosine"])
    #expect(blended >= 0.769, "Spearman \(blended) < 0.769")
    #expect(blended > cosine + 0.03, "blended \(blended), cosine \(cosine)")
  }

  @Test func gradedPairsNeedKnownIDs() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "eval-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let articles = folder.appendingPathComponent("a.jsonl")
    try """
    {"id": "x", "title": "Storm hits the coast"}
    {"id": "y", "title": "Storm hits coast towns"}
    {"id": "z", "title": "Markets rally on jobs data"}
    """.write(to: articles, atomically: true, encoding: .utf8)
    let pairs = folder.appendingPathComponent("p.jsonl")
    try """
    {"a": "x", "b": "y", "score": 4.5}
    {"a": "x", "b": "z", "score": 0.2}
    {"a": "y", "b": "z", "score": 0.4}
    """.write(to: pairs, atomically: true, encoding: .utf8)
    let ok = try ClusterBinary.run([
      "eval", "--pairs", pairs.path, articles.path, "--format", "json",
    ])
    #expect(ok.status == 0)
    // The blended pair score (the default): x–y 0.731; x–z and y–z share only the trigram "ts "
    // (hits, markets), 0.0115 and 0.0105, the reverse of the people's 0.2 < 0.4 → Spearman 0.5.
    #expect(ok.stdout.contains("\"spearman\": 0.500000"))
    let cosine = try ClusterBinary.run([
      "eval", "--pairs", pairs.path, articles.path, "--format", "json", "--pair-score", "cosine",
    ])
    #expect(cosine.status == 0)
    // The cosines: x–y high, the others 0 (tied) → Spearman 0.866.
    #expect(cosine.stdout.contains("\"spearman\": 0.866025"))
    try "{\"a\": \"x\", \"b\": \"nope\", \"score\": 1}\n".write(
      to: pairs, atomically: true, encoding: .utf8)
    let bad = try ClusterBinary.run(["eval", "--pairs", pairs.path, articles.path])
    #expect(bad.status == 65)
    // Each pair with an unknown id is listed where it stands.
    #expect(
      bad.stderr == "\(pairs.path):1: error: pair names id \"nope\", which is not in the articles\n"
    )
  }
}
