import Foundation
import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// The blended pair score against `Fixtures/pair-score-headlines.json`, written by
/// `Fixtures/make_pair_score_fixture.py` (scikit-learn 1.9.1 and NLTK's Porter2 stemmer; versions
/// recorded in the fixture) on eight real DEV headlines of SemEval STS. Cosines agree within
/// 1e-6 absolute (rows are stored as Float).
struct PairScorerTests {
  struct Fixture: Decodable {
    var sklearnVersion: String
    var headlines: [String]
    var numbers: [[String]]
    var pairs: [Pair]
    var charWB24: [AnalyzerCase]
    enum CodingKeys: String, CodingKey {
      case sklearnVersion = "sklearn_version"
      case headlines, numbers, pairs
      case charWB24 = "char_wb_2_4"
    }
    struct Pair: Decodable {
      var a: Int
      var b: Int
      var cosWord: Double
      var cosChar: Double
      var align: Double
      var score: Double
      var cosPlain: Double
      enum CodingKeys: String, CodingKey {
        case a, b, score, align
        case cosWord = "cos_word"
        case cosChar = "cos_char"
        case cosPlain = "cos_plain"
      }
    }
    struct AnalyzerCase: Decodable {
      var text: String
      var terms: [String]
    }
  }

  static func load() throws -> Fixture {
    let url = try #require(
      Bundle.module.url(
        forResource: "pair-score-headlines", withExtension: "json", subdirectory: "Fixtures"))
    return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }

  static func scorer(_ texts: [String], kind: PairScore = .blended) throws -> PairScorer {
    let vectorizer = EngineConfiguration().vectorizer
    let (_, matrix) = try TFIDFVectorizer(configuration: vectorizer).fitTransform(texts: texts)
    return try PairScorer(
      kind: kind, texts: texts, matrix: matrix, vectorizer: vectorizer, threads: 2)
  }

  @Test func blendedScoresMatchTheReference() throws {
    let fixture = try Self.load()
    #expect(fixture.sklearnVersion == "1.9.1")
    let scorer = try Self.scorer(fixture.headlines)
    let word = try #require(scorer.wordMatrix)
    let character = try #require(scorer.characterMatrix)
    let alignment = try #require(scorer.alignment)
    #expect(fixture.pairs.count == 28)
    for pair in fixture.pairs {
      let aligned = try #require(alignment.score(pair.a, pair.b))
      #expect(isClose(aligned, pair.align, absolute: 1e-6), "\(pair.a) \(pair.b)")
      #expect(alignment.score(pair.b, pair.a) == aligned)
      #expect(
        isClose(word.dot(pair.a, pair.b), pair.cosWord, absolute: 1e-6), "\(pair.a) \(pair.b)")
      #expect(
        isClose(character.dot(pair.a, pair.b), pair.cosChar, absolute: 1e-6), "\(pair.a) \(pair.b)")
      #expect(isClose(scorer.score(pair.a, pair.b), pair.score, absolute: 1e-6))
      #expect(scorer.score(pair.a, pair.b) == scorer.score(pair.b, pair.a))
    }
    for row in fixture.headlines.indices { #expect(scorer.score(row, row) == 1) }
  }

  @Test func numbersMatchTheReference() throws {
    let fixture = try Self.load()
    #expect(fixture.headlines.map(NumberMentions.numbers(in:)) == fixture.numbers)
  }

  @Test func differentCountsCostAFifth() throws {
    // "4 NATO Troops Killed in Afghanistan" and "Eight NATO Troops Killed In Afghanistan": the
    // tokenizer drops the one-character "4" and "eight" is an English stop word, so both keep
    // the words nato, troops, killed, afghanistan: the alignment is 1; their numbers {4} and
    // {8} share nothing, so J = 0 and the factor is 1 − 0.2 × (1 − 0) = 0.8.
    let fixture = try Self.load()
    let scorer = try Self.scorer(fixture.headlines)
    let character = try #require(scorer.characterMatrix)
    let alignment = try #require(scorer.alignment)
    #expect(alignment.score(2, 3) == 1)
    #expect(NumberMentions.numbers(in: fixture.headlines[2]) == ["4"])
    #expect(NumberMentions.numbers(in: fixture.headlines[3]) == ["8"])
    #expect(scorer.score(2, 3) == (1 + character.dot(2, 3)) / 2 * 0.8)
    let reference = try #require(fixture.pairs.first { $0.a == 2 && $0.b == 3 })
    #expect(isClose(scorer.score(2, 3), reference.score, absolute: 1e-6))
    // Neither "1,000 inmates" nor "1000 prisoners" is cut: {1000} both, J = 1, factor 1.
    let aligned = try #require(alignment.score(6, 7))
    #expect(scorer.score(6, 7) == min(1, (aligned + character.dot(6, 7)) / 2))
    // Tian'anmen / Tiananmen: one stemmed word in common ("crash"), so the word cosine is
    // 0.180; the alignment matches three / three, crash / crash and the two spellings' shared
    // trigrams, 0.394, and the score is 0.458 (both mention three: factor 1).
    let word = try #require(scorer.wordMatrix)
    #expect(isClose(word.dot(0, 1), 0.18035147759682255, absolute: 1e-6))
    #expect(isClose(try #require(alignment.score(0, 1)), 0.39438821176627353, absolute: 1e-6))
    #expect(isClose(scorer.score(0, 1), 0.4582347913067716, absolute: 1e-6))
  }

  /// A text of more than ``WordAlignment/wordLimit`` content words is not aligned: its pairs
  /// take the word cosine, as before the alignment. A long text is told from its first
  /// ``WordAlignment/prefixBytes`` bytes (then four times as many, …) only when they hold two
  /// more words than the limit (the last may be cut: "about", a stop word, cut to "ab", is not);
  /// else it is read whole.
  @Test func onlyShortTextsAreAligned() throws {
    let limit = WordAlignment.wordLimit
    // Distinct letter-only words (no number to weigh), none a stop word: "waax", "wabx", …
    let letters = Array("abcdefghijklmnopqrstuvwxyz")
    let words: [String] = (0..<(limit + 1)).map { k in
      String(["w", letters[k / 26], letters[k % 26], "x"])
    }
    // Exactly the limit, and one more.
    let atLimit = words.prefix(limit).joined(separator: " ")
    let overLimit = words.joined(separator: " ")
    // Stop words pad the prefix: the content words all come after it.
    let padded = String(repeating: "the ", count: WordAlignment.prefixBytes / 4 + 10) + atLimit
    // `limit` content words, then "about" across the prefix's end (its cut "ab" would make one
    // more), then stop words: short.
    var straddling = words.prefix(limit).joined(separator: " ") + " "
    straddling += String(
      repeating: " ", count: WordAlignment.prefixBytes - straddling.utf8.count - 2)
    straddling += "about the"
    #expect(straddling.utf8.count > WordAlignment.prefixBytes)
    // Past two prefixes (320 and 1,280 bytes) of stop words: read whole.
    let farPadding = String(repeating: "the ", count: 600)
    let texts = [
      atLimit, overLimit, padded, straddling, "", "the of and", farPadding + atLimit,
      farPadding + overLimit,
    ]
    let alignment = try WordAlignment(texts: texts, threads: 2)
    #expect(
      alignment.words.map { $0?.ids.count } == [limit, nil, limit, limit, 0, 0, limit, nil])
    #expect(alignment.score(0, 2) != nil && isClose(alignment.score(0, 2) ?? 0, 1, absolute: 1e-12))
    #expect(alignment.score(0, 1) == nil && alignment.score(1, 1) == nil)
    #expect(alignment.score(0, 4) == 0)
    // The pair score: an aligned pair blends the alignment, a long one the word cosine.
    let scorer = try Self.scorer(texts)
    let word = try #require(scorer.wordMatrix)
    let character = try #require(scorer.characterMatrix)
    let aligned = try #require(alignment.score(0, 3))
    #expect(scorer.score(0, 3) == min(1, (aligned + character.dot(0, 3)) / 2))
    #expect(scorer.score(0, 1) == min(1, (word.dot(0, 1) + character.dot(0, 1)) / 2))
  }

  @Test func rescoringEqualsScoringEachPairAtAnyThreadCount() throws {
    let fixture = try Self.load()
    let scorer = try Self.scorer(fixture.headlines)
    let pairs = fixture.pairs.map { ScoredPair(a: $0.a, b: $0.b, score: 0) }
    for threads in [1, 2, 3] {
      let rescored = scorer.rescore(pairs, threads: threads)
      #expect(rescored.map(\.score) == pairs.map { scorer.score($0.a, $0.b) })
    }
  }

  /// `--pair-score cosine` scores a pair with the news-default vectorizer's cosine, which is
  /// scikit-learn's `TfidfVectorizer(sublinear_tf=True, stop_words="english")` (`cos_plain`).
  @Test func cosineKindIsTheEngineCosine() throws {
    let fixture = try Self.load()
    let scorer = try Self.scorer(fixture.headlines, kind: .cosine)
    #expect(scorer.wordMatrix == nil && scorer.characterMatrix == nil)
    for pair in fixture.pairs {
      #expect(
        isClose(scorer.score(pair.a, pair.b), pair.cosPlain, absolute: 1e-6), "\(pair.a) \(pair.b)")
      #expect(scorer.score(pair.a, pair.b) == scorer.score(pair.b, pair.a))
    }
    // "4 NATO Troops Killed in Afghanistan" / "Eight NATO …": the same terms, cosine 1.
    #expect(isClose(scorer.score(2, 3), 1, absolute: 1e-6))
  }

  @Test func runReportsAndEvalScoresThePairScore() throws {
    let fixture = try Self.load()
    let articles = fixture.headlines.enumerated().map {
      Article(id: "h\($0.offset)", title: $0.element, body: "")
    }
    let reference = try #require(fixture.pairs.first { $0.a == 2 && $0.b == 3 })
    // Blended (default): 4 vs Eight NATO troops killed is related, at the reference score.
    let engine = try Engine()
    let report = try engine.run(articles: articles)
    let pair = try #require(report.pairs.first { $0.a == "h2" && $0.b == "h3" })
    #expect(isClose(pair.score, reference.score, absolute: 1e-6))
    #expect(pair.kind == .related)
    // Every reported pair carries the score `cluster eval --pairs` uses, best first.
    let run = try engine.evaluate(Corpus(articles: articles), thresholds: [5])
    for p in report.pairs {
      let a = try #require(run.ids.firstIndex(of: p.a))
      let b = try #require(run.ids.firstIndex(of: p.b))
      #expect(p.score == run.score(a, b))
    }
    #expect(report.pairs.map(\.score) == report.pairs.map(\.score).sorted(by: >))
    // The plain cosine: "eight" is an English stop word and "4" too short a token, so the two
    // headlines have the same terms, cosine 1, and are labelled near-duplicates.
    var configuration = EngineConfiguration()
    configuration.pairScore = .cosine
    let plain = try Engine(configuration: configuration).run(articles: articles)
    let cosinePair = try #require(plain.pairs.first { $0.a == "h2" && $0.b == "h3" })
    #expect(isClose(cosinePair.score, 1, absolute: 1e-6))
    #expect(cosinePair.kind == .nearDuplicate)
  }

  struct NumberCase: CustomTestStringConvertible, Sendable {
    let text: String
    let numbers: [String]
    var testDescription: String { text }
  }

  static let numberCases: [NumberCase] = [
    NumberCase(text: "Three killed, 1,000 flee; 07 of 12 ok", numbers: ["1000", "12", "3", "7"]),
    // A trailing or doubled separator ends the number; "." between digits stays.
    NumberCase(text: "Rates at 2.5%, up 0.25. Then 3,, 4", numbers: ["0.25", "2.5", "3", "4"]),
    // Letters around a number word hide it; digits and punctuation do not.
    NumberCase(text: "Someone won; G20 two-thirds TEN", numbers: ["10", "2", "20"]),
    NumberCase(text: "Onésimo and twoé, 00", numbers: ["0"]),
    NumberCase(text: "No numbers here", numbers: []),
    NumberCase(text: "", numbers: []),
  ]

  @Test(arguments: numberCases)
  func numbers(_ c: NumberCase) {
    #expect(NumberMentions.numbers(in: c.text) == c.numbers)
  }

  /// The byte-level scan equals the definition scalar by scalar (below) on every title and body
  /// of the committed ECB+ and UCI samples, and on strings of accented letters, non-letter
  /// symbols, emoji and number words around digits and separators.
  @Test func numbersEqualTheScalarDefinition() {
    var texts = [
      "Ünïcödé ONE, twelve€5 ½ 3.14.15 …07,5 — TWO三 ELEVEN👍ten 1,,2 0.0 00 .5 5. x9y",
      "seveN-Eight/nine;six:Five(four)three\u{301} two\u{301} twelvefold élevens 12.000,50",
      String(repeating: "one ", count: 50) + "ünë 😀1😀two😀",
    ]
    for name in ["ecbplus-dev-sample.jsonl", "uci-dev-sample.jsonl"] {
      let corpus = CorpusReader().read([
        RepositoryPaths.root.appendingPathComponent(
          "Tests/StoryClusterTests/Fixtures/samples/\(name)"
        ).path
      ])
      #expect(corpus.articles.count > 50)
      texts += corpus.articles.flatMap { [$0.title, $0.body] }
    }
    for text in texts { #expect(NumberMentions.numbers(in: text) == Self.numbersByScalar(text)) }
  }

  /// ``NumberMentions/numbers(in:)`` as defined in its documentation, scalar by scalar.
  static func numbersByScalar(_ text: String) -> [String] {
    var found = Set<String>()
    let scalars = Array(text.unicodeScalars)
    let n = scalars.count
    func isDigit(_ s: Unicode.Scalar) -> Bool { s >= "0" && s <= "9" }
    func isASCIILetter(_ s: Unicode.Scalar) -> Bool {
      (s >= "a" && s <= "z") || (s >= "A" && s <= "Z")
    }
    func isLetter(_ s: Unicode.Scalar) -> Bool {
      isASCIILetter(s) || (!s.isASCII && s.properties.isAlphabetic)
    }
    var i = 0
    while i < n {
      if isDigit(scalars[i]) {
        var digits = ""
        while i < n {
          let d = scalars[i]
          if isDigit(d) {
            digits.unicodeScalars.append(d)
          } else if d == "," || d == ".", i + 1 < n, isDigit(scalars[i + 1]) {
            if d == "." { digits.unicodeScalars.append(d) }
          } else {
            break
          }
          i += 1
        }
        while digits.count > 1, digits.first == "0", let next = digits.dropFirst().first,
          next.isASCII, next.isNumber
        {
          digits.removeFirst()
        }
        found.insert(digits)
      } else if isLetter(scalars[i]) {
        var word = ""
        var isASCII = true
        while i < n, isLetter(scalars[i]) {
          if isASCIILetter(scalars[i]) {
            word.unicodeScalars.append(scalars[i])
          } else {
            isASCII = false
          }
          i += 1
        }
        if isASCII, let value = NumberMentions.numberWords[word.lowercased()] {
          found.insert(value)
        }
      } else {
        i += 1
      }
    }
    return found.sorted()
  }

  @Test func overlapIsJaccardAndNeutralWhenEitherIsEmpty() {
    #expect(PairScorer.overlap(["1", "2", "3"], ["2", "3", "4"]) == 0.5)  // 2 shared / 4 in all
    #expect(PairScorer.overlap(["4"], ["8"]) == 0)
    #expect(PairScorer.overlap([], ["8"]) == 1)
  }

  @Test func characterNGramsMatchScikitLearnCharWB() throws {
    let fixture = try Self.load()
    let analyzer = Analyzer(ngramRange: 2...4, kind: .characterWordBounded)
    for c in fixture.charWB24 { #expect(analyzer.terms(in: c.text) == c.terms, "\(c.text)") }
  }
}
