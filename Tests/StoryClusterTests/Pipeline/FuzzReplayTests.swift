import Foundation
import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// Replays the committed libFuzzer corpus (`Fuzz/corpus`, seeds plus inputs the fuzzer found
/// interesting) and seeded mutations of it through ``FuzzHarness``, whose preconditions trap on
/// any reader or tokenizer misbehaviour, and checks that the JSON Lines reader accounts for every
/// line: one result per line, an article or a problem for each non-blank one, located at it.
/// `scripts/fuzz.sh` runs the real fuzzer.
struct FuzzReplayTests {
  static let corpus: [[UInt8]] = {
    let folder = RepositoryPaths.root.appendingPathComponent("Fuzz/corpus")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.sorted().compactMap {
      FileManager.default.contents(atPath: folder.appendingPathComponent($0).path).map(Array.init)
    }
  }()

  @Test func corpusIsCommitted() {
    #expect(Self.corpus.count >= 3)
  }

  @Test func committedInputsParseOrReportProblems() {
    var articles = 0
    for input in Self.corpus { articles += FuzzHarness.run(input).articles }
    #expect(articles > 0)
  }

  /// Bytes that matter to the readers: quotes, separators, line ends, NUL, invalid UTF-8, a BOM.
  static let special: [[UInt8]] = [
    [0x22], [0x5C], [0x2C], [0x0A], [0x0D], [0x0D, 0x0A], [0x00], [0xFF], [0xC3], [0xE2, 0x82],
    [0xEF, 0xBB, 0xBF], [0x7B], [0x7D], [0x5B], [0x3A], Array("\\u00".utf8), Array("\\ud800".utf8),
  ]

  /// Lines of `bytes` as this test counts them, without the reader: ended by `\n`, `\r\n` or a
  /// lone `\r`, after a leading byte-order mark; a last line without an end counts, an empty
  /// one after the last end does not. Blank lines hold only spaces and tabs.
  static func lines(_ bytes: [UInt8]) -> (all: Int, nonBlank: Int) {
    var rest = bytes[...]
    if rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }
    var all = 0
    var nonBlank = 0
    var current: [UInt8] = []
    var previous: UInt8 = 0
    for byte in rest {
      if byte == 0x0A && previous == 0x0D {
        previous = byte
        continue
      }
      if byte == 0x0A || byte == 0x0D {
        all += 1
        if !current.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { nonBlank += 1 }
        current = []
      } else {
        current.append(byte)
      }
      previous = byte
    }
    if !current.isEmpty {
      all += 1
      if !current.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { nonBlank += 1 }
    }
    return (all, nonBlank)
  }

  /// Runs the harness on `input` and checks the JSON Lines reader's accounting; returns the
  /// number of non-blank lines.
  @discardableResult
  static func check(_ input: [UInt8]) -> Int {
    FuzzHarness.run(input)
    let results = JSONLinesReader.parse(input, path: "fuzz.jsonl", threads: 1)
    let expected = lines(input)
    #expect(results.count == expected.all)
    var nonBlank = 0
    for (k, result) in results.enumerated() {
      switch result {
      case .article(let article): #expect(article.location.line == k + 1)
      case .problem(let problem): #expect(problem.location?.line == k + 1, "\(problem)")
      case .blank: continue
      }
      nonBlank += 1
    }
    #expect(nonBlank == expected.nonBlank)
    return nonBlank
  }

  @Test func lineCountingFollowsTheLineEnds() {
    // "a" ⏎ "" ⏎ " \t" ⏎ "b" (\r\n) "c" (\r) "d": 6 lines, 4 with text.
    #expect(Self.lines(Array("a\n\n \t\nb\r\nc\rd".utf8)) == (6, 4))
    #expect(Self.lines([0xEF, 0xBB, 0xBF] + Array(" \n".utf8)) == (1, 0))
    #expect(Self.lines([]) == (0, 0))
  }

  @Test func committedInputsAreAccountedFor() {
    #expect(Self.corpus.map { Self.check($0) }.reduce(0, +) > 0)
  }

  @Test(arguments: 0..<4)
  func seededMutationsNeverTrapAndAreAccountedFor(seed: UInt64) throws {
    var generator = SeededGenerator(seed: seed + 1)
    var lines = 0
    for _ in 0..<600 {
      var input = try #require(Self.corpus.randomElement(using: &generator))
      for _ in 0..<Int.random(in: 1...4, using: &generator) {
        let at = input.isEmpty ? 0 : Int.random(in: 0..<input.count, using: &generator)
        switch Int.random(in: 0..<4, using: &generator) {
        case 0:
          input.insert(contentsOf: Self.special.randomElement(using: &generator) ?? [], at: at)
        case 1 where !input.isEmpty: input[at] = UInt8.random(in: 0...255, using: &generator)
        case 2: input = Array(input.prefix(at))
        default: input.insert(contentsOf: input[at...].prefix(12), at: at)
        }
      }
      lines += Self.check(input)
    }
    #expect(lines > 600)  // most mutants keep some of their lines
  }
}
