import ArgumentParser
import StoryCluster

/// The `cluster` command: finds the news articles that tell the same story.
@main
struct ClusterCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cluster",
    abstract: "Group news articles into stories and rank near-duplicate pairs.",
    discussion: """
      Reads .txt files (one article each), JSON Lines (.jsonl, one article per line), CSV with a
      header, folders of those (recursively), or - for JSON Lines on standard input.
      Exit codes: 0 success, 64 usage error, 65 bad input data, 1 other failure.
      """,
    version: "0.1.0",
    subcommands: [Run.self, Vectorize.self, Eval.self],
    defaultSubcommand: Run.self
  )
}
