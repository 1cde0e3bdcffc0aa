/// The StoryCluster engine: from articles to story clusters and ranked near-duplicate pairs.
///
/// ``run(_:)`` composes the stages (see `Engine+Stages.swift` and the "Architecture" article):
/// ``analyse(_:)`` → ``vectorize(_:)`` (TF-IDF, ``TFIDFVectorizer``) → ``duplicateGroups(_:)``
/// (exact copies collapsed to one row until clustering is done) → ``similarity(_:corpus:threshold:)``
/// (exact cosine top-k and thresholded pairs on BLAS, ``SimilarityKernel``) →
/// ``storyGraph(_:vectors:corpus:)`` (the cosine blended with neighbourhood overlap and time
/// decay, with the corpus background; see ``EngineConfiguration/lift``) →
/// ``stories(_:count:threshold:)`` (``Linkage``) → ``describe(_:vectors:corpus:)``, and
/// ``rankPairs(_:vectors:corpus:)`` (``NearDuplicatePair``). Output depends only on the input
/// and the configuration, never on the thread count or the order the files were named in.
///
/// ```swift
/// import StoryCluster
///
/// let corpus = CorpusReader().read(["seeds"])
/// let engine = try Engine(configuration: EngineConfiguration())
/// let report = try engine.run(corpus)
/// for cluster in report.clusters { print(cluster.label, cluster.members) }
/// ```
///
/// - Complexity: Vectorising is linear in the text; the kernel runs on the G distinct texts of
///   the N articles (exact copies are one row): O(G²·H) dense flops plus the sparse tail, in
///   O(T·G·k + T·block²) memory for T threads besides its candidates and pairs (see
///   ``SimilarityKernel``); clustering is O(P log P) for P pairs; the report holds at most
///   N·``EngineConfiguration/pairsPerArticle`` + N pairs.
public struct Engine: Sendable {
  /// The settings.
  public let configuration: EngineConfiguration
  /// Called as each stage advances (``StageProgress``), from any thread; `nil` reports nothing.
  public let progress: ProgressHandler?
  /// Whether the report's pairs come from the kernel's bounded edges when they hold every pair
  /// the capped report can list (the default); off, the kernel collects every pair at the pair
  /// floor as well. The report is the same either way (tests compare the two).
  package var reportsPairsFromEdges = true

  /// Creates an engine after checking the configuration.
  ///
  /// - Parameters:
  ///   - configuration: The settings.
  ///   - progress: A hook the stages report their progress to; it changes no result.
  /// - Throws: ``ConfigurationError`` naming the first option out of range.
  public init(
    configuration: EngineConfiguration = EngineConfiguration(), progress: ProgressHandler? = nil
  ) throws(ConfigurationError) {
    try configuration.validate()
    self.configuration = configuration
    self.progress = progress
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
  /// - Parameter corpus: Articles and the problems met reading them; hand over the only
  ///   reference (`engine.run(consume corpus)`) and the articles are released once analysed.
  /// - Returns: The report.
  /// - Throws: ``ConfigurationError/frequencyBoundsCross(minimum:maximum:)`` when the document
  ///   frequency bounds cannot both hold for this corpus size.
  public func run(_ corpus: consuming Corpus) throws(ConfigurationError) -> Report {
    try compose(consume corpus, keepingDetails: false).report
  }

  /// Clusters a corpus as ``run(_:)`` does and keeps what the stages made, for explaining any
  /// pair and showing the stories (``RunDetails``): the articles, vectors, story graph and
  /// stories stay in memory.
  ///
  /// ```swift
  /// let (report, details) = try Engine().runKeepingDetails(corpus)
  /// let why = try details.explain("a1", "a2")
  /// ```
  ///
  /// - Parameter corpus: Articles and the problems met reading them.
  /// - Returns: The report (equal to ``run(_:)``'s) and the details.
  /// - Throws: ``ConfigurationError`` as ``run(_:)`` does.
  /// - Complexity: As ``run(_:)``, plus the articles, rows, graph edges and kernel pairs held
  ///   until the details are released.
  public func runKeepingDetails(_ corpus: Corpus) throws(ConfigurationError)
    -> (report: Report, details: RunDetails)
  {
    let result = try compose(corpus, keepingDetails: true)
    guard let details = result.details else { preconditionFailure("details were asked for") }
    return (result.report, details)
  }

  // MARK: - Distributed

  /// The similarity kernel's work on `corpus`, cut into tasks for other processes to run (the
  /// Spark job's workers): the rows the kernel would score, after the same analysis,
  /// vectorising and collapsing of exact copies as ``run(_:)``.
  ///
  /// - Parameters:
  ///   - corpus: The articles.
  ///   - frequencies: The corpus's term counts, added up elsewhere (the job's aggregation), for
  ///     the TF-IDF model to be made from instead of fitted here; the same model either way.
  ///   - rows: The corpus's rows, weighed elsewhere with that model
  ///     (``weighedRows(_:part:of:frequencies:)``), instead of weighed here; the same rows
  ///     either way. Only with `frequencies`.
  /// - Returns: The tasks; write them with ``KernelTasks/write(to:)``.
  /// - Throws: ``ConfigurationError`` as ``run(_:)`` does.
  package func kernelTasks(
    _ corpus: consuming Corpus, frequencies: TermFrequencies? = nil, rows: WeighedRows? = nil
  ) throws(ConfigurationError) -> KernelTasks {
    let analysed = analyse(consume corpus)
    let vectors = try vectorize(analysed, frequencies: frequencies, rows: rows)
    let duplicates = duplicateGroups(vectors)
    let (kernel, _) = similarityKernel(threshold: nil)
    return KernelTasks(
      kernel: kernel, matrix: duplicates.collapse(vectors).matrix,
      window: configuration.timeWindow(duplicates.collapse(analysed).timestamps))
  }

  /// ``run(_:)`` with the similarity kernel's row blocks scored by tasks elsewhere: the same
  /// report, from their merged findings.
  ///
  /// - Parameters:
  ///   - corpus: The articles the tasks were made from (``kernelTasks(_:)``).
  ///   - kernelOutcome: The tasks' merged findings.
  ///   - frequencies: The term counts the tasks' model was made from, if any
  ///     (``kernelTasks(_:frequencies:rows:)``).
  ///   - rows: The rows weighed elsewhere with that model, if any.
  /// - Returns: The report ``run(_:)`` gives.
  /// - Throws: ``ConfigurationError/kernelOutcomeMismatch(_:)`` when the findings belong to
  ///   another corpus or other settings, or as ``run(_:)`` does.
  package func run(
    _ corpus: consuming Corpus, kernelOutcome: consuming KernelOutcome,
    frequencies: TermFrequencies? = nil, rows: WeighedRows? = nil
  ) throws(ConfigurationError) -> Report {
    try compose(
      consume corpus, keepingDetails: false, kernelOutcome: consume kernelOutcome,
      frequencies: frequencies, rows: rows
    ).report
  }

  /// Share `part` of `parts` of `corpus`'s rows (``WeighedRows/share(_:of:count:)``, in the
  /// order every stage reads the articles), weighed with the model made from the corpus's
  /// added-up `frequencies`: what a distributed job's task writes, and what ``run(_:)``
  /// weighs for those articles, bit for bit.
  ///
  /// - Throws: ``ConfigurationError`` as ``run(_:)`` does, or when the counts are of another
  ///   number of articles.
  /// - Complexity: O(corpus size) to analyse (a corpus-wide boilerplate filter needs every
  ///   article), O(share's text) to weigh.
  package func weighedRows(
    _ corpus: consuming Corpus, part: Int, of parts: Int, frequencies: TermFrequencies
  ) throws(ConfigurationError) -> WeighedRows {
    let analysed = analyse(consume corpus)
    let model = try model(for: analysed, frequencies: frequencies)
    let texts = Self.share(part, of: parts, analysed)
    return WeighedRows(
      matrix: model.transform(texts: texts, threads: configuration.threads),
      fingerprints: fingerprints(texts))
  }

  /// The term counts of share `part` of `parts` of `corpus` (``WeighedRows/share(_:of:count:)``):
  /// what a distributed job's task counts, for the job to add up (``TermFrequencies``).
  ///
  /// - Complexity: O(corpus size) to analyse, O(share's text) to count.
  package func termFrequencies(
    _ corpus: consuming Corpus, part: Int, of parts: Int
  ) -> TermFrequencies {
    TermFrequencies(
      texts: Self.share(part, of: parts, analyse(consume corpus)),
      analyzer: configuration.vectorizer.analyzer, threads: configuration.threads)
  }

  /// The analysed texts of share `part` of `parts`.
  private static func share(_ part: Int, of parts: Int, _ corpus: AnalysedCorpus) -> [String] {
    Array(corpus.texts[WeighedRows.share(part, of: parts, count: corpus.count)])
  }

  /// The model made from `frequencies`, which must be `corpus`'s.
  private func model(
    for corpus: AnalysedCorpus, frequencies: TermFrequencies
  ) throws(ConfigurationError) -> TFIDFModel {
    guard frequencies.documentCount == corpus.count else {
      throw .kernelOutcomeMismatch(
        "the term counts are of \(frequencies.documentCount) articles, the corpus has "
          + "\(corpus.count)")
    }
    return try TFIDFModel(frequencies: frequencies, configuration: configuration.vectorizer)
  }

  /// Stage 2 with the model fitted here, or made from `frequencies` counted elsewhere (the
  /// same model), and the rows weighed here or given (the same rows).
  func vectorize(
    _ corpus: AnalysedCorpus, frequencies: TermFrequencies?, rows: WeighedRows? = nil
  ) throws(ConfigurationError) -> Vectors {
    guard let frequencies else {
      precondition(rows == nil, "weighed rows come with their counts")
      return try vectorize(corpus)
    }
    let model = try model(for: corpus, frequencies: frequencies)
    guard let rows else { return vectorize(corpus, using: model) }
    guard rows.matrix.rowCount == corpus.count, rows.matrix.columnCount == model.vocabulary.count
    else {
      throw .kernelOutcomeMismatch(
        "the weighed rows are \(rows.matrix.rowCount) in \(rows.matrix.columnCount) columns, the "
          + "corpus has \(corpus.count) articles and \(model.vocabulary.count) terms")
    }
    return Vectors(model: model, matrix: rows.matrix, fingerprints: rows.fingerprints)
  }

  // MARK: - Internals

  /// The composition of the stages; with `keepingDetails`, the stage values are kept (and not
  /// released early) for ``RunDetails``.
  func compose(
    _ corpus: consuming Corpus, keepingDetails: Bool,
    kernelOutcome: consuming KernelOutcome? = nil, frequencies: TermFrequencies? = nil,
    rows: WeighedRows? = nil
  ) throws(ConfigurationError) -> (report: Report, details: RunDetails?) {
    var clock = StageClock()
    let articles = keepingDetails ? corpus.articles : []
    var analysed = analyse(consume corpus)
    let vectors = try vectorize(analysed, frequencies: frequencies, rows: rows)
    let scorer = keepingDetails ? try pairScorer(vectors, analysed) : nil
    // Exact copies are one row from here to clustering (DuplicateGroups).
    let duplicates = duplicateGroups(vectors)
    var collapsed = duplicates.collapse(analysed)
    // The names and years of each distinct text, for the story graph; after them the stages
    // on the distinct rows read no text.
    let marks = eventMarks(collapsed)
    collapsed.texts = []
    // Only the blended pair score reads the texts again; otherwise they go now.
    if configuration.pairScore == .cosine && !keepingDetails { analysed.texts = [] }
    let distinct = duplicates.collapse(vectors)
    returnFreedMemory()
    clock.lap("vectorize")
    var similarity =
      if let given = kernelOutcome.take() {
        // Handed over, so the kernel frees the tasks' heaps once it has read them.
        try self.similarity(distinct, corpus: collapsed, outcome: consume given)
      } else {
        self.similarity(distinct, corpus: collapsed)
      }
    // The kernel's per-thread candidate lists are gone; hand their pages back before ranking
    // allocates its sort buffer.
    returnFreedMemory()
    clock.lap("similarity")
    // Only the pairs the report lists are ranked (at the floor, each article's nearest); the
    // rest of the kernel's pairs go before the graph is built when the graph is the kernel's
    // bounded edges, else (the graph is made of them) before clustering.
    func selectCandidates() -> [ScoredPair] {
      let candidates = similarity.pairs
      similarity.pairs = []
      return ranker.select(
        duplicates.expand(consume candidates), fingerprints: vectors.fingerprints,
        threads: configuration.threads)
    }
    let graphReadsPairs = similarity.edges == nil
    var candidates = graphReadsPairs ? [] : selectCandidates()
    // The graph is handed the only reference to the kernel's bounded edges, and frees them
    // as it reads them (the HTML page's details keep the graph, not the edges).
    let graph =
      graphReadsPairs
      ? storyGraph(
        similarity, vectors: distinct, corpus: collapsed, marks: marks, releasingEdges: false)
      : storyGraph(
        similarity.handingOverEdges(), vectors: distinct, corpus: collapsed, marks: marks,
        releasingEdges: true)
    let edges = keepingDetails ? duplicates.expand(graph.pairs) : []
    clock.lap("storygraph")
    if graphReadsPairs { candidates = selectCandidates() }
    // The details keep the graph's edges; otherwise the clusterer holds their only reference.
    let stories = duplicates.expand(
      self.stories(
        consume graph, count: distinct.matrix.rowCount, threshold: nil,
        releasingEdges: !keepingDetails))
    // The clusterer's many small maps are freed; hand their pages back before ranking builds
    // its own rows.
    returnFreedMemory()
    clock.lap("cluster")
    let clusters = describe(stories, vectors: vectors, corpus: analysed)
    clock.lap("describe")
    let pairs =
      if let scorer {
        rankPairs(consume candidates, vectors: vectors, corpus: analysed, scorer: scorer)
      } else {
        try rankPairs(consume candidates, vectors: vectors, corpus: analysed)
      }
    clock.lap("rank")
    let report = Report(
      articlesIn: analysed.articlesIn, articlesOut: analysed.count, skipped: analysed.skipped,
      clusters: clusters, pairs: pairs,
      neighbors: Report.neighborLists(
        duplicates.expand(neighbors: similarity.neighbors), ids: analysed.ids),
      vocabularySize: vectors.model.vocabulary.count, configuration: configuration,
      background: stories.background, clusterThreshold: stories.threshold,
      kernelStatistics: similarity.statistics,
      stageSeconds: clock.laps)
    guard keepingDetails, let scorer else { return (report, nil) }
    return (
      report,
      RunDetails(
        configuration: configuration, articles: articles, corpus: analysed, vectors: vectors,
        edges: edges, marks: marks, duplicates: duplicates, stories: stories, scorer: scorer,
        ranker: ranker)
    )
  }
}
