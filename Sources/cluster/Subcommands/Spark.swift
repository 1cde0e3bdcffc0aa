import ArgumentParser
import StoryCluster

#if canImport(Glibc)
  import Glibc
#endif

extension ClusterCommand {
  /// `cluster spark`: the Swift side of the Spark job (`spark/`), one subcommand per step. Not
  /// for people: `bash spark/submit.sh` runs them.
  struct Spark: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "The steps of the Spark job (spark/submit.sh runs them).",
      discussion: """
        prepare (on the driver) writes the similarity kernel's row blocks to a work directory \
        and prints the tasks; count (in each Spark task, before prepare) counts the terms of \
        its share of the articles, which the job adds up for prepare and finish to weigh \
        with; weigh (in each Spark task) weighs its share's rows with those counts into the \
        work directory, for prepare and finish to read; task (in each Spark task) scores the units named on standard \
        input, one a line (a row block, or a row block and a range of its column blocks), \
        and prints what it found; finish (on the driver) reads the tasks' merged lines \
        and writes the report `cluster run` writes for the same input and options.
        """,
      shouldDisplay: false,
      subcommands: [
        SparkCount.self, SparkWeigh.self, SparkPrepare.self, SparkTask.self, SparkFinish.self,
      ])
  }
}

/// The work directory the steps share.
struct SparkWork: ParsableArguments {
  @Option(help: ArgumentHelp("The work directory the steps share.", valueName: "dir"))
  var work: String
}

/// The term counts the job added up (`--frequencies`), read by prepare and finish.
struct SparkFrequencies: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The corpus's term counts, added up from the count tasks' lines (D and T lines); "
        + "without it the model is fitted here.", valueName: "file"))
  var frequencies: String?

  @Option(
    help: ArgumentHelp(
      "Read the rows the weigh tasks wrote to the work directory, this many shares, instead "
        + "of weighing them here (with --frequencies).", valueName: "shares"))
  var rows: Int?

  func validate() throws {
    if let rows, rows < 1 || frequencies == nil {
      throw ValidationError("--rows needs --frequencies and 1 or more shares (got \(rows))")
    }
  }

  /// The weighed rows of a corpus of `count` articles, when `--rows` was given; a share's file
  /// that is missing or damaged exits with 1 naming it (a task's failure).
  func readRows(work: String, count: Int) throws -> WeighedRows? {
    guard let rows else { return nil }
    do throws(KernelTaskError) {
      return try WeighedRows(reading: work, parts: rows, count: count)
    } catch { throw fail(error) }
  }

  /// The counts, or `nil` when none were given; a file that cannot be read, or is not count
  /// lines, exits with 65 naming it (and the line).
  func read() throws -> TermFrequencies? {
    guard let frequencies else { return nil }
    return try Self.read(frequencies)
  }

  /// The counts in the file at `path`; exits with 65 as ``read()``.
  static func read(_ path: String) throws -> TermFrequencies {
    do throws(KernelTaskError) {
      return try TermFrequencies(readingLines: path)
    } catch {
      Diagnostics.print("error: \(error.description)")
      throw ExitCode(65)
    }
  }
}

/// `cluster spark count`: one share's term counts, as lines for the job to add up.
struct SparkCount: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "count",
    abstract: "Print the term counts of one share of the articles (D and T lines).")

  @OptionGroup var input: InputOptions
  @OptionGroup var similarity: SimilarityOptions
  @OptionGroup var share: SparkShare

  func run() throws {
    // The articles prepare reads, in its order; invalid records are prepare's to report (it
    // stops on them, naming their lines, unless --skip-invalid), so a share skips them.
    let corpus = CorpusReader(threads: input.threads).read(input.paths)
    let engine = try similarity.engine(threads: input.threads, progress: nil)
    let counts = engine.termFrequencies(consume corpus, part: share.part, of: share.parts)
    var target = try OutputTarget.open(nil)
    var out = ByteWriter(descriptor: target.descriptor)
    counts.writeLines { out.line($0) }
    try target.complete(&out)
  }
}

/// `cluster spark weigh`: one share's rows, weighed with the added-up counts, into the work
/// directory.
struct SparkWeigh: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "weigh",
    abstract: "Weigh one share of the articles with the added-up counts into the work directory.")

  @OptionGroup var input: InputOptions
  @OptionGroup var similarity: SimilarityOptions
  @OptionGroup var work: SparkWork
  @OptionGroup var share: SparkShare

  @Option(
    help: ArgumentHelp("The corpus's term counts, added up (D and T lines).", valueName: "file"))
  var frequencies: String

  func run() throws {
    let counts = try SparkFrequencies.read(frequencies)
    let corpus = CorpusReader(threads: input.threads).read(input.paths)
    let engine = try similarity.engine(threads: input.threads, progress: nil)
    let rows: WeighedRows
    do {
      rows = try engine.weighedRows(
        consume corpus, part: share.part, of: share.parts, frequencies: counts)
    } catch {
      Diagnostics.print(error.description)
      throw ExitCode(64)
    }
    do throws(KernelTaskError) {
      try rows.write(
        to: work.work, part: share.part, of: share.parts, count: counts.documentCount)
    } catch { throw fail(error) }
  }
}

/// A task's share of the articles.
struct SparkShare: ParsableArguments {
  @Option(help: ArgumentHelp("This task's share, from 0.", valueName: "k"))
  var part = 0

  @Option(help: ArgumentHelp("The shares the articles are cut into.", valueName: "n"))
  var parts = 1

  func validate() throws {
    guard parts >= 1, (0..<parts).contains(part) else {
      throw ValidationError("--part must be in 0..<--parts (got \(part) of \(parts))")
    }
  }
}

/// Prints `error` and returns exit code 1 (a task's failure, for Spark to retry or report).
private func fail(_ error: KernelTaskError) -> ExitCode {
  Diagnostics.print("error: \(error.description)")
  return ExitCode(1)
}

/// `cluster spark prepare`: the kernel's tasks, written to the work directory.
struct SparkPrepare: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prepare",
    abstract: "Write the similarity kernel's row blocks and plan to the work directory.")

  @OptionGroup var input: InputOptions
  @OptionGroup var similarity: SimilarityOptions
  @OptionGroup var work: SparkWork
  @OptionGroup var counts: SparkFrequencies

  @Option(
    help: ArgumentHelp(
      "Cut the work into at most this many tasks of about equal block pairs.", valueName: "n"))
  var tasks = 1

  func validate() throws {
    guard tasks >= 1 else { throw ValidationError("--tasks must be 1 or more") }
  }

  func run() throws {
    let corpus = try input.readCorpus()
    let engine = try similarity.engine(threads: input.threads, progress: nil)
    let frequencies = try counts.read()
    let rows = try counts.readRows(work: work.work, count: frequencies?.documentCount ?? 0)
    let plan: KernelTasks
    do {
      plan = try engine.kernelTasks(consume corpus, frequencies: frequencies, rows: rows)
    } catch {
      Diagnostics.print(error.description)
      throw ExitCode(64)
    }
    do throws(KernelTaskError) { try plan.write(to: work.work) } catch { throw fail(error) }
    // One JSON line: the sizes, and each task's units (`row-block from to`).
    let list = plan.tasks(count: tasks).map { units in
      "[" + units.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }
    print(
      "{\"rows\": \(plan.rowCount), \"blocks\": \(plan.blockCount), "
        + "\"neighbor_capacity\": \(plan.neighborCapacity), "
        + "\"edge_capacity\": \(plan.edgeCapacity), "
        + "\"tasks\": [\(list.joined(separator: ", "))]}")
  }
}

/// `cluster spark task`: scores the row blocks named on standard input.
struct SparkTask: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "task",
    abstract: "Score the row blocks named on standard input and print the findings.")

  @OptionGroup var work: SparkWork

  func run() throws {
    let plan: KernelTasks
    do throws(KernelTaskError) { plan = try KernelTasks(reading: work.work) } catch {
      throw fail(error)
    }
    var units: [KernelTasks.Unit] = []
    var lineNumber = 0
    while let line = readLine() {
      lineNumber += 1
      let text = line.split(whereSeparator: { " \t\r".contains($0) }).joined(separator: " ")
      if text.isEmpty { continue }
      guard let unit = plan.unit(text) else {
        Diagnostics.print(
          "error: <stdin>:\(lineNumber): '\(text)' is not a row block, or a row block and a "
            + "range of its column blocks, of the plan's \(plan.blockCount) blocks")
        throw ExitCode(65)
      }
      units.append(unit)
    }
    let tasks: KernelTasks
    do throws(KernelTaskError) {
      tasks = try KernelTasks(reading: work.work, units: units)
    } catch { throw fail(error) }
    var target = try OutputTarget.open(nil)
    var out = ByteWriter(descriptor: target.descriptor)
    tasks.run(units: units) { out.line($0) }
    try target.complete(&out)
  }
}

/// `cluster spark finish`: the report, from the tasks' merged findings.
struct SparkFinish: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "finish",
    abstract: "Write the report from the tasks' merged findings (as cluster run writes it).")

  @OptionGroup var job: ClusterCommand.Run
  @OptionGroup var work: SparkWork
  @OptionGroup var counts: SparkFrequencies

  @Option(
    help: ArgumentHelp(
      "The tasks' findings, merged per row (N, E, C and S lines).", valueName: "file"))
  var merged: String

  func validate() throws {
    if job.output.format == .html {
      throw ValidationError("the Spark job writes table, json or csv, not html")
    }
  }

  func run() throws {
    var outcome: KernelOutcome?
    do throws(KernelTaskError) {
      let plan = try KernelTasks(reading: work.work)
      outcome = try KernelOutcome(reading: merged, plan: plan)
    } catch { throw fail(error) }
    // Handed over: the engine frees the tasks' heaps once its kernel stage has read them.
    let frequencies = try counts.read()
    let rows = try counts.readRows(work: work.work, count: frequencies?.documentCount ?? 0)
    try job.execute(kernelOutcome: outcome.take(), frequencies: frequencies, rows: rows)
  }
}
