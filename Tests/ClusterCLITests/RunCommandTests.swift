import Foundation
import StoryClusterTestSupport
import Testing

/// `cluster` end to end, on the repository's seeds.
struct RunCommandTests {
  @Test func seedsFormOneStoryWithARelatedPair() throws {
    let result = try ClusterBinary.run(["run", RepositoryPaths.seeds, "--format", "json"])
    #expect(result.status == 0)
    #expect(result.stderr == "")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(json["articles"] as? Int == 2)
    let clusters = try #require(json["clusters"] as? [[String: Any]])
    #expect(clusters.count == 1)
    #expect(
      clusters[0]["members"] as? [String] == [
        "000_c0837fc8db15ef58.txt", "004_93e46284cb8dccf5.txt",
      ])
    let pairs = try #require(json["pairs"] as? [[String: Any]])
    #expect(pairs.count == 1)
    #expect(pairs[0]["kind"] as? String == "related")
    let terms = Set(
      ((pairs[0]["shared_terms"] as? [[String: Any]]) ?? []).compactMap { $0["term"] as? String })
    #expect(terms.isSuperset(of: ["syria", "russia", "resolution", "draft"]))
  }

  /// `cluster` starts again with huge pages advised unless the environment already decides,
  /// keeping what else it says, its arguments and its standard input.
  @Test(arguments: [
    ("", "glibc.malloc.hugetlb=1"),
    ("glibc.malloc.hugetlb=0", "glibc.malloc.hugetlb=0"),
    ("glibc.malloc.check=0", "glibc.malloc.check=0:glibc.malloc.hugetlb=1"),
  ])
  func restartsWithHugePagesUnlessTold(_ given: String, _ expected: String) throws {
    let input = try String(contentsOfFile: Self.sample, encoding: .utf8)
    let result = try ClusterBinary.run(
      ["run", "-", "--format", "csv", "--verbose"], stdin: input,
      environment: ["GLIBC_TUNABLES": given])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("MiB; GLIBC_TUNABLES=\(expected);"), "\(result.stderr)")
    let plain = try ClusterBinary.run(["run", Self.sample, "--format", "csv"])
    #expect(result.stdout == plain.stdout)
  }

  /// `cluster` starts again with OpenBLAS told one thread (so it starts no pool of its own)
  /// unless the environment already sets a count, and the output does not change.
  @Test(arguments: [("", "1"), ("2", "2"), ("1", "1")])
  func restartsWithOneBLASThreadUnlessTold(_ given: String, _ expected: String) throws {
    let input = try String(contentsOfFile: Self.sample, encoding: .utf8)
    let result = try ClusterBinary.run(
      ["run", "-", "--format", "csv", "--verbose"], stdin: input,
      environment: ["OPENBLAS_NUM_THREADS": given, "GLIBC_TUNABLES": "glibc.malloc.hugetlb=0"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stderr.contains("; OPENBLAS_NUM_THREADS=\(expected)\n"), "\(result.stderr)")
    let plain = try ClusterBinary.run(["run", Self.sample, "--format", "csv"])
    #expect(result.stdout == plain.stdout)
  }

  @Test func defaultSubcommandIsRun() throws {
    let explicit = try ClusterBinary.run(["run", RepositoryPaths.seeds])
    let implicit = try ClusterBinary.run([RepositoryPaths.seeds])
    #expect(explicit.status == 0)
    #expect(explicit.stdout == implicit.stdout)
    #expect(explicit.stdout.contains("CLUSTERS"))
    #expect(explicit.stdout.contains("related"))
  }

  @Test func sharedTermsCanBeLeftOut() throws {
    func pairs(_ extra: [String]) throws -> [[String: Any]] {
      let result = try ClusterBinary.run(["run", Self.sample, "--format", "json"] + extra)
      #expect(result.status == 0, "\(result.stderr)")
      let json = try #require(
        JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
      return try #require(json["pairs"] as? [[String: Any]])
    }
    let full = try pairs([])
    let bare = try pairs(["--shared-terms", "0"])
    #expect(full.count == bare.count && !full.isEmpty)
    for (x, y) in zip(full, bare) {
      #expect(x["a"] as? String == y["a"] as? String && x["b"] as? String == y["b"] as? String)
      #expect(x["score"] as? Double == y["score"] as? Double)
      #expect(x["kind"] as? String == y["kind"] as? String)
      #expect((1...15).contains((x["shared_terms"] as? [Any])?.count ?? 0))
      #expect((y["shared_terms"] as? [Any])?.isEmpty == true)
    }
  }

  /// The pair lines are built byte by byte (ids escaped once): they must be exactly the JSON
  /// the general writer printed, escapes, six-decimal scores and shared terms included. q"1 and
  /// b\2 are one text: one exact pair, and cé is paired with b\2 alone (its pair with q"1
  /// follows from the two).
  @Test func pairLinesAreExactJSONWithEscapedIDs() throws {
    let body = "A strong storm hit the coast of Florida on Monday"
    let stdin = [
      #"{"id": "q\"1", "title": "Storm hits the Florida coast", "body": "\#(body), cutting power to thousands."}"#,
      #"{"id": "b\\2", "title": "Storm hits the Florida coast", "body": "\#(body), cutting power to thousands."}"#,
      #"{"id": "c\u00e9", "title": "Storm hits Florida coast", "body": "\#(body) and cut power to thousands of homes."}"#,
    ].joined(separator: "\n")
    func pairLines(_ extra: [String]) throws -> [Substring] {
      let result = try ClusterBinary.run(["run", "-", "--format", "json"] + extra, stdin: stdin)
      #expect(result.status == 0, "\(result.stderr)")
      let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
      let first = try #require(lines.firstIndex(of: "  \"pairs\": ["))
      return Array(lines[(first + 1)..<(first + 4)])
    }
    let terms = [
      #"[{"term": "coast", "weight": 0.176324}, {"term": "florida", "weight": 0.176324}]"#,
      #"[{"term": "coast", "weight": 0.157668}, {"term": "florida", "weight": 0.157668}]"#,
    ]
    #expect(
      try pairLines(["--shared-terms", "2"]) == [
        #"    {"a": "b\\2", "b": "q\"1", "score": 1.000000, "kind": "exact", "shared_terms": \#(terms[0])},"#,
        #"    {"a": "b\\2", "b": "cé", "score": 0.871400, "kind": "near-duplicate", "shared_terms": \#(terms[1])}"#,
        "  ],",
      ])
    #expect(
      try pairLines(["--shared-terms", "0"]) == [
        #"    {"a": "b\\2", "b": "q\"1", "score": 1.000000, "kind": "exact", "shared_terms": []},"#,
        #"    {"a": "b\\2", "b": "cé", "score": 0.871400, "kind": "near-duplicate", "shared_terms": []}"#,
        "  ],",
      ])
  }

  static let sample = RepositoryPaths.root.appendingPathComponent(
    "Tests/StoryClusterTests/Fixtures/samples/ecbplus-dev-sample.jsonl"
  ).path

  @Test(arguments: ["table", "json", "csv"])
  func outputIsIdenticalAtEveryThreadCount(format: String) throws {
    let args = ["run", Self.sample, RepositoryPaths.seeds, "--format", format]
    let reference = try ClusterBinary.run(
      args + ["--threads", "1"], environment: ["OPENBLAS_NUM_THREADS": "1"])
    #expect(reference.status == 0)
    #expect(reference.stdout.contains("resolution"))
    for (blas, engine) in [("2", "1"), ("1", "2"), ("2", "2"), ("2", "0")] {
      let other = try ClusterBinary.run(
        args + ["--threads", engine], environment: ["OPENBLAS_NUM_THREADS": blas])
      #expect(other.stdout == reference.stdout, "OPENBLAS_NUM_THREADS=\(blas) --threads \(engine)")
    }
  }

  /// Over 8,192 pairs (every pair of the UCI sample at floor 0.01: `--all-pairs`), so the pairs
  /// are formatted in chunks on two threads: the bytes must be those of one thread.
  @Test(arguments: ["json", "csv"])
  func longOutputIsIdenticalAtEveryThreadCount(format: String) throws {
    let sample = RepositoryPaths.root.appendingPathComponent(
      "Tests/StoryClusterTests/Fixtures/samples/uci-dev-sample.jsonl"
    ).path
    let args = ["run", sample, "--pair-floor", "0.01", "--all-pairs", "--format", format]
    let one = try ClusterBinary.run(args + ["--threads", "1"])
    let two = try ClusterBinary.run(args + ["--threads", "2"])
    #expect(one.status == 0)
    #expect(one.stdout.split(separator: "\n").count > 14_000)
    #expect(two.stdout == one.stdout)
  }

  /// A folder's entries in the order the file system lists them (`readdir`), as the reader
  /// meets them before sorting.
  static func listing(_ folder: URL) throws -> [String] {
    let stream = try #require(opendir(folder.path))
    defer { closedir(stream) }
    var names: [String] = []
    while let entry = readdir(stream) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// The sample's articles split over nine files, given in three orders and written to two
  /// folders: one with part k in `part-0k.jsonl`, created in that order, the other with part k
  /// in `part-0(8 − k).jsonl`, created in reverse. The folders list the parts in different
  /// orders (checked: on a hashed-directory file system such as ext4 the listing follows the
  /// names, on tmpfs the creation order) and sort them in opposite orders; the output must not
  /// change.
  @Test(arguments: ["table", "json", "csv"])
  func outputIgnoresFileAndListingOrder(format: String) throws {
    let lines = try String(contentsOfFile: Self.sample, encoding: .utf8)
      .split(separator: "\n").map(String.init)
    let parts = stride(from: 0, to: lines.count, by: 10).map {
      lines[$0..<min($0 + 10, lines.count)].joined(separator: "\n") + "\n"
    }
    #expect(parts.count == 9)  // 82 lines
    let names = parts.indices.map { "part-\(String(format: "%02d", $0)).jsonl" }
    let base = FileManager.default.temporaryDirectory.appendingPathComponent(
      "storycluster-order-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: base) }
    // Folder → (file name → part), each written in its own order.
    let layouts: [(String, [(name: String, part: Int)])] = [
      ("forward", parts.indices.map { (names[$0], $0) }),
      ("reverse", parts.indices.reversed().map { (names[parts.count - 1 - $0], $0) }),
    ]
    var folders: [URL] = []
    var listed: [[Int]] = []
    for (label, files) in layouts {
      let folder = base.appendingPathComponent(label)
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for (name, part) in files {
        try parts[part].write(
          to: folder.appendingPathComponent(name), atomically: false, encoding: .utf8)
      }
      folders.append(folder)
      let partOf = Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0.part) })
      listed.append(try Self.listing(folder).compactMap { partOf[$0] })
    }
    #expect(listed[0].count == parts.count && listed[1].count == parts.count)
    #expect(listed[0] != listed[1], "both folders list the parts as \(listed[0])")
    let reference = try ClusterBinary.run(["run", Self.sample, "--format", format])
    #expect(reference.status == 0)
    let forward = folders[0].path
    var generator = SeededGenerator(seed: 7)
    let paths: [String] = names.map { forward + "/" + $0 }
    let shuffled: [String] = paths.shuffled(using: &generator)
    let runs: [[String]] = [
      ["run", forward],
      ["run", folders[1].path],
      ["run"] + paths,
      ["run"] + paths.reversed(),
      ["run", "--threads", "2"] + shuffled,
    ]
    for arguments in runs {
      let other = try ClusterBinary.run(arguments + ["--format", format])
      #expect(other.status == 0, "\(other.stderr)")
      let command: String = arguments.joined(separator: " ")
      #expect(other.stdout == reference.stdout, "\(command)")
    }
  }

  /// 2,055 articles (the samples five times, lightly edited by a seeded generator; see
  /// ``SyntheticCorpus``) in four files: enough for every parallel path of a run (the
  /// vectoriser's chunks of at least 256 texts, five kernel blocks of 512 rows, chunked pair
  /// formatting past 8,192 pairs). The JSON output is the same bytes at `--threads` 1, 2 and 4,
  /// each with `OPENBLAS_NUM_THREADS` 1 and 2. The pair floor 0.3 keeps the debug-build runs
  /// short (34,362 pairs).
  @Test func twoThousandArticlesAreIdenticalAtEveryThreadCount() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "storycluster-threads-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let articles = SyntheticCorpus.articles(copies: 5)
    #expect(articles.count == 2_055)
    try SyntheticCorpus.write(articles, to: folder)
    let arguments = ["run", folder.path, "--format", "json", "--pair-floor", "0.3"]
    let reference = try ClusterBinary.run(
      arguments + ["--threads", "1"], environment: ["OPENBLAS_NUM_THREADS": "1"])
    #expect(reference.status == 0, "\(reference.stderr)")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(reference.stdout.utf8)) as? [String: Any])
    #expect(json["articles"] as? Int == 2_055)
    let pairs = try #require(json["pairs"] as? [[String: Any]])
    #expect(pairs.count > 8_192)
    #expect(
      Set(pairs.compactMap { $0["kind"] as? String }) == ["exact", "near-duplicate", "related"])
    for (threads, blas) in [("2", "1"), ("4", "1"), ("1", "2"), ("2", "2"), ("4", "2")] {
      let other = try ClusterBinary.run(
        arguments + ["--threads", threads], environment: ["OPENBLAS_NUM_THREADS": blas])
      #expect(other.status == 0)
      #expect(
        other.stdout == reference.stdout, "--threads \(threads), OPENBLAS_NUM_THREADS=\(blas)")
    }
  }

  @Test func helpListsSubcommandsAndChoices() throws {
    let result = try ClusterBinary.run(["run", "--help"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("--format <format>"))
    #expect(result.stdout.contains("table, json, csv or html"))
    #expect(result.stdout.contains("--skip-invalid"))
    let root = try ClusterBinary.run(["--help"])
    #expect(root.stdout.contains("run"))
    #expect(root.stdout.contains("vectorize"))
    #expect(root.stdout.contains("73 cannot create the\n--output file, 74 cannot write the output"))
    #expect(
      root.stdout.contains("closed output pipe (cluster run big.jsonl | head -1) ends quietly"))
    for command in ["run", "vectorize", "eval"] {
      let help = try ClusterBinary.run([command, "--help"])
      #expect(help.stdout.contains("--output <file>"), "\(command)")
    }
  }

  struct UsageCase: Sendable, CustomTestStringConvertible {
    let arguments: [String]
    let message: String
    var testDescription: String { arguments.joined(separator: " ") }
  }

  static let usageCases: [UsageCase] = [
    UsageCase(
      arguments: ["--threshold", "1.5"], message: "--threshold must be in 0...1, got 1.5."),
    UsageCase(arguments: ["-k", "0"], message: "-k/--neighbors must be 1 or more, got 0."),
    UsageCase(
      arguments: ["--min-df", "abc"],
      message:
        "--min-df must be a count ≥ 0 (e.g. 2) or a fraction in 0.0...1.0 (e.g. 0.5), got 'abc'."),
    UsageCase(
      arguments: ["--format", "xml"], message: "The value 'xml' is invalid for '--format <format>'"),
  ]

  @Test(arguments: usageCases)
  func usageErrorsExit64(_ c: UsageCase) throws {
    let result = try ClusterBinary.run(["run", RepositoryPaths.seeds] + c.arguments)
    #expect(result.status == 64)
    #expect(result.stderr.contains(c.message), "\(result.stderr)")
    #expect(result.stdout == "")
  }
}
