import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// The kernel with a ``TimeWindow``: exactly the brute force restricted to the pairs the window
/// allows, whatever the blocking, the thread count and the head; and skipping the block pairs
/// beyond the horizon changes nothing but the work done.
struct SimilarityKernelWindowTests {
  /// Seeded timestamps over `days` days, every `undatedEvery`-th row undated, in no time order.
  static func timestamps(rows: Int, days: Double, undatedEvery: Int, seed: UInt64) -> [Double?] {
    var rng = SeededGenerator(seed: seed)
    return (0..<rows).map { row in
      let t = 1_600_000_000 + Double.random(in: 0..<(days * 86_400), using: &rng).rounded()
      return row % undatedEvery == undatedEvery - 1 ? nil : t
    }
  }

  @Test(arguments: [1, 40, 150])
  func equalsBruteForceWithinTheWindow(rows: Int) {
    let m = SimilarityKernelTests.randomMatrix(rows: rows, columns: 60, seed: UInt64(rows) &+ 11)
    let exact = SimilarityKernelTests.bruteForce(m)
    let window = TimeWindow(
      timestamps: Self.timestamps(rows: rows, days: 30, undatedEvery: 7, seed: 3),
      horizon: 2 * 86_400)
    for head in [SimilarityKernel.HeadSelection.fixed(0), .automatic(fraction: 0.1)] {
      for threads in [1, 2] {
        let k = 5
        let threshold = 0.3
        let result = SimilarityKernel(
          configuration: .init(
            neighborCount: k, threshold: threshold, blockSize: 16, head: head, threads: threads)
        ).run(m, window: window)
        var expected: [(Int, Int, Double)] = []
        for i in 0..<rows {
          for j in (i + 1)..<max(rows, i + 1)
          where exact[i][j] >= threshold && window.compares(i, j) {
            expected.append((i, j, exact[i][j]))
          }
        }
        #expect(result.pairs.count == expected.count)
        for (pair, e) in zip(result.pairs, expected) {
          #expect(pair.a == e.0 && pair.b == e.1)
          #expect(abs(pair.score - e.2) <= 1e-5)
        }
        for i in 0..<rows {
          let want = (0..<rows).filter { $0 != i && exact[i][$0] > 1e-12 && window.compares(i, $0) }
            .sorted { exact[i][$0] != exact[i][$1] ? exact[i][$0] > exact[i][$1] : $0 < $1 }
            .prefix(k)
          let got = result.neighbors[i]
          #expect(got.count == want.count, "row \(i)")
          for (g, w) in zip(got, want) {
            #expect(window.compares(i, g.index), "row \(i) neighbour \(g.index) is outside")
            #expect(abs(g.score - exact[i][w]) <= 1e-5)
            #expect(abs(exact[i][g.index] - exact[i][w]) <= 1e-5)
          }
        }
      }
    }
  }

  /// On real dated headlines (the UCI sample, a day and a half), a 2-hour window: skipping the
  /// distant block pairs gives bit for bit the result of scoring them all and dropping the
  /// excluded pairs one by one, on fewer block pairs and flops.
  @Test func skippingDistantBlocksChangesNothingButTheWork() throws {
    let engine = try Engine()
    let analysed = engine.analyse(
      CorpusReader().read([RepositoryPaths.sample("uci-dev-sample.jsonl")]))
    let vectors = try engine.vectorize(analysed)
    let window = TimeWindow(timestamps: analysed.timestamps, horizon: 2 * 3_600)
    #expect(analysed.timestamps.allSatisfy { $0 != nil })
    func run(skipping: Bool, threads: Int) -> (SimilarityResult, total: Int) {
      var configuration = SimilarityKernel.Configuration(
        neighborCount: 10, threshold: 0.05, blockSize: 16, threads: threads)
      configuration.skipsDistantBlocks = skipping
      let total = Locked(0)  // the progress total, set from any thread
      let result = SimilarityKernel(configuration: configuration).run(
        vectors.matrix, window: window, progress: { _, t in total.withLock { $0 = t } })
      return (result, total.withLock { $0 })
    }
    let (skipped, fewer) = run(skipping: true, threads: 2)
    let (all, every) = run(skipping: false, threads: 1)
    #expect(skipped.neighbors == all.neighbors)
    #expect(skipped.pairs == all.pairs)
    #expect(!skipped.pairs.isEmpty)
    let blocks = (analysed.count + 15) / 16
    #expect(every == blocks * (blocks + 1) / 2)
    #expect(fewer < every / 2, "only \(every - fewer) of \(every) block pairs skipped")
    #expect(skipped.statistics.denseFlops < all.statistics.denseFlops / 2)
    // Every kept pair and neighbour is within the window, and some pair beyond it would score.
    #expect(skipped.pairs.allSatisfy { window.compares($0.a, $0.b) })
    let unwindowed = SimilarityKernel(
      configuration: .init(neighborCount: 10, threshold: 0.05, blockSize: 32)
    ).run(vectors.matrix)
    #expect(unwindowed.pairs.filter { window.compares($0.a, $0.b) }.count == skipped.pairs.count)
    #expect(unwindowed.pairs.count > skipped.pairs.count)
  }

  /// Undated rows are compared with every row, dated or not.
  @Test func undatedRowsCompareWithAll() {
    let m = SimilarityKernelTests.randomMatrix(rows: 60, columns: 20, seed: 5)
    let dates: [Double?] = (0..<60).map { $0 % 3 == 0 ? nil : Double($0) * 86_400 }
    let window = TimeWindow(timestamps: dates, horizon: 0)
    let result = SimilarityKernel(
      configuration: .init(neighborCount: 3, threshold: 0.2, blockSize: 16)
    ).run(m, window: window)
    let exact = SimilarityKernelTests.bruteForce(m)
    let expected = (0..<60).flatMap { i in
      ((i + 1)..<60).filter { j in (dates[i] == nil || dates[j] == nil) && exact[i][j] >= 0.2 }
        .map { (i, $0) }
    }
    #expect(result.pairs.map { [$0.a, $0.b] } == expected.map { [$0.0, $0.1] })
  }
}

/// The kernel's bounded edges (``SimilarityKernel/Configuration/edgeCount``): each row's
/// strongest cosines at the floor or above, made symmetric, against a brute force.
struct SimilarityKernelEdgeTests {
  @Test(arguments: [1, 2])
  func edgesAreEachRowsStrongestPairsAtTheFloor(threads: Int) {
    let rows = 120
    let m = SimilarityKernelTests.randomMatrix(rows: rows, columns: 40, seed: 21)
    let exact = SimilarityKernelTests.bruteForce(m)
    let window = TimeWindow(
      timestamps: SimilarityKernelWindowTests.timestamps(
        rows: rows, days: 10, undatedEvery: 5, seed: 9),
      horizon: 3 * 86_400)
    let edgeCount = 6
    let floor = 0.1
    var configuration = SimilarityKernel.Configuration(
      neighborCount: 3, threshold: 0.5, blockSize: 16, threads: threads)
    configuration.edgeCount = edgeCount
    configuration.edgeFloor = floor
    let result = SimilarityKernel(configuration: configuration).run(m, window: window)
    let edges = try! #require(result.edges)
    // Per row, its allowed partners at the floor by exact score, and the score of its
    // `edgeCount`-th best.
    func ranked(_ i: Int) -> [Int] {
      (0..<rows).filter { $0 != i && window.compares(i, $0) && exact[i][$0] >= floor }
        .sorted { exact[i][$0] > exact[i][$1] }
    }
    let cut = (0..<rows).map { i in
      let list = ranked(i)
      return list.count >= edgeCount ? exact[i][list[edgeCount - 1]] : -1
    }
    var listed = Set<[Int]>()
    for edge in edges {
      #expect(edge.a < edge.b)
      #expect(listed.insert([edge.a, edge.b]).inserted, "edge \(edge.a)-\(edge.b) twice")
      #expect(abs(edge.score - exact[edge.a][edge.b]) <= 1e-5)
      #expect(edge.score >= floor && window.compares(edge.a, edge.b))
      // In the top edgeCount of one of its rows (up to float round-off at the cut).
      #expect(
        exact[edge.a][edge.b] >= cut[edge.a] - 1e-5 || exact[edge.a][edge.b] >= cut[edge.b] - 1e-5)
    }
    #expect(edges == edges.sorted { ($0.a, $0.b) < ($1.a, $1.b) })
    // Every row's clear top edgeCount are edges.
    for i in 0..<rows {
      for j in ranked(i).prefix(edgeCount) where exact[i][j] > cut[i] + 1e-5 {
        #expect(listed.contains([min(i, j), max(i, j)]), "row \(i) misses \(j)")
      }
    }
    // The bound holds, and the edges are fewer than the pairs at the floor.
    #expect(edges.count <= rows * edgeCount)
    let atFloor = (0..<rows).flatMap { i in
      ((i + 1)..<rows).filter { exact[i][$0] >= floor && window.compares(i, $0) }
    }
    #expect(edges.count < atFloor.count)
  }
}
