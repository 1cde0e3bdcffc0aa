import Foundation
import StoryClusterTestSupport
import Testing

@testable import StoryCluster

struct StoryGraphTests {
  static func sample(_ name: String) -> Corpus {
    CorpusReader().read([
      RepositoryPaths.root.appendingPathComponent(
        "Tests/StoryClusterTests/Fixtures/samples/\(name)"
      )
      .path
    ])
  }

  static func vectors(_ corpus: Corpus) throws -> SparseMatrix {
    let configuration = EngineConfiguration()
    return try TFIDFVectorizer(configuration: configuration.vectorizer)
      .fitTransform(texts: corpus.articles.map(\.text), threads: 1).1
  }

  /// The story graph written out densely, straight from its definition: decayed cosines, top-h
  /// neighbourhoods by decayed cosine, symmetric by the larger weight, self weight 1, each article
  /// keeping only edges both ends rank in their 3h strongest, rows L2-normalised; score =
  /// ((1 − w)·((1 − e)·cosine + e·names cosine)·decay + w·neighbourhood cosine) times
  /// 1 − p·(1 − year overlap) when both mention years, over all pairs.
  static func denseReference(
    matrix: SparseMatrix, neighbors: [[Neighbor]], timestamps: [Double?],
    settings: StoryGraph.Settings, marks: EventMarks? = nil
  ) -> (scores: [[Double]], background: Double) {
    let n = matrix.rowCount
    let w = settings.neighborhoodWeight
    let e = marks == nil ? 0 : settings.namesWeight
    let p = marks == nil ? 0 : settings.yearPenalty
    func names(_ a: Int, _ b: Int) -> Double {
      guard let marks else { return 0 }
      var sum = 0.0
      for (column, value) in marks.names.row(a) {
        for (other, otherValue) in marks.names.row(b) where other == column {
          sum += Double(value) * Double(otherValue)
        }
      }
      return min(1, sum)
    }
    func yearFactor(_ a: Int, _ b: Int) -> Double {
      guard let marks else { return 1 }
      let x = Set(marks.years[Int(marks.yearStarts[a])..<Int(marks.yearStarts[a + 1])])
      let y = Set(marks.years[Int(marks.yearStarts[b])..<Int(marks.yearStarts[b + 1])])
      guard !x.isEmpty, !y.isEmpty else { return 1 }
      return 1 - p * (1 - Double(x.intersection(y).count) / Double(x.union(y).count))
    }
    func decay(_ a: Int, _ b: Int) -> Double {
      guard let scale = settings.timeScale, let x = timestamps[a], let y = timestamps[b] else {
        return 1
      }
      return exp(-abs(x - y) / scale)
    }
    var weights = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for a in 0..<n {
      var picks: [(index: Int, weight: Double)] = neighbors[a].map {
        (index: $0.index, weight: $0.score * decay(a, $0.index))
      }
      picks.sort { x, y in x.weight != y.weight ? x.weight > y.weight : x.index < y.index }
      for (b, weight) in picks.prefix(settings.neighborhoodSize) where weight > 0 {
        weights[a][b] = max(weights[a][b], weight)
        weights[b][a] = max(weights[b][a], weight)
      }
    }
    let cap = 3 * settings.neighborhoodSize
    let strongest: [Set<Int>] = (0..<n).map { a in
      let row = weights[a]
      var others = (0..<n).filter { $0 != a && row[$0] > 0 }
      others.sort { x, y in row[x] != row[y] ? row[x] > row[y] : x < y }
      return Set(others.prefix(cap))
    }
    for a in 0..<n {
      for b in 0..<n where !(strongest[a].contains(b) && strongest[b].contains(a)) {
        weights[a][b] = 0
      }
      weights[a][a] = 1
    }
    let unit = weights.map { row in
      let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
      return row.map { $0 / norm }
    }
    var scores = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    var cosineSum = 0.0
    var namesSum = 0.0
    var neighborhoodSum = 0.0
    var nonEmpty = 0
    for a in 0..<n where matrix.rowStarts[a + 1] > matrix.rowStarts[a] { nonEmpty += 1 }
    for a in 0..<n {
      for b in (a + 1)..<n {
        let cosine = min(1, matrix.dot(a, b))
        var neighborhood = 0.0
        for m in 0..<n { neighborhood += unit[a][m] * unit[b][m] }
        cosineSum += cosine
        namesSum += names(a, b)
        neighborhoodSum += neighborhood
        let blended = (1 - e) * cosine + e * names(a, b)
        scores[a][b] =
          ((1 - w) * blended * decay(a, b) + w * min(1, neighborhood)) * yearFactor(a, b)
      }
    }
    let pairs = Double(n * (n - 1) / 2)
    let cosineMean = cosineSum / Double(nonEmpty * (nonEmpty - 1) / 2)
    let mean =
      (1 - w) * ((1 - e) * cosineMean + e * namesSum / pairs) + w * neighborhoodSum / pairs
    let prior = settings.backgroundPriorPairs
    return (scores, (pairs * mean + prior * settings.backgroundPrior) / (pairs + prior))
  }

  @Test(arguments: ["uci-dev-sample.jsonl", "ecbplus-dev-sample.jsonl"], [false, true])
  func matchesTheDenseDefinition(sample: String, readsMarks: Bool) throws {
    let corpus = Self.sample(sample)
    let matrix = try Self.vectors(corpus)
    let similarity = SimilarityKernel(configuration: .init(neighborCount: 10, threshold: 0.05))
      .run(matrix)
    let timestamps = corpus.articles.map(\.timestamp)
    let settings = EngineConfiguration().storyGraphSettings
    let marks = readsMarks ? EventMarks(texts: corpus.articles.map(\.text), threads: 2) : nil
    let graph = StoryGraph(
      similarity: similarity, matrix: matrix, timestamps: timestamps, settings: settings,
      threads: 1, marks: marks)
    let reference = Self.denseReference(
      matrix: matrix, neighbors: similarity.neighbors, timestamps: timestamps, settings: settings,
      marks: marks)
    #expect(isClose(graph.background, reference.background, absolute: 1e-9))
    // Every edge carries its dense score; every pair left out is below the kernel's floor in
    // cosine and two or more neighbourhood steps apart, so without the marks it scores
    // (1 − w)·decayed cosine (the marks change scores, not which pairs are edges).
    let plain =
      readsMarks
      ? Self.denseReference(
        matrix: matrix, neighbors: similarity.neighbors, timestamps: timestamps,
        settings: settings)
      : reference
    var seen = Set<Int>()
    for pair in graph.pairs {
      #expect(pair.a < pair.b)
      #expect(isClose(pair.score, reference.scores[pair.a][pair.b], absolute: 1e-6))
      seen.insert(pair.a * matrix.rowCount + pair.b)
    }
    let w = settings.neighborhoodWeight
    for a in 0..<matrix.rowCount {
      for b in (a + 1)..<matrix.rowCount where !seen.contains(a * matrix.rowCount + b) {
        #expect(plain.scores[a][b] <= (1 - w) * 0.05 + 1e-6)
      }
    }
    #expect(graph.pairs == graph.pairs.sorted { ($0.a, $0.b) < ($1.a, $1.b) })
  }

  @Test func sameGraphOnEveryThreadCount() throws {
    let corpus = Self.sample("uci-dev-sample.jsonl")
    let matrix = try Self.vectors(corpus)
    let similarity = SimilarityKernel(configuration: .init(neighborCount: 10, threshold: 0.05))
      .run(matrix)
    let marks = EventMarks(texts: corpus.articles.map(\.text), threads: 1)
    let graphs = [1, 2, 3].map {
      StoryGraph(
        similarity: similarity, matrix: matrix, timestamps: corpus.articles.map(\.timestamp),
        settings: EngineConfiguration().storyGraphSettings, threads: $0, chunkRows: 7,
        marks: marks)
    }
    #expect(graphs[0].pairs == graphs[1].pairs && graphs[1].pairs == graphs[2].pairs)
    #expect(graphs[0].background == graphs[2].background)
  }

  /// Freeing the kernel's edges wave by wave as they are read (the engine's run) changes
  /// nothing: waves of 2 · 16 chunks of one row, so the sample's rows go in many waves and each
  /// wave reads only edges of its own rows, after the earlier ones' pages were released.
  @Test func sameGraphWhenTheEdgesAreFreedAsRead() throws {
    let corpus = Self.sample("uci-dev-sample.jsonl")
    let matrix = try Self.vectors(corpus)
    var kernel = SimilarityKernel.Configuration(neighborCount: 10, threshold: 2)
    kernel.edgeCount = 200
    kernel.edgeFloor = 0.05
    let similarity = SimilarityKernel(configuration: kernel).run(matrix)
    let edges = try #require(similarity.edges)
    // Several waves, and edges over several 4 KiB pages (256 pairs each).
    #expect(matrix.rowCount > 2 * 16 * 4 && edges.count > 256 * 8)
    func graph(releasing: Bool, chunkRows: Int) -> StoryGraph {
      StoryGraph(
        similarity: similarity, matrix: matrix, timestamps: corpus.articles.map(\.timestamp),
        settings: EngineConfiguration().storyGraphSettings, threads: 2,
        releasingEdges: releasing, chunkRows: chunkRows)
    }
    let whole = graph(releasing: false, chunkRows: 4096)
    let waves = graph(releasing: true, chunkRows: 1)
    #expect(waves.pairs == whole.pairs)
    #expect(waves.background == whole.background)
    // The caller's copy is untouched: the graph released its own copy of the edges.
    #expect(similarity.edges == edges)
  }

  @Test func timeDecaySeparatesTheSameStoryTenDaysApart() throws {
    let text = "Storm floods the river valley; thousands evacuated from riverside towns."
    func article(_ id: String, _ date: String?) -> Article {
      Article(id: id, title: "", body: text + " " + id, date: date)
    }
    let dated = [article("a", "2014-03-01T00:00:00Z"), article("b", "2014-03-11T00:00:00Z")]
    let undated = [article("a", nil), article("b", nil)]
    let engine = try Engine()
    #expect(try engine.run(articles: dated).clusters.count == 2)
    #expect(try engine.run(articles: undated).clusters.count == 1)
    // Ten days apart is beyond the default 7-day window: not compared, so no pair; without the
    // window the pair score stays the plain cosine either way.
    #expect(try engine.run(articles: dated).pairs.isEmpty)
    var configuration = EngineConfiguration()
    configuration.windowDays = nil
    let everything = try Engine(configuration: configuration)
    #expect(try everything.run(articles: dated).clusters.count == 2)
    #expect(try everything.run(articles: dated).pairs.count == 1)
    #expect(
      try everything.run(articles: dated).pairs.map(\.score)
        == engine.run(articles: undated).pairs.map(\.score))
  }

  @Test func hubArticlesKeepTheGraphBounded() throws {
    // 1,000 articles share one word and nothing else: every cosine is 0.025 (no kernel pair),
    // and every top-k list ties, so the lowest rows are in everybody's neighbourhood. Without
    // the degree cap every pair would be two steps apart (499,500 pairs).
    let n = 1000
    let articles = (0..<n).map { Article(id: "\($0)", title: "", body: "vote x\($0)") }
    let configuration = EngineConfiguration()
    let matrix = try TFIDFVectorizer(configuration: configuration.vectorizer)
      .fitTransform(texts: articles.map(\.text), threads: 1).1
    let similarity = SimilarityKernel(configuration: .init(neighborCount: 10, threshold: 0.05))
      .run(matrix)
    #expect(similarity.pairs.isEmpty)
    #expect(similarity.neighbors.allSatisfy { $0.count == 10 })
    let graph = StoryGraph(
      similarity: similarity, matrix: matrix, timestamps: articles.map { _ in nil },
      settings: configuration.storyGraphSettings)
    // Ties go to the lower row, so the hubs (rows 0...3, in everybody's top 4) keep their 3h = 12
    // strongest edges, to rows 0...12: those 13 rows form the only neighbourhoods that reach
    // each other, 13·12/2 pairs; every other article stays alone.
    let cap = 3 * configuration.neighborhoodSize
    #expect(graph.pairs.count == (cap + 1) * cap / 2)
    #expect(Set(graph.pairs.flatMap { [$0.a, $0.b] }) == Set(0...cap))
  }
}
