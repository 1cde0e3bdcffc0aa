import Dispatch

/// What one worker thread found.
struct WorkerResult {
  var heaps: TopKHeaps
  /// Per row, its highest scores at or above the edge floor (capacity 0 without edges).
  var edgeHeaps: TopKHeaps
  /// The candidates of each processed row block, in processing order, each in (a, b) order.
  var blocks: [CandidateBlock]
  var denseFlops: Double
  var sparseUpdates: Int
  var denseSeconds: Double
}

/// One thread's state: packed head blocks, the score block, heaps and candidates.
///
/// - Complexity: Memory O(N·k) for the top-(k + 2) heaps of all N rows, B² floats for the score
///   block, 2·B·H floats for head blocks packed per block (none when the head is packed for all
///   rows), 8 bytes per candidate of the blocks it processed, and 12 per candidate of the largest
///   block it scanned (the reused scratch list).
struct Worker {
  let matrix: SparseMatrix
  let layout: ColumnLayout
  let block: Int
  var heaps: TopKHeaps
  let floor: Float
  /// Per row, its highest scores at or above `edgeFloor` (capacity 0: no edges kept).
  var edgeHeaps: TopKHeaps
  /// Scores below this never enter `edgeHeaps` (`.infinity` without edges).
  let edgeFloor: Float
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
  /// Counts block pairs scored, when the kernel reports progress.
  let progress: ProgressCounter?
  /// With a time window: the rows are in the plan's order, only the pairs it allows are
  /// offered, and heaps record each neighbour by its row in the caller's order.
  let plan: WindowPlan?

  init(
    matrix: SparseMatrix, layout: ColumnLayout, block: Int, heaps: TopKHeaps, floor: Float,
    headRows: [Float] = [], progress: ProgressCounter? = nil, plan: WindowPlan? = nil,
    edgeHeaps: TopKHeaps = TopKHeaps(rowCount: 0, capacity: 0), edgeFloor: Float = .infinity
  ) {
    self.edgeHeaps = edgeHeaps
    self.edgeFloor = edgeFloor
    self.matrix = matrix
    self.layout = layout
    self.block = block
    self.heaps = heaps
    self.floor = floor
    self.headRows = headRows
    self.progress = progress
    self.plan = plan
    let packSize = headRows.isEmpty ? block * max(layout.headCount, 1) : 0
    packedA = [Float](repeating: 0, count: packSize)
    packedB = packedA
    scores = [Float](repeating: 0, count: block * block)
  }

  func result() -> WorkerResult {
    WorkerResult(
      heaps: heaps, edgeHeaps: edgeHeaps, blocks: blocks, denseFlops: denseFlops,
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

  /// Scores row block `bi` against the blocks `columnBlocks` (all at or after `bi`): one task
  /// of a distributed job may hold a row block's first column blocks, another its last.
  mutating func process(rowBlock bi: Int, columnBlocks: Range<Int>) {
    precondition(columnBlocks.lowerBound >= bi, "a row block scores against later blocks only")
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
    var ep = edgeHeaps
    var found = candidates
    found.removeAll(keepingCapacity: true)
    var dense = 0.0
    var updates = 0
    var denseNanos: UInt64 = 0
    packedA = []
    packedB = []
    scores = []
    heaps = TopKHeaps(rowCount: 0, capacity: 0)
    edgeHeaps = TopKHeaps(rowCount: 0, capacity: 0)
    candidates = []
    defer {
      blocks.append(CandidateBlock(found, rows: rowRange))
      packedA = a
      packedB = b
      scores = s
      heaps = hp
      edgeHeaps = ep
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
    let edgeFloorScore = edgeFloor
    let plan = self.plan
    for bj in columnBlocks {
      let colRange = (bj * block)..<min(n, (bj + 1) * block)
      if let plan, !plan.blockNeeded(rowBlock: rowRange, columns: colRange) { continue }
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
              if p < stop, Int(postRows[p]) < lower {
                // Blocks in between were skipped (beyond the window, or another task's): jump
                // past their postings.
                var hi = stop
                while p < hi {
                  let mid = (p + hi) / 2
                  if Int(postRows[mid]) < lower { p = mid + 1 } else { hi = mid }
                }
                cursor[q] = p
              }
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
        /// Offers the scores of row `i` in block columns `columns` to the heaps and candidates.
        // The heaps come in as pointer views (``TopKHeaps/Storage``) and the candidates as an
        // `inout` parameter: a captured `var` that a nested function mutates is checked for
        // exclusive access at run time on every use, and each insert into the heaps' arrays
        // checks their uniqueness (together about 5 % of an index add's samples before).
        func scan(
          row i: Int, columns: Range<Int>, rowBase: Int, colRange: Range<Int>,
          hp: TopKHeaps.Storage, ep: TopKHeaps.Storage, found: inout [Candidate]
        ) {
          let rowName = plan.map { $0.rows[i] } ?? Int32(i)
          var c = columns.lowerBound
          while c < columns.upperBound {
            let score = sp[rowBase + c]
            if score > 0 {
              let j = colRange.lowerBound + c
              if score >= hp.floor(i) {
                hp.insert(row: i, index: plan.map { $0.rows[j] } ?? Int32(j), score: score)
              }
              if score >= hp.floor(j) { hp.insert(row: j, index: rowName, score: score) }
              if score >= edgeFloorScore {
                if score >= ep.floor(i) {
                  ep.insert(row: i, index: plan.map { $0.rows[j] } ?? Int32(j), score: score)
                }
                if score >= ep.floor(j) { ep.insert(row: j, index: rowName, score: score) }
              }
              if score >= floorScore {
                found.append(Candidate(a: Int32(i), b: Int32(j), score: score))
              }
            }
            c += 1
          }
        }
        // Scan the block: heaps on both sides and threshold candidates.
        hp.withStorage { hp in
          ep.withStorage { ep in
            for r in 0..<m {
              let i = rowRange.lowerBound + r
              let first = bj == bi ? r + 1 : 0
              let rowBase = r * w
              guard let plan else {
                scan(
                  row: i, columns: first..<w, rowBase: rowBase, colRange: colRange, hp: hp,
                  ep: ep, found: &found)
                continue
              }
              // With a window, only the columns it allows: dated ones in reach, then undated
              // ones.
              let (near, undated) = plan.partners(of: i)
              for part in 0..<2 {
                let run = (part == 0 ? near : undated).clamped(to: colRange)
                if run.isEmpty { continue }
                let from = max(first, run.lowerBound - colRange.lowerBound)
                let to = run.upperBound - colRange.lowerBound
                scan(
                  row: i, columns: from..<max(from, to), rowBase: rowBase, colRange: colRange,
                  hp: hp, ep: ep, found: &found)
              }
            }
          }
        }
      }
      progress?.advance()
    }
  }
}
