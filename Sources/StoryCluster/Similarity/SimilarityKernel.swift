#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Exact cosine similarity of L2-normalised sparse rows: top-k neighbours and thresholded pairs,
/// computed in blocks on BLAS.
///
/// The columns are split by document frequency. The *head* (the columns in most rows, which make
/// sparse methods slow) is packed densely (once for all rows, or per block above
/// ``Configuration/packedHeadLimit``) and multiplied with `cblas_sgemm`; the long *tail* is added
/// from an inverted index walked with one cursor per row entry. Only the upper triangle of block
/// pairs is computed; each block pair updates bounded top-k heaps on both sides and collects
/// threshold candidates. Every kept neighbour, and every candidate within 1e-4 of the threshold,
/// is then re-scored exactly in `Double` from the sparse rows; the other pairs keep their
/// single-precision score (for unit rows, far within 1e-5 of the exact one). So the threshold
/// decisions and the neighbour order are a double-precision brute force's, and results do not
/// depend on BLAS or engine thread counts.
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
/// - Complexity: For N rows, k neighbours, block size B, H head columns, V columns, r entries per
///   row and T = min(threads, ⌈N / B⌉) workers. Time: N²·H sgemm flops (half the B × B blocks,
///   2·B²·H flops each); Σ df(t)² / 2 sparse multiply-adds over the tail columns t, plus
///   O(N · tail entries / B) cursor steps; one pass over the N² / 2 scores, with an O(log k) heap
///   insertion for each that beats its row's floor; O(T·N·k) to set up the workers' heaps and
///   O(N·T·k·log(T·k)) to merge them; and O(r) per exact re-scoring, of the N·(k + 2) kept
///   neighbours and of the candidates within 1e-4 of the threshold. Memory: O(T·N·k), because
///   each worker keeps top-(k + 2) heaps for all N rows (8 bytes an entry); T·B² floats of score
///   blocks, and 2·T·B·H more when the head is packed per block; the N·H packed head when it fits
///   ``Configuration/packedHeadLimit``; O(V + nnz) for the column split and the CSC copy of the
///   tail; 8 bytes per candidate (score ≥ threshold − 1e-4) and 16 per returned pair. No N × N
///   matrix is built, but candidates and pairs grow as N² when the threshold is low enough.
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
  /// ```swift
  /// let result = kernel.run(matrix) { done, total in print("\(done)/\(total) block pairs") }
  /// ```
  ///
  /// - Parameters:
  ///   - matrix: The rows.
  ///   - progress: Called with `(done, total)` pairs of row blocks scored: `(0, total)` before
  ///     the workers start, then once per block pair from whichever worker scored it (one
  ///     relaxed atomic add each). The results do not depend on it.
  /// - Returns: Neighbours and pairs.
  /// - Complexity: See the type's `Complexity` note: O(N²·H) flops plus the sparse tail, in
  ///   O(T·N·k) memory plus the scratch blocks, the candidates and the pairs.
  public func run(_ matrix: SparseMatrix, progress: (@Sendable (Int, Int) -> Void)? = nil)
    -> SimilarityResult
  {
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
      // The engine runs its own threads over blocks; BLAS runs each sgemm on the calling thread
      // (BLAS.multiplyTransposed makes OpenBLAS single-threaded once per process), so every
      // block is computed the same way whatever OPENBLAS_NUM_THREADS says.
      // The dense head of every row, packed once (N × head floats) when it fits the budget, so
      // sgemm runs straight on row slices; otherwise each block packs its rows on the fly.
      let headRows = Worker.packAll(
        matrix, layout: layout, limit: configuration.packedHeadLimit, threads: workers)
      let counter = progress.map {
        ProgressCounter(total: blockCount * (blockCount + 1) / 2, report: $0)
      }
      partials = parallelMap(workers, threads: workers) { w -> WorkerResult in
        var worker = Worker(
          matrix: matrix, layout: layout, block: block,
          heaps: TopKHeaps(rowCount: n, capacity: capacity),
          floor: floor, headRows: headRows, progress: counter)
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
