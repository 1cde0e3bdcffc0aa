import Foundation
import StoryCluster
import StoryClusterTestSupport
import Testing

/// Replays the committed libFuzzer corpus (`Fuzz/corpus`, seeds plus inputs the fuzzer found
/// interesting) and seeded mutations of it through ``FuzzHarness``, whose preconditions trap on
/// any reader or tokenizer misbehaviour. `scripts/fuzz.sh` runs the real fuzzer.
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

  @Test(arguments: 0..<4)
  func seededMutationsNeverTrap(seed: UInt64) {
    var generator = SeededGenerator(seed: seed + 1)
    for _ in 0..<600 {
      guard var input = Self.corpus.randomElement(using: &generator) else { return }
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
      FuzzHarness.run(input)
    }
  }
}
