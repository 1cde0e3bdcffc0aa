import Foundation

/// The default `cluster run FILE` path, stage by stage, over growing sizes of one corpus.
///
/// Each run is one process of the release `cluster` binary, `cluster run PREFIX --verbose
/// --skip-invalid` with every other option at its default, on the first `n` valid articles of
/// the corpus (``CorpusPrefix``: the original lines, dates kept), its report written to a file.
/// `--verbose` gives each stage's seconds (read, vectorize, similarity, storygraph, cluster,
/// describe, rank, write) and the process's peak RSS; the harness times the whole process (wall)
/// and checksums the report, which must repeat from run to run. Between consecutive sizes every
/// stage's scaling exponent b = log(t₂/t₁)/log(n₂/n₁) is printed (time ∝ nᵇ).
///
/// Before each size the harness predicts its wall time, Σ over stages of t_last · (n/n_last)ᵇ with
/// each stage's b from the two largest sizes measured (clamped to 0...3; 2, the kernel's O(N²),
/// while only one size is), and its peak RSS as peak_last · (n/n_last)ᵇ (b at least 1). A size
/// predicted past `--budget` seconds or past half of MemAvailable (the machine may be shared) is
/// skipped, and so are the sizes above it, with the prediction printed. When the smallest size
/// is 10,000 or more, two pilot sizes (a tenth and three tenths of it) are measured first, so it
/// is predicted too. A run still going at twice the budget, or resident past 80 % of what was
/// available when it started, is stopped.
struct DefaultPathBenchmarks {
  /// One size's runs.
  struct Run {
    var size: Int
    /// The requested size (`nil` = the whole corpus), as `--sizes` named it.
    var spec: Int?
    var stages: [(name: String, seconds: [Double])]
    var wall: [Double]
    var peakBytes: Int
    var checksum: String

    var wallP50: Double { Self.median(wall) }

    static func median(_ xs: [Double]) -> Double {
      let s = xs.sorted()
      if s.isEmpty { return 0 }
      return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
  }

  /// The share of MemAvailable a size's predicted peak RSS may take: the machine may be shared.
  static let memoryShare = 0.5

  /// The smallest first size that gets pilot sizes (a tenth and three tenths of it) run before it.
  static let pilotThreshold = 10_000

  /// The stages `cluster run --verbose` reports, in order.
  static let stageNames = [
    "read", "vectorize", "similarity", "storygraph", "cluster", "describe", "rank", "write",
  ]

  let corpus: String
  let corpusName: String
  let options: Options
  let root: URL
  var runs: [Run] = []
  var results: [Result] = []
  var skipped: [String] = []
  /// The requested sizes skipped by prediction (`nil` = the whole corpus).
  var skippedSizes: [Int?] = []

  init(corpus: String, corpusName: String, options: Options, root: URL) {
    self.corpus = corpus
    self.corpusName = corpusName
    self.options = options
    self.root = root
  }

  /// The release binary, or `nil` (with the command that builds it printed) when it is missing.
  static func binary(root: URL) -> String? {
    let path = root.appendingPathComponent(".build/release/cluster").path
    guard FileManager.default.isExecutableFile(atPath: path) else {
      print(
        "default path: skipped, .build/release/cluster is not built;"
          + " run `swift build -c release --product cluster` first")
      return nil
    }
    if let built = modificationDate(path), let newest = newestSource(root: root), newest > built {
      print(
        "default path: warning: .build/release/cluster is older than Sources/;"
          + " rebuild it (`swift build -c release --product cluster`) to measure this checkout")
    }
    return path
  }

  /// Runs the sizes in increasing order, printing a row per stage and size.
  mutating func runAll(sizes: [Int?]) {
    guard let binary = Self.binary(root: root) else { return }
    let total = sizes.contains { $0 == nil } ? CorpusPrefix.articleCount(of: corpus) : nil
    var ordered = sizes.map { spec in (spec, spec ?? total ?? 0) }.sorted { $0.1 < $1.1 }
    // Nothing predicts the smallest size; from 10,000 up, two pilots at a tenth and three tenths
    // of it are measured first, so even it is skipped rather than run for hours.
    if let first = ordered.first?.1, first >= Self.pilotThreshold {
      let pilots = [first / 10, first * 3 / 10]
      print(
        "default path: pilot sizes \(pilots[0]) and \(pilots[1]) first, so that n=\(first) is"
          + " predicted from two measured sizes")
      ordered = pilots.map { (Optional($0), $0) } + ordered
    }
    var done = Set<Int>()
    for (spec, requested) in ordered {
      let names = (Self.stageNames + ["total"]).map { "default/\($0)/\(corpusName)-\(requested)" }
      guard names.contains(where: options.matches) else { continue }
      if let reason = predictionExceedingLimits(size: requested) {
        let line = "default/total/\(corpusName)-\(requested): skipped, \(reason)"
        print(line)
        skipped.append(line)
        skippedSizes.append(spec)
        continue
      }
      let input: String
      let size: Int
      var temporary: String?
      if let spec {
        guard let prefix = CorpusPrefix.write(corpus: corpus, count: spec) else {
          print("default path: cannot read \(corpus)")
          return
        }
        if prefix.articles < spec && done.contains(prefix.articles) { continue }
        (input, size, temporary) = (prefix.path, prefix.articles, prefix.path)
      } else {
        (input, size) = (corpus, total ?? 0)
      }
      defer { if let temporary { try? FileManager.default.removeItem(atPath: temporary) } }
      if done.contains(size) { continue }
      guard let run = measure(binary: binary, input: input, size: size, spec: spec) else {
        continue
      }
      done.insert(size)
      report(run)
      runs.append(run)
    }
    printSummary()
  }

  // MARK: - Internals

  /// Why `size` is not run (its predicted time or memory), or `nil` to run it.
  func predictionExceedingLimits(size: Int) -> String? {
    guard let last = runs.last, size > last.size else { return nil }
    let ratio = Double(size) / Double(last.size)
    let previous = runs.count >= 2 ? runs[runs.count - 2] : nil
    let memoryExponent = previous.flatMap {
      exponent($0.size, Double($0.peakBytes), last.size, Double(last.peakBytes))
    }
    // Each stage at its own exponent (a quadratic stage overtakes a linear one), the time outside
    // the stages (process start, exit) linearly; every exponent 2 while one size is measured.
    var seconds = max(0, last.wallP50 - last.stages.reduce(0) { $0 + Run.median($1.seconds) })
    seconds *= ratio
    var largest = (stage: "", b: 0.0, seconds: -1.0)
    for (stage, times) in last.stages {
      let t = Run.median(times)
      let before = previous.map { Run.median($0.stages.first { $0.name == stage }?.seconds ?? []) }
      let measured = before.flatMap { exponent(previous?.size ?? 0, $0, last.size, t) }
      let b = min(3, max(0, measured ?? 2))
      let predicted = t * pow(ratio, b)
      seconds += predicted
      if predicted > largest.seconds { largest = (stage, b, predicted) }
    }
    let basis =
      previous == nil
      ? "every stage ∝ n^2 assumed while one smaller size is measured"
      : "each stage at its exponent from n=\(previous?.size ?? 0)→\(last.size); largest"
        + " \(largest.stage) ∝ n^\(Printer.fixed(largest.b, 2)), \(Printer.fixed(largest.seconds, 0)) s"
    if seconds > options.budget {
      return
        "predicted \(Printer.fixed(seconds, 0)) s (\(basis), \(Printer.fixed(last.wallP50, 2)) s"
        + " at n=\(last.size)) exceeds --budget \(Printer.fixed(options.budget, 0)) s"
    }
    let bm = max(1, memoryExponent ?? 1)
    let bytes = Double(last.peakBytes) * pow(ratio, bm)
    let allowed = Double(Memory.availableBytes()) * Self.memoryShare
    if allowed > 0 && bytes > allowed {
      return "predicted peak RSS \(Printer.fixed(bytes / 1_073_741_824, 1)) GiB"
        + " (∝ n^\(Printer.fixed(bm, 2))) exceeds \(Printer.fixed(allowed / 1_073_741_824, 1))"
        + " GiB, half of MemAvailable"
    }
    return nil
  }

  /// Runs the binary until `repeats` runs or 30 s of runs (at least one).
  func measure(binary: String, input: String, size: Int, spec: Int?) -> Run? {
    var stageTimes: [String: [Double]] = [:]
    var order: [String] = []
    var wall: [Double] = []
    var peak = 0
    var checksum: String?
    while wall.count < options.repeats && wall.reduce(0, +) < 30 {
      let output = NSTemporaryDirectory() + "storycluster-default-\(size).out"
      let log = NSTemporaryDirectory() + "storycluster-default-\(size).err"
      defer {
        try? FileManager.default.removeItem(atPath: output)
        try? FileManager.default.removeItem(atPath: log)
      }
      guard FileManager.default.createFile(atPath: output, contents: nil),
        FileManager.default.createFile(atPath: log, contents: nil),
        let out = FileHandle(forWritingAtPath: output),
        let err = FileHandle(forWritingAtPath: log)
      else {
        print("default path: cannot create \(output) and \(log) for the run's output")
        return nil
      }
      let p = Process()
      p.executableURL = URL(fileURLWithPath: binary)
      p.arguments = ["run", input, "--verbose", "--skip-invalid"]
      p.standardOutput = out
      p.standardError = err
      let start = now()
      guard (try? p.run()) != nil else {
        print("default path: cannot start \(binary)")
        return nil
      }
      // The machine may be shared: a run whose resident set passes what was available when it
      // started, less a fifth, is stopped before it drives the machine into swap or the OOM killer.
      let memoryLimit = Double(Memory.availableBytes()) * 0.8
      var stopped: String?
      var highest = 0
      while p.isRunning {
        usleep(50_000)
        highest = max(highest, Memory.residentBytes(of: p.processIdentifier))
        guard stopped == nil else { continue }
        if now() - start > 2 * options.budget {
          stopped = "twice --budget \(Printer.fixed(options.budget, 0)) s"
        } else if memoryLimit > 0 && Double(highest) > memoryLimit {
          stopped =
            "its resident set passed \(Printer.fixed(memoryLimit / 1_073_741_824, 1)) GiB,"
            + " 80 % of MemAvailable at its start"
        }
        if stopped != nil { p.terminate() }
      }
      let seconds = now() - start
      try? out.close()
      try? err.close()
      let diagnostics = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
      if let stopped {
        print(
          "default/total/\(corpusName)-\(size): stopped after \(Printer.fixed(seconds, 0)) s at"
            + " \(Printer.fixed(Double(highest) / 1_073_741_824, 1)) GiB resident: \(stopped)")
        return nil
      }
      guard p.terminationStatus == 0 else {
        print(
          "default/total/\(corpusName)-\(size): cluster run failed (status \(p.terminationStatus)):"
            + " \(diagnostics.split(separator: "\n").suffix(3).joined(separator: " | "))")
        return nil
      }
      wall.append(seconds)
      // `time: STAGE SECONDS s (peak so far MIB MiB)` and `memory: peak resident MIB MiB; …`:
      // the leading fields, whatever follows them.
      for line in diagnostics.split(separator: "\n") {
        let fields = line.split(separator: " ")
        if fields.count >= 4, fields[0] == "time:", fields[3] == "s", let t = Double(fields[2]) {
          let stage = String(fields[1])
          if stageTimes[stage] == nil { order.append(stage) }
          stageTimes[stage, default: []].append(t)
        } else if fields.count >= 5, fields[0] == "memory:", fields[1] == "peak",
          let mib = Double(fields[3])
        {
          peak = max(peak, Int(mib * 1_048_576))
        }
      }
      let sum = Self.checksum(ofFile: output)
      precondition(
        checksum == nil || checksum == sum,
        "default path \(corpusName)-\(size): the report changed between runs (\(checksum ?? "") vs \(sum))"
      )
      checksum = sum
    }
    return Run(
      size: size, spec: spec, stages: order.map { ($0, stageTimes[$0] ?? []) }, wall: wall,
      peakBytes: peak, checksum: checksum ?? "-")
  }

  mutating func report(_ run: Run) {
    let corpusName = self.corpusName
    let name = { (stage: String) in "default/\(stage)/\(corpusName)-\(run.size)" }
    let stageSum = run.stages.reduce(0) { $0 + Run.median($1.seconds) }
    for (stage, seconds) in run.stages {
      var r = Result(
        name: name(stage), size: run.size, seconds: seconds, units: [("docs", Double(run.size))],
        checksum: run.checksum, peakBytes: run.peakBytes)
      r.notes.append(
        "\(Printer.fixed(r.p50 / max(run.wallP50, 1e-9) * 100, 1)) % of the process's wall time")
      Printer.row(r)
      results.append(r)
    }
    var total = Result(
      name: name("total"), size: run.size, seconds: run.wall, units: [("docs", Double(run.size))],
      checksum: run.checksum, peakBytes: run.peakBytes)
    total.notes.append(
      "`cluster run FILE --verbose`, one process per run (peak RSS: that process's VmHWM);"
        + " stages add up to \(Printer.fixed(stageSum, 3)) s of the wall"
        + " \(Printer.fixed(run.wallP50, 3)) s (the rest: process start and exit)")
    Printer.row(total)
    results.append(total)
  }

  /// Stage × size table with the exponents between consecutive sizes.
  func printSummary() {
    guard !runs.isEmpty else { return }
    print(
      "\nDEFAULT PATH on \(corpusName): `cluster run FILE` (news defaults), p50 seconds;"
        + " b = log(t₂/t₁)/log(n₂/n₁) between consecutive sizes (time ∝ nᵇ)")
    let width = 16
    func cell(_ s: String) -> String {
      String(repeating: " ", count: max(1, width - s.count)) + s
    }
    var head = "stage".padding(toLength: 16, withPad: " ", startingAt: 0)
    head += runs.map { cell("n=\($0.size)") }.joined()
    for (a, b) in zip(runs, runs.dropFirst()) { head += cell("b \(a.size)→\(b.size)") }
    print(head)
    let stages = runs[0].stages.map(\.name) + ["total (wall)", "peak RSS MiB"]
    for stage in stages {
      let values: [Double] = runs.map { run in
        switch stage {
        case "total (wall)": return run.wallP50
        case "peak RSS MiB": return Double(run.peakBytes) / 1_048_576
        default: return Run.median(run.stages.first { $0.name == stage }?.seconds ?? [])
        }
      }
      var line = stage.padding(toLength: 16, withPad: " ", startingAt: 0)
      line += values.map { cell(Printer.fixed($0, stage == "peak RSS MiB" ? 1 : 3)) }.joined()
      for i in 1..<max(1, runs.count) {
        line += cell(
          exponent(runs[i - 1].size, values[i - 1], runs[i].size, values[i]).map {
            Printer.fixed($0, 2)
          } ?? "-")
      }
      print(line)
    }
    for line in skipped { print("  " + line) }
  }

  /// log(t₂/t₁)/log(n₂/n₁), or `nil` when a time is 0 (below the millisecond the log prints).
  func exponent(_ n1: Int, _ t1: Double, _ n2: Int, _ t2: Double) -> Double? {
    guard n1 > 0, n2 > n1, t1 > 0, t2 > 0 else { return nil }
    return log(t2 / t1) / log(Double(n2) / Double(n1))
  }

  /// Bytes and FNV-1a of a file, the run's checksum.
  static func checksum(ofFile path: String) -> String {
    guard let data = FileManager.default.contents(atPath: path) else { return "-" }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in data {
      hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    return "report \(data.count) B/fnv \(String(hash, radix: 16))"
  }

  static func modificationDate(_ path: String) -> Date? {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
  }

  static func newestSource(root: URL) -> Date? {
    let sources = root.appendingPathComponent("Sources")
    guard let walker = FileManager.default.enumerator(atPath: sources.path) else { return nil }
    var newest: Date?
    for case let file as String in walker where file.hasSuffix(".swift") {
      if let date = modificationDate(sources.appendingPathComponent(file).path),
        newest.map({ date > $0 }) ?? true
      {
        newest = date
      }
    }
    return newest
  }
}
