import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// The blocked kernel must equal a double-precision brute force.
struct SimilarityKernelTests {
  /// A seeded random sparse matrix with L2-normalised rows; some columns are frequent (so the
  /// dense head is used), most are rare, and some rows are empty.
  static func randomMatrix(rows: Int, columns: Int, seed: UInt64) -> SparseMatrix {
    var rng = SeededGenerator(seed: seed)
    var starts = [0]
    var cols: [Int32] = []
    var vals: [Float] = []
    for _ in 0..<rows {
      var entries: [Int32: Float] = [:]
      let count = Int.random(in: 0...12, using: &rng)
      for _ in 0..<count {
        // Half the draws from 8 frequent columns, half from the rest.
        let c =
          Bool.random(using: &rng)
          ? Int32.random(in: 0..<8, using: &rng) : Int32.random(in: 0..<Int32(columns), using: &rng)
        entries[c] = Float.random(in: 0.05...1, using: &rng)
      }
      let sorted = entries.sorted { $0.key < $1.key }
      let norm = sorted.reduce(Float(0)) { $0 + $1.value * $1.value }.squareRoot()
      for (c, v) in sorted {
        cols.append(c)
        vals.append(v / norm)
      }
      starts.append(cols.count)
    }
    return SparseMatrix(columnCount: columns, rowStarts: starts, columns: cols, values: vals)
  }

  /// Every pair's exact cosine, in double precision, from dense rows.
  static func bruteForce(_ m: SparseMatrix) -> [[Double]] {
    let n = m.rowCount
    var dense = [[Double]](repeating: [Double](repeating: 0, count: m.columnCount), count: n)
    for r in 0..<n { for (c, v) in m.row(r) { dense[r][c] = Double(v) } }
    var s = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for i in 0..<n {
      for j in 0..<n where i != j {
        var d = 0.0
        for c in 0..<m.columnCount { d += dense[i][c] * dense[j][c] }
        s[i][j] = d
      }
    }
    return s
  }

  static let block = 16

  @Test(arguments: [0, 1, block - 1, block, block + 1, 3 * block + 5])
  func equalsBruteForce(rows: Int) {
    let m = Self.randomMatrix(rows: rows, columns: 60, seed: UInt64(rows) &+ 7)
    let exact = Self.bruteForce(m)
    for head in [SimilarityKernel.HeadSelection.fixed(0), .fixed(4), .automatic(fraction: 0.1)] {
      // Threads 1 and 2 with the head packed once for all rows; 3 packing per block.
      for threads in [1, 2, 3] {
        let k = 5
        let threshold = 0.3
        var configuration = SimilarityKernel.Configuration(
          neighborCount: k, threshold: threshold, blockSize: Self.block, head: head,
          threads: min(threads, 2))
        if threads == 3 { configuration.packedHeadLimit = 0 }
        let result = SimilarityKernel(configuration: configuration).run(m)
        // Pairs: exactly the brute-force pairs ≥ threshold, scores within 1e-5.
        var expected: [(Int, Int, Double)] = []
        for i in 0..<rows {
          for j in (i + 1)..<max(rows, i + 1) where exact[i][j] >= threshold {
            expected.append((i, j, exact[i][j]))
          }
        }
        #expect(result.pairs.count == expected.count)
        for (pair, e) in zip(result.pairs, expected) {
          #expect(pair.a == e.0 && pair.b == e.1)
          #expect(abs(pair.score - e.2) <= 1e-5)
        }
        // Neighbours: the k best positive scores, by score then index.
        for i in 0..<rows {
          let want = (0..<rows).filter { $0 != i && exact[i][$0] > 1e-12 }
            .sorted { exact[i][$0] != exact[i][$1] ? exact[i][$0] > exact[i][$1] : $0 < $1 }
            .prefix(k)
          let got = result.neighbors[i]
          #expect(got.count == want.count, "row \(i)")
          for (g, w) in zip(got, want) {
            #expect(abs(g.score - exact[i][w]) <= 1e-5)
            #expect(abs(exact[i][g.index] - exact[i][w]) <= 1e-5)
          }
        }
      }
    }
  }

  @Test func neighborCountBeyondRowsReturnsAllPositive() {
    let m = Self.randomMatrix(rows: 9, columns: 12, seed: 3)
    let exact = Self.bruteForce(m)
    let result = SimilarityKernel(
      configuration: .init(neighborCount: 50, threshold: 1, blockSize: 4)
    )
    .run(m)
    for i in 0..<9 {
      #expect(result.neighbors[i].count == (0..<9).filter { $0 != i && exact[i][$0] > 1e-12 }.count)
    }
  }

  @Test func emptyRowsScoreZeroNeverNaN() {
    let m = SparseMatrix(columnCount: 3, rowStarts: [0, 0, 1, 1], columns: [1], values: [1])
    let result = SimilarityKernel(configuration: .init(neighborCount: 3, threshold: 0)).run(m)
    #expect(result.pairs.isEmpty)
    #expect(result.neighbors.allSatisfy { $0.isEmpty })
  }

  /// A row block's candidates, found column block by column block (rows interleaved, each row's
  /// `b` ascending), come back in `(a, b)` order; 12,000 of them are 96 KB of entries, past
  /// ``MappedBuffer/mappingThreshold``, so they live in pages of their own.
  @Test func candidateBlockListsInRowOrderFromMappedPages() {
    let rows = 512..<1_024
    var found: [Candidate] = []
    for columnBlock in 0..<4 {
      for step in 0..<3_000 {
        let a = rows.lowerBound + (step * 7) % rows.count
        let b = 2_000 + columnBlock * 3_000 + step
        found.append(Candidate(a: Int32(a), b: Int32(b), score: Float(step % 97) / 97))
      }
    }
    #expect(
      found.count * MemoryLayout<CandidateBlock.Entry>.stride
        >= MappedBuffer<CandidateBlock.Entry>.mappingThreshold)
    let block = CandidateBlock(found, rows: rows)
    var listed: [Candidate] = []
    block.forEach { listed.append($0) }
    let expected = found.sorted { ($0.a, $0.b) < ($1.a, $1.b) }
    #expect(listed.map(\.a) == expected.map(\.a))
    #expect(listed.map(\.b) == expected.map(\.b))
    #expect(listed.map(\.score) == expected.map(\.score))
  }

  /// The column layout's postings are in row order on any thread count (each thread fills its
  /// own rows' slots after the earlier threads' postings of each column).
  @Test func columnLayoutIsTheSameOnAnyThreadCount() {
    let m = Self.randomMatrix(rows: 5_000, columns: 300, seed: 17)
    let split = ColumnSplit(matrix: m, head: .fixed(4))
    let serial = ColumnLayout(matrix: m, split: split, threads: 1)
    #expect(serial.rows.count > 1_000)
    for threads in [2, 3] {
      let layout = ColumnLayout(matrix: m, split: split, threads: threads)
      // Compared outside the expectation: a failure would print every posting.
      let same =
        (layout.starts, layout.rows, layout.values) == (serial.starts, serial.rows, serial.values)
      #expect(same, "\(threads) threads")
    }
    // Every posting of a column ascends by row.
    for c in 0..<m.columnCount {
      let rows = serial.rows[serial.starts[c]..<serial.starts[c + 1]]
      let ascends = zip(rows, rows.dropFirst()).allSatisfy { $0 < $1 }
      #expect(ascends, "column \(c)")
    }
  }
}
