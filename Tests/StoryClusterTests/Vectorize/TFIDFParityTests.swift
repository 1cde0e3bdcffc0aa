import Foundation
import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// Parity with scikit-learn's `TfidfVectorizer`, on fixtures written by `Fixtures/make_fixtures.py`
/// (scikit-learn 1.9.1; the version is recorded in each fixture). The vocabulary must match
/// exactly; idf and weights within 1e-6 absolute (weights are stored as Float).
struct TFIDFParityTests {
  typealias Fixture = TFIDFFixture

  static func load(_ name: String) throws -> Fixture {
    let url = try #require(
      Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
    return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }

  static func texts(_ fixture: Fixture) throws -> [String] {
    if let documents = fixture.documents { return documents.map(\.text) }
    let source = try #require(fixture.source)
    let url = try #require(
      Bundle.module.url(
        forResource: (source as NSString).deletingPathExtension, withExtension: "jsonl",
        subdirectory: "Fixtures"))
    let corpus = CorpusReader().read([url.path])
    #expect(corpus.problems.isEmpty)
    #expect(corpus.articles.map(\.id) == fixture.ids)
    return corpus.articles.map(\.text)
  }

  static let configurations: [(String, TFIDFVectorizer.Configuration)] = {
    var tuned = TFIDFVectorizer.Configuration()
    tuned.isSublinearTF = true
    tuned.analyzer.stopWords = .english
    tuned.minDocumentFrequency = .count(2)
    tuned.maxDocumentFrequency = .fraction(0.9)
    return [("default", TFIDFVectorizer.Configuration()), ("tuned", tuned)]
  }()

  @Test(arguments: ["tiny", "ecbplus", "uci"], [0, 1])
  func matchesScikitLearn(corpus: String, parameterSet: Int) throws {
    let (label, configuration) = Self.configurations[parameterSet]
    let fixture = try Self.load("tfidf-\(corpus)-\(label)")
    let texts = try Self.texts(fixture)
    for threads in [1, 2] {
      let (model, matrix) = try TFIDFVectorizer(configuration: configuration)
        .fitTransform(texts: texts, threads: threads)
      #expect(model.vocabulary == fixture.vocabulary)
      #expect(model.idf.count == fixture.idf.count)
      for (ours, theirs) in zip(model.idf, fixture.idf) { #expect(abs(ours - theirs) <= 1e-9) }
      #expect(matrix.rowStarts == fixture.indptr)
      #expect(matrix.columns.map(Int.init) == fixture.indices)
      var worst = 0.0
      for (ours, theirs) in zip(matrix.values, fixture.data) {
        worst = max(worst, abs(Double(ours) - theirs))
      }
      #expect(worst <= 1e-6, "max |diff| \(worst) (sklearn \(fixture.sklearnVersion))")
    }
  }

  @Test func transformUsesTheFittedVocabulary() throws {
    let fixture = try Self.load("tfidf-ecbplus-default")
    let texts = try Self.texts(fixture)
    let (model, fitted) = try TFIDFVectorizer().fitTransform(texts: texts)
    let again = model.transform(texts: texts)
    #expect(again == fitted)
    // Unknown terms are ignored: a text of unseen words has an empty row.
    let unseen = model.transform(texts: ["zzqx qqzx"])
    #expect(unseen.nonZeroCount == 0)
  }

  @Test func transformAndColumnLookupSkipPrunedTerms() throws {
    // min_df = 2 documents: "fig" (1 doc) and "kiwi" (1 doc) are pruned; apple (3) and pear (2)
    // stay, in byte order → columns apple 0, pear 1.
    var configuration = TFIDFVectorizer.Configuration()
    configuration.minDocumentFrequency = .count(2)
    let texts = ["apple pear", "apple fig", "apple pear kiwi"]
    let (model, fitted) = try TFIDFVectorizer(configuration: configuration).fitTransform(
      texts: texts)
    #expect(model.vocabulary == ["apple", "pear"])
    #expect(model.column(of: "apple") == 0)
    #expect(model.column(of: "pear") == 1)
    #expect(model.column(of: "fig") == nil)
    #expect(model.column(of: "plum") == nil)
    #expect(model.transform(texts: texts) == fitted)
    #expect(model.transform(texts: ["fig kiwi"]).nonZeroCount == 0)
  }

  @Test func resultDoesNotDependOnTheThreadCount() throws {
    // 1,000 texts, so up to four chunks of at least 256 (the vectorizer's smallest share), each
    // with terms the others lack: "w0" … "w36" and "chunk0" … "chunk9" by position.
    let fixture = try Self.load("tfidf-ecbplus-default")
    let base = try Self.texts(fixture)
    let texts = (0..<1000).map { i in "\(base[i % base.count]) w\(i % 37) chunk\(i / 100)" }
    var configuration = TFIDFVectorizer.Configuration()
    configuration.minDocumentFrequency = .count(2)
    let vectorizer = TFIDFVectorizer(configuration: configuration)
    let (one, oneMatrix) = try vectorizer.fitTransform(texts: texts, threads: 1)
    for threads in [2, 3, 4] {
      let (model, matrix) = try vectorizer.fitTransform(texts: texts, threads: threads)
      #expect(model.vocabulary == one.vocabulary)
      #expect(model.idf == one.idf)
      #expect(matrix == oneMatrix)
      #expect(model.transform(texts: texts, threads: threads) == oneMatrix)
    }
  }

  @Test func stopWordsEqualScikitLearns() throws {
    let url = try #require(
      Bundle.module.url(
        forResource: "stopwords-english", withExtension: "txt", subdirectory: "Fixtures"))
    let words = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    #expect(StopWords.english == words)
  }

  @Test func documentFrequencyBoundsThatCrossAreRejected() {
    // min_df = 3 documents, max_df = 0.5 × 4 docs → 2 documents: no term can satisfy both.
    var configuration = TFIDFVectorizer.Configuration()
    configuration.minDocumentFrequency = .count(3)
    configuration.maxDocumentFrequency = .fraction(0.5)
    #expect(
      throws: ConfigurationError.frequencyBoundsCross(
        minimum: "3 documents", maximum: "0.5 × 4 = 2.0 documents")
    ) {
      try TFIDFVectorizer(configuration: configuration).fitTransform(texts: [
        "a b", "b c", "c d", "d e",
      ])
    }
  }

  @Test func maxFeaturesKeepsTheMostFrequentTerms() throws {
    // Counts over the corpus: apple 3, pear 2, fig 1 → max_features=2 keeps apple and pear.
    var configuration = TFIDFVectorizer.Configuration()
    configuration.maxFeatures = 2
    let (model, _) = try TFIDFVectorizer(configuration: configuration)
      .fitTransform(texts: ["apple pear", "apple fig", "apple pear"])
    #expect(model.vocabulary == ["apple", "pear"])
  }
}
