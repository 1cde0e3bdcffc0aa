import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// Exact-duplicate fingerprints: equal exactly when the lowercased word-token sequences are equal.
struct NormalizerTests {
  static func fingerprint(_ text: String) -> Normalizer.Fingerprint {
    Normalizer.fingerprint(text)
  }

  /// No token: the two hashes keep their starting constants (the first hexadecimal digits of π).
  @Test func textWithoutTokensKeepsTheSeeds() {
    let seeds = Normalizer.Fingerprint(high: 0x243F_6A88_85A3_08D3, low: 0x1319_8A2E_0370_7344)
    for text in ["", " ", "\n\t\r\n", ",;!? — …", "\u{00A0}\u{2003}"] {
      #expect(Self.fingerprint(text) == seeds, "«\(text)»")
    }
  }

  struct Case: Sendable, CustomTestStringConvertible {
    var x: String
    var y: String
    var testDescription: String { "\(x.debugDescription) vs \(y.debugDescription)" }
  }

  /// Case, punctuation, spacing and line breaks do not count.
  static let equal: [Case] = [
    Case(x: "Hello,  World!", y: "hello world"),
    Case(x: "HELLO\nWORLD.", y: "hello world"),
    Case(x: "Storm hits coast", y: "  storm -- hits: coast?\r\n"),
    Case(x: "CAFÉ Straße", y: "café straße"),
    Case(x: "ΟΔΟΣ", y: "οδος"),  // final sigma
    Case(x: "a b", y: "A, B"),  // one-character tokens count
    Case(x: "x_y 2020", y: "X_Y (2020)"),
  ]

  /// Different token sequences differ, however small the change.
  static let different: [Case] = [
    Case(x: "a b", y: "ab"),
    Case(x: "ab c", y: "a bc"),
    Case(x: "a b c", y: "a c b"),  // order counts
    Case(x: "x_y", y: "x y"),  // `_` is a word character
    Case(x: "storm", y: "storm storm"),
    Case(x: "storm", y: ""),
    Case(x: "4 killed", y: "8 killed"),
    Case(x: "café", y: "cafe"),
  ]

  @Test(arguments: equal)
  func sameTokensSameFingerprint(_ c: Case) {
    #expect(Self.fingerprint(c.x) == Self.fingerprint(c.y))
  }

  @Test(arguments: different)
  func differentTokensDifferentFingerprint(_ c: Case) {
    #expect(Self.fingerprint(c.x) != Self.fingerprint(c.y))
  }

  /// 20,000 seeded texts of one to six words from a 12-word vocabulary with random separators:
  /// two share a fingerprint exactly when their lowercased word sequences are equal (the high
  /// and low halves are each checked alone too, so neither is a copy of the other).
  @Test func fingerprintsSeparateExactlyTheDistinctTokenSequences() {
    let words = ["storm", "Storm", "rain", "coast", "a", "b", "x1", "2020", "ok", "OK", "été", "É"]
    let separators = [" ", ", ", "\n", " -- ", "\t", "!"]
    var generator = SeededGenerator(seed: 11)
    var byKey: [String: Normalizer.Fingerprint] = [:]
    var highs: [UInt64: String] = [:]
    var lows: [UInt64: String] = [:]
    for _ in 0..<20_000 {
      let count = Int.random(in: 1...6, using: &generator)
      var text = ""
      var key: [String] = []
      for k in 0..<count {
        let word = words.randomElement(using: &generator) ?? ""
        if k > 0 { text += separators.randomElement(using: &generator) ?? " " }
        text += word
        key.append(word.lowercased())
      }
      let joined = key.joined(separator: " ")
      let fingerprint = Self.fingerprint(text)
      if let seen = byKey[joined] {
        #expect(seen == fingerprint, "\(joined)")
      } else {
        byKey[joined] = fingerprint
        #expect(highs.updateValue(joined, forKey: fingerprint.high) == nil, "\(joined)")
        #expect(lows.updateValue(joined, forKey: fingerprint.low) == nil, "\(joined)")
      }
    }
    #expect(byKey.count > 5_000)
  }
}
