import Foundation
import StoryClusterTestSupport
import Testing

/// A failed write is an error in every command: `/dev/full` (every write fails with `ENOSPC`)
/// ends with exit code 74 and `error: cannot write output: No space left on device`; a pipe
/// whose reader has gone ends quietly with 0; `--output FILE` carries the bytes standard output
/// would, and leaves no file behind when it fails.
struct OutputErrorTests {
  /// A command of every kind, on the founding articles or the committed ECB+ sample.
  struct Command: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var testDescription: String { arguments.joined(separator: " ") }
  }

  static let sample = RepositoryPaths.root.appendingPathComponent(
    "Tests/StoryClusterTests/Fixtures/samples/ecbplus-dev-sample.jsonl"
  ).path

  static let commands: [Command] = [
    Command(arguments: ["run", RepositoryPaths.seeds]),
    Command(arguments: ["run", RepositoryPaths.seeds, "--format", "json"]),
    Command(arguments: ["run", RepositoryPaths.seeds, "--format", "csv"]),
    Command(arguments: ["run", RepositoryPaths.seeds, "--format", "html"]),
    Command(arguments: ["vectorize", RepositoryPaths.seeds]),
    Command(arguments: ["eval", sample]),
    Command(arguments: ["eval", sample, "--format", "json"]),
  ]

  static let hasDevFull = FileManager.default.fileExists(atPath: "/dev/full")

  static func makeFolder() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "output-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  static func contents(_ dir: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
  }

  @Test(.enabled(if: hasDevFull), arguments: commands)
  func fullDiskIsExit74(_ c: Command) throws {
    let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
    defer { try? full.close() }
    let result = try ClusterBinary.run(c.arguments, standardOutput: full)
    #expect(result.status == 74)
    #expect(result.stderr == "error: cannot write output: No space left on device\n")
  }

  @Test(.enabled(if: hasDevFull), arguments: commands)
  func fullDiskThroughOutputIsExit74(_ c: Command) throws {
    let result = try ClusterBinary.run(c.arguments + ["--output", "/dev/full"])
    #expect(result.status == 74)
    #expect(result.stderr == "error: cannot write output: No space left on device\n")
    #expect(result.stdout.isEmpty)
  }

  @Test(arguments: commands)
  func closedPipeIsQuiet(_ c: Command) throws {
    let pipe = Pipe()
    try pipe.fileHandleForReading.close()
    defer { try? pipe.fileHandleForWriting.close() }
    let result = try ClusterBinary.run(c.arguments, standardOutput: pipe.fileHandleForWriting)
    // Documented: the reader stopped reading, so the command stops writing and exits 0.
    #expect(result.status == 0)
    #expect(result.stderr.isEmpty)
  }

  @Test(arguments: commands)
  func outputFileHoldsTheStandardOutputBytes(_ c: Command) throws {
    let dir = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let expected = try ClusterBinary.run(c.arguments)
    #expect(expected.status == 0, "\(expected.stderr)")
    let file = dir.appendingPathComponent("out.txt")
    let result = try ClusterBinary.run(c.arguments + ["--output", file.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.isEmpty && result.stderr.isEmpty)
    #expect(try Data(contentsOf: file) == Data(expected.stdout.utf8))
    // The temporary file was renamed, not left beside it.
    #expect(try Self.contents(dir) == ["out.txt"])
  }

  @Test(arguments: commands)
  func outputIntoMissingFolderIsExit73(_ c: Command) throws {
    let dir = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("missing/out.txt").path
    let result = try ClusterBinary.run(c.arguments + ["--output", file])
    #expect(result.status == 73)
    #expect(
      result.stderr == "error: cannot create output file \(file): No such file or directory\n")
    #expect(try Self.contents(dir).isEmpty)
  }

  @Test func outputOntoAFolderIsExit73() throws {
    let dir = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try ClusterBinary.run(["run", RepositoryPaths.seeds, "--output", dir.path])
    #expect(result.status == 73)
    #expect(result.stderr == "error: cannot create output file \(dir.path): Is a directory\n")
    #expect(try Self.contents(dir).isEmpty)
  }

  @Test func failedRunLeavesTheOldFileAndNoTemporary() throws {
    let dir = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("out.json")
    try Data("yesterday\n".utf8).write(to: file)
    let missing = dir.appendingPathComponent("nope.jsonl").path
    let result = try ClusterBinary.run(["run", missing, "--output", file.path])
    #expect(result.status == 65)
    #expect(try String(contentsOf: file, encoding: .utf8) == "yesterday\n")
    #expect(try Self.contents(dir) == ["out.json"])
  }

  @Test func outputReplacesAnOldFile() throws {
    let dir = try Self.makeFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("out.csv")
    try Data("yesterday\n".utf8).write(to: file)
    let arguments = ["run", RepositoryPaths.seeds, "--format", "csv"]
    let expected = try ClusterBinary.run(arguments)
    let result = try ClusterBinary.run(arguments + ["--output", file.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try Data(contentsOf: file) == Data(expected.stdout.utf8))
    #expect(try Self.contents(dir) == ["out.csv"])
  }
}
