import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// Expected tokens come from scikit-learn 1.9.1:
/// `TfidfVectorizer().build_analyzer()(text)` (Python 3.11, `(?u)\b\w\w+\b` after `str.lower()`).
struct TokenizerTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let text: String
    let tokens: [String]
    var testDescription: String { text }
  }

  static let cases: [Case] = [
    Case(text: "Straße, café & 東京 2020 x_y a", tokens: ["straße", "café", "東京", "2020", "x_y"]),
    // İ lowercases to i + U+0307 (a combining mark, not \w), which splits the word; the final
    // sigma rule turns a word-final Σ into ς.
    Case(text: "İstanbul ΟΔΟΣ ΣΑΣ σοφίας. Σ", tokens: ["stanbul", "οδος", "σας", "σοφίας"]),
    Case(
      text: "Привет мир! don't U.S. e-mail 3.14 ½ ²x",
      tokens: ["привет", "мир", "don", "mail", "14", "²x"]),
    // Devanagari vowel signs and the virama are marks, so only "नमस" is two or more \w.
    Case(text: "नमस्ते दुनिया", tokens: ["नमस"]),
    Case(text: "ǅungla ﬁnance Ⅻ ⅻv", tokens: ["ǆungla", "ﬁnance", "ⅻv"]),
    Case(text: "", tokens: []),
    Case(text: "A I O", tokens: []),
    Case(text: "HELLO\r\nWorld\tTAB", tokens: ["hello", "world", "tab"]),
  ]

  @Test(arguments: cases)
  func matchesScikitLearn(_ c: Case) {
    var tokenizer = Tokenizer()
    #expect(tokenizer.tokens(in: c.text) == c.tokens)
  }

  @Test func keepsCaseWhenNotLowercasing() {
    var tokenizer = Tokenizer(isLowercasing: false)
    #expect(tokenizer.tokens(in: "UN Security Council") == ["UN", "Security", "Council"])
  }

  @Test func singleCharactersWithMinimumOne() {
    var tokenizer = Tokenizer(isLowercasing: true, minimumLength: 1)
    #expect(tokenizer.tokens(in: "A b, C!") == ["a", "b", "c"])
  }

  /// ASCII texts take the word-at-a-time path; appending a non-ASCII separator ("—", not `\w`)
  /// sends the same text down the general path, which must give the same tokens. Lengths 0-200
  /// cover every position of a token within the eight-byte words and the 64-byte bitmap words.
  @Test(arguments: [(true, 2), (false, 2), (true, 1)])
  func asciiFastPathMatchesGeneralPath(lowering: Bool, minimum: Int) {
    var generator = SeededGenerator(seed: 42)
    let alphabet = Array("aZ_9 .-'\n\t@[`{/:Az0")
    var tokenizer = Tokenizer(isLowercasing: lowering, minimumLength: minimum)
    for length in 0...200 {
      for _ in 0..<8 {
        let text = String(
          (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
        #expect(tokenizer.tokens(in: text) == tokenizer.tokens(in: text + " —"), "\(text)")
      }
    }
    // Every ASCII byte: word characters are exactly [0-9A-Za-z_].
    let all = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self)
    #expect(tokenizer.tokens(in: all) == tokenizer.tokens(in: all + " —"))
  }

  @Test func analyzerRemovesStopWordsThenFormsBigrams() {
    // sklearn: TfidfVectorizer(stop_words='english', ngram_range=(1, 2)).build_analyzer()
    // ("The talks on the draft resolution") → stop words "the", "on" go first.
    let analyzer = Analyzer(stopWords: .english, ngramRange: 1...2)
    #expect(
      analyzer.terms(in: "The talks on the draft resolution")
        == ["talks", "draft", "resolution", "talks draft", "draft resolution"])
  }

  @Test func shortWordsGiveOneCharacterNGram() {
    // " ab " has 4 characters: the 3-grams " ab" and "ab ", the whole word once at 4, no 5-gram.
    let analyzer = Analyzer(ngramRange: 3...5, kind: .characterWordBounded)
    #expect(analyzer.terms(in: "AB") == [" ab", "ab ", " ab "])
    // Characters are code points, not bytes; punctuation splits tokens and never enters a term.
    let trigrams = Analyzer(ngramRange: 3...3, kind: .characterWordBounded)
    #expect(trigrams.terms(in: "Café!") == [" ca", "caf", "afé", "fé "])
    #expect(trigrams.terms(in: "U.S.-led") == [" le", "led", "ed "])
    // Stop words and stemming do not apply to characters, as in scikit-learn.
    let ignoring = Analyzer(
      stopWords: .english, isStemming: true, ngramRange: 3...3, kind: .characterWordBounded)
    #expect(ignoring.terms(in: "the") == [" th", "the", "he "])
  }
}
