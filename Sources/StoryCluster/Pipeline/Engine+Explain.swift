#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Engine {
  /// Explains why the articles `first` and `second` of `corpus` are, or are not, in one story.
  ///
  /// Runs the stages as ``run(_:)`` does, then reads off the pair's cosine, pair score and kind,
  /// its story similarity with each part (decayed cosine and neighbourhood cosine; the
  /// neighbourhood part is recovered from the graph's edge as
  /// `(score − (1 − w) · cosine · decay) / w`), the threshold, and either the chain of links
  /// that holds them in one story (the maximin path, Pollack 1960, "The maximum capacity
  /// through a network") or how close their two stories came (average story similarity and the
  /// strongest link), with shared terms and passages.
  ///
  /// ```swift
  /// let why = try Engine().explain("000_c0837fc8db15ef58.txt", "004_93e46284cb8dccf5.txt",
  ///                                in: CorpusReader().read(["seeds"]))
  /// ```
  ///
  /// - Parameters:
  ///   - first: One article's id.
  ///   - second: The other's id.
  ///   - corpus: The articles the two are clustered among.
  /// - Returns: The explanation.
  /// - Throws: ``ExplainError/unknownID(_:)`` when an id is not in the corpus,
  ///   ``ExplainError/configuration(_:)`` when vectorising fails.
  /// - Complexity: One ``run(_:)`` of the corpus, plus O(E log E) for the E edges of the two
  ///   stories and O(n·m) for shared passages of texts of n and m words.
  public func explain(_ first: String, _ second: String, in corpus: Corpus)
    throws(ExplainError) -> Explanation
  {
    let articles = corpus.articles
    guard let x = articles.firstIndex(where: { $0.id == first }) else {
      throw .unknownID(first)
    }
    guard let y = articles.firstIndex(where: { $0.id == second }) else {
      throw .unknownID(second)
    }
    let analysed = analyse(corpus)
    let vectors: Vectors
    let scorer: PairScorer
    do throws(ConfigurationError) {
      vectors = try vectorize(analysed)
      scorer = try pairScorer(vectors, analysed)
    } catch {
      throw .configuration(error)
    }
    let similarity = self.similarity(vectors)
    let graph = storyGraph(similarity, vectors: vectors, corpus: analysed)
    let stories = self.stories(graph, count: analysed.count)
    let labels = stories.labels(count: analysed.count)
    let (a, b) = (min(x, y), max(x, y))
    let cosine = a == b ? 1 : min(1, vectors.matrix.dot(a, b))
    let edges = graph.pairs
    let edgeScore = a == b ? 1 : Self.edge(a, b, in: edges)
    let pairScore = a == b ? 1 : scorer.score(a, b)
    var kind: NearDuplicatePair.Kind?
    if vectors.fingerprints[a] == vectors.fingerprints[b] {
      kind = .exact
    } else if cosine >= configuration.pairFloor {
      kind = pairScore >= configuration.nearDuplicateThreshold ? .nearDuplicate : .related
    }
    let days: Double? = {
      guard let ta = analysed.timestamps[a], let tb = analysed.timestamps[b] else { return nil }
      return abs(ta - tb) / 86_400
    }()
    let decay = configuration.timeScaleDays.flatMap { scale in days.map { exp(-$0 / scale) } } ?? 1
    let w = configuration.neighborhoodWeight
    let neighborhood =
      w > 0 && edgeScore != nil
      ? max(0, min(1, ((edgeScore ?? 0) - (1 - w) * cosine * decay) / w)) : 0
    let part = Explanation.StorySimilarity(
      cosine: cosine, decay: decay, daysApart: days, neighborhoodWeight: w,
      neighborhood: neighborhood, score: edgeScore ?? 0, isEdge: edgeScore != nil)
    let ids = analysed.ids
    func link(_ p: ScoredPair) -> Explanation.Link {
      Explanation.Link(a: ids[p.a], b: ids[p.b], score: p.score)
    }
    var chain: [Explanation.Link] = []
    var storyLinkage: Double?
    var closest: Explanation.Link?
    if labels[x] == labels[y] {
      chain = Self.widestPath(from: x, to: y, within: labels[x], labels: labels, edges: edges)
        .map { Explanation.Link(a: ids[$0.from], b: ids[$0.to], score: $0.score) }
    } else {
      let sizeA = Double(stories.groups[labels[x]].count)
      let sizeB = Double(stories.groups[labels[y]].count)
      var sum = 0.0
      var best: ScoredPair?
      for e in edges {
        let la = labels[e.a]
        let lb = labels[e.b]
        guard (la == labels[x] && lb == labels[y]) || (la == labels[y] && lb == labels[x]) else {
          continue
        }
        sum += e.score
        if best.map({ e.score > $0.score }) ?? true { best = e }
      }
      storyLinkage = sum / (sizeA * sizeB)
      closest = best.map(link)
    }
    func title(_ article: Article) -> String {
      let text = article.title.isEmpty ? String(article.body.prefix(80)) : article.title
      return String(text.map { $0.isNewline ? " " : $0 })
    }
    return Explanation(
      a: first, b: second, titleA: title(articles[x]), titleB: title(articles[y]),
      pairScore: pairScore, kind: kind, storySimilarity: part, threshold: stories.threshold,
      background: stories.background, linkage: configuration.linkage,
      clusterA: labels[x] + 1, clusterB: labels[y] + 1, isSameStory: labels[x] == labels[y],
      chain: chain, storyLinkage: storyLinkage, closestLink: closest,
      sharedTerms: a == b
        ? []
        : ranker.sharedTerms(a, b, matrix: vectors.matrix, vocabulary: vectors.model.vocabulary),
      sharedPassages: SharedPassages(
        articles[x].text, articles[y].text, minimumWords: 3, limit: 10
      ).passages)
  }

  // MARK: - Internals

  /// The story similarity of edge `(a, b)` (`a < b`), or `nil` when the graph has no such edge.
  /// The edges are sorted by `(a, b)`.
  static func edge(_ a: Int, _ b: Int, in edges: [ScoredPair]) -> Double? {
    var low = 0
    var high = edges.count
    while low < high {
      let mid = (low + high) / 2
      if (edges[mid].a, edges[mid].b) < (a, b) { low = mid + 1 } else { high = mid }
    }
    guard low < edges.count, edges[low].a == a, edges[low].b == b else { return nil }
    return edges[low].score
  }

  /// The path from `source` to `target` over edges inside story `label` whose weakest edge is
  /// strongest (ties: fewer hops, then smaller rows), as edges oriented along the path.
  static func widestPath(
    from source: Int, to target: Int, within label: Int, labels: [Int], edges: [ScoredPair]
  ) -> [(from: Int, to: Int, score: Double)] {
    guard source != target else { return [] }
    var adjacency: [Int: [(Int, Double)]] = [:]
    for e in edges where labels[e.a] == label && labels[e.b] == label {
      adjacency[e.a, default: []].append((e.b, e.score))
      adjacency[e.b, default: []].append((e.a, e.score))
    }
    // Dijkstra on (bottleneck desc, hops asc, row asc): O(E log E) with a sorted frontier.
    var best: [Int: (width: Double, hops: Int, previous: Int)] = [source: (.infinity, 0, -1)]
    var done: Set<Int> = []
    var frontier: [(width: Double, hops: Int, row: Int)] = [(.infinity, 0, source)]
    while let next = frontier.popLast() {
      if done.contains(next.row) { continue }
      done.insert(next.row)
      if next.row == target { break }
      for (other, score) in adjacency[next.row] ?? [] where !done.contains(other) {
        let width = min(next.width, score)
        let hops = next.hops + 1
        if let known = best[other],
          known.width > width || (known.width == width && known.hops <= hops)
        {
          continue
        }
        best[other] = (width, hops, next.row)
        frontier.append((width, hops, other))
      }
      frontier.sort {
        $0.width != $1.width
          ? $0.width < $1.width : $0.hops != $1.hops ? $0.hops > $1.hops : $0.row > $1.row
      }
    }
    guard best[target] != nil else { return [] }
    var path: [(from: Int, to: Int, score: Double)] = []
    var row = target
    while let step = best[row], step.previous >= 0 {
      let score = edge(min(step.previous, row), max(step.previous, row), in: edges) ?? 0
      path.append((step.previous, row, score))
      row = step.previous
    }
    return path.reversed()
  }
}

/// Why an explanation could not be made.
public enum ExplainError: Error, Equatable, Sendable, CustomStringConvertible {
  /// No article of the corpus has this id.
  case unknownID(String)
  /// Vectorising the corpus failed.
  case configuration(ConfigurationError)

  /// The message, starting with `error:`.
  public var description: String {
    switch self {
    case .unknownID(let id): return "error: no article with id \"\(id)\" in the input"
    case .configuration(let error): return error.description
    }
  }
}
