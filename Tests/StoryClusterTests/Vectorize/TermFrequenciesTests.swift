import Foundation
import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// The Spark job's document frequencies: shares counted apart and added up make the very model
/// (vocabulary, pruning, idf) and rows that fitting on the whole corpus gives.
struct TermFrequenciesTests {
  /// The committed ECB+ and UCI samples: long articles and headlines.
  static let texts: [String] = {
    let corpus = CorpusReader().read([
      RepositoryPaths.sample("ecbplus-dev-sample.jsonl"),
      RepositoryPaths.sample("uci-dev-sample.jsonl"),
    ])
    return corpus.articles.map(\.text)
  }()

  static let configurations: [(String, TFIDFVectorizer.Configuration)] = {
    var news = TFIDFVectorizer.Configuration()
    news.isSublinearTF = true
    news.analyzer.stopWords = .english
    var pruned = news
    pruned.minDocumentFrequency = .count(2)
    pruned.maxDocumentFrequency = .fraction(0.5)
    pruned.maxFeatures = 300
    var bigrams = news
    bigrams.analyzer.ngramRange = 1...2
    bigrams.maxFeatures = 1_000
    var characters = TFIDFVectorizer.Configuration()
    characters.analyzer = Analyzer(ngramRange: 3...3, kind: .characterWordBounded)
    characters.isUsingIDF = true
    characters.isSmoothIDF = false
    return [("news", news), ("pruned", pruned), ("bigrams", bigrams), ("characters", characters)]
  }()

  @Test(arguments: 0..<4, [1, 3, 7])
  func sharesAddUpToTheFittedModel(configuration index: Int, shares: Int) throws {
    let (label, configuration) = Self.configurations[index]
    let texts = Self.texts
    #expect(texts.count == 411)
    let (fitted, rows) = try TFIDFVectorizer(configuration: configuration)
      .fitTransform(texts: texts, threads: 2)
    // Shares counted apart, added up in reverse order.
    var total = TermFrequencies(documentCount: 0, entries: [])
    for share in (0..<shares).reversed() {
      let range = (share * texts.count / shares)..<((share + 1) * texts.count / shares)
      total.add(
        TermFrequencies(
          texts: Array(texts[range]), analyzer: configuration.analyzer, threads: 1))
    }
    #expect(total.documentCount == texts.count)
    let made = try TFIDFModel(frequencies: total, configuration: configuration)
    #expect(made.vocabulary == fitted.vocabulary, "\(label)")
    #expect(made.idf == fitted.idf, "\(label)")
    let transformed = made.transform(texts: texts, threads: 2)
    #expect(transformed.rowStarts == rows.rowStarts, "\(label)")
    #expect(transformed.columns == rows.columns, "\(label)")
    #expect(transformed.values.map(\.bitPattern) == rows.values.map(\.bitPattern), "\(label)")
  }

  @Test func linesRoundTripAndAddUp() throws {
    let analyzer = Analyzer(stopWords: .english)
    let a = TermFrequencies(texts: ["Storm hits the coast", "a tab\there"], analyzer: analyzer)
    let b = TermFrequencies(texts: ["Storm warning for the coast"], analyzer: analyzer)
    var lines = ""
    a.writeLines { lines += $0 + "\n" }
    b.writeLines { lines += $0 + "\n" }
    let read = try TermFrequencies.parseLines(Array(lines.utf8), path: "counts.txt")
    var added = a
    added.add(b)
    #expect(read == added)
    #expect(read.documentCount == 3)
    let storm = try #require(read.entries.first { $0.term == Array("storm".utf8) })
    #expect(storm.documents == 2 && storm.occurrences == 2)
    // Character n-grams hold spaces: hex keeps each term one token.
    let grams = TermFrequencies(
      texts: ["a b"], analyzer: Analyzer(ngramRange: 2...2, kind: .characterWordBounded))
    var gramLines = ""
    grams.writeLines { gramLines += $0 + "\n" }
    #expect(try TermFrequencies.parseLines(Array(gramLines.utf8), path: "x") == grams)
  }

  @Test func aLineThatIsNotACountNamesItsFileAndLine() {
    #expect(
      throws: KernelTaskError(
        "counts.txt:2: 'T zz 1 1' is not a count line (D <documents> or T <term in hex> <documents> <occurrences>)"
      )
    ) {
      try TermFrequencies.parseLines(Array("D 3\nT zz 1 1\n".utf8), path: "counts.txt")
    }
  }
}
