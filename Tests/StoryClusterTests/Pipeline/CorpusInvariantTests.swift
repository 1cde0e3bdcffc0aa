import Foundation
import StoryCluster
import StoryClusterTestSupport
import Testing

/// Invariants on the committed samples and on the real corpora in `../shared/data` (those tests
/// are skipped, and listed as skipped, when a fresh clone has none).
struct CorpusInvariantTests {
  static let samples: [String] = ["ecbplus-dev-sample", "uci-dev-sample"].compactMap {
    Bundle.module.url(
      forResource: "samples/\($0)", withExtension: "jsonl", subdirectory: "Fixtures")?.path
  }

  /// The DEV corpora (ECB+ 444 articles, UCI 3,217, STS 2,325) and BBC full text (2,225).
  static let shared = [
    "ecbplus/dev.jsonl", "uci-news-aggregator-prefix/dev.jsonl", "sts-headlines/articles.jsonl",
    "bbc-fulltext/all.jsonl",
  ]

  /// The corpora the kernel is compared with a brute force on: the DEV corpora. (BBC's long
  /// articles would take minutes in a debug build; its scores are still checked pair by pair.)
  static let dev = Array(shared.prefix(3))

  @Test(arguments: samples)
  func everyArticleAppearsExactlyOnceInTheSamples(path: String) throws {
    try Self.everyArticleAppearsExactlyOnce(path: path)
  }

  @Test(.enabled(if: RepositoryPaths.isSharedDataPresent), arguments: shared)
  func everyArticleAppearsExactlyOnceInTheSharedCorpora(name: String) throws {
    try Self.everyArticleAppearsExactlyOnce(path: try #require(RepositoryPaths.sharedData(name)))
  }

  @Test(arguments: samples)
  func rowsAreUnitAndTheKernelIsCompleteOnTheSamples(path: String) throws {
    try Self.rowsAreUnitAndScoresMatchExactCosine(path: path, bruteForce: true)
  }

  @Test(.enabled(if: RepositoryPaths.isSharedDataPresent), arguments: shared)
  func rowsAreUnitAndTheKernelIsCompleteOnTheSharedCorpora(name: String) throws {
    try Self.rowsAreUnitAndScoresMatchExactCosine(
      path: try #require(RepositoryPaths.sharedData(name)), bruteForce: Self.dev.contains(name))
  }

  @Test(arguments: samples)
  func pairScoresAreSymmetricBoundedAndOneOnThemselvesInTheSamples(path: String) throws {
    try Self.pairScoresAreSymmetricBoundedAndOneOnThemselves(path: path)
  }

  @Test(.enabled(if: RepositoryPaths.isSharedDataPresent), arguments: shared)
  func pairScoresAreSymmetricBoundedAndOneOnThemselvesInTheSharedCorpora(name: String) throws {
    try Self.pairScoresAreSymmetricBoundedAndOneOnThemselves(
      path: try #require(RepositoryPaths.sharedData(name)))
  }

  // MARK: - The checks

  /// Every record read is in the report once: `articlesIn` is the file's non-blank lines,
  /// counted here rather than by the reader, and each is a cluster member or skipped.
  static func everyArticleAppearsExactlyOnce(path: String) throws {
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
      .filter { !$0.allSatisfy(\.isWhitespace) }.count
    let corpus = CorpusReader().read([path])
    let ids = corpus.articles.map(\.id)
    let report = try Engine().run(corpus)
    let members = report.clusters.flatMap(\.members)
    #expect(report.articlesIn == lines)
    #expect(report.articlesOut == members.count)
    #expect(Set(members).count == members.count)
    #expect(Set(members) == Set(ids))
    #expect(report.skipped.count == lines - members.count)
    // Clusters in order: size descending, then smallest id.
    for (x, y) in zip(report.clusters, report.clusters.dropFirst()) {
      #expect(
        x.size > y.size
          || (x.size == y.size && x.members[0].utf8.lexicographicallyPrecedes(y.members[0].utf8)))
    }
    // Pairs: scores in [0, 1], ranked by score then ids.
    for p in report.pairs { #expect(p.score >= 0 && p.score <= 1 && !p.score.isNaN) }
    for (x, y) in zip(report.pairs, report.pairs.dropFirst()) { #expect(x.score >= y.score) }
  }

  static func rowsAreUnitAndScoresMatchExactCosine(path: String, bruteForce: Bool) throws {
    let corpus = CorpusReader().read([path])
    let (_, matrix) = try TFIDFVectorizer().fitTransform(texts: corpus.articles.map(\.text))
    for r in 0..<matrix.rowCount where matrix.rowStarts[r + 1] > matrix.rowStarts[r] {
      #expect(abs(matrix.norm(r) - 1) <= 1e-6)
      #expect(abs(matrix.dot(r, r) - 1) <= 1e-6)  // self-similarity is 1
    }
    let k = 5
    let threshold = 0.4
    let result = SimilarityKernel(configuration: .init(neighborCount: k, threshold: threshold))
      .run(matrix)
    for p in result.pairs {
      #expect(abs(p.score - matrix.dot(p.a, p.b)) <= 1e-5)
      #expect(abs(matrix.dot(p.a, p.b) - matrix.dot(p.b, p.a)) <= 1e-12)  // symmetric
    }
    for (row, list) in result.neighbors.enumerated() {
      for n in list { #expect(n.index != row && n.score > 0 && n.score <= 1) }
    }
    guard bruteForce else { return }
    let reference = BlockedCosine.run(matrix, neighborCount: k, threshold: threshold)
    // Pairs: exactly the reference's set. Within the kernel's slack (1e-4) of the threshold the
    // kernel rescores in double precision, summing the same products in the same (column)
    // order as the reference, so even pairs at the threshold are decided alike.
    let got = result.pairs.map { [$0.a, $0.b] }
    let want = reference.pairs.map { [$0.a, $0.b] }
    #expect(got.count == want.count, "\(path): \(got.count) pairs, brute force \(want.count)")
    let missing = Set(want).subtracting(got).sorted { $0.lexicographicallyPrecedes($1) }
    let extra = Set(got).subtracting(want).sorted { $0.lexicographicallyPrecedes($1) }
    #expect(missing.isEmpty, "missing \(missing.prefix(5))")
    #expect(extra.isEmpty, "extra \(extra.prefix(5))")
    for (pair, exact) in zip(result.pairs, reference.pairs) where pair.a == exact.a {
      #expect(abs(pair.score - exact.score) <= 1e-5)
    }
    // Neighbours: rescored exactly, so equal to the reference's k best (score, then index).
    var differing = 0
    for row in 0..<matrix.rowCount where result.neighbors[row] != reference.neighbors[row] {
      differing += 1
      if differing <= 3 {
        Issue.record(
          "\(path) row \(row): \(result.neighbors[row]) vs \(reference.neighbors[row])")
      }
    }
    #expect(differing == 0, "\(path): \(differing) rows' neighbours differ")
  }

  static func pairScoresAreSymmetricBoundedAndOneOnThemselves(path: String) throws {
    let corpus = CorpusReader().read([path])
    let run = try Engine().evaluate(corpus, thresholds: [5])
    var generator = SeededGenerator(seed: 7)
    let n = run.ids.count
    for _ in 0..<2_000 {
      let a = Int.random(in: 0..<n, using: &generator)
      let b = Int.random(in: 0..<n, using: &generator)
      let score = run.score(a, b)
      #expect(score >= 0 && score <= 1 && !score.isNaN)
      #expect(score == run.score(b, a))
      if a == b { #expect(score == 1) }
    }
    for pair in run.pairs.prefix(500) {
      #expect(run.score(pair.a, pair.b) >= 0 && run.score(pair.a, pair.b) <= 1)
    }
  }
}

/// Every pair's cosine in double precision, a block of rows at a time: the block's rows are
/// scattered into a dense columns × block array, and every row's entries are gathered against
/// it, so row j's sum for row i adds `w_i(c) · w_j(c)` over j's columns in ascending order, as
/// ``SparseMatrix/dot(_:_:)`` does. O(N · nnz) work and O(block · columns) memory; no N × N
/// matrix.
enum BlockedCosine {
  struct Result {
    /// Pairs `a < b` with cosine ≥ threshold, by `(a, b)`.
    var pairs: [ScoredPair]
    /// Per row, the k best other rows with a positive cosine, by score then index.
    var neighbors: [[Neighbor]]
  }

  static func run(_ m: SparseMatrix, neighborCount k: Int, threshold: Double, block: Int = 64)
    -> Result
  {
    let n = m.rowCount
    var pairs: [ScoredPair] = []
    var neighbors = [[Neighbor]](repeating: [], count: n)
    var dense = [Double](repeating: 0, count: m.columnCount * block)
    var sums = [Double](repeating: 0, count: block)
    m.columns.withUnsafeBufferPointer { columns in
      m.values.withUnsafeBufferPointer { values in
        dense.withUnsafeMutableBufferPointer { d in
          sums.withUnsafeMutableBufferPointer { s in
            for start in stride(from: 0, to: n, by: block) {
              let rows = start..<min(n, start + block)
              for i in rows {
                for e in m.rowStarts[i]..<m.rowStarts[i + 1] {
                  d[Int(columns[e]) * block + (i - start)] = Double(values[e])
                }
              }
              var best = [[Neighbor]](repeating: [], count: rows.count)
              for j in 0..<n {
                for b in 0..<rows.count { s[b] = 0 }
                for e in m.rowStarts[j]..<m.rowStarts[j + 1] {
                  let base = Int(columns[e]) * block
                  let v = Double(values[e])
                  for b in 0..<rows.count { s[b] += d[base + b] * v }
                }
                for b in 0..<rows.count where rows.lowerBound + b != j {
                  let i = rows.lowerBound + b
                  let score = s[b]
                  if i < j && score >= threshold {
                    pairs.append(ScoredPair(a: i, b: j, score: min(1, score)))
                  }
                  if score > 0 { insert(Neighbor(index: j, score: min(1, score)), &best[b], k) }
                }
              }
              for i in rows {
                neighbors[i] = best[i - start]
                for e in m.rowStarts[i]..<m.rowStarts[i + 1] {
                  d[Int(columns[e]) * block + (i - start)] = 0
                }
              }
            }
          }
        }
      }
    }
    pairs.sort { ($0.a, $0.b) < ($1.a, $1.b) }
    return Result(pairs: pairs, neighbors: neighbors)
  }

  /// Inserts into a list of at most `k`, kept by score descending then index ascending.
  static func insert(_ x: Neighbor, _ list: inout [Neighbor], _ k: Int) {
    func better(_ p: Neighbor, _ q: Neighbor) -> Bool {
      p.score != q.score ? p.score > q.score : p.index < q.index
    }
    if list.count == k, let last = list.last, !better(x, last) { return }
    var at = list.count
    while at > 0 && better(x, list[at - 1]) { at -= 1 }
    list.insert(x, at: at)
    if list.count > k { list.removeLast() }
  }
}
