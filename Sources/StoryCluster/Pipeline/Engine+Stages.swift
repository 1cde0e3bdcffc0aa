/// The engine's stages, one function each, in the order ``Engine/run(_:)`` composes them:
///
/// ```
/// Corpus ─analyse→ AnalysedCorpus ─vectorize→ Vectors ─similarity→ SimilarityResult
///        ─storyGraph→ StoryGraph ─stories→ Stories ─describe→ [Cluster]
/// SimilarityResult.pairs ─rankPairs→ RankedPairs
/// ```
///
/// Every other door (`cluster vectorize`, `cluster eval`, ``Engine/evaluate(_:thresholds:)``,
/// the Benchmarks, the story index) calls these same functions, never a copy. A stage can be
/// entered with state from outside: ``vectorize(_:using:)`` takes a model fitted elsewhere, and
/// each stage takes the previous one's value, however it was made.
extension Engine {
  // MARK: - Stages

  /// Stage 1: the analysed corpus — ids, dates and the texts the vectorizer reads.
  ///
  /// Each text is the article's ``Article/text`` with its title counted
  /// ``EngineConfiguration/titleWeight`` times; with ``EngineConfiguration/stripsBoilerplate``,
  /// body lines that recur across the corpus or are boilerplate by form are left out first
  /// (``BoilerplateFilter``). The corpus's problems become ``AnalysedCorpus/skipped``.
  ///
  /// ```swift
  /// let analysed = try Engine().analyse(CorpusReader().read(["seeds"]))
  /// ```
  ///
  /// - Parameter corpus: The articles; hand over the only reference (`consume`) and they are
  ///   released as soon as their texts are analysed.
  /// - Returns: The analysed corpus, rows in the corpus's id order.
  /// - Complexity: O(total text) time on ``EngineConfiguration/threads`` threads; the analysed
  ///   texts' bytes in memory.
  public func analyse(_ corpus: consuming Corpus) -> AnalysedCorpus {
    let articles = corpus.articles
    let articlesIn = corpus.articlesIn
    let skipped = corpus.problems.map {
      SkippedArticle(location: $0.location?.description ?? "", reason: $0.message)
    }
    _ = consume corpus
    report(.analysing, 0, of: articles.count, .articles)
    defer { report(.analysing, articles.count, of: articles.count, .articles) }
    return AnalysedCorpus(
      ids: articles.map(\.id), timestamps: articles.map(\.timestamp),
      texts: analysedTexts(articles), articlesIn: articlesIn, skipped: skipped)
  }

  /// Stage 2: fits the TF-IDF model on the corpus and transforms it into rows, with each row's
  /// exact-text fingerprint.
  ///
  /// ```swift
  /// let vectors = try engine.vectorize(analysed)
  /// ```
  ///
  /// - Parameter corpus: The analysed corpus.
  /// - Returns: The model, the rows and the fingerprints.
  /// - Throws: ``ConfigurationError/frequencyBoundsCross(minimum:maximum:)``,
  ///   ``ConfigurationError/noTermsRemain`` or ``ConfigurationError/emptyVocabulary`` when the
  ///   document-frequency bounds leave no term for this corpus.
  /// - Complexity: O(total text) time; O(nnz + V) memory.
  public func vectorize(_ corpus: AnalysedCorpus) throws(ConfigurationError) -> Vectors {
    report(.vectorizing, 0, of: corpus.count, .articles)
    defer { report(.vectorizing, corpus.count, of: corpus.count, .articles) }
    let (model, matrix) = try TFIDFVectorizer(configuration: configuration.vectorizer)
      .fitTransform(texts: corpus.texts, threads: configuration.threads)
    return Vectors(model: model, matrix: matrix, fingerprints: fingerprints(corpus.texts))
  }

  /// Stage 2, entered with a model fitted elsewhere (an earlier corpus, a stored index): the
  /// corpus's rows under `model`'s vocabulary and idf weights. Terms outside the vocabulary are
  /// dropped, as scikit-learn's `transform` drops them.
  ///
  /// ```swift
  /// let today = engine.vectorize(engine.analyse(newCorpus), using: yesterday.model)
  /// ```
  ///
  /// - Parameters:
  ///   - corpus: The analysed corpus.
  ///   - model: A fitted model; its configuration, not the engine's, analyses the texts.
  /// - Returns: The model, the rows and the fingerprints.
  /// - Complexity: O(total text) time; O(nnz) memory.
  public func vectorize(_ corpus: AnalysedCorpus, using model: TFIDFModel) -> Vectors {
    report(.vectorizing, 0, of: corpus.count, .articles)
    defer { report(.vectorizing, corpus.count, of: corpus.count, .articles) }
    return Vectors(
      model: model, matrix: model.transform(texts: corpus.texts, threads: configuration.threads),
      fingerprints: fingerprints(corpus.texts))
  }

  /// Stage 3: the exact cosine kernel — each row's top-k neighbours and every pair at or above
  /// the threshold every later stage needs (``EngineConfiguration/kernelThreshold``).
  ///
  /// Dated articles more than ``EngineConfiguration/windowDays`` apart are not compared
  /// (``TimeWindow``).
  ///
  /// ```swift
  /// let similarity = engine.similarity(vectors, corpus: analysed)
  /// ```
  ///
  /// - Parameters:
  ///   - vectors: The rows.
  ///   - corpus: The analysed corpus (for its dates).
  ///   - threshold: The lowest cosine to keep a pair at; `nil` for the configuration's own.
  /// - Returns: Neighbours and pairs (see ``SimilarityKernel``).
  /// - Complexity: O(N²·H) dense flops on BLAS plus the sparse tail (``SimilarityKernel``); with
  ///   a window over dated articles, O(N·W·H) for W articles in a window.
  public func similarity(
    _ vectors: Vectors, corpus: AnalysedCorpus, threshold: Double? = nil
  ) -> SimilarityResult {
    let (kernel, pairsFromEdges) = similarityKernel(threshold: threshold)
    let prepared = kernel.prepare(
      vectors.matrix, window: configuration.timeWindow(corpus.timestamps))
    return similarity(
      kernel, prepared, vectors: vectors, pairsFromEdges: pairsFromEdges, outcome: nil)
  }

  /// Stage 3 for a caller that needs the story graph's input and no reported pairs (the story
  /// index's re-clustering): the same kernel, graph bound and window as ``similarity(_:corpus:threshold:)``,
  /// with no pair list collected when the graph is read from the bounded edges.
  ///
  /// - Parameters:
  ///   - matrix: The rows.
  ///   - timestamps: Per row, its date (for the window).
  /// - Returns: Neighbours, and the edges (bounded graph) or the pairs at the graph floor.
  /// - Complexity: As ``similarity(_:corpus:threshold:)``.
  package func graphSimilarity(_ matrix: SparseMatrix, timestamps: [Double?]) -> SimilarityResult {
    var (kernel, _) = similarityKernel(threshold: nil)
    if kernel.configuration.edgeCount > 0 {
      kernel.configuration.threshold = 2  // above any cosine: the graph reads the edges only
    }
    return kernel.run(matrix, window: configuration.timeWindow(timestamps))
  }

  /// Stage 3 with its row blocks scored elsewhere: `outcome` holds the distributed tasks'
  /// merged findings (``KernelTasks``), checked against this run's own plan.
  func similarity(_ vectors: Vectors, corpus: AnalysedCorpus, outcome: consuming KernelOutcome)
    throws(ConfigurationError) -> SimilarityResult
  {
    let (kernel, pairsFromEdges) = similarityKernel(threshold: nil)
    let prepared = kernel.prepare(
      vectors.matrix, window: configuration.timeWindow(corpus.timestamps))
    try outcome.check(prepared)
    return similarity(
      kernel, prepared, vectors: vectors, pairsFromEdges: pairsFromEdges,
      outcome: consume outcome)
  }

  /// The kernel stage 3 runs: its configuration, and whether the report's pairs are read from
  /// its edges rather than collected by it.
  func similarityKernel(threshold: Double?) -> (SimilarityKernel, pairsFromEdges: Bool) {
    var kernel = SimilarityKernel.Configuration(
      neighborCount: configuration.neighborCount,
      threshold: threshold ?? configuration.kernelThreshold,
      blockSize: configuration.blockSize, threads: configuration.threads)
    var pairsFromEdges = false
    if configuration.isGraphBounded, let edgeCount = configuration.graphEdgeCount {
      // The graph comes from each row's strongest pairs; the pairs list serves the report.
      kernel.edgeCount = edgeCount
      kernel.edgeFloor =
        threshold ?? configuration.graphThreshold(clusteringAt: configuration.threshold)
      kernel.threshold = threshold ?? configuration.pairFloor
      // A capped report lists only pairs among an article's strongest, at the pair floor: all
      // of them are edges, so the kernel need not collect every pair (a clique's m²/2) too.
      if reportsPairsFromEdges, threshold == nil, let cap = configuration.pairsPerArticle,
        cap <= edgeCount, configuration.pairFloor >= kernel.edgeFloor
      {
        pairsFromEdges = true
        kernel.threshold = 2  // above any cosine: no pair candidates at all
      }
    }
    return (SimilarityKernel(configuration: kernel), pairsFromEdges)
  }

  private func similarity(
    _ kernel: SimilarityKernel, _ prepared: SimilarityKernel.Prepared, vectors: Vectors,
    pairsFromEdges: Bool, outcome: consuming KernelOutcome?
  ) -> SimilarityResult {
    var result = kernel.run(
      prepared, matrix: vectors.matrix, progress: reporter(.similarity, .blocks),
      outcome: outcome.take())
    if pairsFromEdges, let edges = result.edges {
      result.pairs = Self.pairs(
        of: edges, atLeast: configuration.pairFloor, matrix: vectors.matrix,
        threads: configuration.threads)
    }
    return result
  }

  /// The edges at `floor` or above, decided as the kernel decides its pairs: a score within the
  /// kernel's slack of the floor is re-scored exactly.
  static func pairs(
    of edges: [ScoredPair], atLeast floor: Double, matrix: SparseMatrix, threads: Int
  ) -> [ScoredPair] {
    parallelCompactMap(edges.count, threads: effectiveThreadCount(threads)) { index in
      let edge = edges[index]
      var score = edge.score
      if abs(score - floor) <= Double(SimilarityKernel.slack) {
        score = min(1, matrix.dot(edge.a, edge.b))
      }
      return score >= floor && score > 0 ? ScoredPair(a: edge.a, b: edge.b, score: score) : nil
    }
  }

  /// Stage 4: the story graph — story similarity on the kernel's pairs and neighbourhoods, and
  /// the corpus's background (``StoryGraph``); for ``Linkage/online``, the arrival order.
  ///
  /// ```swift
  /// let graph = engine.storyGraph(similarity, vectors: vectors, corpus: analysed)
  /// ```
  ///
  /// - Parameters:
  ///   - similarity: The kernel's result on `vectors`.
  ///   - vectors: The rows.
  ///   - corpus: The analysed corpus (for its dates).
  /// - Returns: The graph.
  /// - Complexity: See ``StoryGraph``.
  public func storyGraph(
    _ similarity: SimilarityResult, vectors: Vectors, corpus: AnalysedCorpus
  ) -> StoryGraph {
    storyGraph(
      similarity, vectors: vectors, corpus: corpus, marks: eventMarks(corpus),
      releasingEdges: false)
  }

  /// The names and years each text of `corpus` mentions (``EventMarks``), which the story graph
  /// blends in; `nil` when the configuration uses neither or the texts are gone.
  ///
  /// - Complexity: O(total text length).
  func eventMarks(_ corpus: AnalysedCorpus) -> EventMarks? {
    guard configuration.usesEventMarks, corpus.texts.count == corpus.count else { return nil }
    return EventMarks(texts: corpus.texts, threads: configuration.threads)
  }

  /// ``storyGraph(_:vectors:corpus:)`` with the corpus's ``EventMarks`` read already; with
  /// `releasingEdges`, for a caller that hands over the only reference to `similarity`'s edges,
  /// they are freed as they are read.
  func storyGraph(
    _ similarity: consuming SimilarityResult, vectors: Vectors, corpus: AnalysedCorpus,
    marks: EventMarks?, releasingEdges: Bool
  ) -> StoryGraph {
    report(.storyGraph, 0, of: 1, .steps)
    defer { report(.storyGraph, 1, of: 1, .steps) }
    var graph = StoryGraph(
      similarity: consume similarity, matrix: vectors.matrix, timestamps: corpus.timestamps,
      settings: configuration.storyGraphSettings, threads: configuration.threads,
      releasingEdges: releasingEdges, marks: marks)
    if configuration.linkage == .online {
      graph.arrival = Clusterer.arrivalOrder(corpus.timestamps)
    }
    return graph
  }

  /// Stage 5: the stories — rows grouped by the configuration's ``Linkage`` on the graph.
  ///
  /// ```swift
  /// let stories = engine.stories(graph, count: analysed.count)
  /// ```
  ///
  /// - Parameters:
  ///   - graph: The story graph; hand over the only reference (`consume`) and its edges are
  ///     freed as soon as the clusterer has its own structures.
  ///   - count: The number of rows.
  ///   - threshold: A lift when the configuration has a ``EngineConfiguration/lift``, else a
  ///     story similarity in `0...1`; `nil` for the configuration's own.
  /// - Returns: The groups and the story-similarity threshold they were cut at.
  /// - Complexity: See ``Linkage``: O(N + P·α(N)) single, O(P log P) average, for P edges.
  public func stories(
    _ graph: consuming StoryGraph, count: Int, threshold: Double? = nil
  ) -> Stories {
    stories(consume graph, count: count, threshold: threshold, releasingEdges: false)
  }

  /// ``stories(_:count:threshold:)``; with `releasingEdges`, for a caller that holds no other
  /// reference to the graph's edges, they are freed as the clusterer reads them.
  func stories(
    _ graph: consuming StoryGraph, count: Int, threshold: Double?, releasingEdges: Bool
  ) -> Stories {
    let value = threshold ?? configuration.lift ?? configuration.threshold
    if configuration.lift != nil, let seed = configuration.seedThreshold {
      return stories(
        consume graph, count: count, lifts: [value], seed: seed, releasingEdges: releasingEdges)[0]
    }
    let background = graph.background
    let arrival = graph.arrival
    let resolved = configuration.lift == nil ? value : min(1, value * background)
    let edges = (consume graph).pairs
    var clusterer = Clusterer(
      linkage: configuration.linkage, threshold: resolved, arrival: arrival,
      threads: effectiveThreadCount(configuration.threads),
      progress: reporter(.clustering, .edges)
    )
    clusterer.releasesPairs = releasingEdges
    let groups = clusterer.cluster(count: count, pairs: consume edges)
    return Stories(groups: groups, threshold: resolved, background: background)
  }

  /// The stories at each of `lifts` over the between-story background
  /// (``EngineConfiguration/seedThreshold``): one average-linkage run at `seed` gives the
  /// first-pass groups, the background leaves out the pairs inside them
  /// (``StoryGraph/background(between:)``), and each lift's stories are cut from the same run
  /// at `max(seed, lift × background)` (``Dendrogram``: exactly the clusters of a run there;
  /// for `.single` and `.online` each lift runs the linkage itself).
  func stories(
    _ graph: consuming StoryGraph, count: Int, lifts: [Double], seed: Double,
    releasingEdges: Bool
  ) -> [Stories] {
    let threads = effectiveThreadCount(configuration.threads)
    let arrival = graph.arrival
    let measure = graph.backgroundMeasure
    let average = configuration.linkage == .average
    // .single and .online run on the edges again for each lift.
    let edges = average ? [] : graph.pairs
    var clusterer = Clusterer(
      linkage: .average, threshold: seed, threads: threads,
      progress: reporter(.clustering, .edges))
    clusterer.releasesPairs = releasingEdges && average
    let run = clusterer.dendrogram(count: count, pairs: (consume graph).pairs)
    let background = measure.between(Clusterer.groups(labels: run.labels), threads: threads)
    return lifts.map { lift in
      let threshold = max(seed, min(1, lift * background))
      let groups =
        average
        ? Clusterer.groups(labels: run.labels(at: threshold))
        : Clusterer(
          linkage: configuration.linkage, threshold: threshold, arrival: arrival, threads: threads
        ).cluster(count: count, pairs: edges)
      return Stories(groups: groups, threshold: threshold, background: background)
    }
  }

  /// Stage 7: the reported pairs — the kernel's pairs at the pair floor, at most
  /// ``EngineConfiguration/pairsPerArticle`` per article (each article's nearest), and each
  /// exact duplicate paired with its group's smallest row, scored by the configuration's
  /// ``PairScore``, labelled and ranked (``NearDuplicatePair``).
  ///
  /// ```swift
  /// let pairs = try engine.rankPairs(similarity.pairs, vectors: vectors, corpus: analysed)
  /// ```
  ///
  /// - Parameters:
  ///   - pairs: Cosine-scored pairs `a < b` (the kernel's); hand over the only reference
  ///     (`consume`) and they are ranked in place.
  ///   - vectors: The rows.
  ///   - corpus: The analysed corpus (ids; the texts for the blended score).
  /// - Returns: The ranked pairs.
  /// - Throws: ``ConfigurationError`` when the blended score's own vectorisations leave no term.
  /// - Complexity: O(P) to choose at most N·``EngineConfiguration/pairsPerArticle`` + N pairs,
  ///   then O(R log R + R·t) for the R chosen with t terms per row.
  public func rankPairs(
    _ pairs: consuming [ScoredPair], vectors: Vectors, corpus: AnalysedCorpus
  ) throws(ConfigurationError) -> RankedPairs {
    rankPairs(
      consume pairs, vectors: vectors, corpus: corpus, scorer: try pairScorer(vectors, corpus))
  }

  // MARK: - Internals

  /// ``rankPairs(_:vectors:corpus:)`` with a scorer made already (a run that keeps its
  /// details builds one for them, and its two extra vectorisations are not repeated).
  func rankPairs(
    _ pairs: consuming [ScoredPair], vectors: Vectors, corpus: AnalysedCorpus, scorer: PairScorer
  ) -> RankedPairs {
    let count = pairs.count
    report(.ranking, 0, of: count, .pairs)
    defer { report(.ranking, count, of: count, .pairs) }
    return ranker.rank(
      pairs: consume pairs, matrix: vectors.matrix, vocabulary: vectors.model.vocabulary,
      ids: corpus.ids, fingerprints: vectors.fingerprints, scorer: scorer,
      threads: configuration.threads)
  }

  /// Reports `completed` of `total` in `stage` to the progress hook, if there is one.
  func report(
    _ stage: StageProgress.Stage, _ completed: Int, of total: Int, _ unit: StageProgress.Unit
  ) {
    progress?(StageProgress(stage: stage, completed: completed, total: total, unit: unit))
  }

  /// A `(completed, total)` callback reporting `stage` in `unit` to the progress hook, or `nil`
  /// without one (so the loops that take it skip counting).
  func reporter(_ stage: StageProgress.Stage, _ unit: StageProgress.Unit)
    -> (@Sendable (Int, Int) -> Void)?
  {
    guard let progress else { return nil }
    return { completed, total in
      progress(StageProgress(stage: stage, completed: completed, total: total, unit: unit))
    }
  }

  /// The scorer of the configuration's ``PairScore`` for `corpus`'s rows.
  func pairScorer(_ vectors: Vectors, _ corpus: AnalysedCorpus) throws(ConfigurationError)
    -> PairScorer
  {
    try PairScorer(
      kind: configuration.pairScore, texts: corpus.texts, matrix: vectors.matrix,
      vectorizer: configuration.vectorizer, threads: configuration.threads)
  }

  /// The shared-term lister of the configuration.
  var ranker: NearDuplicateRanker {
    NearDuplicateRanker(
      floor: configuration.pairFloor, nearDuplicateThreshold: configuration.nearDuplicateThreshold,
      sharedTermCount: configuration.sharedTermCount,
      pairsPerArticle: configuration.pairsPerArticle)
  }

  /// The texts the vectorizer analyses, one per article.
  func analysedTexts(_ articles: [Article]) -> [String] {
    let threads = effectiveThreadCount(configuration.threads)
    guard configuration.stripsBoilerplate else {
      return parallelMap(articles.count, threads: threads) { analysedText(articles[$0]) }
    }
    let filter = BoilerplateFilter(learningFrom: articles.map(\.body))
    return parallelMap(articles.count, threads: threads) {
      var article = articles[$0]
      article.body = filter.strip(article.body)
      return analysedText(article)
    }
  }

  /// The text the vectorizer analyses for `article`: its ``Article/text`` with the title
  /// repeated ``EngineConfiguration/titleWeight`` times in all when it has both a title and a
  /// body.
  func analysedText(_ article: Article) -> String {
    let weight = configuration.titleWeight
    guard weight > 1, !article.title.isEmpty, !article.body.isEmpty else { return article.text }
    return String(repeating: article.title + "\n", count: weight) + article.body
  }

  func fingerprints(_ texts: [String]) -> [Normalizer.Fingerprint] {
    parallelMap(texts.count, threads: effectiveThreadCount(configuration.threads)) {
      Normalizer.fingerprint(texts[$0])
    }
  }
}
