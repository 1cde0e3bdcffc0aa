import Foundation
import Testing

@testable import StoryCluster

/// Expected stems come from snowballstemmer 3.1.1 (`snowballstemmer.stemmer("english")`), written
/// to `Fixtures/porter2-english.tsv` by `Fixtures/make_stemmer_fixture.py`.
struct PorterStemmerTests {
  /// Stems `word` with a fresh ``PorterStemmer`` and decodes the result.
  private func stem(_ word: String) -> String {
    var output: [UInt8] = [0x21]  // Junk that `stem` must clear.
    Array(word.utf8).withUnsafeBufferPointer { PorterStemmer().stem($0, into: &output) }
    return String(decoding: output, as: UTF8.self)
  }

  @Test func matchesSnowballFixture() throws {
    let url = try #require(
      Bundle.module.url(
        forResource: "porter2-english", withExtension: "tsv", subdirectory: "Fixtures"))
    let text = try String(contentsOf: url, encoding: .utf8)
    let stemmer = PorterStemmer()
    var output: [UInt8] = []
    var checked = 0
    var mismatches: [String] = []
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
      try #require(fields.count == 2, "bad fixture line: \(line)")
      Array(fields[0].utf8).withUnsafeBufferPointer { stemmer.stem($0, into: &output) }
      let got = String(decoding: output, as: UTF8.self)
      if got != fields[1] {
        mismatches.append("\(fields[0]): expected \(fields[1]), got \(got)")
      }
      checked += 1
    }
    #expect(checked > 2_000)
    #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(20))")
  }

  @Test func exceptionalFormsAndRegions() {
    #expect(stem("skies") == "sky")
    #expect(stem("dying") == "die")
    #expect(stem("inning") == "inning")
    #expect(stem("proceeded") == "proceed")
    #expect(stem("generously") == "generous")
    #expect(stem("communism") == "communism")
    #expect(stem("hopping") == "hop")
    #expect(stem("hoping") == "hope")
    #expect(stem("cried") == "cri")
    #expect(stem("gas") == "gas")
    #expect(stem("gaps") == "gap")
    #expect(stem("sayings") == "say")
  }

  @Test func leavesShortAndNonASCIIWordsUnchanged() {
    #expect(stem("is") == "is")
    #expect(stem("running") == "run")
    #expect(stem("cafés") == "cafés")
    #expect(stem("ünterstützungen") == "ünterstützungen")
    #expect(stem("привет") == "привет")
    #expect(stem("covid19") == "covid19")
  }
}
