import Testing

@testable import StoryCluster

struct BoilerplateTests {
  @Test(arguments: [
    ("Copyright 2013 Agence France-Presse. All Rights Reserved.", true),
    ("© 2014 Reuters", true),
    ("-AFP/NOW Lebanon", true),
    ("— Reuters", true),
    ("(AP)", true),
    ("http://www.latimes.com/business/money/la-fi-mo-fed", true),
    ("Follow @BBCNews on Twitter", true),
    ("Reuter", true),
    ("He was 77.", false),
    ("-- The Associated Press contributed to this report about the vote in Paris.", false),
    ("Reuters reported that talks on the resolution continued.", false),
    ("Russia and the US disagree over the draft resolution on Syria.", false),
  ])
  func linesBoilerplateByForm(line: String, expected: Bool) {
    #expect(BoilerplateFilter.isBoilerplate(line.lowercased()) == expected, "\(line)")
  }

  @Test func recurringLinesAreLearnedAboveTheBound() {
    // "Reuter" closes 6 of 8 wire stories; the shared sentence recurs in only 3 (a reprint).
    var bodies = (0..<6).map { "Story \($0) about grain prices.\n  Reuter  " }
    bodies += ["Quake hits city.\nHe was 77.", "Quake toll rises.\nHe was 77.", "He was 77."]
    let filter = BoilerplateFilter(learningFrom: bodies, share: 0.01, floor: 5)
    #expect(filter.minimumCount == 5)
    #expect(filter.recurringLines == ["reuter"])
    #expect(filter.strip(bodies[0]) == "Story 0 about grain prices.")
    #expect(filter.strip(bodies[6]) == "Quake hits city.\nHe was 77.")
    #expect(
      filter.strip("Talks go on.\nCopyright 2013 AFP. All rights reserved.") == "Talks go on.")
  }

  @Test func shareRaisesTheBoundOnLargeCorpora() {
    let bodies = (0..<1000).map { $0 < 9 ? "Body \($0)\nSubscribe now" : "Body \($0)" }
    #expect(BoilerplateFilter(learningFrom: bodies).minimumCount == 10)
    #expect(BoilerplateFilter(learningFrom: bodies).recurringLines.isEmpty)
  }

  @Test func titlesAreNeverStripped() throws {
    var configuration = EngineConfiguration()
    configuration.stripsBoilerplate = true
    let articles = (0..<6).map {
      Article(id: "\($0)", title: "Reuter", body: "Grain story \($0).\nReuter")
    }
    let texts = try Engine(configuration: configuration).analyse(Corpus(articles: articles)).texts
    #expect(texts[0] == "Reuter\nGrain story 0.")
  }
}
