import ArgumentParser

/// An output format.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  /// Clusters and pairs as a terminal table.
  case table
  /// The whole report as JSON.
  case json
  /// One row per member, pair and skipped record.
  case csv
  /// One self-contained page to open in a browser (``HTMLReport``).
  case html
}

/// How results are printed.
struct OutputOptions: ParsableArguments {
  @Option(help: "Output format: table, json, csv or html (one self-contained page).")
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
