import ArgumentParser
import StoryCluster

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The `cluster` command: finds the news articles that tell the same story.
@main
struct ClusterCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cluster",
    abstract: "Group news articles into stories and rank near-duplicate pairs.",
    // One line per paragraph (a `\` ends each source line), so the help wraps it to the
    // terminal's width instead of breaking the lines written here a second time.
    discussion: """
      Reads .txt files (one article each), JSON Lines (.jsonl, one article per line), CSV \
      with a header, folders of those (recursively), or - for JSON Lines on standard input.

      Exit codes: 0 success, 64 usage error, 65 bad input data, 73 cannot create the \
      --output file, 74 cannot write the output (a full disk), 1 other failure. A closed \
      output pipe (cluster run big.jsonl | head -1) ends quietly with 0.
      """,
    version: "0.1.0",
    subcommands: [
      Run.self, Vectorize.self, Eval.self, Explain.self, Calibrate.self, Index.self, Spark.self,
    ],
    defaultSubcommand: Run.self
  )

  /// Restarts with huge pages advised and OpenBLAS on one thread
  /// (``restartWithTunedEnvironment(arguments:isTellingBLAS:)``), ignores `SIGPIPE`, then
  /// parses the arguments and runs the subcommand.
  ///
  /// A closed pipe then fails `write(2)` with `EPIPE` instead of killing the process, so the
  /// writer can tell it from a full disk (see ``OutputError``) and stop quietly.
  static func main() {
    restartWithTunedEnvironment()
    _ = signal(SIGPIPE, SIG_IGN)
    main(nil)
  }
}
