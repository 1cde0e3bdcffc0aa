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

  /// Gold story labels of the sample, by id.
  static func gold() throws -> [String: String] {
    var labels: [String: String] = [:]
    for line in try String(contentsOfFile: sample, encoding: .utf8).split(separator: "\n") {
      let object = try #require(
        JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      labels[try #require(object["id"] as? String)] = try #require(object["story"] as? String)
    }
    return labels
  }

  /// `cluster run` on the sample at `arguments`: each article's cluster number, by id.
  static func clusters(_ arguments: [String]) throws -> [String: Int] {
    let result = try ClusterBinary.run(["run", sample, "--format", "json"] + arguments)
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    var cluster: [String: Int] = [:]
    for (k, c) in try #require(json["clusters"] as? [[String: Any]]).enumerated() {
      for id in try #require(c["members"] as? [String]) { cluster[id] = k }
    }
    return cluster
  }

  /// B-cubed precision, recall and F1 (Bagga and Baldwin 1998), from their definition: for each
  /// article, the share of its cluster in its gold story (precision) and of its gold story in
  /// its cluster (recall), averaged over articles; F1 their harmonic mean.
  static func bcubed(gold: [String: String], predicted: [String: Int]) -> (
    precision: Double, recall: Double, f1: Double
  ) {
    var precision = 0.0
    var recall = 0.0
    for (id, story) in gold {
      let cluster = predicted[id]
      let inCluster = predicted.filter { $0.value == cluster }.map(\.key)
      let inStory = gold.filter { $0.value == story }.map(\.key)
      let both = Double(inCluster.filter { gold[$0] == story }.count)
      precision += both / Double(inCluster.count)
      recall += both / Double(inStory.count)
    }
    precision /= Double(gold.count)
    recall /= Double(gold.count)
    return (precision, recall, 2 * precision * recall / (precision + recall))
  }

  /// Each row's B-cubed scores equal those of `cluster run` at that lift, scored here from the
  /// definition; the listed mistakes are at the best lift, and each is one.
  @Test func sweepReportsEveryThresholdAndMistakes() throws {
    let result = try ClusterBinary.run([
      "eval", Self.sample, "--sweep", "14:16:1", "--format", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let rows = try #require(json["results"] as? [[String: Any]])
    // Lifts by default: each resolves to lift × the corpus background.
    #expect(rows.compactMap { $0["threshold"] as? Double } == [14, 15, 16])
    let background = try #require(json["background"] as? Double)
    #expect(background > 0 && background < 0.1)
    let gold = try Self.gold()
    #expect(gold.count == 82 && Set(gold.values).count == 6)
    var best: (f1: Double, clusters: [String: Int])? = nil
    for row in rows {
      let lift = try #require(row["threshold"] as? Double)
      let resolved = try #require(row["cluster_threshold"] as? Double)
      #expect(abs(resolved - lift * background) < 1e-5)
      #expect(row["articles"] as? Int == 82)
      #expect(row["gold_clusters"] as? Int == 6)
      let clusters = try Self.clusters(["--lift", "\(lift)"])
      let expected = Self.bcubed(gold: gold, predicted: clusters)
      // Printed with six decimals: within half a unit of the last place.
      #expect(abs(try #require(row["bcubed_precision"] as? Double) - expected.precision) <= 5e-7)
      #expect(abs(try #require(row["bcubed_recall"] as? Double) - expected.recall) <= 5e-7)
      let f1 = try #require(row["bcubed_f1"] as? Double)
      #expect(abs(f1 - expected.f1) <= 5e-7, "lift \(lift)")
      #expect(row["clusters"] as? Int == Set(clusters.values).count)
      if f1 > best?.f1 ?? -1 { best = (f1, clusters) }
    }
    let clusters = try #require(best?.clusters)
    // SPLIT: pairs of one story in two clusters, most similar first; MERGED: pairs of two
    // stories in one cluster, least similar first; five of each (the default --mistakes).
    let split = try #require(json["split"] as? [[String: Any]])
    let merged = try #require(json["merged"] as? [[String: Any]])
    let mergedPairs = gold.keys.sorted().enumerated().flatMap { k, a in
      gold.keys.sorted().dropFirst(k + 1).filter { b in
        clusters[a] == clusters[b] && gold[a] != gold[b]
      }
    }.count
    #expect(split.count == 5)
    #expect(merged.count == min(5, mergedPairs))
    for (list, isSplit) in [(split, true), (merged, false)] {
      let scores = list.compactMap { $0["score"] as? Double }
      #expect(scores.count == list.count)
      #expect(scores == (isSplit ? scores.sorted(by: >) : scores.sorted()))
      for pair in list {
        let a = try #require(pair["a"] as? String)
        let b = try #require(pair["b"] as? String)
        #expect((gold[a] == gold[b]) == isSplit, "\(a) \(b)")
        #expect((clusters[a] == clusters[b]) != isSplit, "\(a) \(b)")
        // A split pair is one the kernel found, so the two share terms.
        if isSplit { #expect((pair["shared_terms"] as? [String])?.isEmpty == false) }
      }
    }
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
    #expect(tooHigh.stderr == "--sweep: cosine thresholds must be at most 1, got 2.0.\n")
    #expect(tooHigh.stdout.isEmpty)
    let both = try ClusterBinary.run(["eval", Self.sample, "--threshold", "0.1", "--lift", "5"])
    #expect(both.status == 64)
    #expect(
      both.stderr.hasPrefix("Error: --lift and --threshold cannot be combined: pick one.\n"),
      "\(both.stderr)")
    #expect(both.stdout.isEmpty)
  }

  /// The defaults on the full DEV corpora (when ../shared is beside the checkout) stay above the
  /// issues' targets: ECB+ at its score before the between-story background (0.9505), UCI at
  /// 0.88 (2026-11-30: 0.951 and 0.886).
  @Test(
    .enabled(if: RepositoryPaths.isSharedDataPresent),
    arguments: [("ecbplus/dev.jsonl", 0.95), ("uci-news-aggregator-prefix/dev.jsonl", 0.88)])
  func defaultsBeatTheBaselineOnDEV(corpus: String, target: Double) throws {
    let path = try #require(RepositoryPaths.sharedData(corpus))
    let result = try ClusterBinary.run(["eval", path, "--format", "json", "--mistakes", "0"])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let rows = try #require(json["results"] as? [[String: Any]])
    let f1 = try #require(rows.first?["bcubed_f1"] as? Double)
    #expect(f1 >= target, "\(corpus): B-cubed F1 \(f1) < \(target)")
  }

  /// `cluster eval PATH --folds K OPTIONS`: the first threshold's B-cubed F1, mean over folds.
  static func foldMean(_ path: String, folds: Int, _ options: [String]) throws -> Double {
    let result = try ClusterBinary.run(
      ["eval", path, "--folds", "\(folds)", "--format", "json"] + options)
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let rows = try #require(json["results"] as? [[String: Any]])
    return try #require(rows.first?["bcubed_f1_mean"] as? Double)
  }

  /// The defaults hold on stories they were not chosen on, whatever the corpus's size: in
  /// halves and fifths of whole stories (ECB+ cut along topics) the fold means stay at the
  /// issue's DEV targets (ECB+ 0.95, UCI 0.88; ECB+ in fifths 0.94, where the target is not
  /// met), and above the all-pairs background of before (`--seed-threshold 0` at its lift 5:
  /// ECB+ fifths 0.775, UCI halves 0.772 and fifths 0.523 on 2026-11-30). ECB+ in fifths of
  /// whole stories, the issue's own folds, holds the target too (0.992 on 2026-11-30).
  @Test(
    .enabled(if: RepositoryPaths.isSharedDataPresent),
    arguments: [
      ("ecbplus/dev.jsonl", ["--fold-by", "topic"], 2, 0.95),
      ("ecbplus/dev.jsonl", ["--fold-by", "topic"], 5, 0.94),
      ("ecbplus/dev.jsonl", [], 5, 0.95),
      ("uci-news-aggregator-prefix/dev.jsonl", [], 2, 0.88),
      ("uci-news-aggregator-prefix/dev.jsonl", [], 5, 0.88),
    ])
  func defaultsHoldInFolds(corpus: String, folding: [String], folds: Int, target: Double) throws {
    let path = try #require(RepositoryPaths.sharedData(corpus))
    let defaults = try Self.foldMean(path, folds: folds, folding)
    let allPairs = try Self.foldMean(
      path, folds: folds, folding + ["--seed-threshold", "0", "--lift", "5"])
    #expect(defaults >= target, "\(corpus) in \(folds): \(defaults) < \(target)")
    #expect(defaults > allPairs, "\(corpus) in \(folds): \(defaults), all pairs \(allPairs)")
  }

  /// The names cosine and the year penalty (``EventMarks``) earn their place on stories they
  /// were not chosen on: in two folds of whole stories (ECB+ cut along topics, so a twin event
  /// stays with its twin), the defaults score at least as well as without either signal, on
  /// both DEV corpora (2026-11-30: ECB+ 0.959 vs 0.956, UCI 0.886 vs 0.874).
  @Test(
    .enabled(if: RepositoryPaths.isSharedDataPresent),
    arguments: [
      ("ecbplus/dev.jsonl", ["--fold-by", "topic"]), ("uci-news-aggregator-prefix/dev.jsonl", []),
    ])
  func namesAndYearsHoldAcrossFolds(corpus: String, folding: [String]) throws {
    let path = try #require(RepositoryPaths.sharedData(corpus))
    let defaults = try Self.foldMean(path, folds: 2, folding)
    let without = try Self.foldMean(
      path, folds: 2, folding + ["--names-weight", "0", "--year-penalty", "0"])
    #expect(defaults > without, "\(corpus): \(defaults) with names and years, \(without) without")
  }

  /// The default pair score on the DEV split of SemEval STS headlines (when ../shared is beside
  /// the checkout) stays at issue #17's target, Spearman 0.78 as the mean over five folds of the
  /// pairs (`--folds 5`, pairs sharing a headline in one fold) and on the whole DEV split, and
  /// above the plain cosine on every fold.
  @Test(.enabled(if: RepositoryPaths.isSharedDataPresent))
  func defaultPairScoreBeatsTheCosineOnDEV() throws {
    let pairs = try #require(RepositoryPaths.sharedData("sts-headlines/pairs.jsonl"))
    let articles = try #require(RepositoryPaths.sharedData("sts-headlines/articles.jsonl"))
    func spearman(_ extra: [String]) throws -> (whole: Double, mean: Double, folds: [Double]) {
      let result = try ClusterBinary.run(
        ["eval", "--pairs", pairs, articles, "--folds", "5", "--format", "json"] + extra)
      #expect(result.status == 0, "\(result.stderr)")
      let json = try #require(
        JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
      return (
        try #require(json["spearman"] as? Double), try #require(json["spearman_mean"] as? Double),
        try #require(json["spearman_folds"] as? [Double])
      )
    }
    let blended = try spearman([])
    let cosine = try spearman(["--pair-score", "cosine"])
    #expect(blended.whole >= 0.78, "Spearman \(blended.whole) < 0.78")
    #expect(blended.mean >= 0.78, "fold mean \(blended.mean) < 0.78")
    #expect(blended.folds.count == 5)
    #expect(
      zip(blended.folds, cosine.folds).allSatisfy { $0 > $1 + 0.02 },
      "blended \(blended.folds), cosine \(cosine.folds)")
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
