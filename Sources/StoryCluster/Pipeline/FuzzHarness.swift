/// One fuzzing step over every reader, the tokenizer and the story graph's text marks (names
/// and years), for the libFuzzer target `StoryClusterFuzz` (and its replay mode). It must never
/// crash: every input either parses or yields located problems, and every article's text
/// tokenizes and yields its names and years.
///
/// It lives with the pipeline because it drives the Corpus readers and the Text stage, which
/// Support (the floor) must not call.
package enum FuzzHarness {
  /// Feeds `bytes` to the JSON Lines, CSV and text readers and tokenizes what they accept.
  ///
  /// - Parameter bytes: Arbitrary input.
  /// - Returns: Articles and problems found over all readers (for sanity checks).
  @discardableResult
  package static func run(_ bytes: [UInt8]) -> (articles: Int, problems: Int) {
    var articles: [Article] = []
    var problems = 0
    let results =
      JSONLinesReader.parse(bytes, path: "fuzz.jsonl", threads: 1)
      + CSVReader.parse(bytes, path: "fuzz.csv")
      + [TextFolderReader.parse(bytes, id: "fuzz.txt", path: "fuzz.txt")]
    for result in results {
      switch result {
      case .article(let article): articles.append(article)
      case .problem(let problem):
        problems += 1
        precondition(!problem.description.isEmpty)
      case .blank: break
      }
    }
    var tokenizer = Tokenizer()
    var analyzer = AnalyzerState(Analyzer(stopWords: .english, isStemming: true, ngramRange: 1...2))
    var names = AnalyzerState(Analyzer(stopWords: .english, kind: .names))
    // Names are lowercased runs of letters: never empty, never with a leading or trailing space.
    func checkNames(_ text: String) {
      for name in names.terms(in: text) {
        precondition(!name.isEmpty && name.first != " " && name.last != " ", "malformed name")
      }
      precondition(EventMarks.years(in: text).allSatisfy { (1900...2099).contains($0) })
    }
    for article in articles {
      precondition(!article.id.isEmpty)
      for token in tokenizer.tokens(in: article.text) {
        precondition(token.unicodeScalars.count >= 2, "token shorter than the pattern allows")
      }
      _ = analyzer.terms(in: article.text)
      _ = Normalizer.fingerprint(article.text)
      checkNames(article.text)
    }
    // The raw bytes as text (lossily decoded) must tokenize too, and yield names and years.
    let raw = String(decoding: bytes, as: UTF8.self)
    _ = tokenizer.tokens(in: raw)
    checkNames(raw)
    return (articles.count, problems)
  }
}
