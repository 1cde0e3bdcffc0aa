import ArgumentParser

/// Where the results are written: `--output FILE`, or standard output.
///
/// Every subcommand that prints results takes this group, so they all write through one
/// ``OutputTarget``: a failed write is exit code 74, and FILE is replaced only when complete.
struct DestinationOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Write the results to this file, replaced only once complete (default: standard output).",
      valueName: "file"))
  var output: String?

  /// Opens the destination, printing why it cannot be created.
  ///
  /// - Returns: The target for the results.
  /// - Throws: `ExitCode(73)` after the message when the `--output` file cannot be created.
  func open() throws(ExitCode) -> OutputTarget { try OutputTarget.open(output) }
}
