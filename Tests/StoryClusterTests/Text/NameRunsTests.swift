import Foundation
import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// ``Analyzer/Kind/names``: runs of capitalised words, by example and against their definition
/// written scalar by scalar.
struct NameRunsTests {
  static let analyzer = Analyzer(stopWords: .english, kind: .names)

  @Test(arguments: [
    (
      "Police said Harry Winston's Paris store was hit.",
      ["police", "harry winston", "harry", "winston", "paris"]
    ),
    // ECB+ DEV, topic 35: the two drivers of the twin events.
    (
      "SAN Diego Chargers receiver Vincent Jackson has been arrested on suspicion of drunk driving",
      [
        "san diego chargers", "san", "diego", "chargers", "vincent jackson", "vincent", "jackson",
      ]
    ),
    (
      "City Attorney Weighs Filing DUI Charges Against Chargers' Jamal Williams",
      [
        "city attorney weighs filing dui charges", "city", "attorney", "weighs", "filing", "dui",
        "charges", "chargers", "jamal williams", "jamal", "williams",
      ]
    ),
    // Stop words, digits and punctuation end a run; lower-case words do too.
    (
      "The White House, in 2013: Obama met 3 Senators",
      ["white house", "white", "house", "obama", "senators"]
    ),
    // Letters beyond ASCII; an apostrophe or hyphen inside a word; a possessive `’s` ends the run.
    (
      "José Álvarez met O'Brien and al-Assad’s envoy in Zürich; Al-Qaeda’s Leader Spoke",
      [
        "josé álvarez", "josé", "álvarez", "o'brien", "zürich", "al-qaeda", "leader spoke",
        "leader", "spoke",
      ]
    ),
    // A line break ends a run; spaces and tabs do not.
    (
      "Lindsay\tLohan\nBetty Ford",
      ["lindsay lohan", "lindsay", "lohan", "betty ford", "betty", "ford"]
    ),
    ("", []),
    ("all in lower case, NO NATO", ["nato"]),
  ])
  func namesByExample(text: String, names: [String]) {
    #expect(Self.analyzer.terms(in: text) == names)
  }

  @Test(arguments: ["ecbplus-dev-sample.jsonl", "uci-dev-sample.jsonl"])
  func namesFollowTheirDefinitionOnRealText(sample: String) {
    let texts = CorpusReader().read([RepositoryPaths.sample(sample)]).articles.map(\.text)
    #expect(!texts.isEmpty)
    var named = 0
    for text in texts {
      let names = Self.analyzer.terms(in: text)
      #expect(names == Self.namesByScalar(text))
      if !names.isEmpty { named += 1 }
    }
    #expect(named * 10 >= texts.count * 9)
  }

  /// Also on all of ECB+ DEV and the UCI DEV headlines, when `../shared` is beside the checkout.
  @Test(.enabled(if: RepositoryPaths.isSharedDataPresent))
  func namesFollowTheirDefinitionOnDEV() throws {
    for corpus in ["ecbplus/dev.jsonl", "uci-news-aggregator-prefix/dev.jsonl"] {
      let path = try #require(RepositoryPaths.sharedData(corpus))
      for text in CorpusReader().read([path]).articles.map(\.text) {
        #expect(Self.analyzer.terms(in: text) == Self.namesByScalar(text))
      }
    }
  }

  /// ``NameRuns`` as its documentation defines it, one scalar at a time.
  static func namesByScalar(_ text: String) -> [String] {
    let stopWords = Set(StopWords.english)
    let scalars = Array(text.unicodeScalars)
    let apostrophes: Set<Unicode.Scalar> = ["'", "\u{2019}"]
    var found: [String] = []
    var run: [String] = []
    func endRun() {
      if run.count == 1 { found.append(run[0]) }
      if run.count > 1 { found += [run.joined(separator: " ")] + run }
      run = []
    }
    var i = 0
    while i < scalars.count {
      guard scalars[i].properties.isAlphabetic else {
        if scalars[i] != " " && scalars[i] != "\t" { endRun() }
        i += 1
        continue
      }
      let start = i
      i += 1
      while i < scalars.count {
        if scalars[i].properties.isAlphabetic {
          i += 1
        } else if apostrophes.contains(scalars[i]) || scalars[i] == "-", i + 1 < scalars.count,
          scalars[i + 1].properties.isAlphabetic
        {
          i += 2
        } else {
          break
        }
      }
      var end = i
      var possessive = false
      if end - start > 2, apostrophes.contains(scalars[end - 2]),
        scalars[end - 1] == "s" || scalars[end - 1] == "S"
      {
        end -= 2
        possessive = true
      }
      var word = ""
      word.unicodeScalars.append(contentsOf: scalars[start..<end])
      guard scalars[start].properties.isUppercase, !stopWords.contains(word.lowercased()) else {
        endRun()
        continue
      }
      run.append(word.lowercased())
      if possessive { endRun() }
    }
    endRun()
    return found
  }
}
