import Dispatch
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// One neighbour of an article: its row index and exact cosine score.
public struct Neighbor: Sendable, Equatable, Hashable {
  /// The neighbour's row (article) index.
  public var index: Int
  /// The cosine similarity, in `[0, 1]` for non-negative weights.
  public var score: Double

  /// Creates a neighbour.
  public init(index: Int, score: Double) {
    self.index = index
    self.score = score
  }
}

/// An unordered pair of rows `a < b` with their exact cosine score.
///
/// Rows are stored in 32 bits, so a pair takes 16 bytes rather than 24: millions of pairs move
/// through the kernel, ranking and clustering, and their memory traffic is a third less.
public struct ScoredPair: Sendable, Equatable, Hashable {
  private var row0: UInt32
  private var row1: UInt32
  /// The cosine similarity.
  public var score: Double

  /// The smaller row index.
  public var a: Int {
    get { Int(row0) }
    set { row0 = UInt32(newValue) }
  }
  /// The larger row index.
  public var b: Int {
    get { Int(row1) }
    set { row1 = UInt32(newValue) }
  }

  /// Creates a pair; `a` must be smaller than `b`, and both below 2³².
  public init(a: Int, b: Int, score: Double) {
    precondition(a < b, "pairs are stored with a < b")
    self.row0 = UInt32(a)
    self.row1 = UInt32(b)
    self.score = score
  }
}

/// What the kernel found: each row's top-k neighbours and every pair at or above the threshold.
public struct SimilarityResult: Sendable, Equatable {
  /// Per row, up to k neighbours with a score above 0, by score descending then index ascending.
  public var neighbors: [[Neighbor]]
  /// Every pair `a < b` with score ≥ threshold, by `(a, b)`.
  public var pairs: [ScoredPair]
  /// How the work was split (for benchmarks and the design notes).
  public var statistics: Statistics

  /// Work counters.
  public struct Statistics: Sendable, Equatable {
    /// Columns computed densely with sgemm.
    public var headColumns: Int
    /// Floating-point operations spent in sgemm.
    public var denseFlops: Double
    /// Multiply-adds done by the sparse (tail) pass.
    public var sparseUpdates: Int
    /// Candidates re-scored exactly in double precision.
    public var rescored: Int
    /// Seconds spent packing head blocks and in sgemm, summed over threads.
    public var denseSeconds: Double
    /// The engine threads that ran blocks.
    public var workers: Int
    /// The rows per block.
    public var blockSize: Int
  }
}

/// Exact cosine similarity of L2-normalised sparse rows: top-k neighbours and thresholded pairs,
/// computed in blocks on BLAS.
///
/// The columns are split by document frequency. The *head* (the columns in most rows, which make
/// sparse methods slow) is packed densely per row block and multiplied with `cblas_sgemm`; the
/// long *tail* is added from an inverted index walked with one cursor per row entry. Only the
/// upper triangle of block pairs is computed; each block pair updates bounded top-k heaps on both
/// sides and collects threshold candidates. Candidates are then re-scored exactly in `Double`
/// from the sparse rows, so every reported score equals a double-precision brute force up to
/// round-off, and results do not depend on BLAS or engine thread counts.
///
/// ```swift
/// let kernel = SimilarityKernel(configuration: .init(neighborCount: 10, threshold: 0.5))
/// let result = kernel.run(matrix)
/// result.neighbors[0]  // the ten nearest articles to article 0
/// ```
///
/// References: the blocked exhaustive inner-product search of J. Johnson, M. Douze and H. Jégou,
/// "Billion-scale similarity search with GPUs" (faiss), and the fused sparse top-n product of ING's
/// `sparse_dot_topn`.
///
/// - Complexity: O(N²·H / 2) dense flops for H head columns plus Σ df(t)² over tail columns, and
///   O(N·k + T·block²) memory for T threads; never an N × N matrix.
public struct SimilarityKernel: Sendable {
  /// How many head columns to compute densely.
  public enum HeadSelection: Sendable, Equatable {
    /// Columns whose document frequency is at least `fraction` of the rows, rounded up to a
    /// multiple of 16 for sgemm and capped at 1,024.
    case automatic(fraction: Double)
    /// Exactly this many of the most frequent columns.
    case fixed(Int)
  }

  /// The kernel's parameters.
  public struct Configuration: Sendable, Equatable {
    /// Neighbours kept per row (k).
    public var neighborCount: Int
    /// Pairs at or above this score are returned.
    public var threshold: Double
    /// Rows per block; the scratch buffer is block × block floats per thread.
    public var blockSize: Int
    /// The dense/sparse column split.
    public var head: HeadSelection
    /// Threads (0 = all cores).
    public var threads: Int
    /// The largest dense head kept packed for all rows at once, in floats (default 64 Mi floats,
    /// 256 MiB); above it, each block packs its own rows. Results are the same either way.
    public var packedHeadLimit: Int = 64 << 20

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - neighborCount: k, 0 or more.
    ///   - threshold: The pair threshold in `0...1`.
    ///   - blockSize: Rows per block, 1 or more.
    ///   - head: The dense column selection.
    ///   - threads: Threads, 0 for all cores.
    public init(
      neighborCount: Int = 10, threshold: Double = 0.5, blockSize: Int = 512,
      head: HeadSelection = .automatic(fraction: 0.1), threads: Int = 0
    ) {
      self.neighborCount = neighborCount
      self.threshold = threshold
      self.blockSize = blockSize
      self.head = head
      self.threads = threads
    }
  }

  /// The parameters.
  public var configuration: Configuration

  /// Creates a kernel.
  ///
  /// - Parameter configuration: The parameters.
  public init(configuration: Configuration = Configuration()) {
    self.configuration = configuration
  }

  /// Float scores this close below the threshold are re-scored exactly, so round-off in sgemm
  /// (well under 1e-5 for unit rows) cannot lose a pair.
  static let slack: Float = 1e-4
  /// Extra heap slots kept beyond k so that exact re-scoring can reorder near-ties.
  static let extraCandidates = 2

  /// Runs the kernel on `matrix`, whose rows should be L2-normalised for cosine scores.
  ///
  /// - Parameter matrix: The rows.
  /// - Returns: Neighbours and pairs.
  /// - Complexity: See the type's discussion.
  public func run(_ matrix: SparseMatrix) -> SimilarityResult {
    let n = matrix.rowCount
    let k = max(0, configuration.neighborCount)
    let threads = effectiveThreadCount(configuration.threads)
    let empty = SimilarityResult(
      neighbors: Array(repeating: [], count: n), pairs: [],
      statistics: .init(
        headColumns: 0, denseFlops: 0, sparseUpdates: 0, rescored: 0, denseSeconds: 0, workers: 0,
        blockSize: configuration.blockSize))
    if n < 2 { return empty }
    let block = max(1, configuration.blockSize)
    let blockCount = (n + block - 1) / block
    let workers = max(1, min(threads, blockCount))
    let capacity = k > 0 ? k + Self.extraCandidates : 0
    let floor = Float(configuration.threshold) - Self.slack
    // Row block bi scores against blocks bi..<blockCount, so early blocks cost more. Blocks are
    // dealt out in rounds of `workers`, every other round in reverse (0 1 | 3 2 | 4 5 | …), which
    // evens out the triangle; block bi is number `slot[bi]` of worker `owner[bi]`.
    var owned = [[Int]](repeating: [], count: workers)
    var owner = [Int](repeating: 0, count: blockCount)
    var slot = [Int](repeating: 0, count: blockCount)
    for bi in 0..<blockCount {
      let position = bi % workers
      owner[bi] = (bi / workers) % 2 == 0 ? position : workers - 1 - position
      slot[bi] = owned[owner[bi]].count
      owned[owner[bi]].append(bi)
    }
    // The column layout and the packed head live only while the workers run: they are gone
    // before the pairs are laid out.
    let headCount: Int
    var partials: [WorkerResult]
    do {
      let layout = ColumnLayout(matrix: matrix, head: configuration.head)
      headCount = layout.headCount
      // The engine runs its own threads over blocks; BLAS runs single-threaded inside each, so
      // every block is computed the same way whatever OPENBLAS_NUM_THREADS says.
      BLAS.singleThreadScope.enter()
      defer { BLAS.singleThreadScope.leave() }
      // The dense head of every row, packed once (N × head floats) when it fits the budget, so
      // sgemm runs straight on row slices; otherwise each block packs its rows on the fly.
      let headRows = Worker.packAll(
        matrix, layout: layout, limit: configuration.packedHeadLimit, threads: workers)
      partials = parallelMap(workers, threads: workers) { w -> WorkerResult in
        var worker = Worker(
          matrix: matrix, layout: layout, block: block,
          heaps: TopKHeaps(rowCount: n, capacity: capacity),
          floor: floor, headRows: headRows)
        for bi in owned[w] { worker.process(rowBlock: bi, blockCount: blockCount) }
        return worker.result()
      }
    }
    // The candidates by row block, moved out of the workers' results so that each block's can be
    // freed as soon as its pairs are written.
    var byBlock = [CandidateBlock?](repeating: nil, count: blockCount)
    for bi in 0..<blockCount { byBlock[bi] = partials[owner[bi]].blocks[slot[bi]] }
    for w in partials.indices { partials[w].blocks = [] }
    let dense = partials.reduce(0.0) { $0 + $1.denseFlops }
    let sparse = partials.reduce(0) { $0 + $1.sparseUpdates }
    let denseSeconds = partials.reduce(0.0) { $0 + $1.denseSeconds }

    // Exact re-scoring of every candidate, in parallel over rows.
    let neighbors: [[Neighbor]] = parallelMap(n, threads: threads) { row in
      if capacity == 0 { return [] }
      // Each pair was scored once, by one worker, so the workers' lists are disjoint. Their
      // union's best `capacity` by (float score, then index), the heap's own total order, are
      // exactly what one worker's heap would hold; only those are re-scored.
      var offered: [(score: Float, index: Int32)] = []
      for part in partials { offered += part.heaps.entries(row) }
      if partials.count > 1 && offered.count > capacity {
        offered.sort { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
        offered.removeLast(offered.count - capacity)
      }
      var list: [Neighbor] = []
      list.reserveCapacity(offered.count)
      for (_, j) in offered {
        let score = min(1, matrix.dot(row, Int(j)))
        if score > 0 { list.append(Neighbor(index: Int(j), score: score)) }
      }
      list.sort { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
      return Array(list.prefix(k))
    }
    // The heaps are read; they go before the pairs are laid out, and with them the layout's
    // and the packed head's pages, freed when the workers finished.
    partials = []
    returnFreedMemory()
    // Pairs: float scores clear of the threshold stand as computed (sgemm round-off on unit rows
    // is far below 1e-5); those within the slack band are re-scored exactly to decide. Each row
    // block's candidates are already in (a, b) order and blocks are in row order, so the blocks
    // are filtered in parallel and laid end to end.
    let threshold = configuration.threshold
    let band = Double(Self.slack)
    // Each block's surviving candidates are counted first, then written straight to their
    // place in the result, and the block's candidates are freed once written: the pairs and all
    // of the candidates are never resident together.
    func exactScore(_ candidate: Candidate) -> (score: Double, rescored: Bool) {
      let score = Double(candidate.score)
      if abs(score - threshold) <= band {
        return (min(1, matrix.dot(Int(candidate.a), Int(candidate.b))), true)
      }
      return (score, false)
    }
    let kept = parallelMap(blockCount, threads: threads) { bi -> (pairs: Int, rescored: Int) in
      var count = 0
      var rescored = 0
      byBlock[bi]?.forEach { candidate in
        let (score, again) = exactScore(candidate)
        if again { rescored += 1 }
        if score >= threshold && score > 0 { count += 1 }
      }
      return (count, rescored)
    }
    var offsets = [0]
    for block in kept { offsets.append(offsets[offsets.count - 1] + block.pairs) }
    let pairs = byBlock.withUnsafeMutableBufferPointer { blocks in
      nonisolated(unsafe) let blocks = blocks
      return [ScoredPair](unsafeUninitializedCapacity: offsets[blockCount]) { out, filled in
        nonisolated(unsafe) let out = out
        parallelForEach(blockCount, threads: threads) { bi in
          var slot = offsets[bi]
          blocks[bi]?.forEach { candidate in
            let (score, _) = exactScore(candidate)
            if score >= threshold && score > 0 {
              out.initializeElement(
                at: slot,
                to: ScoredPair(a: Int(candidate.a), b: Int(candidate.b), score: min(1, score)))
              slot += 1
            }
          }
          blocks[bi] = nil
        }
        filled = offsets[blockCount]
      }
    }
    let rescored = kept.reduce(0) { $0 + $1.rescored }
    return SimilarityResult(
      neighbors: neighbors, pairs: pairs,
      statistics: .init(
        headColumns: headCount, denseFlops: dense, sparseUpdates: sparse,
        rescored: rescored + n * capacity, denseSeconds: denseSeconds, workers: workers,
        blockSize: block))
  }
}

/// The dense/sparse split of the columns and the inverted index of the sparse part.
struct ColumnLayout: Sendable {
  /// Column → its index among the head columns, or -1.
  let headIndex: [Int32]
  let headCount: Int
  /// Column → whether the tail pass uses it (not head, in at least two rows).
  let isTail: [Bool]
  /// CSC of the tail columns: postings of column c are `starts[c]..<starts[c+1]`.
  let starts: [Int]
  let rows: [Int32]
  let values: [Float]

  init(matrix: SparseMatrix, head: SimilarityKernel.HeadSelection) {
    let columns = matrix.columnCount
    let n = matrix.rowCount
    var df = [Int](repeating: 0, count: columns)
    for c in matrix.columns { df[Int(c)] += 1 }
    let byFrequency = (0..<columns).filter { df[$0] >= 2 }.sorted {
      df[$0] != df[$1] ? df[$0] > df[$1] : $0 < $1
    }
    var h: Int
    switch head {
    case .fixed(let count): h = count
    case .automatic(let fraction):
      let cut = max(2.0, fraction * Double(n))
      h = byFrequency.prefix { Double(df[$0]) >= cut }.count
      if h > 0 { h = min(1024, (h + 15) / 16 * 16) }
    }
    h = max(0, min(h, byFrequency.count))
    var headIndex = [Int32](repeating: -1, count: columns)
    for (position, column) in byFrequency.prefix(h).enumerated() {
      headIndex[column] = Int32(position)
    }
    var isTail = [Bool](repeating: false, count: columns)
    for column in byFrequency.dropFirst(h) { isTail[column] = true }
    var starts = [Int](repeating: 0, count: columns + 1)
    for c in 0..<columns { starts[c + 1] = starts[c] + (isTail[c] ? df[c] : 0) }
    var fill = Array(starts.dropLast())
    var rows = [Int32](repeating: 0, count: starts[columns])
    var values = [Float](repeating: 0, count: starts[columns])
    for r in 0..<n {
      for e in matrix.rowStarts[r]..<matrix.rowStarts[r + 1] {
        let c = Int(matrix.columns[e])
        guard isTail[c] else { continue }
        rows[fill[c]] = Int32(r)
        values[fill[c]] = matrix.values[e]
        fill[c] += 1
      }
    }
    self.headIndex = headIndex
    self.headCount = h
    self.isTail = isTail
    self.starts = starts
    self.rows = rows
    self.values = values
  }
}

/// A pair that passed the float filter.
struct Candidate {
  var a: Int32
  var b: Int32
  var score: Float
}

/// One row block's candidates in `(a, b)` order, eight bytes each: row `a`'s are
/// `entries[rowStarts[a - rows.lowerBound]..<rowStarts[a - rows.lowerBound + 1]]`, each its `b`
/// and float score. The entries are in pages of their own, freed as soon as the block's pairs are
/// written (see ``MappedBuffer``).
struct CandidateBlock: Sendable {
  struct Entry {
    var b: Int32
    var score: Float
  }

  let rows: Range<Int>
  let rowStarts: [Int]
  let entries: MappedBuffer<Entry>

  /// A row block's candidates as found (column block by column block, so each row's are
  /// already in ascending `b`), put in `(a, b)` order by a stable counting sort by row.
  ///
  /// - Complexity: O(candidates + rows).
  init(_ candidates: [Candidate], rows: Range<Int>) {
    var starts = [Int](repeating: 0, count: rows.count + 1)
    for c in candidates { starts[Int(c.a) - rows.lowerBound + 1] += 1 }
    for r in 0..<rows.count { starts[r + 1] += starts[r] }
    var next = starts
    let entries = MappedBuffer<Entry>(count: candidates.count)
    for c in candidates {
      let r = Int(c.a) - rows.lowerBound
      entries.buffer.initializeElement(at: next[r], to: Entry(b: c.b, score: c.score))
      next[r] += 1
    }
    self.rows = rows
    self.rowStarts = starts
    self.entries = entries
  }

  /// Calls `body` with each candidate, in `(a, b)` order.
  @inline(__always)
  func forEach(_ body: (Candidate) -> Void) {
    let entries = self.entries.buffer
    for r in 0..<rows.count {
      let a = Int32(rows.lowerBound + r)
      for e in rowStarts[r]..<rowStarts[r + 1] {
        body(Candidate(a: a, b: entries[e].b, score: entries[e].score))
      }
    }
  }
}

/// What one worker thread found.
struct WorkerResult {
  var heaps: TopKHeaps
  /// The candidates of each processed row block, in processing order, each in (a, b) order.
  var blocks: [CandidateBlock]
  var denseFlops: Double
  var sparseUpdates: Int
  var denseSeconds: Double
}

/// One thread's state: packed head blocks, the score block, heaps and candidates.
struct Worker {
  let matrix: SparseMatrix
  let layout: ColumnLayout
  let block: Int
  var heaps: TopKHeaps
  let floor: Float
  var packedA: [Float]
  var packedB: [Float]
  var scores: [Float]
  /// The candidates of each processed row block, each in (a, b) order and of exact size (so no
  /// list grows by doubling to the size of all of them).
  var blocks: [CandidateBlock] = []
  /// The current row block's candidates as found, reused from block to block.
  var candidates: [Candidate] = []
  var denseFlops = 0.0
  var sparseUpdates = 0
  var denseSeconds = 0.0

  /// Every row's head columns (row-major, `headCount` wide), or empty when over the budget.
  let headRows: [Float]

  init(
    matrix: SparseMatrix, layout: ColumnLayout, block: Int, heaps: TopKHeaps, floor: Float,
    headRows: [Float] = []
  ) {
    self.matrix = matrix
    self.layout = layout
    self.block = block
    self.heaps = heaps
    self.floor = floor
    self.headRows = headRows
    let packSize = headRows.isEmpty ? block * max(layout.headCount, 1) : 0
    packedA = [Float](repeating: 0, count: packSize)
    packedB = packedA
    scores = [Float](repeating: 0, count: block * block)
  }

  func result() -> WorkerResult {
    WorkerResult(
      heaps: heaps, blocks: blocks, denseFlops: denseFlops,
      sparseUpdates: sparseUpdates,
      denseSeconds: denseSeconds)
  }

  /// Packs the head columns of every row, in parallel over row blocks, or returns an empty
  /// array when there is no head or it exceeds `limit` floats.
  static func packAll(_ matrix: SparseMatrix, layout: ColumnLayout, limit: Int, threads: Int)
    -> [Float]
  {
    let h = layout.headCount
    let n = matrix.rowCount
    guard h > 0, n * h <= limit else { return [] }
    var all = [Float](repeating: 0, count: n * h)
    all.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let out = buffer
      let chunk = 4096
      parallelForEach((n + chunk - 1) / chunk, threads: threads) { c in
        for r in (c * chunk)..<min(n, (c + 1) * chunk) {
          for e in matrix.rowStarts[r]..<matrix.rowStarts[r + 1] {
            let hc = layout.headIndex[Int(matrix.columns[e])]
            if hc >= 0 { out[r * h + Int(hc)] = matrix.values[e] }
          }
        }
      }
    }
    return all
  }

  /// Packs the head columns of rows `range` into `out` (row-major, `headCount` wide).
  static func pack(
    _ range: Range<Int>, of matrix: SparseMatrix, layout: ColumnLayout, into out: inout [Float]
  ) {
    let h = layout.headCount
    if h == 0 { return }
    out.withUnsafeMutableBufferPointer { o in
      o.update(repeating: 0)
      for r in range {
        let base = (r - range.lowerBound) * h
        for e in matrix.rowStarts[r]..<matrix.rowStarts[r + 1] {
          let hc = layout.headIndex[Int(matrix.columns[e])]
          if hc >= 0 { o[base + Int(hc)] = matrix.values[e] }
        }
      }
    }
  }

  /// Scores row block `bi` against every block `bj ≥ bi`.
  mutating func process(rowBlock bi: Int, blockCount: Int) {
    let matrix = self.matrix
    let layout = self.layout
    let n = matrix.rowCount
    let block = self.block
    let rowRange = (bi * block)..<min(n, (bi + 1) * block)
    let h = layout.headCount
    var a = packedA
    var b = packedB
    var s = scores
    var hp = heaps
    var found = candidates
    found.removeAll(keepingCapacity: true)
    var dense = 0.0
    var updates = 0
    var denseNanos: UInt64 = 0
    packedA = []
    packedB = []
    scores = []
    heaps = TopKHeaps(rowCount: 0, capacity: 0)
    candidates = []
    defer {
      blocks.append(CandidateBlock(found, rows: rowRange))
      packedA = a
      packedB = b
      scores = s
      heaps = hp
      candidates = found
      denseFlops += dense
      sparseUpdates += updates
      denseSeconds += Double(denseNanos) / 1e9
    }
    let prepacked = !headRows.isEmpty
    if !prepacked { Self.pack(rowRange, of: matrix, layout: layout, into: &a) }
    // Tail entries of this row block with a cursor at the first posting at or after the block.
    var entryRow: [Int32] = []
    var entryValue: [Float] = []
    var cursor: [Int] = []
    var end: [Int] = []
    for r in rowRange {
      for e in matrix.rowStarts[r]..<matrix.rowStarts[r + 1] {
        let c = Int(matrix.columns[e])
        guard layout.isTail[c] else { continue }
        var lo = layout.starts[c]
        var hi = layout.starts[c + 1]
        while lo < hi {
          let mid = (lo + hi) / 2
          if Int(layout.rows[mid]) < rowRange.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        entryRow.append(Int32(r - rowRange.lowerBound))
        entryValue.append(matrix.values[e])
        cursor.append(lo)
        end.append(layout.starts[c + 1])
      }
    }
    let floorScore = floor
    for bj in bi..<blockCount {
      let colRange = (bj * block)..<min(n, (bj + 1) * block)
      let m = rowRange.count
      let w = colRange.count
      if h > 0 {
        let started = DispatchTime.now().uptimeNanoseconds
        defer { denseNanos += DispatchTime.now().uptimeNanoseconds - started }
        if prepacked {
          headRows.withUnsafeBufferPointer { hp in
            s.withUnsafeMutableBufferPointer { sp in
              if let base = hp.baseAddress, let sBase = sp.baseAddress {
                BLAS.multiplyTransposed(
                  m: m, n: w, k: h, a: base + rowRange.lowerBound * h,
                  b: base + colRange.lowerBound * h, c: sBase, ldc: w)
              }
            }
          }
        } else {
          if bj != bi { Self.pack(colRange, of: matrix, layout: layout, into: &b) }
          let other = bj == bi ? a : b
          a.withUnsafeBufferPointer { ap in
            other.withUnsafeBufferPointer { bp in
              s.withUnsafeMutableBufferPointer { sp in
                if let aBase = ap.baseAddress, let bBase = bp.baseAddress,
                  let sBase = sp.baseAddress
                {
                  BLAS.multiplyTransposed(m: m, n: w, k: h, a: aBase, b: bBase, c: sBase, ldc: w)
                }
              }
            }
          }
        }
        dense += 2 * Double(m) * Double(w) * Double(h)
      } else {
        s.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
      }
      s.withUnsafeMutableBufferPointer { sp in
        // Sparse tail: walk each entry's postings up to the end of this column block.
        layout.rows.withUnsafeBufferPointer { postRows in
          layout.values.withUnsafeBufferPointer { postValues in
            let upper = Int32(colRange.upperBound)
            let lower = colRange.lowerBound
            for q in 0..<cursor.count {
              var p = cursor[q]
              let stop = end[q]
              let rowBase = Int(entryRow[q]) * w - lower
              let v = entryValue[q]
              while p < stop {
                let j = postRows[p]
                if j >= upper { break }
                sp[rowBase &+ Int(truncatingIfNeeded: j)] += v * postValues[p]
                p &+= 1
              }
              updates += p - cursor[q]
              cursor[q] = p
            }
          }
        }
        // Scan the block: heaps on both sides and threshold candidates.
        for r in 0..<m {
          let i = rowRange.lowerBound + r
          let first = bj == bi ? r + 1 : 0
          let rowBase = r * w
          var c = first
          while c < w {
            let score = sp[rowBase + c]
            if score > 0 {
              let j = colRange.lowerBound + c
              if score >= hp.floor(i) { hp.insert(row: i, index: Int32(j), score: score) }
              if score >= hp.floor(j) { hp.insert(row: j, index: Int32(i), score: score) }
              if score >= floorScore {
                found.append(Candidate(a: Int32(i), b: Int32(j), score: score))
              }
            }
            c += 1
          }
        }
      }
    }
  }
}
