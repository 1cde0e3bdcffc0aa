import StoryCluster
import StoryClusterTestSupport
import Testing

/// Story labels: class-based TF-IDF over the stories (Grootendorst 2022), ties by term, no
/// reporting words; the representative is the member closest to the summed rows.
struct EngineDescribeTests {
  /// Raw counts as rows (no idf, no norm, no stop words), so tf(t, c) is a plain count.
  static func countingEngine(labelTerms: Int) throws -> Engine {
    var configuration = EngineConfiguration()
    configuration.vectorizer.norm = .none
    configuration.vectorizer.isUsingIDF = false
    configuration.vectorizer.isSublinearTF = false
    configuration.vectorizer.analyzer.stopWords = .none
    configuration.labelTermCount = labelTerms
    return try Engine(configuration: configuration)
  }

  @Test func labelsWeighTermsAgainstTheOtherStories() throws {
    let engine = try Self.countingEngine(labelTerms: 3)
    let analysed = engine.analyse(
      Corpus(articles: [
        Article(id: "a", title: "", body: "storm coast week week"),
        Article(id: "b", title: "", body: "storm flood week"),
        Article(id: "c", title: "", body: "vote election week week"),
      ]))
    let vectors = try engine.vectorize(analysed)
    let stories = Stories(groups: [[0, 1], [2]], threshold: 0.5, background: 0)
    let clusters = engine.describe(stories, vectors: vectors, corpus: analysed)
    // Story 1: tf storm 2, coast 1, flood 1, week 3; story 2: vote 1, election 1, week 2.
    // f(t): storm 2, coast 1, flood 1, week 5, vote 1, election 1; 11 words in 2 stories, so
    // A = 5.5. W = tf · ln(1 + A / f):
    //   storm 2 · ln(1 + 5.5 / 2) = 2 · ln 3.75 = 2.644
    //   week  3 · ln(1 + 5.5 / 5) = 3 · ln 2.1  = 2.226 (the most frequent, not the first)
    //   coast = flood = 1 · ln 6.5 = 1.872, tied: coast sorts first.
    #expect(clusters[0].label == ["storm", "week", "coast"])
    // Story 2: election = vote = 1.872 (tie by term), week 2 · ln 2.1 = 1.484 last.
    #expect(clusters[1].label == ["election", "vote", "week"])
    #expect(clusters.map(\.members) == [["a", "b"], ["c"]])
  }

  @Test func labelsLeaveOutReportingWords() throws {
    // "said" is the most frequent term of both stories; it is never a label term.
    let engine = try Self.countingEngine(labelTerms: 2)
    let analysed = engine.analyse(
      Corpus(articles: [
        Article(id: "a", title: "", body: "said said said storm"),
        Article(id: "b", title: "", body: "says told according to vote"),
      ]))
    let vectors = try engine.vectorize(analysed)
    let stories = Stories(groups: [[0], [1]], threshold: 0.5, background: 0)
    let clusters = engine.describe(stories, vectors: vectors, corpus: analysed)
    #expect(clusters.map(\.label) == [["storm"], ["to", "vote"]])
  }

  @Test func seedsLabelHasNoSaid() throws {
    // One story: nothing to weigh against, so the order is the story's term frequency, and
    // "said" (second by frequency) is left out as a reporting word.
    let report = try Engine().run(CorpusReader().read([RepositoryPaths.seeds]))
    #expect(report.clusters.map(\.label) == [["syrian", "arab", "draft", "league", "resolution"]])
    #expect(report.clusters.map(\.representative) == ["004_93e46284cb8dccf5.txt"])
  }
}
