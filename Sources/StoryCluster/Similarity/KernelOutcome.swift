/// What the distributed kernel's tasks found, merged (``KernelTasks``): per row its best
/// neighbour and edge candidates over all tasks, the threshold candidates and the work
/// counters. Handed to the engine in place of its own workers' results, it gives the
/// single-machine run's result (``Engine/run(_:kernelOutcome:)``).
///
/// Read from the lines ``KernelTasks/run(rowBlocks:emit:)`` writes, merged or not, straight
/// into the heaps a worker keeps: a row's lines may come in several pieces, and a piece may
/// hold more than the row keeps (the best are kept, by float score then index, as a worker's
/// heap keeps them).
///
/// - Complexity: O(L + E log c) to read L bytes holding E entries; memory the plan's heaps
///   (N·(k + 2 + e) entries of 8 bytes, as one worker thread's) and 12 bytes per candidate.
package struct KernelOutcome: Sendable {
  var neighbors: TopKHeaps
  var edges: TopKHeaps
  var candidates: [Candidate] = []
  var denseFlops = 0.0
  var sparseUpdates = 0
  var denseSeconds = 0.0
  /// The tasks whose counters were read (`S` lines).
  package var tasks = 0
  /// The plan the tasks ran (``KernelTasks/signature``): the engine checks its own against it
  /// before using the outcome.
  package var signature: String

  /// Reads the lines of the file at `path`, for the tasks of `plan`.
  ///
  /// - Throws: ``KernelTaskError`` naming the file (and line) that cannot be read or parsed.
  package init(reading path: String, plan: KernelTasks) throws(KernelTaskError) {
    self.init(plan)
    var reader = LineReader(path: path)
    do {
      try FileBytes.forEachBlock(path: path, blockSize: 1 << 20) { bytes, isLast in
        reader.consume(bytes, isLast: isLast, into: &self)
      }
    } catch {
      throw KernelTaskError(error.description)
    }
    if let failure = reader.failure { throw failure }
  }

  /// Reads the lines of `text`; `path` names the source in errors.
  ///
  /// - Throws: ``KernelTaskError`` naming the file and line that is not a task line.
  package init(parsing text: [UInt8], path: String, plan: KernelTasks) throws(KernelTaskError) {
    self.init(plan)
    var reader = LineReader(path: path)
    _ = text.withUnsafeBufferPointer { reader.consume($0, isLast: true, into: &self) }
    if let failure = reader.failure { throw failure }
  }

  private init(_ plan: KernelTasks) {
    let p = plan.prepared
    neighbors = TopKHeaps(rowCount: p.capacity > 0 ? p.rowCount : 0, capacity: p.capacity)
    edges = TopKHeaps(rowCount: p.wide > 0 ? p.rowCount : 0, capacity: p.wide)
    signature = plan.signature
    rowCount = p.rowCount
  }

  /// The rows the plan has (every row number read is checked against it).
  let rowCount: Int

  /// Checks the plan the tasks ran against the one the engine made.
  func check(_ prepared: SimilarityKernel.Prepared) throws(ConfigurationError) {
    let own = KernelTasks.signature(prepared)
    if signature != own {
      throw .kernelOutcomeMismatch("the tasks' plan is \(signature), this run's \(own)")
    }
  }

  /// The outcome as one worker's result: heaps holding each row's best over the tasks.
  func workerResult(_ prepared: SimilarityKernel.Prepared) -> WorkerResult {
    WorkerResult(
      heaps: neighbors, edgeHeaps: edges, blocks: [], denseFlops: denseFlops,
      sparseUpdates: sparseUpdates, denseSeconds: denseSeconds)
  }

  /// The threshold candidates by row block, each block's in `(a, b)` order.
  func candidateBlocks(_ prepared: SimilarityKernel.Prepared) -> [CandidateBlock?] {
    var byBlock = [[Candidate]](repeating: [], count: prepared.blockCount)
    for candidate in candidates { byBlock[Int(candidate.a) / prepared.block].append(candidate) }
    return byBlock.indices.map { bi in
      byBlock[bi].sort { ($0.a, $0.b) < ($1.a, $1.b) }
      return CandidateBlock(byBlock[bi], rows: prepared.rows(ofBlock: bi))
    }
  }

  /// Offers `score` for row `index` to `slot`'s heap.
  mutating func offer(edge: Bool, slot: Int, index: Int32, score: Float) {
    if edge {
      if edges.capacity > 0 && score >= edges.floor(slot) {
        edges.insert(row: slot, index: index, score: score)
      }
    } else if neighbors.capacity > 0 && score >= neighbors.floor(slot) {
      neighbors.insert(row: slot, index: index, score: score)
    }
  }
}

/// Splits task output into lines and parses each into a ``KernelOutcome``, keeping the first
/// problem (with its line number) and ignoring the rest of the input after it.
private struct LineReader {
  let path: String
  var lineNumber = 0
  var failure: KernelTaskError?

  init(path: String) { self.path = path }

  /// Parses the complete lines of `bytes` (all of them when `isLast`); returns the bytes used.
  mutating func consume(
    _ bytes: UnsafeBufferPointer<UInt8>, isLast: Bool, into outcome: inout KernelOutcome
  ) -> Int {
    var start = 0
    var index = 0
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "\n") {
        line(UnsafeBufferPointer(rebasing: bytes[start..<index]), into: &outcome)
        start = index + 1
      }
      index += 1
    }
    if isLast && start < bytes.count {
      line(UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]), into: &outcome)
      start = bytes.count
    }
    return start
  }

  private mutating func line(_ text: UnsafeBufferPointer<UInt8>, into outcome: inout KernelOutcome)
  {
    lineNumber += 1
    guard failure == nil, !text.isEmpty else { return }
    do throws(KernelTaskError) {
      try parse(text, into: &outcome)
    } catch {
      failure = error
    }
  }

  private func bad(_ what: String) -> KernelTaskError {
    KernelTaskError("\(path):\(lineNumber): \(what)")
  }

  private func parse(_ text: UnsafeBufferPointer<UInt8>, into outcome: inout KernelOutcome)
    throws(KernelTaskError)
  {
    let fields = text.split(separator: UInt8(ascii: " "))
    func string(_ field: Slice<UnsafeBufferPointer<UInt8>>) -> String {
      String(decoding: field, as: UTF8.self)
    }
    func row(_ field: Slice<UnsafeBufferPointer<UInt8>>) throws(KernelTaskError) -> Int {
      var value = 0
      for byte in field {
        guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"), value < outcome.rowCount
        else { throw bad("'\(string(field))' is not a row number") }
        value = value * 10 + Int(byte - UInt8(ascii: "0"))
      }
      guard !field.isEmpty, value < outcome.rowCount else {
        throw bad("'\(string(field))' is not one of the \(outcome.rowCount) rows")
      }
      return value
    }
    func score(_ field: Slice<UnsafeBufferPointer<UInt8>>) throws(KernelTaskError) -> Float {
      var bits: UInt32 = 0
      for byte in field {
        let digit: UInt8
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
        default: throw bad("'\(string(field))' is not a score's 8 hex digits")
        }
        bits = bits << 4 | UInt32(digit)
      }
      guard field.count == 8 else { throw bad("'\(string(field))' is not a score's 8 hex digits") }
      return Float(bitPattern: bits)
    }
    guard let kind = fields.first, kind.count == 1 else {
      throw bad("not a task line (N, E, C or S)")
    }
    switch kind.first {
    case UInt8(ascii: "N"), UInt8(ascii: "E"):
      guard fields.count >= 2 else { throw bad("a row line without its row") }
      let slot = try row(fields[1])
      let edge = kind.first == UInt8(ascii: "E")
      for field in fields.dropFirst(2) {
        guard let colon = field.firstIndex(of: UInt8(ascii: ":")) else {
          throw bad("'\(string(field))' is not row:score")
        }
        let other = try row(field[field.startIndex..<colon])
        let value = try score(field[(colon + 1)..<field.endIndex])
        outcome.offer(edge: edge, slot: slot, index: Int32(other), score: value)
      }
    case UInt8(ascii: "C"):
      guard fields.count == 4 else { throw bad("a candidate line is C a b score") }
      let a = try row(fields[1])
      let b = try row(fields[2])
      guard a < b else { throw bad("a candidate's rows are not in order") }
      outcome.candidates.append(Candidate(a: Int32(a), b: Int32(b), score: try score(fields[3])))
    case UInt8(ascii: "S"):
      guard fields.count == 4, let flops = Double(string(fields[1])),
        let updates = Int(string(fields[2])), let seconds = Double(string(fields[3]))
      else { throw bad("a counter line is S flops updates seconds") }
      outcome.denseFlops += flops
      outcome.sparseUpdates += updates
      outcome.denseSeconds += seconds
      outcome.tasks += 1
    default:
      throw bad("not a task line (N, E, C or S)")
    }
  }
}
