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
        prepare (on the driver) writes the similarity kernel's row blocks to a work directory; \
        task (in each Spark task) scores the row blocks named on standard input, one number a \
        line, and prints what it found; finish (on the driver) reads the tasks' merged lines \
        and writes the report `cluster run` writes for the same input and options.
        """,
      shouldDisplay: false,
      subcommands: [SparkPrepare.self, SparkTask.self, SparkFinish.self])
  }
}

/// The work directory the steps share.
struct SparkWork: ParsableArguments {
  @Option(help: ArgumentHelp("The work directory the steps share.", valueName: "dir"))
  var work: String
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

  func run() throws {
    let corpus = try input.readCorpus()
    let engine = try similarity.engine(threads: input.threads, progress: nil)
    let tasks: KernelTasks
    do {
      tasks = try engine.kernelTasks(consume corpus)
    } catch {
      Diagnostics.print(error.description)
      throw ExitCode(64)
    }
    do throws(KernelTaskError) { try tasks.write(to: work.work) } catch { throw fail(error) }
    print(
      "{\"rows\": \(tasks.rowCount), \"blocks\": \(tasks.blockCount), "
        + "\"neighbor_capacity\": \(tasks.neighborCapacity), "
        + "\"edge_capacity\": \(tasks.edgeCapacity)}")
  }
}

/// `cluster spark task`: scores the row blocks named on standard input.
struct SparkTask: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "task",
    abstract: "Score the row blocks named on standard input and print the findings.")

  @OptionGroup var work: SparkWork

  func run() throws {
    var blocks: [Int] = []
    var lineNumber = 0
    while let line = readLine() {
      lineNumber += 1
      let text = line.filter { !" \t\r".contains($0) }
      if text.isEmpty { continue }
      guard let block = Int(text), block >= 0 else {
        Diagnostics.print("error: <stdin>:\(lineNumber): '\(text)' is not a row block number")
        throw ExitCode(65)
      }
      blocks.append(block)
    }
    let tasks: KernelTasks
    do throws(KernelTaskError) {
      tasks = try KernelTasks(reading: work.work, rowBlocks: blocks)
    } catch { throw fail(error) }
    var target = try OutputTarget.open(nil)
    var out = ByteWriter(descriptor: target.descriptor)
    tasks.run(rowBlocks: blocks) { out.line($0) }
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
    var outcome: KernelOutcome
    do throws(KernelTaskError) {
      let plan = try KernelTasks(reading: work.work)
      outcome = try KernelOutcome(reading: merged)
      outcome.signature = plan.signature
    } catch { throw fail(error) }
    try job.execute(kernelOutcome: outcome)
  }
}
