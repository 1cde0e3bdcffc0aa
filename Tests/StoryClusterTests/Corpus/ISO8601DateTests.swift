import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// The strict ISO 8601 parser: seconds since the epoch for every accepted form, `nil` for the rest.
struct ISO8601DateTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var text: String
    var seconds: Double?
    var testDescription: String { text.isEmpty ? "(empty)" : text }
  }

  /// 2014-03-10T16:52:50Z: 16,139 days after 1970-01-01 (× 86,400 = 1,394,409,600 s) plus
  /// 16 h 52 min 50 s (60,770 s) = 1,394,470,370.
  static let storm = 1_394_470_370.0

  static let accepted: [Case] = [
    Case(text: "1970-01-01", seconds: 0),
    Case(text: "1970-01-02", seconds: 86_400),
    Case(text: "2014-03-10", seconds: 1_394_409_600),
    Case(text: "2014-03-10T16:52:50Z", seconds: storm),
    Case(text: "2014-03-10T16:52:50", seconds: storm),  // no zone: UTC
    Case(text: "2014-03-10 16:52:50", seconds: storm),  // a space for the T
    Case(text: "2014-03-10T16:52Z", seconds: storm - 50),  // no seconds
    Case(text: "2014-03-10T16:52", seconds: storm - 50),
    Case(text: "2014-03-10T16:52:50.5Z", seconds: storm + 0.5),
    Case(text: "2014-03-10T16:52:50,5Z", seconds: storm + 0.5),  // a comma for the point
    Case(text: "2014-03-10T16:52:50.500000000", seconds: storm + 0.5),
    // Zones: local time minus the offset. +02:00 → 2 h earlier in UTC; -05:30 → 5.5 h later.
    Case(text: "2014-03-10T16:52:50+02:00", seconds: storm - 7_200),
    Case(text: "2014-03-10T16:52:50+0200", seconds: storm - 7_200),
    Case(text: "2014-03-10T16:52:50+02", seconds: storm - 7_200),
    Case(text: "2014-03-10T16:52:50-05:30", seconds: storm + 19_800),
    Case(text: "2014-03-10T16:52:50+14:00", seconds: storm - 50_400),  // the widest zone
    Case(text: "2014-03-10T16:52:50.5-00:00", seconds: storm + 0.5),
    // Leap days: 2000 is a leap year (divisible by 400); 10,957 + 59 days → 951,782,400.
    Case(text: "2000-02-29", seconds: 951_782_400),
    Case(text: "2016-02-29T12:00:00Z", seconds: 1_456_747_200),
    // A leap second reads as the next day's first second.
    Case(text: "2016-12-31T23:59:60Z", seconds: 1_483_228_800),
    // Before the epoch: negative.
    Case(text: "1969-12-31T23:59:59Z", seconds: -1),
    Case(text: "1900-03-01", seconds: -2_203_891_200),
    Case(text: "0001-01-01", seconds: -62_135_596_800),
    Case(text: "9999-12-31", seconds: 253_402_214_400),
  ]

  static let rejected: [Case] = [
    "", "yesterday", "2014", "2014-03", "2014-3-10", "14-03-10", "2014/03/10", "20140310",
    "2014-02-30", "2013-02-29", "1900-02-29", "2014-04-31", "2014-13-01", "2014-00-10",
    "2014-03-00", "2014-03-10T", "2014-03-10X16:52", "2014-03-10T24:00", "2014-03-10T16:60",
    "2014-03-10T16:5", "2014-03-10T16:52:61", "2014-03-10T16:52:5", "2014-03-10T16:52:50.",
    "2014-03-10T16:52.5", "2014-03-10T16:52:50Zx", "2014-03-10T16:52:50z", "2014-03-10T16:52:50 ",
    " 2014-03-10", "2014-03-10T16:52:50+15:00", "2014-03-10T16:52:50+02:60",
    "2014-03-10T16:52:50+2", "2014-03-10T16:52:50+02:0", "2014-03-10T16:52:50+02:00:00",
    "2014-03-10T16:52:50UTC", "２０１４-03-10", "2014-03-10T16:52:50+", "-2014-03-10",
  ].map { Case(text: $0, seconds: nil) }

  @Test(arguments: accepted)
  func accepts(_ c: Case) {
    #expect(ISO8601Date.parse(c.text) == c.seconds)
  }

  @Test(arguments: rejected)
  func rejects(_ c: Case) {
    #expect(ISO8601Date.parse(c.text) == nil)
  }

  /// Every day from 1899-12-30 to 2101-01-02 is the day before plus 86,400 s, and the month and
  /// year lengths come out right: 73,418 consecutive dates, checked against a running count.
  @Test func consecutiveDaysAreADayApart() throws {
    func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
    let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    var expected = try #require(ISO8601Date.parse("1899-12-30"))
    var checked = 0
    for year in 1899...2101 {
      for month in 1...12 {
        let days = month == 2 && isLeap(year) ? 29 : lengths[month - 1]
        for day in 1...days {
          let text =
            "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
          guard text >= "1899-12-30" && text <= "2101-01-02" else { continue }
          #expect(ISO8601Date.parse(text) == expected, "\(text)")
          expected += 86_400
          checked += 1
        }
        // The day after the month's last does not exist.
        #expect(ISO8601Date.parse("\(year)-\(month < 10 ? "0" : "")\(month)-\(days + 1)") == nil)
      }
    }
    #expect(checked == 73_418)
  }

  @Test func articleDatesAreParsedIntoTimestamps() {
    let article = Article(id: "a", title: "t", body: "", date: "2014-03-10T16:52:50Z")
    #expect(article.timestamp == Self.storm)
    #expect(Article(id: "a", title: "t", body: "", date: "soon").timestamp == nil)
  }
}
