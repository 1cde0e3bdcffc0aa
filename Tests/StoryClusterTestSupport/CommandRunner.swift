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
    let process = Process()
    process.executableURL = url
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = standardOutput == nil ? Pipe() : nil
    let err = Pipe()
    if let standardOutput {
      process.standardOutput = standardOutput
    } else {
      process.standardOutput = out
    }
    process.standardError = err
    let input = Pipe()
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    // Read both pipes concurrently so a large output cannot block the child.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out?.fileHandleForReading.readDataToEndOfFile() ?? Data()
    group.wait()
    process.waitUntilExit()
    return CommandResult(
      stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self), status: process.terminationStatus)
  }
}
