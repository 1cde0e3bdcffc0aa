import Foundation
import StoryCluster
import StoryClusterTestSupport
import Testing

/// Every door of the command goes through the library's stages and validation: what the
/// library would do, the command does.
struct StageDoorsTests {
  static var sample: String {
    RepositoryPaths.root.appendingPathComponent(
      "Tests/StoryClusterTests/Fixtures/samples/ecbplus-dev-sample.jsonl"
    ).path
  }

  /// `cluster vectorize` analyses as `cluster run` does: `--title-weight` changes the weights,
  /// and the terms it prints are those of the library's analyse + vectorize stages.
  @Test func vectorizeHonoursTheAnalysisOptions() throws {
    let plain = try ClusterBinary.run(["vectorize", Self.sample])
    let weighted = try ClusterBinary.run(["vectorize", Self.sample, "--title-weight", "3"])
    #expect(plain.status == 0 && weighted.status == 0, "\(weighted.stderr)")
    #expect(plain.stdout != weighted.stdout)
    var configuration = EngineConfiguration()
    configuration.titleWeight = 3
    let engine = try Engine(configuration: configuration)
    let analysed = engine.analyse(CorpusReader().read([Self.sample]))
    let vectors = try engine.vectorize(analysed)
    let lines = weighted.stdout.split(separator: "\n")
    #expect(lines.count == analysed.count)
    for (row, line) in lines.enumerated() {
      let object = try #require(
        JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      #expect(object["id"] as? String == analysed.ids[row])
      let terms = try #require(object["terms"] as? [String: Double])
      let expected = vectors.matrix.row(row).filter { $0.1 != 0 }
      #expect(terms.count == expected.count)
      for (column, value) in expected {
        // Printed as the shortest text that reads back as the same Float.
        #expect(terms[vectors.model.vocabulary[column]].map(Float.init) == value)
      }
    }
  }

  struct RangeCase: CustomTestStringConvertible, Sendable {
    var arguments: [String]
    var message: String
    var testDescription: String { arguments.joined(separator: " ") }
  }

  /// The command's ranges are the library's (`EngineConfiguration.validate()`), in flag words.
  @Test(arguments: [
    RangeCase(
      arguments: ["--title-weight", "11"], message: "--title-weight must be in 1...10, got 11."),
    RangeCase(
      arguments: ["--title-weight", "0"], message: "--title-weight must be in 1...10, got 0."),
    RangeCase(arguments: ["--ngrams", "9"], message: "--ngrams must be in 1...8, got 9."),
    RangeCase(arguments: ["--lift", "0"], message: "--lift must be more than 0, got 0.0."),
    RangeCase(
      arguments: ["--time-scale=-1"], message: "--time-scale must be more than 0, got -1.0."),
    RangeCase(
      arguments: ["--graph-floor", "2"], message: "--graph-floor must be in 0...1, got 2.0."),
    RangeCase(
      arguments: ["--shared-terms=-1"], message: "--shared-terms must be 0 or more, got -1."),
    RangeCase(
      arguments: ["--max-features", "0"], message: "--max-features must be 1 or more, got 0."),
  ])
  func optionRangesAreTheLibrarys(_ c: RangeCase) throws {
    for command in ["run", "vectorize", "eval"] {
      let result = try ClusterBinary.run([command, RepositoryPaths.seeds] + c.arguments)
      #expect(result.status == 64)
      #expect(result.stdout.isEmpty)
      #expect(result.stderr.hasPrefix("Error: \(c.message)\n"), "\(result.stderr)")
    }
  }

  /// `--title-weight 10` is the library's upper bound and is accepted.
  @Test func theUpperBoundIsAccepted() throws {
    let result = try ClusterBinary.run(["run", RepositoryPaths.seeds, "--title-weight", "10"])
    #expect(result.status == 0, "\(result.stderr)")
  }

  /// `cluster eval --gold FIELD` reads labels through the corpus reader: standard input works,
  /// and a bad line is a located error (exit 65), not a silently unlabelled article.
  @Test func evalGoldLabelsComeFromTheCorpusReader() throws {
    let text = try String(contentsOfFile: Self.sample, encoding: .utf8)
    let fromFile = try ClusterBinary.run([
      "eval", Self.sample, "--gold", "topic", "--format", "json",
    ])
    let fromStdin = try ClusterBinary.run(
      ["eval", "-", "--gold", "topic", "--format", "json"], stdin: text)
    #expect(fromFile.status == 0 && fromStdin.status == 0, "\(fromStdin.stderr)")
    #expect(fromFile.stdout == fromStdin.stdout)
    // The sample's 6 stories lie in 3 ECB+ topics (two twin events each).
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(fromFile.stdout.utf8)) as? [String: Any])
    let rows = try #require(json["results"] as? [[String: Any]])
    #expect(rows.first?["gold_clusters"] as? Int == 3)

    let bad = try ClusterBinary.run(
      ["eval", "-", "--gold", "topic"], stdin: text + "{\"id\": \"zz\", \"topic\": 1\n")
    #expect(bad.status == 65)
    #expect(bad.stderr.contains("<stdin>:83: error: invalid JSON"), "\(bad.stderr)")
  }

  /// `cluster eval --folds K` prints mean ± sd per threshold from the library's folds; `--folds`
  /// below 2 and `--fold-by` alone are usage errors.
  @Test func evalFolds() throws {
    let result = try ClusterBinary.run([
      "eval", Self.sample, "--folds", "2", "--sweep", "4:5:1", "--format", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(json["folds"] as? Int == 2)
    let engine = try Engine()
    let corpus = CorpusReader().read([Self.sample])
    let cv = try engine.crossValidate(
      corpus, gold: corpus.articles.map(\.story), folds: 2, thresholds: [4, 5])
    let rows = try #require(json["results"] as? [[String: Any]])
    for (t, row) in rows.enumerated() {
      let mean = try #require(row["bcubed_f1_mean"] as? Double)
      #expect(abs(mean - cv.meanF1[t]) < 5e-7)
    }
    let one = try ClusterBinary.run(["eval", Self.sample, "--folds", "1"])
    #expect(one.status == 64 && one.stderr.hasPrefix("Error: --folds must be 2 or more, got 1."))
    let alone = try ClusterBinary.run(["eval", Self.sample, "--fold-by", "topic"])
    #expect(alone.status == 64 && alone.stderr.hasPrefix("Error: --fold-by needs --folds."))
    // Graded pairs fold by the articles they share, not by a field.
    let pairs = try ClusterBinary.run([
      "eval", "--pairs", Self.sample, Self.sample, "--folds", "2", "--fold-by", "topic",
    ])
    #expect(
      pairs.status == 64
        && pairs.stderr.hasPrefix(
          "Error: --fold-by and --pairs cannot be combined: pairs fold by article.")
    )
  }
}

/// `cluster calibrate` on the committed ECB+ sample and labels derived from its gold stories
/// (`scripts/make_calibration_labels.py stories … 40 7`).
struct CalibrateCommandTests {
  @Test func suggestsTheOptionsToPass() throws {
    let labels = RepositoryPaths.root.appendingPathComponent(
      "Tests/StoryClusterTests/Fixtures/calibration-ecbplus-sample.jsonl"
    ).path
    let result = try ClusterBinary.run(["calibrate", labels, StageDoorsTests.sample])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "40 labelled pairs (0 same-text, 20 same-story, 20 different)")
    #expect(lines.contains { $0.hasPrefix("  keep 0.8000: the labels hold 0 positive") })
    // The library's suggestion, printed as the option to pass.
    let engine = try Engine()
    let calibration = try engine.calibrate(
      try LabelledPairs.read(labels), corpus: CorpusReader().read([StageDoorsTests.sample]),
      thresholds: stride(from: 2.0, through: 8.0, by: 0.5).map { $0 })
    let lift = fixed(calibration.story.threshold)
    #expect(lines.last == "options: --lift \(lift)")
    let bad = try ClusterBinary.run(["calibrate", "/nonexistent.jsonl", StageDoorsTests.sample])
    #expect(bad.status == 65)
    #expect(
      bad.stderr == "/nonexistent.jsonl: error: cannot read: No such file or directory\n")
  }

  private func fixed(_ x: Double) -> String { String(format: "%.4f", x) }
}
