/// The StoryCluster engine: from articles to story clusters and ranked near-duplicate pairs.
///
/// The stages are: TF-IDF vectorisation (``TFIDFVectorizer``), exact cosine top-k and
/// thresholded pairs on BLAS (``SimilarityKernel``), story similarity (the cosine blended with
/// neighbourhood overlap and time decay, thresholded at a lift over the corpus background; see
/// ``EngineConfiguration/lift``), clustering (``Linkage``), and pair ranking
/// (``NearDuplicatePair``). Output depends only on the input and the configuration, never on the
/// thread count or the order the files were named in.
///
/// ```swift
/// import StoryCluster
///
/// let corpus = CorpusReader().read(["seeds"])
/// let engine = try Engine(configuration: EngineConfiguration())
/// let report = engine.run(corpus)
/// for cluster in report.clusters { print(cluster.label, cluster.members) }
/// ```
///
/// - Complexity: Vectorising is linear in the text; the kernel is O(N²·H) dense flops plus the
///   sparse tail, in O(N·k + block²) memory; clustering is O(P log P) for P pairs.
public struct Engine: Sendable {
  /// The settings.
  public let configuration: EngineConfiguration

  /// Creates an engine after checking the configuration.
  ///
  /// - Parameter configuration: The settings.
  /// - Throws: ``ConfigurationError`` naming the first option out of range.
  public init(configuration: EngineConfiguration = EngineConfiguration()) throws(ConfigurationError)
  {
    try configuration.validate()
    self.configuration = configuration
  }

  /// Clusters `articles` (ids must be unique; duplicates are reported as skipped).
  ///
  /// - Parameter articles: The articles, in any order.
  /// - Returns: The report.
  /// - Throws: ``ConfigurationError/frequencyBoundsCross(minimum:maximum:)`` when the document
  ///   frequency bounds cannot both hold for this corpus size.
  public func run(articles: [Article]) throws(ConfigurationError) -> Report {
    try run(Corpus(articles: articles))
  }

  /// Clusters a corpus; its problems are listed as skipped records.
  ///
  /// - Parameter corpus: Articles and the problems met reading them.
  /// - Returns: The report.
  /// - Throws: ``ConfigurationError/frequencyBoundsCross(minimum:maximum:)`` when the document
  ///   frequency bounds cannot both hold for this corpus size.
  public func run(_ corpus: consuming Corpus) throws(ConfigurationError) -> Report {
    var clock = StageClock()
    let ids = corpus.articles.map(\.id)
    let timestamps = corpus.articles.map(\.timestamp)
    let articlesIn = corpus.articlesIn
    let articleCount = corpus.articles.count
    let problems = corpus.problems
    var texts = configuration.analysedTexts(corpus.articles)
    // Past this point only ids, dates and the analysed texts are read: the articles go now when
    // the caller handed its corpus over (`engine.run(consume corpus)`).
    corpus.articles = []
    let (model, matrix) = try TFIDFVectorizer(configuration: configuration.vectorizer)
      .fitTransform(texts: texts, threads: configuration.threads)
    let fingerprints = parallelMap(
      texts.count, threads: effectiveThreadCount(configuration.threads)
    ) {
      Normalizer.fingerprint(texts[$0])
    }
    // Only the blended pair score reads the texts again; otherwise they go now.
    if configuration.pairScore == .cosine { texts = [] }
    returnFreedMemory()
    clock.lap("vectorize")
    let kernel = SimilarityKernel(
      configuration: .init(
        neighborCount: configuration.neighborCount, threshold: configuration.kernelThreshold,
        blockSize: configuration.blockSize, threads: configuration.threads))
    var similarity = kernel.run(matrix)
    // The kernel's per-thread candidate lists are gone; hand their pages back before ranking
    // allocates its sort buffer.
    returnFreedMemory()
    clock.lap("similarity")
    let (graph, arrival) = configuration.storyGraph(
      similarity: similarity, matrix: matrix, timestamps: timestamps)
    clock.lap("storygraph")
    let threshold = configuration.clusterThreshold(
      configuration.lift ?? configuration.threshold, on: graph)
    let background = graph.background
    // Only pairs at the report's floor are ranked; the rest of the kernel's pairs go now (into
    // a new array, so their memory is returned before clustering).
    var kernelPairs = similarity.pairs
    similarity.pairs = []
    if configuration.kernelThreshold < configuration.pairFloor {
      kernelPairs = kernelPairs.filter { $0.score >= configuration.pairFloor }
    }
    // The clusterer takes the only reference to the edges and frees them once it has its own
    // structures.
    let edges = (consume graph).pairs
    let groups = Clusterer(
      linkage: configuration.linkage, threshold: threshold, arrival: arrival,
      threads: effectiveThreadCount(configuration.threads)
    )
    .cluster(count: articleCount, pairs: consume edges)
    clock.lap("cluster")
    let clusters = parallelMap(groups.count, threads: effectiveThreadCount(configuration.threads)) {
      describeCluster($0 + 1, members: groups[$0], matrix: matrix, model: model, ids: ids)
    }
    clock.lap("describe")
    let scorer = try PairScorer(
      kind: configuration.pairScore, texts: texts, matrix: matrix,
      vectorizer: configuration.vectorizer, threads: configuration.threads)
    let ranker = NearDuplicateRanker(
      floor: configuration.pairFloor, nearDuplicateThreshold: configuration.nearDuplicateThreshold,
      sharedTermCount: configuration.sharedTermCount)
    let pairs = ranker.rank(
      pairs: consume kernelPairs, matrix: matrix, vocabulary: model.vocabulary, ids: ids,
      fingerprints: fingerprints, scorer: scorer, threads: configuration.threads)
    clock.lap("rank")
    let skipped = problems.map {
      SkippedArticle(location: $0.location?.description ?? "", reason: $0.message)
    }
    let neighbors = similarity.neighbors.enumerated().map { row, list in
      (id: ids[row], neighbors: list.map { (id: ids[$0.index], score: $0.score) })
    }
    return Report(
      articlesIn: articlesIn, articlesOut: articleCount, skipped: skipped,
      clusters: clusters, pairs: pairs, neighbors: neighbors,
      vocabularySize: model.vocabulary.count, configuration: configuration,
      background: background, clusterThreshold: threshold,
      kernelStatistics: similarity.statistics, stageSeconds: clock.laps)
  }

  // MARK: - Internals

  private func describeCluster(
    _ id: Int, members: [Int], matrix: SparseMatrix, model: TFIDFModel, ids: [String]
  ) -> Cluster {
    // The members' summed rows: in a dictionary for small clusters, in a dense vocabulary-wide
    // array for large ones (a corpus-wide component can hold most rows; hashing millions of
    // entries made it the one slow describe). Sums are added in the same order either way.
    var sparse: [Int: Double] = [:]
    var dense: [Double] = []
    var touched: [Int] = []
    if members.count >= 64 {
      dense = [Double](repeating: 0, count: matrix.columnCount)
      var seen = [Bool](repeating: false, count: matrix.columnCount)
      for row in members {
        for (column, value) in matrix.row(row) {
          if !seen[column] {
            seen[column] = true
            touched.append(column)
          }
          dense[column] += Double(value)
        }
      }
    } else {
      for row in members {
        for (column, value) in matrix.row(row) { sparse[column, default: 0] += Double(value) }
      }
    }
    let centroid =
      dense.isEmpty
      ? sparse.map { (key: $0.key, value: $0.value) } : touched.map { (key: $0, value: dense[$0]) }
    let top = centroid.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    let label = top.prefix(configuration.labelTermCount).map { model.vocabulary[$0.key] }
    var best = members[0]
    var bestScore = -Double.infinity
    if members.count > 1 {
      for row in members {
        var score = 0.0
        for (column, value) in matrix.row(row) {
          score += Double(value) * (dense.isEmpty ? sparse[column] ?? 0 : dense[column])
        }
        if score > bestScore {
          bestScore = score
          best = row
        }
      }
    }
    return Cluster(
      id: id, members: members.map { ids[$0] }, label: label, representative: ids[best])
  }
}
