#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Engine {
  /// Explains why the articles `first` and `second` of `corpus` are, or are not, in one story:
  /// ``runKeepingDetails(_:)`` then ``RunDetails/explain(_:_:)``.
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
  /// - Complexity: One ``run(_:)`` of the corpus, then ``RunDetails/explain(_:_:)``.
  public func explain(_ first: String, _ second: String, in corpus: Corpus)
    throws(ExplainError) -> Explanation
  {
    for id in [first, second] where !corpus.articles.contains(where: { $0.id == id }) {
      throw .unknownID(id)
    }
    let details: RunDetails
    do throws(ConfigurationError) {
      details = try runKeepingDetails(corpus).details
    } catch {
      throw .configuration(error)
    }
    return try details.explain(first, second)
  }
}

/// What ``Engine/runKeepingDetails(_:)`` kept of the stages: enough to explain any pair and to
/// show each story's members, their texts and similarities, without running anything again.
///
/// ```swift
/// let (report, details) = try Engine().runKeepingDetails(corpus)
/// for cluster in report.clusters {
///   let rows = cluster.members.compactMap(details.row(of:))
///   print(rows.map { details.articles[$0].title })
/// }
/// ```
public struct RunDetails: Sendable {
  /// The settings of the run.
  public let configuration: EngineConfiguration
  /// The articles, one per row (id order).
  public let articles: [Article]
  /// The analysed corpus.
  public let corpus: AnalysedCorpus
  /// The TF-IDF model and rows.
  public let vectors: Vectors
  /// The story graph's edges, by `(a, b)`: between the rows that stand for their groups of
  /// exact copies (``duplicates``), which the graph was built on.
  public let edges: [ScoredPair]
  /// The exact copies that were one row to the kernel, the graph and clustering.
  public let duplicates: DuplicateGroups
  /// The stories, in the report's cluster order.
  public let stories: Stories
  /// Each row's story index in ``stories``.
  public let labels: [Int]
  let scorer: PairScorer
  let ranker: NearDuplicateRanker
  /// The names and years of each graph row (``DuplicateGroups/representatives``), or `nil`
  /// when the configuration uses neither.
  let marks: EventMarks?

  init(
    configuration: EngineConfiguration, articles: [Article], corpus: AnalysedCorpus,
    vectors: Vectors, edges: [ScoredPair], marks: EventMarks?, duplicates: DuplicateGroups,
    stories: Stories, scorer: PairScorer, ranker: NearDuplicateRanker
  ) {
    self.marks = marks
    self.configuration = configuration
    self.articles = articles
    self.corpus = corpus
    self.vectors = vectors
    self.edges = edges
    self.duplicates = duplicates
    self.stories = stories
    self.labels = stories.labels(count: corpus.count)
    self.scorer = scorer
    self.ranker = ranker
  }

  /// The row of the article with `id`, if any.
  ///
  /// - Complexity: O(log N) (rows are in byte order of id).
  public func row(of id: String) -> Int? {
    var low = 0
    var high = corpus.ids.count
    while low < high {
      let mid = (low + high) / 2
      if idPrecedes(corpus.ids[mid], id) { low = mid + 1 } else { high = mid }
    }
    return low < corpus.ids.count && corpus.ids[low] == id ? low : nil
  }

  /// The cosine of rows `a` and `b` (1 for `a == b`).
  ///
  /// - Complexity: O(terms in both rows).
  public func cosine(_ a: Int, _ b: Int) -> Double {
    a == b ? 1 : min(1, vectors.matrix.dot(a, b))
  }

  /// The story similarity of rows `a` and `b` in the graph, 0 when they are not linked (1 for
  /// `a == b` and for exact copies, which the graph holds as one row).
  ///
  /// - Complexity: O(log E).
  public func storySimilarity(_ a: Int, _ b: Int) -> Double {
    let (x, y) = (duplicates.representative[a], duplicates.representative[b])
    return x == y ? 1 : Engine.edge(min(x, y), max(x, y), in: edges) ?? 0
  }

  /// Explains the pair of articles `first` and `second`.
  ///
  /// - Parameters:
  ///   - first: One article's id.
  ///   - second: The other's id.
  /// - Returns: The explanation.
  /// - Throws: ``ExplainError/unknownID(_:)`` when an id is not among the articles.
  /// - Complexity: O(E log E) for the E edges of their stories, plus O(n·m) for the shared
  ///   passages of texts of n and m words.
  public func explain(_ first: String, _ second: String) throws(ExplainError) -> Explanation {
    guard let x = row(of: first) else { throw .unknownID(first) }
    guard let y = row(of: second) else { throw .unknownID(second) }
    return explain(rows: x, y)
  }

  /// Explains the pair of rows `x` and `y`.
  ///
  /// Exact copies were one row to the story graph: the story similarity, the dates and the
  /// story links are their representatives' (``DuplicateGroups/representative``), two copies
  /// have story similarity 1, and a chain that starts or ends at a copy has a first or last
  /// link of 1 to its representative.
  ///
  /// - Parameters:
  ///   - x: One row.
  ///   - y: The other.
  /// - Returns: The explanation.
  /// - Complexity: As ``explain(_:_:)``.
  public func explain(rows x: Int, _ y: Int) -> Explanation {
    let (a, b) = (min(x, y), max(x, y))
    // The graph's rows: each article's group representative.
    let representative = duplicates.representative
    let (ga, gb) = (representative[a], representative[b])
    let cosine = self.cosine(a, b)
    let edgeScore = ga == gb ? 1 : Engine.edge(min(ga, gb), max(ga, gb), in: edges)
    let pairScore = a == b ? 1 : scorer.score(a, b)
    var kind: NearDuplicatePair.Kind?
    if vectors.fingerprints[a] == vectors.fingerprints[b] {
      kind = .exact
    } else if cosine >= configuration.pairFloor {
      kind = pairScore >= configuration.nearDuplicateThreshold ? .nearDuplicate : .related
    }
    let days: Double? = {
      guard let ta = corpus.timestamps[ga], let tb = corpus.timestamps[gb] else { return nil }
      return abs(ta - tb) / 86_400
    }()
    let decay = configuration.timeScaleDays.flatMap { scale in days.map { exp(-$0 / scale) } } ?? 1
    let w = configuration.neighborhoodWeight
    // The names and years of the two graph rows (`marks` is indexed by collapsed row).
    let (ca, cb) = (duplicates.collapsedRow[ga], duplicates.collapsedRow[gb])
    let names = marks.map { ga == gb ? 1 : $0.namesCosine(ca, cb) }
    let namesWeight = marks == nil ? 0 : configuration.namesWeight
    let years = marks.flatMap { ga == gb ? nil : $0.yearAgreement(ca, cb) }
    let yearPenalty = marks == nil ? 0 : configuration.yearPenalty
    let yearFactor = years.map { 1 - yearPenalty * (1 - $0) } ?? 1
    let cosinePart = ((1 - namesWeight) * cosine + namesWeight * (names ?? 0)) * decay
    var neighborhood = 0.0
    if w > 0, let edgeScore, yearFactor > 0 {
      neighborhood = max(0, min(1, (edgeScore / yearFactor - (1 - w) * cosinePart) / w))
    }
    let part = Explanation.StorySimilarity(
      cosine: cosine, decay: decay, daysApart: days, namesWeight: namesWeight,
      namesCosine: names, yearPenalty: yearPenalty, yearAgreement: years,
      neighborhoodWeight: w, neighborhood: neighborhood, score: edgeScore ?? 0,
      isEdge: edgeScore != nil)
    let ids = corpus.ids
    func link(_ p: ScoredPair) -> Explanation.Link {
      Explanation.Link(a: ids[p.a], b: ids[p.b], score: p.score)
    }
    var chain: [Explanation.Link] = []
    var storyLinkage: Double?
    var closest: Explanation.Link?
    if labels[x] == labels[y] {
      let (gx, gy) = x == y ? (x, y) : (representative[x], representative[y])
      if x != gx { chain.append(Explanation.Link(a: ids[x], b: ids[gx], score: 1)) }
      chain += Engine.widestPath(
        from: gx, to: gy, within: labels[x], labels: labels, edges: edges
      )
      .map { Explanation.Link(a: ids[$0.from], b: ids[$0.to], score: $0.score) }
      if y != gy { chain.append(Explanation.Link(a: ids[gy], b: ids[y], score: 1)) }
    } else {
      // Average linkage counted each group of copies once.
      func distinct(_ story: Int) -> Double {
        Double(stories.groups[story].filter { representative[$0] == $0 }.count)
      }
      let sizeA = distinct(labels[x])
      let sizeB = distinct(labels[y])
      var sum = 0.0
      var best: ScoredPair?
      // Every edge between the two stories starts (its smaller row) in one of them: visit the
      // edges of their rows only, in (a, b) order as a full scan would.
      let rows = (stories.groups[labels[x]] + stories.groups[labels[y]]).sorted()
      Engine.forEachEdge(from: rows, in: edges) { e in
        let la = labels[e.a]
        let lb = labels[e.b]
        guard (la == labels[x] && lb == labels[y]) || (la == labels[y] && lb == labels[x]) else {
          return
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
    let sharedTerms =
      a == b
      ? [] : ranker.sharedTerms(a, b, matrix: vectors.matrix, vocabulary: vectors.model.vocabulary)
    return Explanation(
      a: ids[x], b: ids[y], titleA: title(articles[x]), titleB: title(articles[y]),
      pairScore: pairScore, pairScoreParts: scorer.parts(a, b), kind: kind, storySimilarity: part,
      threshold: stories.threshold,
      background: stories.background, linkage: configuration.linkage,
      clusterA: labels[x] + 1, clusterB: labels[y] + 1, isSameStory: labels[x] == labels[y],
      chain: chain, storyLinkage: storyLinkage, closestLink: closest, sharedTerms: sharedTerms,
      sharedPassages: SharedPassages(
        articles[x].text, articles[y].text, minimumWords: 3, limit: 10
      ).passages)
  }
}

extension Engine {
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

  /// Calls `body` with each edge whose first row `a` is in `rows` (ascending), in `(a, b)` order:
  /// the edges a full scan of `edges` (sorted by `(a, b)`) would meet from those rows, in
  /// O(|rows| log E + their edges) rather than O(E).
  static func forEachEdge(
    from rows: [Int], in edges: [ScoredPair], _ body: (ScoredPair) -> Void
  ) {
    for row in rows {
      var low = 0
      var high = edges.count
      while low < high {
        let mid = (low + high) / 2
        if edges[mid].a < row { low = mid + 1 } else { high = mid }
      }
      while low < edges.count && edges[low].a == row {
        body(edges[low])
        low += 1
      }
    }
  }

  /// The path from `source` to `target` over edges inside story `label` whose weakest edge is
  /// strongest (ties: fewer hops, then smaller rows), as edges oriented along the path.
  static func widestPath(
    from source: Int, to target: Int, within label: Int, labels: [Int], edges: [ScoredPair]
  ) -> [(from: Int, to: Int, score: Double)] {
    guard source != target else { return [] }
    var adjacency: [Int: [(Int, Double)]] = [:]
    let members = labels.indices.filter { labels[$0] == label }
    forEachEdge(from: members, in: edges) { e in
      guard labels[e.b] == label else { return }
      adjacency[e.a, default: []].append((e.b, e.score))
      adjacency[e.b, default: []].append((e.a, e.score))
    }
    // Dijkstra on (bottleneck desc, hops asc, row asc): O(E log E) with a binary heap (a
    // frontier sorted after every step cost O(E² log E) in a story of a few hundred articles).
    var best: [Int: (width: Double, hops: Int, previous: Int)] = [source: (.infinity, 0, -1)]
    var done: Set<Int> = []
    var frontier = WidestFirst()
    frontier.push((.infinity, 0, source))
    while let next = frontier.pop() {
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
        frontier.push((width, hops, other))
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

/// The frontier of ``Engine/widestPath(from:to:within:labels:edges:)``: a binary heap that pops
/// the widest entry first, then the one with fewer hops, then the smaller row (a total order, so
/// the pops are those of a sorted list).
struct WidestFirst {
  typealias Entry = (width: Double, hops: Int, row: Int)
  private var heap: [Entry] = []

  /// Whether `x` pops before `y`.
  private static func before(_ x: Entry, _ y: Entry) -> Bool {
    x.width != y.width ? x.width > y.width : x.hops != y.hops ? x.hops < y.hops : x.row < y.row
  }

  /// Adds an entry: O(log n).
  mutating func push(_ entry: Entry) {
    heap.append(entry)
    var child = heap.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard Self.before(heap[child], heap[parent]) else { break }
      heap.swapAt(child, parent)
      child = parent
    }
  }

  /// Removes and returns the first entry, or `nil` when empty: O(log n).
  mutating func pop() -> Entry? {
    guard !heap.isEmpty else { return nil }
    heap.swapAt(0, heap.count - 1)
    let first = heap.removeLast()
    var parent = 0
    while true {
      let left = 2 * parent + 1
      let right = left + 1
      var top = parent
      if left < heap.count && Self.before(heap[left], heap[top]) { top = left }
      if right < heap.count && Self.before(heap[right], heap[top]) { top = right }
      if top == parent { break }
      heap.swapAt(parent, top)
      parent = top
    }
    return first
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
