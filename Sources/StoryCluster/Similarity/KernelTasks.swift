#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The similarity kernel cut into tasks that other processes run: the distributed job's
/// workers (`spark/`, through `cluster spark task`).
///
/// A task is a set of row blocks of the one plan every worker thread of ``SimilarityKernel``
/// follows: the rows in scoring order (time order with a window), cut in blocks of
/// ``SimilarityKernel/Configuration/blockSize``, the columns split into head and tail on all of
/// them. Row block `bi` scores against the blocks `bj ≥ bi` its window reaches (every later
/// block without one), so a pair of rows is scored by exactly one task, the one holding the
/// earlier row's block; the blocks a task reads beyond its own are its halo. Its sgemm calls
/// and sparse sums are the very calls a thread of the single-machine run makes for those
/// blocks, so its float scores are bit for bit the same, and merging the tasks' heaps (each
/// row's best by float score, then index: an associative cut) gives exactly what the threads'
/// heaps give. ``KernelOutcome`` carries the merge back into the kernel, and every step after
/// the workers is the single-machine code.
///
/// On disk (``write(to:)``), a directory: `plan.bin` (the split, the window plan, the sizes)
/// and `block-NNNNNN.bin` per row block (its rows' CSR slice), so a task reads only its
/// blocks and their halo.
///
/// - Complexity: Writing is O(nnz + N + V); a task reads O(N + V) of plan plus its blocks and
///   halo, and keeps O(N·(k + e)) heap slots as a thread does.
package struct KernelTasks: Sendable {
  /// The kernel's configuration (its head selection is already applied in the split).
  let configuration: SimilarityKernel.Configuration
  /// The laid-out rows: all of them when made by the engine, a task's blocks when read.
  var prepared: SimilarityKernel.Prepared
  /// The rows (articles with distinct texts) the kernel scores.
  package var rowCount: Int { prepared.rowCount }
  /// The row blocks, numbered from 0.
  package var blockCount: Int { prepared.blockCount }
  /// Neighbour slots a row keeps (the merge's cut for `N` lines).
  package var neighborCapacity: Int { prepared.capacity }
  /// Edge slots a row keeps (the merge's cut for `E` lines).
  package var edgeCapacity: Int { prepared.wide }

  init(configuration: SimilarityKernel.Configuration, prepared: SimilarityKernel.Prepared) {
    self.configuration = configuration
    self.prepared = prepared
  }

  /// The tasks of `kernel` on `matrix` (as ``SimilarityKernel/run(_:window:progress:)`` would
  /// score it).
  init(kernel: SimilarityKernel, matrix: SparseMatrix, window: TimeWindow?) {
    self.init(
      configuration: kernel.configuration, prepared: kernel.prepare(matrix, window: window))
  }

  /// What identifies the plan: the rows, vocabulary, entries, blocks, capacities and head.
  package var signature: String { Self.signature(prepared) }

  static func signature(_ p: SimilarityKernel.Prepared) -> String {
    "\(p.rowCount) rows, \(p.work.columnCount) columns, \(p.blockCount) blocks of \(p.block), "
      + "capacities \(p.capacity)/\(p.wide), \(p.split.headCount) head columns, "
      + "\(p.plan.map { "\($0.datedCount) dated" } ?? "no window")"
  }

  /// A piece of a task: row block `rowBlock` scored against the blocks it needs among
  /// `columnBlocks` (all at or after it). Written as `rowBlock from to` (`to` exclusive), or
  /// just `rowBlock` for all of its blocks.
  package struct Unit: Equatable, Sendable, CustomStringConvertible {
    package var rowBlock: Int
    package var columnBlocks: Range<Int>

    package init(rowBlock: Int, columnBlocks: Range<Int>) {
      self.rowBlock = rowBlock
      self.columnBlocks = columnBlocks
    }

    package var description: String {
      "\(rowBlock) \(columnBlocks.lowerBound) \(columnBlocks.upperBound)"
    }
  }

  /// Reads a unit line (`rowBlock` or `rowBlock from to`) of a plan with `blockCount` blocks.
  package func unit(_ line: String) -> Unit? {
    let numbers = line.split(separator: " ").map { Int($0) }
    guard numbers.count == 1 || numbers.count == 3, numbers.allSatisfy({ $0 != nil }),
      let bi = numbers[0], (0..<blockCount).contains(bi)
    else { return nil }
    guard numbers.count == 3, let from = numbers[1], let to = numbers[2] else {
      return Unit(rowBlock: bi, columnBlocks: bi..<blockCount)
    }
    guard bi <= from, from <= to, to <= blockCount else { return nil }
    return Unit(rowBlock: bi, columnBlocks: from..<to)
  }

  /// The column blocks `unit` scores against.
  func blocks(of unit: Unit) -> [Int] { prepared.blocks(of: unit) }

  /// The kernel's work cut into at most `count` tasks of about equal numbers of block pairs:
  /// the block pairs in order (row block, then column block), cut into runs; a row block's
  /// pairs may be split between tasks (the undated corpus's all-pairs, where row block 0
  /// scores against every block). Every needed block pair is in exactly one task.
  ///
  /// - Complexity: O(P + B) for P block pairs.
  package func tasks(count: Int) -> [[Unit]] {
    var pairs: [(Int, Int)] = []
    for bi in 0..<blockCount {
      for bj in bi..<blockCount where prepared.needs(rowBlock: bi, columnBlock: bj) {
        pairs.append((bi, bj))
      }
    }
    guard !pairs.isEmpty else { return [] }
    let taskCount = min(max(1, count), pairs.count)
    return (0..<taskCount).map { task in
      let start = task * pairs.count / taskCount
      let end = (task + 1) * pairs.count / taskCount
      var units: [Unit] = []
      for (bi, bj) in pairs[start..<end] {
        if let last = units.last, last.rowBlock == bi {
          units[units.count - 1].columnBlocks = last.columnBlocks.lowerBound..<(bj + 1)
        } else {
          units.append(Unit(rowBlock: bi, columnBlocks: bj..<(bj + 1)))
        }
      }
      return units
    }
  }

  // MARK: - Running a task

  /// Scores `units` as one worker and writes its findings as text lines to `emit`:
  ///
  /// - `N <slot> <row>:<bits> …`: a row's neighbour candidates (slot: its position in scoring
  ///   order; row: the other row's number; bits: the float score's IEEE bits, 8 hex digits);
  /// - `E <slot> <row>:<bits> …`: its edge candidates;
  /// - `C <a> <b> <bits>`: a pair at the threshold's float floor (positions `a < b`);
  /// - `S <flops> <updates> <seconds>`: the task's work counters.
  ///
  /// - Precondition: The units' blocks are loaded (``init(reading:units:)``).
  package func run(units: [Unit], emit: (String) -> Void) {
    let kernel = SimilarityKernel(configuration: configuration)
    let layout = ColumnLayout(matrix: prepared.work, split: prepared.split)
    // Each block packs its own head (a task holds few of the rows; the scores are the same).
    var rows = 0..<0
    for unit in units {
      let touched = [unit.rowBlock] + blocks(of: unit)
      let from = prepared.rows(ofBlock: touched.min() ?? 0).lowerBound
      let to = prepared.rows(ofBlock: touched.max() ?? 0).upperBound
      rows = rows.isEmpty ? from..<to : min(rows.lowerBound, from)..<max(rows.upperBound, to)
    }
    let result = kernel.work(
      prepared, units: units, heapRows: rows, layout: layout, headRows: [], progress: nil)
    func entries(_ kind: String, _ heaps: TopKHeaps) {
      guard heaps.capacity > 0 else { return }
      for slot in heaps.rows {
        let kept = heaps.entries(slot)
        if kept.isEmpty { continue }
        var line = "\(kind) \(slot)"
        for (score, row) in kept { line += " \(row):\(Self.hex(score))" }
        emit(line)
      }
    }
    entries("N", result.heaps)
    entries("E", result.edgeHeaps)
    for block in result.blocks {
      block.forEach { emit("C \($0.a) \($0.b) \(Self.hex($0.score))") }
    }
    emit("S \(result.denseFlops) \(result.sparseUpdates) \(result.denseSeconds)")
  }

  /// A float's bits as 8 lowercase hex digits.
  static func hex(_ score: Float) -> String {
    let digits = String(score.bitPattern, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
  }

  // MARK: - On disk

  static let magic = Array("storycluster-kernel-tasks 1\n".utf8)

  /// Writes the plan and every row block's rows into `directory` (made if missing).
  ///
  /// - Throws: ``KernelTaskError`` naming the file that could not be written.
  package func write(to directory: String) throws(KernelTaskError) {
    if mkdir(directory, 0o755) != 0 && errno != EEXIST {
      throw KernelTaskError(
        "\(directory): cannot create the work directory: \(FileBytes.errnoText())")
    }
    var out = ByteSink()
    out.bytes.append(contentsOf: Self.magic)
    let p = prepared
    let c = configuration
    for value in [
      p.rowCount, p.work.columnCount, p.neighborCount, p.block, p.capacity, p.wide,
      p.split.headCount, p.plan?.datedCount ?? -1, c.packedHeadLimit, c.skipsDistantBlocks ? 1 : 0,
    ] { out.append(Int64(value)) }
    out.append(p.floor.bitPattern)
    out.append(p.edgeFloor.bitPattern)
    out.append(c.threshold.bitPattern)
    out.append(c.edgeFloor.bitPattern)
    out.append(array: p.split.headIndex)
    out.append(array: p.split.isTail.map { $0 ? UInt8(1) : 0 })
    if let plan = p.plan {
      out.append(array: plan.rows)
      out.append(array: plan.positions)
      out.append(array: plan.reach)
    }
    try out.write(to: directory + "/plan.bin")
    for bi in 0..<blockCount {
      let rows = p.rows(ofBlock: bi)
      let from = p.work.rowStarts[rows.lowerBound]
      let to = p.work.rowStarts[rows.upperBound]
      var block = ByteSink()
      block.bytes.append(contentsOf: Self.magic)
      block.append(Int64(bi))
      block.append(array: rows.map { Int64(p.work.rowStarts[$0 + 1] - from) })
      block.append(array: Array(p.work.columns[from..<to]))
      block.append(array: Array(p.work.values[from..<to]))
      try block.write(to: Self.blockPath(directory, bi))
    }
  }

  static func blockPath(_ directory: String, _ bi: Int) -> String {
    let digits = String(bi)
    return directory + "/block-" + String(repeating: "0", count: max(0, 6 - digits.count))
      + digits + ".bin"
  }

  /// The tasks read back from `directory`, with the rows of `units`' blocks (every other row
  /// empty); no units, for the plan alone.
  ///
  /// - Throws: ``KernelTaskError`` naming the file that is missing, unreadable or damaged.
  package init(reading directory: String, units: [Unit] = []) throws(KernelTaskError) {
    let path = directory + "/plan.bin"
    var source = try ByteSource(path: path)
    let header = try (0..<10).map { _ throws(KernelTaskError) in try source.int64() }
    let (n, columns, k, block, capacity, wide, headCount, dated) = (
      header[0], header[1], header[2], header[3], header[4], header[5], header[6], header[7]
    )
    guard n >= 0, columns >= 0, block >= 1, capacity >= 0, wide >= 0, headCount >= 0,
      dated >= -1, dated <= n
    else { throw KernelTaskError("\(path): the plan's sizes are damaged") }
    let floor = Float(bitPattern: try source.uint32())
    let edgeFloor = Float(bitPattern: try source.uint32())
    var configuration = SimilarityKernel.Configuration(
      neighborCount: k, threshold: Double(bitPattern: try source.uint64()), blockSize: block,
      head: .fixed(headCount), threads: 1)
    configuration.edgeFloor = Double(bitPattern: try source.uint64())
    configuration.edgeCount = wide
    configuration.packedHeadLimit = header[8]
    configuration.skipsDistantBlocks = header[9] != 0
    let headIndex: [Int32] = try source.array(count: columns)
    let isTail: [UInt8] = try source.array(count: columns)
    var plan: WindowPlan?
    if dated >= 0 {
      let rows: [Int32] = try source.array(count: n)
      let positions: [Int32] = try source.array(count: n)
      let reach: [Int32] = try source.array(count: dated)
      plan = WindowPlan(rows: rows, positions: positions, datedCount: dated, reach: reach)
      plan?.skipsBlocks = configuration.skipsDistantBlocks
    }
    try source.end()
    let blockCount = (n + block - 1) / block
    // The blocks this task reads: its own and their halo.
    var prepared = SimilarityKernel.Prepared(
      rowCount: n, neighborCount: k, block: block, blockCount: blockCount, capacity: capacity,
      wide: wide, floor: floor, edgeFloor: edgeFloor, plan: plan,
      split: ColumnSplit(
        headIndex: headIndex, headCount: headCount, isTail: isTail.map { $0 != 0 }),
      work: SparseMatrix(columnCount: columns, rowStarts: [0], columns: [], values: []))
    var needed = Set<Int>()
    for unit in units {
      guard (0..<blockCount).contains(unit.rowBlock),
        unit.columnBlocks.lowerBound >= unit.rowBlock, unit.columnBlocks.upperBound <= blockCount
      else {
        throw KernelTaskError("the unit \(unit) is not one of the plan's \(blockCount) blocks")
      }
      needed.insert(unit.rowBlock)
      needed.formUnion(prepared.blocks(of: unit))
    }
    var starts = [Int](repeating: 0, count: n + 1)
    var columnList: [Int32] = []
    var values: [Float] = []
    var next = 0
    for bj in needed.sorted() {
      let blockPath = Self.blockPath(directory, bj)
      var source = try ByteSource(path: blockPath)
      let rows = prepared.rows(ofBlock: bj)
      guard try source.int64() == bj else {
        throw KernelTaskError("\(blockPath): holds another block")
      }
      let ends: [Int64] = try source.array(count: rows.count)
      let count = Int(ends.last ?? 0)
      let blockColumns: [Int32] = try source.array(count: count)
      let blockValues: [Float] = try source.array(count: count)
      try source.end()
      guard blockColumns.allSatisfy({ $0 >= 0 && Int($0) < columns }) else {
        throw KernelTaskError("\(blockPath): a column outside the vocabulary")
      }
      // Rows between the last block read and this one are empty.
      for row in next..<rows.lowerBound { starts[row + 1] = columnList.count }
      let base = columnList.count
      for (offset, end) in ends.enumerated() {
        starts[rows.lowerBound + offset + 1] = base + Int(end)
      }
      columnList.append(contentsOf: blockColumns)
      values.append(contentsOf: blockValues)
      next = rows.upperBound
    }
    for row in next..<n { starts[row + 1] = columnList.count }
    prepared.work = SparseMatrix(
      columnCount: columns, rowStarts: starts, columns: columnList, values: values)
    self.init(configuration: configuration, prepared: prepared)
  }
}

extension SimilarityKernel.Prepared {
  /// The column blocks `unit` scores against: those of its range its row block needs.
  func blocks(of unit: KernelTasks.Unit) -> [Int] {
    unit.columnBlocks.filter { needs(rowBlock: unit.rowBlock, columnBlock: $0) }
  }
}

/// A problem with the distributed kernel's files or lines, named by file (and line).
package struct KernelTaskError: Error, Equatable, CustomStringConvertible {
  package let description: String

  package init(_ description: String) { self.description = description }
}

/// Bytes in the machine's order, for the task files (written and read on one machine kind).
struct ByteSink {
  var bytes: [UInt8] = []

  mutating func append<T: FixedWidthInteger>(_ value: T) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func append<T>(array: [T]) {
    append(Int64(array.count))
    array.withUnsafeBytes { bytes.append(contentsOf: $0) }
  }

  /// Writes the bytes to `path` (replacing it), every failure an error.
  func write(to path: String) throws(KernelTaskError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw KernelTaskError("\(path): cannot create: \(FileBytes.errnoText())") }
    var done = 0
    var failure: Int32 = 0
    bytes.withUnsafeBytes { raw in
      guard let base = raw.baseAddress else { return }
      while done < raw.count {
        let written = systemWrite(fd, base + done, raw.count - done)
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else {
          failure = written < 0 ? errno : ENOSPC
          return
        }
        done += written
      }
    }
    if close(fd) != 0 && failure == 0 { failure = errno }
    guard failure == 0 else {
      throw KernelTaskError("\(path): cannot write: \(String(cString: strerror(failure)))")
    }
  }
}

/// `write(2)`, named apart from ``ByteSink/write(to:)``.
func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, bytes, count)
}

/// Reads what ``ByteSink`` wrote, every shortfall an error naming the file.
struct ByteSource {
  let path: String
  let bytes: [UInt8]
  var offset: Int

  init(path: String) throws(KernelTaskError) {
    self.path = path
    do { bytes = try FileBytes.read(path: path) } catch { throw KernelTaskError(error.description) }
    guard bytes.starts(with: KernelTasks.magic) else {
      throw KernelTaskError("\(path): not a StoryCluster kernel task file")
    }
    offset = KernelTasks.magic.count
  }

  mutating func take(_ count: Int) throws(KernelTaskError) -> ArraySlice<UInt8> {
    guard count >= 0, count <= bytes.count - offset else {
      throw KernelTaskError("\(path): ends early (damaged or still being written)")
    }
    defer { offset += count }
    return bytes[offset..<(offset + count)]
  }

  mutating func value<T: FixedWidthInteger>(_: T.Type) throws(KernelTaskError) -> T {
    let slice = try take(MemoryLayout<T>.size)
    var value = T.zero
    withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: slice) }
    return T(littleEndian: value)
  }

  mutating func int64() throws(KernelTaskError) -> Int { Int(try value(Int64.self)) }
  mutating func uint32() throws(KernelTaskError) -> UInt32 { try value(UInt32.self) }
  mutating func uint64() throws(KernelTaskError) -> UInt64 { try value(UInt64.self) }

  /// An array of `count` elements (its stored length must agree).
  mutating func array<T>(count: Int) throws(KernelTaskError) -> [T] {
    guard try int64() == count else {
      throw KernelTaskError("\(path): an array's length is damaged")
    }
    let slice = try take(count * MemoryLayout<T>.stride)
    return uninitializedArray(count: count) { (out: inout UnsafeMutableBufferPointer<T>, filled) in
      UnsafeMutableRawBufferPointer(out).copyBytes(from: slice)
      filled = count
    }
  }

  func end() throws(KernelTaskError) {
    guard offset == bytes.count else { throw KernelTaskError("\(path): has bytes past its end") }
  }
}
