import StoryCluster
import StoryClusterTestSupport
import Testing

/// Folds of whole stories, each clustered on its own.
struct CrossValidationTests {
  static let sample = RepositoryPaths.root.appendingPathComponent(
    "Tests/StoryClusterTests/Fixtures/samples/ecbplus-dev-sample.jsonl"
  ).path

  @Test func foldsKeepStoriesWholeAndRepeat() {
    let gold: [String?] = ["a", "b", "a", "c", nil, "d", "b", nil, "e"]
    let folds = CrossValidation.foldOf(gold: gold, folds: 2)
    #expect(folds == CrossValidation.foldOf(gold: gold, folds: 2))
    for i in gold.indices {
      for j in gold.indices where gold[i] != nil && gold[i] == gold[j] {
        #expect(folds[i] == folds[j])
      }
    }
    // 7 stories (5 labelled, 2 unlabelled articles) dealt round-robin: 4 and 3.
    let storiesPerFold = (0..<2).map { f in
      Set(gold.indices.filter { folds[$0] == f }.map { gold[$0] ?? "#\($0)" }).count
    }
    #expect(storiesPerFold.sorted() == [3, 4])
    #expect(folds.allSatisfy { (0..<2).contains($0) })
  }

  @Test func eachFoldIsScoredAsItsOwnCorpus() throws {
    let corpus = CorpusReader().read([Self.sample])
    let gold = corpus.articles.map(\.story)
    let engine = try Engine()
    let cv = try engine.crossValidate(corpus, gold: gold, folds: 2, thresholds: [4, 5])
    let folds = CrossValidation.foldOf(gold: gold, folds: 2)
    #expect(cv.scores.count == 2 && cv.foldSizes.reduce(0, +) == corpus.articles.count)
    for fold in 0..<2 {
      let rows = folds.indices.filter { folds[$0] == fold }
      let run = try engine.evaluate(
        Corpus(articles: rows.map { corpus.articles[$0] }), thresholds: [4, 5])
      #expect(
        run.scores(against: ClusterScores.labels(gold: rows.map { gold[$0] })) == cv.scores[fold])
    }
    // mean ± sd by definition, and the pick maximises mean − sd.
    for t in 0..<2 {
      let f1 = cv.scores.map { $0[t].bcubedF1 }
      let mean = (f1[0] + f1[1]) / 2
      #expect(isClose(cv.meanF1[t], mean, absolute: 1e-12))
      let sd = (((f1[0] - mean) * (f1[0] - mean) + (f1[1] - mean) * (f1[1] - mean)) / 1)
        .squareRoot()
      #expect(isClose(cv.spreadF1[t], sd, absolute: 1e-12))
    }
    let best = cv.bestIndex
    #expect(
      (0..<2).allSatisfy { cv.meanF1[$0] - cv.spreadF1[$0] <= cv.meanF1[best] - cv.spreadF1[best] })
  }
}
