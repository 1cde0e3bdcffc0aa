import Foundation
import StoryClusterTestSupport
import Testing

/// The README's "### Errors" table against the built binary, row by row, so the two cannot
/// drift: each message in the table (each code span of its first column) must be a line the
/// binary prints to standard error for an input made here, with the row's exit code and nothing
/// on standard output; where the row's remedy names `--skip-invalid`, the same input with it
/// must succeed.
///
/// In a message, `file`, `path` and `line` stand for a path and a line number, `N` and `M` for
/// numbers, `"x"` for any quoted value and `…` for any text; the rest must match exactly. A
/// span without `error:` (`NUL byte in text` after `file:line: error: invalid UTF-8`) is a second
/// message with the first one's location part.
///
/// A new row needs an input in ``inputs`` (matched by a fragment of its message), or an entry in
/// ``withoutInput`` that says why it cannot be produced here.
struct ReadmeErrorTableTests {
  struct Message: Sendable, CustomTestStringConvertible {
    /// The message as the README writes it.
    var text: String
    var status: Int32
    var remedy: String
    var testDescription: String { text }
  }

  /// How to make a message: files in a fresh folder (`$DIR`), the arguments after `cluster`,
  /// and optionally standard output sent to a file such as `/dev/full`.
  struct Input: Sendable {
    var files: [(String, [UInt8])] = []
    var arguments: [String]
    var stdoutPath: String? = nil
  }

  /// Inputs by a fragment of the message they produce. A valid record sits beside each bad one,
  /// so `--skip-invalid` has an article left to cluster.
  static let inputs: [(fragment: String, input: Input)] = {
    let valid = Array("{\"id\": \"ok\", \"title\": \"Storm hits the coast\"}\n".utf8)
    func jsonl(_ line: String) -> Input { jsonl(Array(line.utf8)) }
    func jsonl(_ line: [UInt8]) -> Input {
      Input(files: [("a.jsonl", valid + line + [0x0A])], arguments: ["run", "$DIR"])
    }
    func file(_ name: String, _ text: String) -> [(String, [UInt8])] { [(name, Array(text.utf8))] }
    return [
      ("invalid JSON", jsonl("{\"id\": \"b\", \"title\": \"Ra")),
      ("missing required string field", jsonl("{\"title\": \"No id\"}")),
      ("must be a string or null", jsonl("{\"id\": \"b\", \"title\": 42}")),
      ("are empty", jsonl("{\"id\": \"b\", \"title\": \"\", \"body\": \" \"}")),
      ("duplicate id", jsonl("{\"id\": \"ok\", \"title\": \"Storm again\"}")),
      (
        "invalid UTF-8",
        jsonl(Array("{\"id\": \"b\", \"title\": \"caf".utf8) + [0xC3, 0x28, 0x22, 0x7D])
      ),
      ("NUL byte", jsonl("{\"id\": \"b\", \"title\": \"o\u{0}k\"}")),
      (
        "CSV header has no",
        Input(files: file("a.csv", "title,body\nStorm,Rain\n"), arguments: ["run", "$DIR/a.csv"])
      ),
      (
        "CSV row has",
        Input(
          files: file("a.csv", "id,title,body\nc1,Storm,Rain\nc2,Only two\n"),
          arguments: ["run", "$DIR"])
      ),
      ("no such file or directory", Input(arguments: ["run", "$DIR/nope.jsonl"])),
      ("no articles in", Input(files: file("a.jsonl", "\n"), arguments: ["run", "$DIR/a.jsonl"])),
      (
        "--threshold must be in",
        Input(
          files: file("one.txt", "Storm\nIt rained."),
          arguments: ["run", "$DIR", "--threshold", "1.5"])
      ),
      // Output errors: a full device, and a file in a folder that does not exist.
      (
        "No space left on device",
        Input(arguments: ["run", RepositoryPaths.seeds], stdoutPath: "/dev/full")
      ),
      (
        "cannot create output file",
        Input(arguments: ["run", RepositoryPaths.seeds, "--output", "$DIR/missing/out.txt"])
      ),
      // The other doors: explain's ids, eval's graded pairs.
      (
        "no article with id",
        Input(files: [("a.jsonl", valid)], arguments: ["explain", "nope", "ok", "$DIR"])
      ),
      (
        "expected {\"a\": string",
        Input(
          files: [("a.jsonl", valid)] + file("p.txt", "{\"a\": \"ok\", \"b\": 2, \"score\": 1}\n"),
          arguments: ["eval", "--pairs", "$DIR/p.txt", "$DIR/a.jsonl"])
      ),
      (
        "pair names id",
        Input(
          files: [("a.jsonl", valid)]
            + file("p.txt", "{\"a\": \"ok\", \"b\": \"zz\", \"score\": 1}\n"),
          arguments: ["eval", "--pairs", "$DIR/p.txt", "$DIR/a.jsonl"])
      ),
    ]
  }()

  /// Messages this test cannot produce, by fragment, with the reason.
  static let withoutInput: [String: String] = [
    "cannot replace": "the rename over --output fails only after the temporary file beside it "
      + "was written; as root no permission stops it, and OutputErrorTests covers the writer"
  ]

  /// The README's errors table, as messages.
  static let messages: [Message] = {
    guard
      let readme = try? String(
        contentsOf: RepositoryPaths.root.appendingPathComponent("README.md"), encoding: .utf8)
    else { return [] }
    var messages: [Message] = []
    var inSection = false
    for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("#") { inSection = line == "### Errors" }
      guard inSection, line.hasPrefix("| "), !line.hasPrefix("| message"),
        !line.hasPrefix("| ---")
      else { continue }
      let cells = line.dropFirst(2).dropLast(2).components(separatedBy: " | ")
      guard cells.count == 3, let status = Int32(cells[1]) else { continue }
      let spans = codeSpans(cells[0])
      guard let first = spans.first else { continue }
      let prefix = first.range(of: "error: ").map { String(first[..<$0.upperBound]) } ?? ""
      for span in spans {
        let text = span.contains("error: ") ? span : prefix + span
        messages.append(Message(text: text, status: status, remedy: cells[2]))
      }
    }
    return messages
  }()

  /// The code spans of a Markdown table cell.
  static func codeSpans(_ cell: String) -> [String] {
    cell.split(separator: "`", omittingEmptySubsequences: false).enumerated()
      .filter { $0.offset % 2 == 1 }.map { String($0.element) }
  }

  /// The message as an anchored regular expression (see the type's discussion).
  static func pattern(_ message: String) -> String {
    var out = "^"
    var word = ""
    func flushWord() {
      switch word {
      case "file", "path": out += "[^:\\s]+"
      case "line", "N", "M": out += "[0-9]+"
      default: out += NSRegularExpression.escapedPattern(for: word)
      }
      word = ""
    }
    var rest = Substring(message)
    while let c = rest.first {
      if c.isLetter || c.isNumber || c == "_" {
        word.append(c)
        rest.removeFirst()
        continue
      }
      flushWord()
      if rest.hasPrefix("\"x\"") {
        out += "\"[^\"]+\""
        rest.removeFirst(3)
      } else if c == "…" {
        out += ".+"
        rest.removeFirst()
      } else {
        out += NSRegularExpression.escapedPattern(for: String(c))
        rest.removeFirst()
      }
    }
    flushWord()
    return out + "$"
  }

  @Test func theTableIsRead() {
    // The table of 2026-11-29 had 11 rows, one with two messages; rows may be added, not lost.
    #expect(Self.messages.count >= 12)
    #expect(
      Self.messages.contains { $0.status == 64 } && Self.messages.contains { $0.status == 65 })
  }

  @Test func patternsMatchTheWayTheTableMeansThem() throws {
    let duplicate = try NSRegularExpression(
      pattern: Self.pattern("file:line: error: duplicate id \"x\" (first seen at file:line)"))
    func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
      regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
    #expect(
      matches(duplicate, "/t/b.jsonl:2: error: duplicate id \"x1\" (first seen at /t/a.jsonl:1)"))
    #expect(
      !matches(duplicate, "/t/b.jsonl: error: duplicate id \"x1\" (first seen at /t/a.jsonl:1)"))
    let header = try NSRegularExpression(pattern: Self.pattern("file: error: CSV header"))
    #expect(!matches(header, "/t/a.csv:1: error: CSV header"))
    let range = try NSRegularExpression(
      pattern: Self.pattern("error: --threshold must be in 0...1"))
    #expect(!matches(range, "Error: --threshold must be in 0...1"))
    #expect(!matches(range, "error: --threshold must be in 0a.b1"))
  }

  @Test(arguments: messages)
  func rowMatchesTheBinary(_ message: Message) throws {
    let found = Self.inputs.filter { message.text.contains($0.fragment) }
    if let reason = Self.withoutInput.first(where: { message.text.contains($0.key) })?.value {
      #expect(found.isEmpty, "\(message.text) has an input and a reason not to have one")
      print("README row «\(message.text)» not checked: \(reason)")
      return
    }
    #expect(found.count == 1, "add one input for README row «\(message.text)» to `inputs`")
    guard let input = found.first?.input else { return }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "readme-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    for (name, bytes) in input.files { try Data(bytes).write(to: dir.appendingPathComponent(name)) }
    let arguments = input.arguments.map { $0.replacingOccurrences(of: "$DIR", with: dir.path) }
    let result = try ProcessRunner.run(
      ClusterBinary.url, arguments, stdoutPath: input.stdoutPath)
    let regex = try NSRegularExpression(pattern: Self.pattern(message.text))
    let lines = result.stderr.split(separator: "\n").map(String.init)
    #expect(
      lines.contains { regex.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil },
      "README «\(message.text)» not in «\(result.stderr)»")
    #expect(result.status == message.status, "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    if message.remedy.contains("`--skip-invalid`") {
      let skipping = try ClusterBinary.run(arguments + ["--skip-invalid"])
      #expect(skipping.status == 0, "\(skipping.stderr)")
    }
  }
}
