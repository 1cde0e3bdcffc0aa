import Foundation
import StoryCluster

/// A corpus prefix to benchmark on: the first `size` articles of a JSON Lines file.
struct Workload {
  let corpusName: String
  let path: String
  let articles: [Article]
  let texts: [String]
  let bytes: Double  // UTF-8 bytes of the analysed text

  var size: Int { articles.count }
  var megabytes: Double { bytes / 1_000_000 }

  func name(_ stage: String, _ variant: String) -> String {
    "\(stage)/\(variant)/\(corpusName)-\(size)"
  }

  static func load(path: String, limit: Int?) -> Workload {
    // A prefix is read from its own file: a million-article corpus is not read for 10,000.
    let prefix = limit.flatMap { CorpusPrefix.write(corpus: path, count: $0) }
    defer { if let prefix { try? FileManager.default.removeItem(atPath: prefix.path) } }
    let corpus = CorpusReader().read([prefix?.path ?? path])
    // Benchmarks keep the file order (the engine sorts by id itself).
    var articles = corpus.articles
    articles.sort { ($0.location.line ?? 0) < ($1.location.line ?? 0) }
    if let limit, limit < articles.count { articles = Array(articles.prefix(limit)) }
    let texts = articles.map(\.text)
    let bytes = texts.reduce(0) { $0 + $1.utf8.count }
    let name = corpusName(of: path)
    return Workload(
      corpusName: name, path: path, articles: articles, texts: texts, bytes: Double(bytes))
  }

  /// A corpus's name in benchmark names: its folder for the shared corpora's `all.jsonl` and
  /// `dev.jsonl`, else the file's name without its extension (`syn-100000` for
  /// `/tmp/syn-100000.jsonl`).
  static func corpusName(of path: String) -> String {
    let url = URL(fileURLWithPath: path)
    let file = url.deletingPathExtension().lastPathComponent
    return ["all", "dev"].contains(file) ? url.deletingLastPathComponent().lastPathComponent : file
  }

  /// Writes the workload's articles to a temporary JSON Lines file (for subprocess runs).
  func writeTemporaryJSONLines() -> String {
    let path = NSTemporaryDirectory() + "storycluster-bench-\(corpusName)-\(size).jsonl"
    var out = ""
    for a in articles {
      let object: [String: Any] = ["id": a.id, "title": a.title, "body": a.body]
      if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
        out += String(decoding: data, as: UTF8.self) + "\n"
      }
    }
    try? out.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }
}
