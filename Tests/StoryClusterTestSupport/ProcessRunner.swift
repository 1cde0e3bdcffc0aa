import Foundation

/// Runs a program to completion and collects what it printed.
public enum ProcessRunner {
  /// Runs `executable` with `arguments`.
  ///
  /// - Parameters:
  ///   - stdin: Written to the program's standard input, which is then closed.
  ///   - environment: Variables added to (or replacing those of) this process's environment.
  ///   - directory: The working directory, or this process's.
  ///   - stdoutPath: A file to open for writing as standard output (e.g. `/dev/full`) instead of
  ///     a pipe; the result's `stdout` is then empty.
  ///   - standardOutput: A handle to use as standard output instead of a pipe (a file, or a
  ///     pipe's write end); the result's `stdout` is then empty.
  public static func run(
    _ executable: URL, _ arguments: [String], stdin: String? = nil,
    environment: [String: String] = [:], directory: String? = nil, stdoutPath: String? = nil,
    standardOutput: FileHandle? = nil
  ) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe()
    let err = Pipe()
    var outFile: FileHandle? = nil
    if let stdoutPath {
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
      outFile = handle
      process.standardOutput = handle
    } else if let standardOutput {
      process.standardOutput = standardOutput
    } else {
      process.standardOutput = out
    }
    process.standardError = err
    let input = Pipe()
    process.standardInput = input
    try process.run()
    if let outFile { try outFile.close() }
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
    let outData =
      stdoutPath == nil && standardOutput == nil
      ? out.fileHandleForReading.readDataToEndOfFile() : Data()
    group.wait()
    process.waitUntilExit()
    return CommandResult(
      stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self), status: process.terminationStatus)
  }
}
