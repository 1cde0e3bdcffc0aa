import Foundation
import StoryCluster
import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// Cutting one run of average linkage again at a higher threshold (``Dendrogram``) against a
/// run at that threshold, and the between-story background
/// (``StoryGraph/background(between:)``) against its definition pair by pair.
struct DendrogramTests {
  /// Random graphs: every cut of one low run is the run at that threshold, on 1 and 2 threads;
  /// a cut below the run's threshold is the run itself.
  @Test(arguments: 1...12)
  func cutsEqualRunsAtTheirThresholds(seed: Int) {
    var rng = SeededGenerator(seed: UInt64(2000 + seed))
    let (n, pairs) = ReciprocalLinkageTests.randomGraph(rows: 2...300, degree: 1..<25, using: &rng)
    for threads in [1, 2] {
      let low = Clusterer(linkage: .average, threshold: 0.02, threads: threads)
      let run = low.dendrogram(count: n, pairs: pairs)
      #expect(Clusterer.groups(labels: run.labels) == low.cluster(count: n, pairs: pairs))
      for threshold in [0.01, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.8] {
        let direct = Clusterer(linkage: .average, threshold: max(0.02, threshold))
          .cluster(count: n, pairs: pairs)
        #expect(
          Clusterer.groups(labels: run.labels(at: threshold)) == direct,
          "seed \(seed), threads \(threads), threshold \(threshold)")
      }
    }
  }

  /// A committed sample's story graph (news defaults): the cuts of one run at the seed are the
  /// runs at each lift's threshold, and the engine's stories are such a cut.
  @Test func theEnginesStoriesAreACutOfTheSeedRun() throws {
    let engine = try Engine()
    let corpus = engine.analyse(
      CorpusReader().read([RepositoryPaths.sample("ecbplus-dev-sample.jsonl")]))
    let vectors = try engine.vectorize(corpus)
    let graph = engine.storyGraph(
      engine.similarity(vectors, corpus: corpus), vectors: vectors, corpus: corpus)
    let seed = try #require(engine.configuration.seedThreshold)
    let run = Clusterer(linkage: .average, threshold: seed).dendrogram(
      count: corpus.count, pairs: graph.pairs)
    let stories = engine.stories(graph, count: corpus.count)
    let background = graph.background(between: Clusterer.groups(labels: run.labels))
    #expect(stories.background == background)
    #expect(stories.threshold == max(seed, 15 * background))
    #expect(stories.groups.count > 1 && stories.groups.count < corpus.count)
    for threshold in [stories.threshold, 0.05, 0.1, 0.2] {
      #expect(
        Clusterer.groups(labels: run.labels(at: threshold))
          == Clusterer(linkage: .average, threshold: threshold).cluster(
            count: corpus.count, pairs: graph.pairs))
    }
    #expect(Clusterer.groups(labels: run.labels(at: stories.threshold)) == stories.groups)
  }

  /// The between-story background is the mean, over pairs in different groups, of the story
  /// similarity before decay and the year factor — `(1 − w)·((1 − e)·cosine + e·names) + w ·
  /// neighbourhood cosine` — shrunk toward the prior by the number of those pairs: computed
  /// here pair by pair, for singletons, random groups and one group (the prior alone).
  @Test func theBetweenBackgroundIsTheMeanOverPairsInDifferentGroups() throws {
    let engine = try Engine()
    let corpus = engine.analyse(
      CorpusReader().read([RepositoryPaths.sample("ecbplus-dev-sample.jsonl")]))
    let vectors = try engine.vectorize(corpus)
    let marks = try #require(engine.eventMarks(corpus))
    let graph = engine.storyGraph(
      engine.similarity(vectors, corpus: corpus), vectors: vectors, corpus: corpus)
    let measure = graph.backgroundMeasure
    let settings = engine.configuration.storyGraphSettings
    let (w, e) = (settings.neighborhoodWeight, settings.namesWeight)
    let n = corpus.count
    func neighborhood(_ row: Int) -> [Int: Double] {
      var vector: [Int: Double] = [:]
      for index in measure.neighborhoodStarts[row]..<measure.neighborhoodStarts[row + 1] {
        vector[Int(measure.neighborhoodColumns[index])] = measure.neighborhoodValues[index]
      }
      return vector
    }
    let neighborhoods = (0..<n).map(neighborhood)
    #expect(neighborhoods.allSatisfy { abs($0.values.reduce(0) { $0 + $1 * $1 } - 1) < 1e-9 })
    func score(_ a: Int, _ b: Int) -> Double {
      let cosine = vectors.matrix.dot(a, b)
      let names = marks.names.dot(a, b)
      let overlap = neighborhoods[a].reduce(0.0) { $0 + $1.value * (neighborhoods[b][$1.key] ?? 0) }
      return (1 - w) * ((1 - e) * cosine + e * names) + w * overlap
    }
    var rng = SeededGenerator(seed: 7)
    let groupings: [[Int]] = [
      Array(0..<n), (0..<n).map { _ in Int.random(in: 0..<6, using: &rng) },
      [Int](repeating: 0, count: n),
    ]
    for labels in groupings {
      var sum = 0.0
      var pairs = 0.0
      for a in 0..<n {
        for b in (a + 1)..<n where labels[a] != labels[b] {
          sum += score(a, b)
          pairs += 1
        }
      }
      let expected =
        (sum + settings.backgroundPriorPairs * settings.backgroundPrior)
        / (pairs + settings.backgroundPriorPairs)
      let measured = graph.background(between: Clusterer.groups(labels: labels))
      #expect(abs(measured - expected) < 1e-9, "\(measured) vs \(expected)")
    }
  }
}
