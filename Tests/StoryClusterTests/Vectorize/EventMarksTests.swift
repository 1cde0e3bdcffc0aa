import Foundation
import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// ``EventMarks``: the names rows and the years the story graph reads.
struct EventMarksTests {
  @Test(arguments: [
    ("In 2008, and again in 2011 (not 1,999 or 20,110)", [1999, 2008, 2011] as [Int16]),
    ("Born 1899, died 2100; 2013.5 is no year, 02013 is", [2013]),
    ("The 1980s and 1980s again, G2012 counts", [1980, 2012]),
    ("no digits at all", []),
  ])
  func yearsByExample(text: String, years: [Int16]) {
    #expect(EventMarks.years(in: text) == years)
  }

  /// The years are the numbers ``NumberMentions/numbers(in:)`` reads that are four digits long
  /// and from 1900 to 2099, on real text.
  @Test(arguments: ["ecbplus-dev-sample.jsonl", "uci-dev-sample.jsonl"])
  func yearsAreTheNumbersThatAreYears(sample: String) {
    let texts = CorpusReader().read([RepositoryPaths.sample(sample)]).articles.map(\.text)
    var withYears = 0
    for text in texts {
      let expected = NumberMentions.numbers(in: text).compactMap { number -> Int16? in
        guard number.count == 4, let value = Int16(number), (1900...2099).contains(value) else {
          return nil
        }
        return value
      }.sorted()
      #expect(EventMarks.years(in: text) == expected)
      if !expected.isEmpty { withYears += 1 }
    }
    #expect(sample.hasPrefix("uci") || withYears > 0)
  }

  @Test func yearAgreementIsTheJaccardOfTheYears() {
    let marks = EventMarks(
      texts: [
        "Quake of 2004 recalled in 2009", "Aceh, 2009: a new quake", "Aceh again", "In 2012",
      ], threads: 1)
    #expect(marks.yearAgreement(0, 1) == 0.5)
    #expect(marks.yearAgreement(1, 3) == 0)
    #expect(marks.yearAgreement(0, 2) == nil)
    #expect(marks.yearAgreement(2, 2) == nil)
  }

  /// The names rows are the TF-IDF rows of the names analyzer.
  @Test func namesRowsAreTFIDFOverTheNames() throws {
    let texts = CorpusReader().read([RepositoryPaths.sample("ecbplus-dev-sample.jsonl")])
      .articles.map(\.text)
    let marks = EventMarks(texts: texts, threads: 2)
    let reference = try TFIDFVectorizer(configuration: EventMarks.namesVectorizer)
      .fitTransform(texts: texts, threads: 1).1
    #expect(marks.names == reference)
    // Rows are unit length (every sample article names something).
    for row in 0..<texts.count { #expect(isClose(marks.names.norm(row), 1, absolute: 1e-6)) }
  }

  @Test func aCorpusThatNamesNothingHasEmptyNamesRows() {
    let marks = EventMarks(texts: ["all lower case", "and more of it in 2010"], threads: 1)
    #expect(marks.names.rowCount == 2 && marks.names.nonZeroCount == 0)
    #expect(marks.namesCosine(0, 1) == 0)
    #expect(marks.yearAgreement(0, 1) == nil)
  }
}
