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
    /// With a ``TimeWindow``, whether block pairs wholly beyond its horizon are skipped (the
    /// default); off, every block pair is scored and the pairs the window excludes are dropped
    /// one by one. Results are the same either way (tests compare the two).
    package var skipsDistantBlocks = true
    /// When more than ``neighborCount``, each row also keeps its `edgeCount` highest cosines,
    /// and those at or above ``edgeFloor`` come back as ``SimilarityResult/edges`` (the bounded
    /// story graph's pairs); 0 returns no edges.
    public var edgeCount = 0
    /// The lowest cosine of an edge.
    public var edgeFloor = 0.0

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
  ///   - window: When given, two dated rows further apart than its horizon are never compared
  ///     (``TimeWindow``): the rows are scored in time order and block pairs wholly beyond the
  ///     horizon are skipped. `nil` compares every pair.
  ///   - progress: Called with `(done, total)` pairs of row blocks scored: `(0, total)` before
  ///     the workers start, then once per block pair from whichever worker scored it (one
  ///     relaxed atomic add each). The results do not depend on it.
  /// - Returns: Neighbours and pairs.
  /// - Complexity: See the type's `Complexity` note: O(N²·H) flops plus the sparse tail, in
  ///   O(T·N·k) memory plus the scratch blocks, the candidates and the pairs. With a window
  ///   over dated rows, only the block pairs within the horizon: O(N·W·H) flops for W rows in a
  ///   window (plus every pair with an undated row), an O(nnz) copy of the rows in time order,
  ///   and O(P) to put the pairs back in row order.
  public func run(
    _ matrix: SparseMatrix, window: TimeWindow? = nil,
    progress: (@Sendable (Int, Int) -> Void)? = nil
  ) -> SimilarityResult {
    run(prepare(matrix, window: window), matrix: matrix, progress: progress, outcome: nil)
  }

  /// The rows laid out for scoring, and the block plan every worker follows, whether a thread
  /// of this process or a task of a distributed job (``KernelTasks``): the rows in scoring
  /// order (time order with a window), the column split decided on all of them, and the block
  /// size and heap capacities.
  struct Prepared {
    let rowCount: Int
    let neighborCount: Int
    let block: Int
    let blockCount: Int
    /// Neighbour heap slots per row (k plus the extra candidates, 0 without neighbours).
    let capacity: Int
    /// Edge heap slots per row (0 without edges).
    let wide: Int
    let floor: Float
    let edgeFloor: Float
    let plan: WindowPlan?
    let split: ColumnSplit
    /// The rows in scoring order (all of them, or a task's blocks with every other row empty).
    var work: SparseMatrix

    /// The row block `bi`'s rows (positions in scoring order).
    func rows(ofBlock bi: Int) -> Range<Int> { (bi * block)..<min(rowCount, (bi + 1) * block) }

    /// Whether row block `bi` scores against block `bj ≥ bi` at all.
    func needs(rowBlock bi: Int, columnBlock bj: Int) -> Bool {
      plan.map { $0.blockNeeded(rowBlock: rows(ofBlock: bi), columns: rows(ofBlock: bj)) } ?? true
    }
  }

  /// Lays out `matrix` for scoring (see ``Prepared``).
  func prepare(_ matrix: SparseMatrix, window: TimeWindow?) -> Prepared {
    let n = matrix.rowCount
    precondition(window == nil || window?.timestamps.count == n, "one timestamp per row")
    let k = max(0, configuration.neighborCount)
    // With a window, the workers score the rows in time order (`work`); heaps name rows in the
    // caller's order, and candidates are put back in it at the end.
    var plan = window.map(WindowPlan.init)
    plan?.skipsBlocks = configuration.skipsDistantBlocks
    let work = plan?.permute(matrix) ?? matrix
    let block = max(1, configuration.blockSize)
    let wide = configuration.edgeCount > k ? configuration.edgeCount : 0
    return Prepared(
      rowCount: n, neighborCount: k, block: block, blockCount: (n + block - 1) / block,
      capacity: k > 0 ? k + Self.extraCandidates : 0, wide: wide,
      floor: Float(configuration.threshold) - Self.slack,
      edgeFloor: wide > 0 ? Float(configuration.edgeFloor) - Self.slack : .infinity,
      plan: plan, split: ColumnSplit(matrix: work, head: configuration.head), work: work)
  }

  /// Scores `units` of `prepared` as one worker (each a row block against some of the blocks
  /// it needs): its heaps (for the rows `heapRows`, every row the units touch), candidates and
  /// counters. `layout` and `headRows` are the prepared rows' (made once for all workers).
  func work(
    _ prepared: Prepared, units: [KernelTasks.Unit], heapRows: Range<Int>, layout: ColumnLayout,
    headRows: [Float], progress: ProgressCounter?
  ) -> WorkerResult {
    var worker = self.worker(
      prepared, heapRows: heapRows, layout: layout, headRows: headRows, progress: progress)
    for unit in units {
      worker.process(rowBlock: unit.rowBlock, columnBlocks: unit.columnBlocks)
    }
    return worker.result()
  }

  /// A worker of `prepared` with empty heaps for the rows `heapRows`.
  func worker(
    _ prepared: Prepared, heapRows: Range<Int>, layout: ColumnLayout, headRows: [Float],
    progress: ProgressCounter?
  ) -> Worker {
    Worker(
      matrix: prepared.work, layout: layout, block: prepared.block,
      heaps: TopKHeaps(rows: heapRows, capacity: prepared.capacity),
      floor: prepared.floor, headRows: headRows, progress: progress, plan: prepared.plan,
      edgeHeaps: TopKHeaps(rows: prepared.wide > 0 ? heapRows : 0..<0, capacity: prepared.wide),
      edgeFloor: prepared.edgeFloor)
  }

  /// ``run(_:window:progress:)`` on `prepared` (`matrix` laid out), or, given the `outcome` of
  /// its row blocks scored elsewhere (the distributed job's tasks, ``KernelOutcome``, checked
  /// against `prepared`), the same result from it: the outcome takes the place of this
  /// process's workers, and everything after them is the same code.
  func run(
    _ prepared: Prepared, matrix: SparseMatrix, progress: (@Sendable (Int, Int) -> Void)?,
    outcome: consuming KernelOutcome?
  ) -> SimilarityResult {
    let n = matrix.rowCount
    let threads = effectiveThreadCount(configuration.threads)
    let empty = SimilarityResult(
      neighbors: Array(repeating: [], count: n), pairs: [],
      statistics: .init(
        headColumns: 0, denseFlops: 0, sparseUpdates: 0, rescored: 0, denseSeconds: 0, workers: 0,
        blockSize: configuration.blockSize))
    if n < 2 { return empty }
    let plan = prepared.plan
    let work = prepared.work
    let k = prepared.neighborCount
    let block = prepared.block
    let blockCount = prepared.blockCount
    let capacity = prepared.capacity
    let wide = prepared.wide
    let headCount = prepared.split.headCount
    let workers: Int
    var partials: [WorkerResult]
    var byBlock = [CandidateBlock?](repeating: nil, count: blockCount)
    // The outcome is consumed here: its heaps live on in `partials` only, and go with them.
    if let given = outcome.take() {
      workers = given.tasks
      partials = [given.workerResult(prepared)]
      byBlock = given.candidateBlocks(prepared)
    } else {
      workers = max(1, min(threads, blockCount))
      // Row block bi scores against blocks bi..<blockCount, so early blocks cost more, and the
      // window makes costs uneven: each worker takes the next row block as it finishes one
      // (the costliest come first). Which worker scores a pair does not change its float score
      // (the same block pair, the same calls), and the heaps' union is taken by their total
      // order, so the result does not depend on who took what. Worker w's row blocks, in order:
      var taken = [[Int]](repeating: [], count: workers)
      // The column layout and the packed head live only while the workers run: they are gone
      // before the pairs are laid out.
      do {
        let layout = ColumnLayout(matrix: work, split: prepared.split, threads: workers)
        // The engine runs its own threads over blocks; BLAS runs each sgemm on the calling
        // thread (BLAS.multiplyTransposed makes OpenBLAS single-threaded once per process), so
        // every block is computed the same way whatever OPENBLAS_NUM_THREADS says.
        // The dense head of every row, packed once (N × head floats) when it fits the budget,
        // so sgemm runs straight on row slices; otherwise each block packs its rows on the fly.
        let headRows = Worker.packAll(
          work, layout: layout, limit: configuration.packedHeadLimit, threads: workers)
        var blockPairs = 0
        for bi in 0..<blockCount {
          for bj in bi..<blockCount where prepared.needs(rowBlock: bi, columnBlock: bj) {
            blockPairs += 1
          }
        }
        let counter = progress.map { ProgressCounter(total: blockPairs, report: $0) }
        var states = [Worker?](repeating: nil, count: workers)
        states.withUnsafeMutableBufferPointer { states in
          taken.withUnsafeMutableBufferPointer { taken in
            nonisolated(unsafe) let (states, taken) = (states, taken)
            parallelForEachDynamic(blockCount, threads: workers, chunk: 1) { w, bi in
              // Slot w belongs to the one thread running as worker w.
              if states[w] == nil {
                states[w] = self.worker(
                  prepared, heapRows: 0..<n, layout: layout, headRows: headRows,
                  progress: counter)
              }
              states[w]?.process(rowBlock: bi, columnBlocks: bi..<blockCount)
              taken[w].append(bi)
            }
          }
        }
        partials = states.compactMap { $0?.result() }
        taken = taken.filter { !$0.isEmpty }
      }
      // The candidates by row block, moved out of the workers' results so that each block's
      // can be freed as soon as its pairs are written.
      for (w, blocks) in taken.enumerated() {
        for (k, bi) in blocks.enumerated() { byBlock[bi] = partials[w].blocks[k] }
      }
    }
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
      let slot = plan.map { Int($0.positions[row]) } ?? row
      let offered = Self.best(capacity, of: partials.map { $0.heaps.entries(slot) })
      var list: [Neighbor] = []
      list.reserveCapacity(offered.count)
      for (_, j) in offered {
        let score = min(1, matrix.dot(row, Int(j)))
        if score > 0 { list.append(Neighbor(index: Int(j), score: score)) }
      }
      list.sort { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
      return Array(list.prefix(k))
    }
    // The edges: each row's best `wide` float scores over the workers (the same total order),
    // those within the slack of the floor re-scored exactly to decide.
    let band = Double(Self.slack)
    var edges: [ScoredPair]? = nil
    if wide > 0 {
      edges = Self.boundedEdges(
        &partials, capacity: wide, plan: plan, matrix: matrix, floor: configuration.edgeFloor,
        threads: threads)
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
    // Each block's surviving candidates are counted first, then written straight to their
    // place in the result, and the block's candidates are freed once written: the pairs and all
    // of the candidates are never resident together.
    func exactScore(_ candidate: Candidate) -> (score: Double, rescored: Bool) {
      let score = Double(candidate.score)
      if abs(score - threshold) <= band {
        return (min(1, work.dot(Int(candidate.a), Int(candidate.b))), true)
      }
      return (score, false)
    }
    if let plan {
      let pairs = Self.pairsInRowOrder(
        byBlock: &byBlock, plan: plan, threads: threads
      ) { candidate in
        let (score, again) = exactScore(candidate)
        return (score >= threshold && score > 0 ? min(1, score) : nil, again)
      }
      return SimilarityResult(
        neighbors: neighbors, pairs: pairs.pairs, edges: edges,
        statistics: .init(
          headColumns: headCount, denseFlops: dense, sparseUpdates: sparse,
          rescored: pairs.rescored + n * capacity,
          denseSeconds: denseSeconds,
          workers: workers, blockSize: block))
    }
    let survivors = parallelMap(blockCount, threads: threads) {
      bi -> (pairs: Int, rescored: Int) in
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
    for block in survivors { offsets.append(offsets[offsets.count - 1] + block.pairs) }
    let pairs = byBlock.withUnsafeMutableBufferPointer { blocks in
      nonisolated(unsafe) let blocks = blocks
      return uninitializedArray(count: offsets[blockCount]) {
        (out: inout UnsafeMutableBufferPointer<ScoredPair>, filled) in
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
    let rescored = survivors.reduce(0) { $0 + $1.rescored }
    return SimilarityResult(
      neighbors: neighbors, pairs: pairs, edges: edges,
      statistics: .init(
        headColumns: headCount, denseFlops: dense, sparseUpdates: sparse,
        rescored: rescored + n * capacity,
        denseSeconds: denseSeconds, workers: workers,
        blockSize: block))
  }

  /// The union of the workers' lists for one row, cut to its best `capacity` by (float score,
  /// then index), the heaps' own total order: exactly what one worker's heap would hold, since
  /// each pair was scored by one worker only. A single list is returned as it is; the order of
  /// the result is unspecified (its callers sort what they keep).
  ///
  /// - Complexity: O(m) expected for the m entries offered (a selection, not a sort: with two
  ///   workers each row offers up to 400 edges, and sorting them cost more than the second
  ///   thread saved).
  static func best(_ capacity: Int, of lists: [[(score: Float, index: Int32)]])
    -> [(score: Float, index: Int32)]
  {
    var offered = lists.count == 1 ? lists[0] : lists.flatMap { $0 }
    if lists.count > 1 && offered.count > capacity {
      selectBest(capacity, in: &offered)
      offered.removeLast(offered.count - capacity)
    }
    return offered
  }

  /// Moves the best `count` entries of `entries` (higher score, then smaller index; the indices
  /// are distinct, so the order is total) to its front, in no particular order: Hoare's
  /// selection with a median-of-three pivot.
  package static func selectBest(
    _ count: Int, in entries: inout [(score: Float, index: Int32)]
  ) {
    guard count > 0, count < entries.count else { return }
    @inline(__always) func better(
      _ x: (score: Float, index: Int32), _ y: (score: Float, index: Int32)
    )
      -> Bool
    { x.score != y.score ? x.score > y.score : x.index < y.index }
    let target = count - 1
    entries.withUnsafeMutableBufferPointer { a in
      var lo = 0
      var hi = a.count - 1
      while lo < hi {
        let mid = lo + (hi - lo) / 2
        if better(a[mid], a[lo]) { a.swapAt(mid, lo) }
        if better(a[hi], a[lo]) { a.swapAt(hi, lo) }
        if better(a[hi], a[mid]) { a.swapAt(hi, mid) }
        let pivot = a[mid]
        var i = lo
        var j = hi
        while i <= j {
          while better(a[i], pivot) { i += 1 }
          while better(pivot, a[j]) { j -= 1 }
          if i <= j {
            a.swapAt(i, j)
            i += 1
            j -= 1
          }
        }
        // a[lo...j] are no worse than the pivot, a[i...hi] no better; between them, the pivot.
        if target <= j {
          hi = j
        } else if target >= i {
          lo = i
        } else {
          return
        }
      }
    }
  }

  /// The windowed run's candidates (positions in time order), decided by `decide` and put back
  /// as pairs `a < b` of the caller's rows, in `(a, b)` order; each block's candidates are freed
  /// once read.
  ///
  /// - Complexity: O(C + N + P log d) for C candidates, P pairs and d pairs per row at most.
  private static func pairsInRowOrder(
    byBlock: inout [CandidateBlock?], plan: WindowPlan, threads: Int,
    decide: (Candidate) -> (score: Double?, rescored: Bool)
  ) -> (pairs: [ScoredPair], rescored: Int) {
    let n = plan.rows.count
    var kept: [(a: Int32, b: Int32, score: Double)] = []
    var rescored = 0
    for bi in byBlock.indices {
      byBlock[bi]?.forEach { candidate in
        let (score, again) = decide(candidate)
        if again { rescored += 1 }
        guard let score else { return }
        let x = plan.rows[Int(candidate.a)]
        let y = plan.rows[Int(candidate.b)]
        kept.append((min(x, y), max(x, y), score))
      }
      byBlock[bi] = nil
    }
    // Counting sort by `a`, then each row's pairs by `b`.
    var starts = [Int](repeating: 0, count: n + 1)
    for pair in kept { starts[Int(pair.a) + 1] += 1 }
    for row in 0..<n { starts[row + 1] += starts[row] }
    var next = starts
    let pairs = uninitializedArray(count: kept.count) {
      (out: inout UnsafeMutableBufferPointer<ScoredPair>, filled) in
      for pair in kept {
        out.initializeElement(
          at: next[Int(pair.a)], to: ScoredPair(a: Int(pair.a), b: Int(pair.b), score: pair.score))
        next[Int(pair.a)] += 1
      }
      filled = kept.count
      nonisolated(unsafe) let out = out
      parallelForEach(n, threads: threads) { row in
        out[starts[row]..<starts[row + 1]].sort { $0.b < $1.b }
      }
    }
    return (pairs, rescored)
  }
}
