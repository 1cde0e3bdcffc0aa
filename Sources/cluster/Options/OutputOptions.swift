import ArgumentParser

/// An output format.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json, csv
}

/// How results are printed.
struct OutputOptions: ParsableArguments {
  @Option(help: "Output format: table, json or csv.")
  var format: OutputFormat = .table

  @Option(
    help: ArgumentHelp("Most pairs printed in the table, 0 for all.", valueName: "n"))
  var maxPairs = 50

  func validate() throws {
    if maxPairs < 0 {
      throw ValidationError("--max-pairs must be 0 (all) or more, got \(maxPairs).")
    }
  }
}
