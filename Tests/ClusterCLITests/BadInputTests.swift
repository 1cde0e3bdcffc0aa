import Foundation
import StoryClusterTestSupport
import Testing

/// Every kind of bad input the scrapers produce, through the built `cluster` binary: the exact
/// located message, the exit code, and with `--skip-invalid` that every valid article still
/// appears exactly once and the accounting adds up. `$DIR` stands for the case's temporary folder.
struct BadInputTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var files: [(String, [UInt8])] = []
    var arguments: [String] = ["$DIR"]
    var stdin: String? = nil
    var status: Int32
    var messages: [String] = []
    /// With `--skip-invalid --format json`: the ids that must each appear once (nil: no rerun).
    var validIDs: [String]? = nil
    var testDescription: String { name }
  }

  static func text(_ s: String) -> [UInt8] { Array(s.utf8) }

  static let cases: [Case] = [
    Case(
      name: "invalid UTF-8",
      files: [
        (
          "a.jsonl",
          text("{\"id\": \"a1\", \"title\": \"ok\"}\n") + [0x7B, 0x22, 0xFF, 0x22, 0x7D, 0x0A]
        )
      ],
      status: 65, messages: ["$DIR/a.jsonl:2: error: invalid UTF-8"], validIDs: ["a1"]),
    Case(
      name: "NUL byte",
      files: [
        (
          "a.jsonl",
          text("{\"id\": \"a1\", \"title\": \"o\u{0}k\"}\n{\"id\": \"a2\", \"title\": \"fine\"}\n")
        )
      ],
      status: 65, messages: ["$DIR/a.jsonl:1: error: NUL byte in text"], validIDs: ["a2"]),
    Case(
      name: "UTF-8 BOM is accepted",
      files: [("a.jsonl", [0xEF, 0xBB, 0xBF] + text("{\"id\": \"a1\", \"title\": \"Storm\"}\n"))],
      status: 0, validIDs: ["a1"]),
    Case(
      name: "CRLF line ends are accepted",
      files: [
        (
          "a.jsonl",
          text(
            "{\"id\": \"a1\", \"title\": \"Storm\"}\r\n{\"id\": \"a2\", \"title\": \"Rain\"}\r\n")
        )
      ],
      status: 0, validIDs: ["a1", "a2"]),
    Case(
      name: "lone CR line ends are accepted",
      files: [
        (
          "a.jsonl",
          text("{\"id\": \"a1\", \"title\": \"Storm\"}\r{\"id\": \"a2\", \"title\": \"Rain\"}\r")
        )
      ],
      status: 0, validIDs: ["a1", "a2"]),
    Case(
      name: "CRLF in a text article",
      files: [("s.txt", text("Title line\r\n\r\nBody line one.\r\nBody line two.\r\n"))],
      status: 0, validIDs: ["s.txt"]),
    Case(
      name: "empty file", files: [("a.jsonl", [])], arguments: ["$DIR/a.jsonl"], status: 65,
      messages: ["error: no articles in $DIR/a.jsonl"]),
    Case(
      name: "empty folder", files: [("empty/.keep", [])], arguments: ["$DIR/empty"], status: 65,
      messages: [
        "$DIR/empty/.keep: note: ignored (not .txt, .jsonl, .ndjson or .csv, or hidden)",
        "error: no articles in $DIR/empty",
      ]),
    Case(
      name: "binary file",
      files: [("bin.txt", (0..<256).map { UInt8($0) }), ("ok.txt", text("Fine\nbody"))],
      status: 65, messages: ["$DIR/bin.txt:1: error: NUL byte in text"], validIDs: ["ok.txt"]),
    Case(
      name: "truncated last JSON line",
      files: [
        (
          "a.jsonl",
          text("{\"id\": \"a1\", \"title\": \"Storm\"}\n{\"id\": \"a2\", \"title\": \"Ra")
        )
      ],
      status: 65,
      messages: [
        "$DIR/a.jsonl:2: error: invalid JSON: unexpected end of line (truncated?) at column 26"
      ],
      validIDs: ["a1"]),
    Case(
      name: "wrong JSON type for title",
      files: [
        ("a.jsonl", text("{\"id\": \"a1\", \"title\": 42}\n{\"id\": \"a2\", \"title\": \"ok\"}\n"))
      ],
      status: 65,
      messages: ["$DIR/a.jsonl:1: error: field \"title\" must be a string or null, found a number"],
      validIDs: ["a2"]),
    Case(
      name: "numeric id",
      files: [
        ("a.jsonl", text("{\"id\": 7, \"title\": \"x\"}\n{\"id\": \"a2\", \"title\": \"ok\"}\n"))
      ],
      status: 65,
      messages: ["$DIR/a.jsonl:1: error: field \"id\" must be a string, found a number"],
      validIDs: ["a2"]),
    Case(
      name: "missing id",
      files: [("a.jsonl", text("{\"title\": \"x\"}\n{\"id\": \"a2\", \"title\": \"ok\"}\n"))],
      status: 65, messages: ["$DIR/a.jsonl:1: error: missing required string field \"id\""],
      validIDs: ["a2"]),
    Case(
      name: "empty id",
      files: [
        ("a.jsonl", text("{\"id\": \"\", \"title\": \"x\"}\n{\"id\": \"a2\", \"title\": \"ok\"}\n"))
      ],
      status: 65, messages: ["$DIR/a.jsonl:1: error: field \"id\" is empty"], validIDs: ["a2"]),
    Case(
      name: "duplicate ids across files",
      files: [
        ("a.jsonl", text("{\"id\": \"x\", \"title\": \"first\"}\n")),
        (
          "b.jsonl",
          text("{\"id\": \"y\", \"title\": \"other\"}\n{\"id\": \"x\", \"title\": \"second\"}\n")
        ),
      ],
      status: 65,
      messages: ["$DIR/b.jsonl:2: error: duplicate id \"x\" (first seen at $DIR/a.jsonl:1)"],
      validIDs: ["x", "y"]),
    Case(
      name: "title and body both empty",
      files: [
        (
          "a.jsonl",
          text(
            "{\"id\": \"a1\", \"title\": \"\", \"body\": \"  \"}\n{\"id\": \"a2\", \"body\": \"ok\"}\n"
          )
        )
      ],
      status: 65, messages: ["$DIR/a.jsonl:1: error: both \"title\" and \"body\" are empty"],
      validIDs: ["a2"]),
    Case(
      name: "JSON line that is not an object",
      files: [("a.jsonl", text("[1, 2]\n{\"id\": \"a2\", \"title\": \"ok\"}\n"))],
      status: 65,
      messages: [
        "$DIR/a.jsonl:1: error: invalid JSON: expected a JSON object, found an array at column 1"
      ],
      validIDs: ["a2"]),
    Case(
      name: "unpaired surrogate escape",
      files: [
        (
          "a.jsonl",
          text("{\"id\": \"a1\", \"title\": \"\\ud800x\"}\n{\"id\": \"a2\", \"title\": \"ok\"}\n")
        )
      ],
      status: 65,
      messages: [
        "$DIR/a.jsonl:1: error: invalid JSON: unpaired UTF-16 surrogate in \\u escape at column 24"
      ],
      validIDs: ["a2"]),
    Case(
      name: "invalid date",
      files: [
        (
          "a.jsonl",
          text(
            "{\"id\": \"a1\", \"title\": \"x\", \"date\": \"yesterday\"}\n{\"id\": \"a2\", \"title\": \"ok\", \"date\": \"2014-03-10T16:52:50Z\"}\n"
          )
        )
      ],
      status: 65,
      messages: ["$DIR/a.jsonl:1: error: field \"date\" is not ISO 8601: \"yesterday\""],
      validIDs: ["a2"]),
    Case(
      name: "CSV without an id column",
      files: [("a.csv", text("title,body\nStorm,Rain\n"))],
      status: 65, messages: ["$DIR/a.csv:1: error: CSV header has no \"id\" column"]),
    Case(
      name: "CSV quoted newlines are accepted",
      files: [
        (
          "a.csv",
          text(
            "id,title,body\nc1,Storm,\"line one\nline two, with comma\"\nc2,\"Rain \"\"heavy\"\"\",x\n"
          )
        )
      ],
      status: 0, validIDs: ["c1", "c2"]),
    Case(
      name: "CSV ragged row",
      files: [("a.csv", text("id,title,body\nc1,Storm,Rain\nc2,Only two\nc3,Sun,Heat\n"))],
      status: 65, messages: ["$DIR/a.csv:3: error: CSV row has 2 fields, header has 3"],
      validIDs: ["c1", "c3"]),
    Case(
      name: "CSV unterminated quote",
      files: [("a.csv", text("id,title\nc1,Storm\nc2,\"never closed\n"))],
      status: 65, messages: ["$DIR/a.csv:3: error: CSV quoted field is not closed"],
      validIDs: ["c1"]),
    Case(
      name: "nonexistent path", arguments: ["$DIR/nope.jsonl"], status: 65,
      messages: ["$DIR/nope.jsonl: error: no such file or directory"]),
    Case(
      name: "unsupported file named explicitly", files: [("a.pdf", text("%PDF"))],
      arguments: ["$DIR/a.pdf"],
      status: 65,
      messages: [
        "$DIR/a.pdf: error: unsupported file type; expected .txt, .jsonl, .ndjson or .csv (or - for JSON Lines on standard input)"
      ]),
    Case(
      name: "every token a stop word",
      files: [
        (
          "a.jsonl",
          text(
            "{\"id\": \"a1\", \"title\": \"The and of it\"}\n{\"id\": \"a2\", \"title\": \"Storm hits coast\"}\n"
          )
        )
      ],
      status: 0, validIDs: ["a1", "a2"]),
    Case(
      name: "one article", files: [("one.txt", text("Storm\nIt rained."))], status: 0,
      validIDs: ["one.txt"]),
    Case(
      name: "zero articles (blank lines only)", files: [("a.jsonl", text("\n  \n\n"))],
      arguments: ["$DIR/a.jsonl"], status: 65, messages: ["error: no articles in $DIR/a.jsonl"]),
    Case(
      name: "empty text file", files: [("e.txt", text("\n \n")), ("ok.txt", text("Fine\nbody"))],
      status: 65,
      messages: ["$DIR/e.txt: error: both \"title\" and \"body\" are empty"], validIDs: ["ok.txt"]),
    Case(
      name: "standard input with a bad line", arguments: ["-"],
      stdin: "{\"id\": \"s1\", \"title\": \"Storm\"}\n{\"id\": \"s2\"\n", status: 65,
      messages: [
        "<stdin>:2: error: invalid JSON: unexpected end of line (truncated?) at column 12"
      ], validIDs: ["s1"]),
    Case(
      name: "threshold out of range", files: [("one.txt", text("Storm\nIt rained."))],
      arguments: ["$DIR", "--threshold", "1.5"], status: 64,
      messages: ["Error: --threshold must be in 0...1, got 1.5."]),
    Case(
      name: "k of zero", files: [("one.txt", text("Storm\nIt rained."))],
      arguments: ["$DIR", "-k", "0"],
      status: 64, messages: ["Error: -k/--neighbors must be 1 or more, got 0."]),
    Case(
      name: "min-df above max-df",
      files: [("one.txt", text("Storm\nIt rained.")), ("two.txt", text("Rain\nAgain"))],
      arguments: ["$DIR", "--min-df", "3", "--max-df", "0.5"], status: 64,
      messages: [
        "error: minDocumentFrequency (3 documents) exceeds maxDocumentFrequency (0.5 × 2 = 1.0 documents); lower --min-df or raise --max-df"
      ]),
    Case(
      name: "--output into a folder that does not exist",
      files: [("one.txt", text("Storm\nIt rained."))],
      arguments: ["$DIR", "--output", "$DIR/missing/out.txt"], status: 73,
      messages: ["error: cannot create output file $DIR/missing/out.txt: No such file or directory"]
    ),
  ]

  static func makeFolder(_ files: [(String, [UInt8])]) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "bad-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (name, bytes) in files {
      let url = dir.appendingPathComponent(name)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(bytes).write(to: url)
    }
    return dir
  }

  /// Records in `files` and `stdin`, counted without the readers: a non-blank line of JSON
  /// Lines (ended by `\n`, `\r\n` or `\r`), a non-blank CSV row after the header (line ends
  /// inside quotes do not end a row; an open quote runs to the end), a `.txt` file; other files
  /// hold none.
  static func records(in files: [(String, [UInt8])], stdin: String?) -> Int {
    func lines(_ bytes: [UInt8]) -> Int {
      bytes.split(omittingEmptySubsequences: true) { $0 == 0x0A || $0 == 0x0D }
        .filter { !$0.allSatisfy { $0 == 0x20 || $0 == 0x09 } }.count
    }
    func csvRows(_ bytes: [UInt8]) -> Int {
      var rows = 0
      var inQuotes = false
      var rowHasText = false
      for byte in bytes {
        if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
        if !inQuotes && (byte == 0x0A || byte == 0x0D) {
          if rowHasText { rows += 1 }
          rowHasText = false
        } else {
          rowHasText = true
        }
      }
      return (rowHasText ? rows + 1 : rows) - 1
    }
    var count = stdin.map { lines(Array($0.utf8)) } ?? 0
    for (name, bytes) in files {
      switch (name as NSString).pathExtension {
      case "jsonl", "ndjson": count += lines(bytes)
      case "csv": count += csvRows(bytes)
      case "txt": count += 1
      default: break
      }
    }
    return count
  }

  /// Runs with `--skip-invalid --format json` and checks that every valid id appears exactly
  /// once and that `articles_in` is `records` (counted by the caller, not by the readers), the
  /// rest of them skipped.
  static func checkSkipInvalid(
    _ arguments: [String], stdin: String?, validIDs: [String], records: Int,
    run: ([String], String?) throws -> CommandResult = { try ClusterBinary.run($0, stdin: $1) }
  ) throws {
    let result = try run(["run"] + arguments + ["--skip-invalid", "--format", "json"], stdin)
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let clusters = try #require(json["clusters"] as? [[String: Any]])
    let members = clusters.flatMap { ($0["members"] as? [String]) ?? [] }
    #expect(members.sorted() == validIDs.sorted())
    #expect(json["articles_in"] as? Int == records)
    #expect(json["articles_out"] as? Int == validIDs.count)
    #expect((json["skipped"] as? [Any])?.count == records - validIDs.count)
  }

  @Test(arguments: cases)
  func badInput(_ c: Case) throws {
    let dir = try Self.makeFolder(c.files)
    defer { try? FileManager.default.removeItem(at: dir) }
    let arguments = c.arguments.map { $0.replacingOccurrences(of: "$DIR", with: dir.path) }
    let result = try ClusterBinary.run(["run"] + arguments, stdin: c.stdin)
    #expect(result.status == c.status, "\(result.stderr)")
    let lines = result.stderr.split(separator: "\n").map(String.init)
    for message in c.messages {
      let expected = message.replacingOccurrences(of: "$DIR", with: dir.path)
      #expect(lines.contains(expected), "expected «\(expected)» in «\(result.stderr)»")
    }
    if c.status == 0 { #expect(!result.stdout.isEmpty) } else { #expect(result.stdout.isEmpty) }
    if let ids = c.validIDs {
      try Self.checkSkipInvalid(
        arguments, stdin: c.stdin, validIDs: ids, records: Self.records(in: c.files, stdin: c.stdin)
      )
    }
  }

  /// The committed folder of valid and invalid records (its README lists them): several bad
  /// records in one file, more in the next, one in a text file and duplicates within and across
  /// files. Every problem is listed, by file (byte order) and line, then the count, then exit 65;
  /// with `--skip-invalid` each is a warning and a skipped entry, in the same order.
  @Test func everyProblemIsListedInOrder() throws {
    let dir = RepositoryPaths.root.appendingPathComponent(
      "Tests/StoryClusterTests/Fixtures/invalid-records"
    ).path
    let problems = [
      "\(dir)/feed-a.jsonl:3: error: field \"title\" must be a string or null, found a number",
      "\(dir)/feed-a.jsonl:5: error: field \"date\" is not ISO 8601: \"next week\"",
      "\(dir)/feed-a.jsonl:6: error: missing required string field \"id\"",
      "\(dir)/feed-a.jsonl:8: error: invalid JSON: unexpected end of line (truncated?) at column 26",
      "\(dir)/feed-a.jsonl:9: error: duplicate id \"a1\" (first seen at \(dir)/feed-a.jsonl:1)",
      "\(dir)/feed-b.csv:3: error: CSV row has 2 fields, header has 4",
      "\(dir)/feed-b.csv:4: error: field \"id\" is empty",
      "\(dir)/feed-b.csv:6: error: duplicate id \"a5\" (first seen at \(dir)/feed-a.jsonl:7)",
      "\(dir)/texts/empty.txt: error: both \"title\" and \"body\" are empty",
    ]
    let note = "\(dir)/README.md: note: ignored (not .txt, .jsonl, .ndjson or .csv, or hidden)"
    let failed = try ClusterBinary.run(["run", dir])
    #expect(failed.status == 65)
    #expect(failed.stdout.isEmpty)
    #expect(
      failed.stderr.split(separator: "\n").map(String.init)
        == [note] + problems + ["error: 9 invalid record(s); fix them or pass --skip-invalid"])

    let skipping = try ClusterBinary.run(["run", dir, "--skip-invalid", "--format", "json"])
    #expect(skipping.status == 0, "\(skipping.stderr)")
    let warnings = problems.map { $0.replacingOccurrences(of: ": error: ", with: ": warning: ") }
    #expect(
      skipping.stderr.split(separator: "\n").map(String.init)
        == [note] + warnings + ["warning: skipped 9 invalid record(s) of 15"])
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(skipping.stdout.utf8)) as? [String: Any])
    let skipped = try #require(json["skipped"] as? [[String: String]])
    #expect(
      skipped.map { "\($0["location"] ?? ""): error: \($0["reason"] ?? "")" } == problems)
    // 15 records (8 JSON lines, 5 CSV rows, 2 text files), 6 of them valid.
    #expect(json["articles_in"] as? Int == 15)
    #expect(json["articles_out"] as? Int == 6)
    let clusters = try #require(json["clusters"] as? [[String: Any]])
    #expect(
      clusters.flatMap { ($0["members"] as? [String]) ?? [] }.sorted() == [
        "a1", "a2", "a5", "b1", "b3", "texts/coast.txt",
      ])
  }

  @Test func symlinkLoopIsReportedNotFollowed() throws {
    let dir = try Self.makeFolder([("d/a.txt", Self.text("Storm\nRain"))])
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createSymbolicLink(
      atPath: dir.appendingPathComponent("d/loop").path,
      withDestinationPath: dir.appendingPathComponent("d").path)
    let result = try ClusterBinary.run(["run", dir.path])
    #expect(result.status == 65)
    #expect(
      result.stderr.contains(
        "\(dir.path)/d/loop: error: symbolic link loop; the folder is already being read"))
    // Two records: the text file, and the link that loops back (one skipped entry).
    try Self.checkSkipInvalid([dir.path], stdin: nil, validIDs: ["d/a.txt"], records: 2)
  }

  /// A file the command cannot open (mode 0). Root opens any file whatever its mode, so when the
  /// tests run as root (CI does) the command runs as `nobody` (uid and gid 65534, no
  /// supplementary groups) through util-linux's `setpriv`.
  @Test func unreadableFile() throws {
    let dir = try Self.makeFolder([
      ("a.jsonl", Self.text("{\"id\": \"a1\", \"title\": \"x\"}\n")),
      ("ok.txt", Self.text("Fine\nbody")),
    ])
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("a.jsonl").path
    try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: path)
    let run: ([String], String?) throws -> CommandResult = { arguments, stdin in
      guard getuid() == 0 else { return try ClusterBinary.run(arguments, stdin: stdin) }
      return try ProcessRunner.run(
        URL(fileURLWithPath: "/usr/bin/setpriv"),
        ["--reuid=65534", "--regid=65534", "--clear-groups", ClusterBinary.url.path] + arguments,
        stdin: stdin)
    }
    let result = try run(["run", dir.path], nil)
    #expect(result.status == 65, "\(result.stderr)")
    #expect(
      result.stderr == """
        \(path): error: cannot read: Permission denied
        error: 1 invalid record(s); fix them or pass --skip-invalid

        """)
    #expect(result.stdout.isEmpty)
    // Two records: a.jsonl's line, unread, and ok.txt.
    try Self.checkSkipInvalid([dir.path], stdin: nil, validIDs: ["ok.txt"], records: 2, run: run)
  }

  @Test func fiftyMegabyteLine() throws {
    let body = String(repeating: "storm rain coast ", count: 3_000_000)  // 51 MB
    let line =
      "{\"id\": \"big\", \"title\": \"Huge\", \"body\": \"\(body)\"}\n{\"id\": \"small\", \"title\": \"Storm coast\"}\n"
    let dir = try Self.makeFolder([("a.jsonl", Self.text(line))])
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try ClusterBinary.run(["run", dir.path, "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("\"big\"") && result.stdout.contains("\"small\""))
  }

  @Test func twentyThousandTinyArticles() throws {
    var lines = ""
    // Each headline has its own term and one shared word, so the similarity graph stays sparse
    // (a corpus of 20,000 reprints of one line would make 200 million pairs, all printed).
    for i in 0..<20_000 { lines += "{\"id\": \"n\(i)\", \"title\": \"Headline tag\(i)\"}\n" }
    let dir = try Self.makeFolder([("many.jsonl", Self.text(lines))])
    defer { try? FileManager.default.removeItem(at: dir) }
    try Self.checkSkipInvalid(
      [dir.path], stdin: nil, validIDs: (0..<20_000).map { "n\($0)" }, records: 20_000)
  }
}
