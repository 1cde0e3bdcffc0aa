import Foundation
import StoryCluster

/// A larger corpus made deterministically from the committed samples (82 ECB+ articles and 329
/// UCI headlines): each sample article `copies` times, re-identified (`c<copy>-<id>`), copy 0
/// verbatim and the others lightly edited by a seeded generator (a few words dropped, repeated,
/// swapped or replaced by a word of another article), so the corpus has exact duplicates,
/// near-duplicates, related articles and unrelated ones, as real feeds do.
public enum SyntheticCorpus {
  /// The committed samples' folder.
  public static var samplesFolder: URL {
    RepositoryPaths.root.appendingPathComponent("Tests/StoryClusterTests/Fixtures/samples")
  }

  /// The sample articles, in id order.
  public static func samples() -> [Article] {
    CorpusReader(threads: 1).read(
      ["ecbplus-dev-sample.jsonl", "uci-dev-sample.jsonl"].map {
        samplesFolder.appendingPathComponent($0).path
      }
    ).articles
  }

  /// `copies` × 411 articles (5 copies: 2,055), the same for the same seed.
  public static func articles(copies: Int, seed: UInt64 = 2_024) -> [Article] {
    let originals = samples()
    var generator = SeededGenerator(seed: seed)
    let pool = originals.flatMap { ($0.title + " " + $0.body).split(separator: " ").prefix(40) }
      .map(String.init)
    var result: [Article] = []
    for copy in 0..<copies {
      for original in originals {
        var article = original
        article.id = "c\(copy)-\(original.id)"
        if copy > 0 {
          article.title = edit(original.title, edits: 1, pool: pool, using: &generator)
          article.body = edit(
            original.body, edits: Int.random(in: 1...4, using: &generator), pool: pool,
            using: &generator)
        }
        result.append(article)
      }
    }
    return result
  }

  /// Writes `articles` as JSON Lines into `folder`, dealt round-robin over `files` files named
  /// `part-0.jsonl`, `part-1.jsonl`, …; keys sorted, so the bytes depend only on the articles.
  public static func write(_ articles: [Article], to folder: URL, files: Int = 4) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var parts = [Data](repeating: Data(), count: files)
    for (k, article) in articles.enumerated() {
      var object: [String: Any] = ["id": article.id, "title": article.title, "body": article.body]
      if let story = article.story { object["story"] = story }
      if let source = article.source { object["source"] = source }
      if let date = article.date { object["date"] = date }
      if let url = article.url { object["url"] = url }
      parts[k % files] += try JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
      parts[k % files] += Data("\n".utf8)
    }
    for (k, part) in parts.enumerated() {
      try part.write(to: folder.appendingPathComponent("part-\(k).jsonl"))
    }
  }

  /// `text` with `edits` word edits; empty text stays empty.
  static func edit(
    _ text: String, edits: Int, pool: [String], using generator: inout SeededGenerator
  ) -> String {
    var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    guard !text.isEmpty, !words.isEmpty else { return text }
    for _ in 0..<edits {
      let at = Int.random(in: 0..<words.count, using: &generator)
      switch Int.random(in: 0..<4, using: &generator) {
      case 0 where words.count > 1: words.remove(at: at)
      case 1: words.insert(words[at], at: at)
      case 2 where at + 1 < words.count: words.swapAt(at, at + 1)
      default: words[at] = pool.randomElement(using: &generator) ?? words[at]
      }
    }
    return words.joined(separator: " ")
  }
}
