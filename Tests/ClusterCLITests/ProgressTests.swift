import Foundation
import StoryClusterTestSupport
import Testing

/// Progress on standard error: drawn in place when it is a terminal (here a pseudo-terminal made
/// by util-linux `script`), never otherwise, never with `--quiet`, and the results unchanged.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: scriptPath)))
struct ProgressTests {

  static let sample = RepositoryPaths.root.appendingPathComponent(
    "Tests/StoryClusterTests/Fixtures/samples/uci-dev-sample.jsonl"
  ).path

  /// Runs `cluster arguments` under `script`, so its standard error (and input) is a terminal;
  /// standard output goes to a file. Returns what the terminal showed and the file's bytes.
  static func runOnATerminal(_ arguments: [String]) throws -> (terminal: String, output: String) {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent(
      "storycluster-progress-\(UUID().uuidString).out")
    defer { try? FileManager.default.removeItem(at: output) }
    let quoted = ([ClusterBinary.url.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: scriptPath)
    // -q no banner, -f flush as written, -e the command's exit status, -c the command.
    process.arguments = ["-qfec", "\(quoted) > '\(output.path)'", "/dev/null"]
    var environment = ProcessInfo.processInfo.environment
    environment["CLUSTER_PROGRESS_DELAY"] = "0"  // draw from the start, however fast the run
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let shown = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return (
      String(decoding: shown, as: UTF8.self),
      try String(contentsOf: output, encoding: .utf8)
    )
  }

  @Test func progressIsDrawnInPlaceOnATerminal() throws {
    let (terminal, output) = try Self.runOnATerminal(["run", Self.sample, "--format", "json"])
    // Each stage is drawn at its start, each line begins with a carriage return and clears the
    // rest of the line, and the last thing written clears the line.
    for stage in [
      "reading", "analysing", "vectorizing", "similarity", "story graph", "clustering",
      "describing", "ranking",
    ] {
      #expect(terminal.contains("\r[0:0") && terminal.contains("] \(stage)"), "\(stage)")
    }
    #expect(terminal.contains("329 articles"))
    #expect(terminal.hasSuffix("\r\u{1B}[K"))
    #expect(!terminal.contains("\n"))
    // The results are those of a run without a terminal.
    let plain = try ClusterBinary.run(["run", Self.sample, "--format", "json"])
    #expect(output == plain.stdout)
    #expect(!output.isEmpty)
  }

  @Test func nothingWhenStandardErrorIsNotATerminal() throws {
    let result = try ClusterBinary.run(
      ["run", Self.sample, "--format", "json"], environment: ["CLUSTER_PROGRESS_DELAY": "0"])
    #expect(result.status == 0)
    #expect(result.stderr == "")
  }

  @Test(arguments: [["run"], ["vectorize"], ["eval"]])
  func quietSilencesProgress(command: [String]) throws {
    let (terminal, output) = try Self.runOnATerminal(command + [Self.sample, "--quiet"])
    #expect(terminal == "")
    #expect(!output.isEmpty)
    let (shown, _) = try Self.runOnATerminal(command + [Self.sample])
    #expect(shown.contains("] vectorizing"))
  }
}

/// util-linux `script` (Debian's bsdutils), which runs a command on a pseudo-terminal.
private let scriptPath = "/usr/bin/script"
