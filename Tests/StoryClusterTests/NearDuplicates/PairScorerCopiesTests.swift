import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// The blended scorer vectorises each distinct text once, fitted as if on every copy: the
/// weighted fit must be the full fit, and the scores those of the full fit's rows.
struct PairScorerCopiesTests {
  /// The samples' first 60 texts, with copies: text k again at 60 + k for every third k, and
  /// text 0 four more times (ids in any order, copies anywhere).
  static func texts() -> [String] {
    let samples = SyntheticCorpus.samples().prefix(60).map(\.text)
    var texts = Array(samples)
    for k in stride(from: 0, to: 60, by: 3) { texts.append(samples[k]) }
    for k in [5, 17, 33, 59] { texts.insert(samples[0], at: k) }
    return texts
  }

  static var configurations: [TFIDFVectorizer.Configuration] {
    var pruned = EngineConfiguration().vectorizer
    pruned.minDocumentFrequency = .count(2)
    pruned.maxDocumentFrequency = .fraction(0.5)
    pruned.maxFeatures = 300
    var stemmed = EngineConfiguration().vectorizer
    stemmed.analyzer.isStemming = true
    return [PairScorer.characterVectorizer, stemmed, pruned, TFIDFVectorizer.Configuration()]
  }

  @Test(arguments: 0..<4)
  func theWeightedFitIsTheFullFit(configurationIndex: Int) throws {
    let texts = Self.texts()
    var distinct: [String] = []
    var multiplicities: [Int] = []
    var rowOf: [Int] = []
    for text in texts {
      if let k = distinct.firstIndex(of: text) {
        multiplicities[k] += 1
        rowOf.append(k)
      } else {
        rowOf.append(distinct.count)
        distinct.append(text)
        multiplicities.append(1)
      }
    }
    #expect(distinct.count == 60 && texts.count == 84)
    let vectorizer = TFIDFVectorizer(configuration: Self.configurations[configurationIndex])
    let (full, fullRows) = try vectorizer.fitTransform(texts: texts, threads: 2)
    let (weighted, rows) = try vectorizer.fitTransform(
      texts: distinct, multiplicities: multiplicities, threads: 2)
    #expect(weighted.vocabulary == full.vocabulary)
    #expect(weighted.idf == full.idf)
    #expect(rows.rowCount == 60)
    for (row, k) in rowOf.enumerated() {
      #expect(rows.row(k).map(\.column) == fullRows.row(row).map(\.column))
      #expect(rows.row(k).map(\.value) == fullRows.row(row).map(\.value))
    }
  }

  @Test func scoresAreThoseOfTheFullFit() throws {
    let texts = Self.texts()
    let configuration = EngineConfiguration()
    let matrix = try TFIDFVectorizer(configuration: configuration.vectorizer)
      .fitTransform(texts: texts).1
    let scorer = try PairScorer(
      kind: .blended, texts: texts, matrix: matrix, vectorizer: configuration.vectorizer,
      threads: 2)
    var stemmed = configuration.vectorizer
    stemmed.analyzer.isStemming = true
    let words = try TFIDFVectorizer(configuration: stemmed).fitTransform(texts: texts).1
    let characters = try TFIDFVectorizer(configuration: PairScorer.characterVectorizer)
      .fitTransform(texts: texts).1
    // The alignment fitted on every copy (the scorer's counts each distinct text's copies).
    let alignment = try WordAlignment(texts: texts, threads: 1)
    #expect(texts.indices.contains { alignment.words[$0] != nil })
    var pairs: [ScoredPair] = []
    for a in texts.indices {
      for b in (a + 1)..<texts.count { pairs.append(.init(a: a, b: b, score: 0)) }
    }
    let rescored = scorer.rescore(pairs, threads: 2)
    for (pair, got) in zip(pairs, rescored) {
      let (a, b) = (pair.a, pair.b)
      let agreement =
        1 - PairScorer.numberMismatchWeight
        * (1
          - PairScorer.overlap(
            NumberMentions.numbers(in: texts[a]), NumberMentions.numbers(in: texts[b])))
      let first = alignment.score(a, b) ?? words.dot(a, b)
      let want = min(1, max(0, (first + characters.dot(a, b)) / 2 * agreement))
      #expect(got.score == want, "\(a) \(b)")
      #expect(scorer.score(a, b) == want, "\(a) \(b)")
    }
  }
}
