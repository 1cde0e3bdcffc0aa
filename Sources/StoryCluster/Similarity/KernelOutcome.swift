/// What the distributed kernel's tasks found, merged (``KernelTasks``): per row its best
/// neighbour and edge candidates over all tasks, the threshold candidates and the work
/// counters. Handed to the engine in place of its own workers' results, it gives the
/// single-machine run's result (``Engine/run(_:kernelOutcome:)``).
///
/// Read from the lines ``KernelTasks/run(rowBlocks:emit:)`` writes, merged or not: a row's
/// lines may come in several pieces, and a piece may hold more than the row keeps (the best
/// are kept, by float score then index, as a worker's heap keeps them).
package struct KernelOutcome: Sendable {
  /// Per row slot, its neighbour candidates, and its edge candidates.
  var neighbors: [Int: [(score: Float, index: Int32)]] = [:]
  var edges: [Int: [(score: Float, index: Int32)]] = [:]
  var candidates: [Candidate] = []
  var denseFlops = 0.0
  var sparseUpdates = 0
  var denseSeconds = 0.0
  /// The tasks whose counters were read (`S` lines).
  package var tasks = 0

  /// Reads the lines of the file at `path`.
  ///
  /// - Throws: ``KernelTaskError`` naming the file (and line) that cannot be read or parsed.
  package init(reading path: String) throws(KernelTaskError) {
    let bytes: [UInt8]
    do { bytes = try FileBytes.read(path: path) } catch { throw KernelTaskError(error.description) }
    try self.init(parsing: bytes, path: path)
  }

  /// Reads the lines of `text`; `path` names the source in errors.
  ///
  /// - Throws: ``KernelTaskError`` naming the file and line that is not a task line.
  package init(parsing text: [UInt8], path: String) throws(KernelTaskError) {
    var lineNumber = 0
    for line in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      lineNumber += 1
      if line.isEmpty { continue }
      let fields = line.split(separator: UInt8(ascii: " ")).map {
        String(decoding: $0, as: UTF8.self)
      }
      func bad(_ what: String) -> KernelTaskError {
        KernelTaskError("\(path):\(lineNumber): \(what)")
      }
      func bits(_ text: String) throws(KernelTaskError) -> Float {
        guard text.count == 8, let value = UInt32(text, radix: 16) else {
          throw bad("'\(text)' is not a score's 8 hex digits")
        }
        return Float(bitPattern: value)
      }
      func number(_ text: String) throws(KernelTaskError) -> Int {
        guard let value = Int(text), value >= 0, value <= Int(Int32.max) else {
          throw bad("'\(text)' is not a row number")
        }
        return value
      }
      switch fields.first {
      case "N", "E":
        guard fields.count >= 2 else { throw bad("a row line without its row") }
        let slot = try number(fields[1])
        var list: [(score: Float, index: Int32)] = []
        for field in fields.dropFirst(2) {
          let parts = field.split(separator: ":", omittingEmptySubsequences: false)
          guard parts.count == 2 else { throw bad("'\(field)' is not row:score") }
          list.append((try bits(String(parts[1])), Int32(try number(String(parts[0])))))
        }
        if fields[0] == "N" {
          neighbors[slot, default: []].append(contentsOf: list)
        } else {
          edges[slot, default: []].append(contentsOf: list)
        }
      case "C":
        guard fields.count == 4 else { throw bad("a candidate line is C a b score") }
        candidates.append(
          Candidate(
            a: Int32(try number(fields[1])), b: Int32(try number(fields[2])),
            score: try bits(fields[3])))
      case "S":
        guard fields.count == 4, let flops = Double(fields[1]), let updates = Int(fields[2]),
          let seconds = Double(fields[3])
        else { throw bad("a counter line is S flops updates seconds") }
        denseFlops += flops
        sparseUpdates += updates
        denseSeconds += seconds
        tasks += 1
      default:
        throw bad("not a task line (N, E, C or S)")
      }
    }
  }

  /// The plan the tasks ran (``KernelTasks/signature``), when known: the engine checks its
  /// own against it before using the outcome.
  package var signature: String?

  /// Checks the rows against the plan the engine made.
  func check(_ prepared: SimilarityKernel.Prepared) throws(ConfigurationError) {
    let n = prepared.rowCount
    if let signature, signature != KernelTasks.signature(prepared) {
      throw .kernelOutcomeMismatch(
        "the tasks' plan is \(signature), this run's \(KernelTasks.signature(prepared))")
    }
    for (kind, lists) in [("neighbour", neighbors), ("edge", edges)] {
      for (slot, list) in lists where slot >= n || list.contains(where: { Int($0.index) >= n }) {
        throw .kernelOutcomeMismatch("a \(kind) line names a row beyond the \(n) rows")
      }
    }
    if let bad = candidates.first(where: { Int($0.b) >= n || $0.a >= $0.b }) {
      throw .kernelOutcomeMismatch("the candidate \(bad.a) \(bad.b) is not a pair of \(n) rows")
    }
  }

  /// The outcome as one worker's result: heaps holding each row's best over the tasks.
  func workerResult(_ prepared: SimilarityKernel.Prepared) -> WorkerResult {
    func heaps(_ lists: [Int: [(score: Float, index: Int32)]], capacity: Int) -> TopKHeaps {
      var heaps = TopKHeaps(rowCount: capacity > 0 ? prepared.rowCount : 0, capacity: capacity)
      guard capacity > 0 else { return heaps }
      for (slot, list) in lists {
        for (score, index) in list where score >= heaps.floor(slot) {
          heaps.insert(row: slot, index: index, score: score)
        }
      }
      return heaps
    }
    return WorkerResult(
      heaps: heaps(neighbors, capacity: prepared.capacity),
      edgeHeaps: heaps(edges, capacity: prepared.wide), blocks: [], denseFlops: denseFlops,
      sparseUpdates: sparseUpdates, denseSeconds: denseSeconds)
  }

  /// The threshold candidates by row block, each block's in `(a, b)` order.
  func candidateBlocks(_ prepared: SimilarityKernel.Prepared) -> [CandidateBlock?] {
    var byBlock = [[Candidate]](repeating: [], count: prepared.blockCount)
    for candidate in candidates { byBlock[Int(candidate.a) / prepared.block].append(candidate) }
    return byBlock.indices.map { bi in
      let sorted = byBlock[bi].sorted { ($0.a, $0.b) < ($1.a, $1.b) }
      return CandidateBlock(sorted, rows: prepared.rows(ofBlock: bi))
    }
  }
}
