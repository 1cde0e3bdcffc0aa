import StoryCluster

extension StoryIndex {
  /// What re-clustering the part of the window a batch touches gave: each distinct row's group,
  /// the threshold and background, and the story similarity of the rows asked for.
  struct Reclustering {
    /// Per row (the part's distinct rows, ``RowCopies``), its group.
    var groups: [Int]
    /// The story-similarity threshold the groups were cut at.
    var threshold: Double
    /// The background it came from: the part's between-story background, or the window's over
    /// all pairs (see ``recluster(_:timestamps:termCount:scored:window:marks:windowNames:prior:)``).
    var background: Double
    /// Per row of `scored`, its average story similarity to the other rows of its group, or,
    /// when it is alone, the highest average to any other group (0 without an edge).
    var storyScores: [Double]
  }

  /// Runs the batch engine's stages on the part of the window a batch touches: the exact cosine
  /// kernel (`Engine.graphSimilarity`: each row's strongest edges at the graph floor, within the
  /// window, as `Engine.similarity` gives the graph), the story graph with its neighbourhoods
  /// (``StoryGraph``), and average linkage at lift × a background (`Engine.stories`). The rows
  /// are distinct: the caller collapses copies first (``RowCopies``), as the batch engine does.
  ///
  /// With the batch defaults (``EngineConfiguration/seedThreshold`` set) the background is the
  /// part's between-story background, as `cluster run` measures a corpus's: a first pass of
  /// average linkage down to the seed threshold, then the mean story similarity of the pairs it
  /// keeps apart, shrunk toward a prior as if it had been seen on
  /// ``StoryGraph/Settings/backgroundPriorPairs`` pairs. The prior is `prior`: the index's
  /// last background (``lastThreshold()``), so that a small part, whose first pass keeps few
  /// pairs apart or none, inherits what earlier adds measured instead of the engine's fixed
  /// prior (with a part of one story, that would put the threshold at lift × 0.01 whatever the
  /// corpus). An empty index's is the engine's prior, so a first batch is `cluster run`'s.
  /// `window` is not read.
  ///
  /// Without a seed threshold (the all-pairs rule) the background is measured over the whole
  /// window: the mean cosine of its articles exactly (`(‖Σ xᵢ‖² − n) / (n (n − 1))`, O(nnz)),
  /// and the mean neighbourhood cosine from the part's graph, scaled from the part's pairs to
  /// the window's (a row's neighbourhood reaches only its neighbours' neighbours, so its summed
  /// neighbourhood cosine does not grow with the window: the mean falls as 1 / (n − 1)); then
  /// shrunk toward the prior as ``StoryGraph`` does.
  ///
  /// Under either rule, when the part is the whole window the background is exactly the batch
  /// engine's and the groups are exactly its stories.
  ///
  /// - Parameters:
  ///   - rows: L2-normalised distinct rows under the index's term ids.
  ///   - timestamps: Per row, its date.
  ///   - termCount: The number of term ids.
  ///   - scored: The rows whose story similarity is wanted (the batch's), ascending.
  ///   - window: The whole window's distinct rows, when the part is smaller (the all-pairs rule
  ///     only).
  ///   - marks: The rows' names and years (``EventMarks``), when the index reads them.
  ///   - windowNames: The whole window's names rows, in `window`'s order, with `marks`.
  ///   - prior: The between-story background's prior (the seed-threshold rule only); `nil` for
  ///     the engine's.
  /// - Returns: The groups, threshold, background and story scores.
  /// - Complexity: the kernel's O(N²·H) flops for the part's N rows, the story graph's
  ///   O(N·h² + P) and average linkage's O(P log P) for its P edges, plus O(nnz + T) for the
  ///   window's mean cosine over T terms.
  func recluster(
    _ rows: WeightedRows, timestamps: [Double?], termCount: Int, scored: [Int],
    window: WeightedRows?, marks: EventMarks? = nil, windowNames: SparseMatrix? = nil,
    prior: Double? = nil
  ) -> Reclustering {
    let configuration = settings.engine
    let matrix = rows.matrix(columnCount: termCount)
    // The batch engine's kernel for its graph: its bound on each row's edges, its floor, its
    // window.
    let similarity = engine.graphSimilarity(matrix, timestamps: timestamps)
    var graphSettings = configuration.storyGraphSettings
    if configuration.seedThreshold != nil, let prior { graphSettings.backgroundPrior = prior }
    let graph = StoryGraph(
      similarity: similarity, matrix: matrix, timestamps: timestamps,
      settings: graphSettings, threads: configuration.threads, marks: marks)
    let n = rows.count
    var background = graph.background
    var lift: Double?
    if configuration.seedThreshold == nil, let window, window.count > n {
      background = Self.windowBackground(
        part: rows, partBackground: graph.background, window: window, termCount: termCount,
        settings: graphSettings, partNames: marks?.names, windowNames: windowNames)
      lift = configuration.lift.map { min(1, $0 * background) / graph.background }
    }
    let stories = engine.stories(graph, count: n, threshold: lift)
    if configuration.seedThreshold != nil { background = stories.background }
    let groups = stories.labels(count: n)
    // Story scores of the rows asked for.
    var size: [Int: Int] = [:]
    for g in groups { size[g, default: 0] += 1 }
    // Each scored row's edges as (group, score), in the graph's pair order; sums per group then
    // add in that order (as a dictionary per row did, without hashing every edge).
    var position = [Int](repeating: -1, count: n)
    for (k, r) in scored.enumerated() { position[r] = k }
    var edges = [[(group: Int, score: Double)]](repeating: [], count: scored.count)
    for edge in graph.pairs {
      if position[edge.a] >= 0 { edges[position[edge.a]].append((groups[edge.b], edge.score)) }
      if position[edge.b] >= 0 { edges[position[edge.b]].append((groups[edge.a], edge.score)) }
    }
    var storyScores: [Double] = []
    storyScores.reserveCapacity(scored.count)
    for i in scored.indices {
      let own = groups[scored[i]]
      let others = (size[own] ?? 1) - 1
      if others > 0 {
        var sum = 0.0
        for edge in edges[i] where edge.group == own { sum += edge.score }
        storyScores.append(sum / Double(others))
      } else {
        // The highest average to any other group: sums per group in edge order.
        let order = edges[i].indices.sorted {
          (edges[i][$0].group, $0) < (edges[i][$1].group, $1)
        }
        var best: Double?
        var k = 0
        while k < order.count {
          let group = edges[i][order[k]].group
          var sum = 0.0
          while k < order.count && edges[i][order[k]].group == group {
            sum += edges[i][order[k]].score
            k += 1
          }
          let average = sum / Double(size[group] ?? 1)
          best = max(best ?? average, average)
        }
        storyScores.append(best ?? 0)
      }
    }
    return Reclustering(
      groups: groups, threshold: stories.threshold,
      background: background,
      storyScores: storyScores)
  }

  /// The window's background from the part's (see ``recluster(_:timestamps:termCount:scored:window:marks:windowNames:prior:)``).
  static func windowBackground(
    part: WeightedRows, partBackground: Double, window: WeightedRows, termCount: Int,
    settings: StoryGraph.Settings, partNames: SparseMatrix? = nil,
    windowNames: SparseMatrix? = nil
  ) -> Double {
    let w = settings.neighborhoodWeight
    // The cosine part's mean: the words' mean cosine, with the names' blended in as the story
    // graph blends them (when the index reads names).
    let e = partNames != nil && windowNames != nil ? settings.namesWeight : 0
    func cosinePartMean(_ rows: WeightedRows, _ names: SparseMatrix?) -> Double {
      (1 - e) * meanCosine(rows, termCount: termCount)
        + (e > 0 ? e * StoryGraph.meanOverAllPairs(names) : 0)
    }
    let prior = settings.backgroundPrior
    let priorPairs = settings.backgroundPriorPairs
    func pairs(_ n: Int) -> Double { Double(n) * Double(max(n - 1, 0)) / 2 }
    let partPairs = pairs(part.count)
    var neighborhoodMean = 0.0
    if w > 0, part.count > 1 {
      let raw = (partBackground * (partPairs + priorPairs) - priorPairs * prior) / partPairs
      let partNeighborhood = max(0, (raw - (1 - w) * cosinePartMean(part, partNames)) / w)
      neighborhoodMean =
        window.count > 1
        ? partNeighborhood * Double(part.count - 1) / Double(window.count - 1) : 0
    }
    let mean = (1 - w) * cosinePartMean(window, windowNames) + w * neighborhoodMean
    let windowPairs = pairs(window.count)
    return (windowPairs * mean + priorPairs * prior) / (windowPairs + priorPairs)
  }

  /// Mean cosine over all pairs of non-empty rows, `(‖Σ xᵢ‖² − n) / (n (n − 1))` (as
  /// ``StoryGraph`` measures it).
  static func meanCosine(_ rows: WeightedRows, termCount: Int) -> Double {
    StoryGraph.meanPairScore(
      rowStarts: rows.starts[...], columns: rows.terms, values: rows.values,
      columnCount: termCount)
  }
}
