import Foundation
import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// The JSON Lines reader's parallel and block-by-block paths against the plain one-thread parse of
/// the whole file, on the committed real samples with bad lines and every line end mixed in: the
/// same articles and problems (file and line named), in the same order, at any thread count and
/// block size.
struct JSONLinesReaderTests {
  static let sampleNames = ["ecbplus-dev-sample.jsonl", "uci-dev-sample.jsonl"]

  static func sample(_ name: String) throws -> [UInt8] {
    let url = RepositoryPaths.root.appendingPathComponent(
      "Tests/StoryClusterTests/Fixtures/samples/\(name)")
    return Array(try Data(contentsOf: url))
  }

  /// The sample's lines, with a BOM in front, bad and blank lines between, and the line ends
  /// cycling through `\n`, `\r\n` and `\r`, so problems and line numbers are exercised too.
  static func mixed(_ name: String) throws -> [UInt8] {
    let bad: [[UInt8]] = [
      Array(#"{"id": "bad-utf8", "title": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8),
      Array(#"{"id": "nul", "title": "a"#.utf8) + [0] + Array(#"b"}"#.utf8),
      Array("   ".utf8),
      Array(#"{"id": "esc", "title": "caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t"}"#.utf8),
      Array(#"{"id": "lone", "title": "\ud800 x"}"#.utf8),
      Array(#"{"id": 7, "title": "x"}"#.utf8),
      Array(#"{"id": "trunc", "title": "Ra"#.utf8),
    ]
    let ends: [[UInt8]] = [[0x0A], [0x0D, 0x0A], [0x0D]]
    var out: [UInt8] = [0xEF, 0xBB, 0xBF]
    let lines = try sample(name).split(separator: 0x0A, omittingEmptySubsequences: false)
    for (k, line) in lines.enumerated() where !line.isEmpty {
      out += line
      out += ends[k % ends.count]
      if k % 9 == 4 {
        out += bad[(k / 9) % bad.count]
        out += ends[(k / 3) % ends.count]
      }
    }
    return out
  }

  /// A result as text, for comparing (`LineResult` is not `Equatable`).
  static func describe(_ result: JSONLinesReader.LineResult) -> String {
    switch result {
    case .article(let a):
      return "\(a.location) \(a.id)|\(a.title)|\(a.body)|\(a.story ?? "-")|\(a.date ?? "-")"
    case .problem(let p): return p.description
    case .blank: return "blank"
    }
  }

  @Test(arguments: sampleNames, [2, 3, 8])
  func parallelParseEqualsOneThread(name: String, threads: Int) throws {
    let bytes = try Self.mixed(name)
    let one = JSONLinesReader.parse(bytes, path: name, threads: 1).map(Self.describe)
    let many = JSONLinesReader.parse(bytes, path: name, threads: threads).map(Self.describe)
    #expect(one.filter { $0.contains("error:") }.count > 5)
    #expect(one.count > 80)
    #expect(many == one)
  }

  /// Block sizes from one byte (every line grows the buffer) to more than the file.
  @Test(arguments: [1, 2, 3, 7, 64, 1_000, 4_096, 1 << 22])
  func blockReadEqualsWholeFileParse(blockSize: Int) throws {
    for name in Self.sampleNames {
      let bytes = try Self.mixed(name)
      let file = FileManager.default.temporaryDirectory
        .appendingPathComponent("jsonl-blocks-\(blockSize)-\(name)")
      try Data(bytes).write(to: file)
      defer { try? FileManager.default.removeItem(at: file) }
      let whole = JSONLinesReader.parse(bytes, path: name, threads: 1).map(Self.describe)
      let blocks = try JSONLinesReader.read(
        file: file.path, path: name, threads: 2, blockSize: blockSize)
      #expect(blocks.joined().map(Self.describe) == whole)
    }
  }

  @Test func readerGivesTheSameCorpusAtOneAndTwoThreads() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "jsonl-corpus-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for name in Self.sampleNames {
      try Data(Self.mixed(name)).write(to: folder.appendingPathComponent(name))
    }
    // The first sample again under another name: every id a duplicate, first seen in the other.
    try Data(Self.sample(Self.sampleNames[0])).write(to: folder.appendingPathComponent("z.jsonl"))
    let one = CorpusReader(threads: 1).read([folder.path])
    let two = CorpusReader(threads: 2).read([folder.path])
    #expect(one.articles.count == 82 + 329 + 1)  // the samples' articles and "esc"
    #expect(two.articles == one.articles)
    #expect(two.problems == one.problems)
    let duplicatesInZ = one.problems.filter {
      if case .duplicateID(_, _, let second) = $0 {
        second.path.hasSuffix("/z.jsonl")
      } else {
        false
      }
    }
    #expect(duplicatesInZ.count == 82)
    #expect(one.articles.map(\.id) == one.articles.map(\.id).sorted { idPrecedes($0, $1) })
  }

  /// The corpus's index sort on 8-byte id keys must give the plain stable sort by id bytes and
  /// keep the first of equal ids: ids share long prefixes, differ only after eight bytes, are
  /// prefixes of each other, repeat, and include canonically equivalent spellings (`==` but not
  /// byte-equal), which sort apart and count as duplicates only when next to each other.
  @Test(arguments: 0..<4)
  func corpusOrderEqualsStableSortByIDBytes(seed: UInt64) {
    var rng = SeededGenerator(seed: seed + 3)
    let stems = [
      "", "a", "ab", "abcdefgh", "abcdefghi", "abcdefgh\u{1}", "10", "9", "é", "e\u{301}",
    ]
    var articles: [Article] = []
    for k in 0..<400 {
      let id =
        (stems.randomElement(using: &rng) ?? "") + String(Int.random(in: 0..<60, using: &rng))
      articles.append(
        Article(
          id: id, title: "t\(k)", body: "",
          location: SourceLocation(path: "p", line: k + 1)))
    }
    var expected = articles
    expected.sort { idPrecedes($0.id, $1.id) }
    var kept: [Article] = []
    var problems: [CorpusError] = []
    for a in expected {
      if let last = kept.last, last.id == a.id {
        problems.append(.duplicateID(a.id, first: last.location, second: a.location))
      } else {
        kept.append(a)
      }
    }
    let corpus = Corpus(articles: articles)
    #expect(!problems.isEmpty)
    #expect(corpus.articles == kept)
    #expect(corpus.problems == problems)
  }
}
