import Foundation
import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// The similarity kernel cut into tasks (``KernelTasks``), as the Spark job runs it: written to
/// a work directory, scored a few row blocks per task from the files, the tasks' lines read
/// back (``KernelOutcome``), and the report must be the single-machine run's.
struct KernelTasksTests {
  static let samples = ["ecbplus-dev-sample", "uci-dev-sample"]

  /// Settings that cut the samples into many blocks, with and without the time window, and
  /// with threshold candidates (single linkage collects every pair at its threshold).
  static let settings: [String] = ["window", "no window", "single linkage"]

  static func configuration(_ setting: String) -> EngineConfiguration {
    var configuration = EngineConfiguration()
    configuration.blockSize = 16
    configuration.threads = 2
    if setting == "no window" { configuration.windowDays = nil }
    if setting == "single linkage" { configuration.linkage = .single }
    return configuration
  }

  static func corpus(_ sample: String) throws -> Corpus {
    CorpusReader().read([RepositoryPaths.sample(sample + ".jsonl")])
  }

  /// A fresh directory under the system's temporary one.
  static func workDirectory() -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("kernel-tasks-\(UUID().uuidString)").path
    return path
  }

  /// Every task's lines for the plan cut into `taskCount` tasks, each task reading only its
  /// blocks from `directory`.
  static func taskLines(_ directory: String, plan: KernelTasks, taskCount: Int) throws
    -> [String]
  {
    var lines: [String] = []
    for units in plan.tasks(count: taskCount) {
      let tasks = try KernelTasks(reading: directory, units: units)
      tasks.run(units: units) { lines.append($0) }
    }
    return lines
  }

  /// The engine of `setting`, its plan for `sample`, and a fresh work directory the plan was
  /// written to (the caller removes it).
  static func written(_ sample: String, _ setting: String = "window") throws
    -> (engine: Engine, tasks: KernelTasks, directory: String)
  {
    let engine = try Engine(configuration: configuration(setting))
    let tasks = try engine.kernelTasks(try corpus(sample))
    let directory = workDirectory()
    try tasks.write(to: directory)
    return (engine, tasks, directory)
  }

  static func sameExceptWorkers(_ x: Report, _ y: Report) -> Bool {
    var x = x
    x.kernelStatistics.workers = y.kernelStatistics.workers
    return x == y
  }

  @Test(arguments: samples, settings)
  func tasksFromFilesGiveTheSingleMachineReport(sample: String, setting: String) throws {
    let (engine, tasks, directory) = try Self.written(sample, setting)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    #expect(tasks.blockCount >= 5, "the sample is cut into many blocks")
    let lines = try Self.taskLines(directory, plan: tasks, taskCount: 3)
    if setting == "single linkage" {
      #expect(lines.contains { $0.hasPrefix("C ") }, "threshold candidates travel too")
    }
    let outcome = try KernelOutcome(
      parsing: Array(lines.joined(separator: "\n").utf8), path: "tasks",
      plan: try KernelTasks(reading: directory))
    #expect(outcome.tasks == 3)
    let distributed = try engine.run(try Self.corpus(sample), kernelOutcome: outcome)
    let local = try engine.run(try Self.corpus(sample))
    let same = Self.sameExceptWorkers(distributed, local)
    #expect(same, "the tasks' report is the single-machine run's")
    #expect(distributed.pairs.count > 0 && distributed.clusters.count > 1)
  }

  /// The tasks hold every block pair the kernel scores exactly once, however many there are,
  /// and a row block's pairs are split between tasks when there are more tasks than blocks.
  @Test(arguments: ["window", "no window"], [1, 2, 7, 40, 1_000])
  func everyBlockPairIsInExactlyOneTask(setting: String, count: Int) throws {
    let engine = try Engine(configuration: Self.configuration(setting))
    let plan = try engine.kernelTasks(try Self.corpus("uci-dev-sample"))
    var needed: [String] = []
    for bi in 0..<plan.blockCount {
      for bj in bi..<plan.blockCount where plan.prepared.needs(rowBlock: bi, columnBlock: bj) {
        needed.append("\(bi)-\(bj)")
      }
    }
    let tasks = plan.tasks(count: count)
    let held = tasks.flatMap {
      $0.flatMap { unit in plan.blocks(of: unit).map { "\(unit.rowBlock)-\($0)" } }
    }
    #expect(held == needed)
    #expect(tasks.count == min(count, needed.count))
    if setting == "no window" {
      #expect(needed.count == plan.blockCount * (plan.blockCount + 1) / 2)
    }
    if count > plan.blockCount {
      #expect(tasks.contains { $0.contains { $0.columnBlocks.lowerBound > $0.rowBlock } })
    }
  }

  /// The merge the Spark job does (each row's best entries, cut to its capacity) changes
  /// nothing: the cut rows give the same report as the tasks' lines as they came.
  @Test func rowsCutToTheirCapacityGiveTheSameReport() throws {
    let (engine, tasks, directory) = try Self.written("uci-dev-sample")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let corpus = try Self.corpus("uci-dev-sample")
    let lines = try Self.taskLines(directory, plan: tasks, taskCount: 4)
    var rows: [String: [String]] = [:]
    var rest: [String] = []
    for line in lines {
      let fields = line.split(separator: " ").map(String.init)
      if fields[0] == "N" || fields[0] == "E" {
        rows[fields[0] + " " + fields[1], default: []].append(contentsOf: fields.dropFirst(2))
      } else {
        rest.append(line)
      }
    }
    func rank(_ entry: String) -> (Float, Int) {
      let parts = entry.split(separator: ":")
      return (-Float(bitPattern: UInt32(parts[1], radix: 16)!), Int(parts[0])!)
    }
    var cut = 0
    let merged = rows.map { key, entries -> String in
      let capacity = key.hasPrefix("N") ? tasks.neighborCapacity : tasks.edgeCapacity
      if entries.count > capacity { cut += 1 }
      let best = entries.sorted { rank($0) < rank($1) }.prefix(capacity)
      return ([key] + best).joined(separator: " ")
    }
    #expect(cut > 0, "some rows were offered more than they keep")
    let outcome = try KernelOutcome(
      parsing: Array((merged + rest).joined(separator: "\n").utf8), path: "merged",
      plan: try KernelTasks(reading: directory))
    let same = Self.sameExceptWorkers(
      try engine.run(corpus, kernelOutcome: outcome), try engine.run(corpus))
    #expect(same, "the cut rows' report is the single-machine run's")
  }

  @Test func findingsFromAnotherCorpusAreRefused() throws {
    let (engine, tasks, directory) = try Self.written("ecbplus-dev-sample")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let outcome = try KernelOutcome(
      parsing: Array(
        try Self.taskLines(directory, plan: tasks, taskCount: 1)
          .joined(separator: "\n").utf8), path: "tasks", plan: tasks)
    #expect(throws: ConfigurationError.self) {
      try engine.run(try Self.corpus("uci-dev-sample"), kernelOutcome: outcome)
    }
  }

  @Test func aDamagedBlockFileIsNamed() throws {
    let (_, tasks, directory) = try Self.written("ecbplus-dev-sample")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let block = KernelTasks.blockPath(directory, 0)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: block))
    try bytes.prefix(bytes.count - 3).write(to: URL(fileURLWithPath: block))
    #expect(throws: KernelTaskError("\(block): ends early (damaged or still being written)")) {
      _ = try KernelTasks(
        reading: directory, units: [KernelTasks.Unit(rowBlock: 0, columnBlocks: 0..<1)])
    }
    let beyond = KernelTasks.Unit(rowBlock: 1, columnBlocks: 1..<(tasks.blockCount + 1))
    #expect(
      throws: KernelTaskError(
        "the unit \(beyond) is not one of the plan's \(tasks.blockCount) blocks")
    ) {
      _ = try KernelTasks(reading: directory, units: [beyond])
    }
  }

  /// A full disk fails the write, naming the file (`/dev/full` in place of the plan).
  @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
  func aFailedWriteIsAnError() throws {
    let engine = try Engine(configuration: Self.configuration("window"))
    let tasks = try engine.kernelTasks(try Self.corpus("ecbplus-dev-sample"))
    let directory = Self.workDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: directory + "/plan.bin", withDestinationPath: "/dev/full")
    #expect(throws: KernelTaskError("\(directory)/plan.bin: cannot write: No space left on device"))
    {
      try tasks.write(to: directory)
    }
  }

  @Test(arguments: [
    ("N 3 7:zz", "merged:2: 'zz' is not a score's 8 hex digits"),
    ("X 1", "merged:2: not a task line (N, E, C or S)"),
    ("C 1 2", "merged:2: a candidate line is C a b score"),
    ("E 4 12", "merged:2: '12' is not row:score"),
    ("N 82 1:3f000000", "merged:2: '82' is not one of the 82 rows"),
    ("C 5 2 3f000000", "merged:2: a candidate's rows are not in order"),
  ])
  func aBadLineIsNamedByFileAndLine(line: String, message: String) throws {
    let engine = try Engine(configuration: Self.configuration("window"))
    let tasks = try engine.kernelTasks(try Self.corpus("ecbplus-dev-sample"))
    #expect(tasks.rowCount == 82)
    #expect(throws: KernelTaskError(message)) {
      _ = try KernelOutcome(
        parsing: Array("S 0 0 0\n\(line)\nN 1 x".utf8), path: "merged", plan: tasks)
    }
  }
}
