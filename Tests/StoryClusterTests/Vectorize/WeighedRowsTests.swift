import Foundation
import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// The Spark job's weigh tasks: shares weighed apart with the model made from the added-up
/// counts, written and read back in order, are the rows and fingerprints the engine weighs
/// itself, bit for bit; a share's file of another plan, or cut short, is named.
struct WeighedRowsTests {
  static func directory() throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("weighed-rows-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  @Test(arguments: ["ecbplus-dev-sample.jsonl", "uci-dev-sample.jsonl"], [1, 4])
  func sharesReadBackAreTheEnginesRows(sample: String, parts: Int) throws {
    var configuration = EngineConfiguration()
    configuration.titleWeight = 2
    configuration.stripsBoilerplate = true
    let engine = try Engine(configuration: configuration)
    let corpus = CorpusReader().read([RepositoryPaths.sample(sample)])
    let analysed = engine.analyse(corpus)
    let vectors = try engine.vectorize(analysed)
    let counts = TermFrequencies(
      texts: analysed.texts, analyzer: configuration.vectorizer.analyzer)
    let work = try Self.directory()
    defer { try? FileManager.default.removeItem(atPath: work) }
    for part in (0..<parts).reversed() {
      let rows = try engine.weighedRows(corpus, part: part, of: parts, frequencies: counts)
      try rows.write(to: work, part: part, of: parts, count: analysed.count)
    }
    let read = try WeighedRows(reading: work, parts: parts, count: analysed.count)
    #expect(read.matrix.rowStarts == vectors.matrix.rowStarts)
    #expect(read.matrix.columns == vectors.matrix.columns)
    #expect(read.matrix.values.map(\.bitPattern) == vectors.matrix.values.map(\.bitPattern))
    #expect(read.matrix.columnCount == vectors.matrix.columnCount)
    #expect(read.fingerprints == vectors.fingerprints)
    // And the engine takes them in place of its own.
    let given = try engine.vectorize(analysed, frequencies: counts, rows: read)
    #expect(given.matrix.values == vectors.matrix.values)
    #expect(given.model.vocabulary == vectors.model.vocabulary)
    // No leftover temporary files.
    let names = try FileManager.default.contentsOfDirectory(atPath: work).sorted()
    #expect(names == (0..<parts).map { String(format: "rows-%06d.bin", $0) })
  }

  @Test func aShareOfAnotherPlanOrCutShortIsNamed() throws {
    let engine = try Engine(configuration: EngineConfiguration())
    let corpus = CorpusReader().read([RepositoryPaths.sample("uci-dev-sample.jsonl")])
    let count = corpus.articles.count
    let counts = TermFrequencies(
      texts: engine.analyse(corpus).texts, analyzer: engine.configuration.vectorizer.analyzer)
    let work = try Self.directory()
    defer { try? FileManager.default.removeItem(atPath: work) }
    for part in 0..<2 {
      try engine.weighedRows(corpus, part: part, of: 2, frequencies: counts)
        .write(to: work, part: part, of: 2, count: count)
    }
    let first = work + "/rows-000000.bin"
    #expect {
      try WeighedRows(reading: work, parts: 1, count: count)
    } throws: { error in
      "\(error)".contains("\(first): share 0 of 2 of \(count) articles")
    }
    let second = work + "/rows-000001.bin"
    let kept = try Data(contentsOf: URL(fileURLWithPath: second))
    try FileManager.default.removeItem(atPath: second)
    #expect {
      try WeighedRows(reading: work, parts: 2, count: count)
    } throws: { error in
      "\(error)".hasPrefix(second)
    }
    try kept.write(to: URL(fileURLWithPath: second))
    let bytes = try Data(contentsOf: URL(fileURLWithPath: first))
    try bytes.prefix(bytes.count - 5).write(to: URL(fileURLWithPath: first))
    #expect(
      throws: KernelTaskError("\(first): ends early (damaged or still being written)")
    ) {
      try WeighedRows(reading: work, parts: 2, count: count)
    }
  }
}
