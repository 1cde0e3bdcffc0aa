import Foundation

/// What a finished command printed and returned.
public struct CommandResult: Sendable {
  /// Standard output.
  public var stdout: String
  /// Standard error.
  public var stderr: String
  /// The exit status.
  public var status: Int32
}

/// Runs the built `cluster` binary, as a user would.
public enum ClusterBinary {
  /// The `cluster` executable beside the test bundle in the build folder.
  public static var url: URL {
    let candidates = [
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
      Bundle.main.bundleURL.deletingLastPathComponent(),
      Bundle.main.bundleURL,
    ]
    for folder in candidates {
      let url = folder.appendingPathComponent("cluster")
      if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return candidates[0].appendingPathComponent("cluster")
  }

  /// Runs `cluster` with `arguments`, optional standard input and extra environment variables.
  ///
  /// `standardOutput` sends the command's standard output there instead of into the result
  /// (whose `stdout` is then empty): a file such as `/dev/full`, or a pipe's write end.
  public static func run(
    _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
    directory: String? = nil, standardOutput: FileHandle? = nil
  ) throws -> CommandResult {
    try ProcessRunner.run(
      url, arguments, stdin: stdin, environment: environment, directory: directory,
      standardOutput: standardOutput)
  }
}
