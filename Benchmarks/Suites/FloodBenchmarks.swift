import Foundation
import StoryCluster

/// Duplicate floods (issue #15): one article repeated n times, end to end in the library, and n
/// re-edits of it (one word replaced in each), whose pairs all clear the pair floor.
///
/// Exact copies are one row to the kernel (`DuplicateGroups`), so the run is bounded by reading
/// and vectorising n texts; each figure is printed against the TF-IDF fit of the same texts,
/// measured in the same run. The re-edits are n distinct rows: the kernel still finds their
/// n²/2 pairs (the README says what grows), and the report keeps at most 10 per article.
struct FloodBenchmarks {
  let article: Article
  let options: Options
  var results: [Result] = []

  /// The sizes swept: exact copies, then re-edits.
  var exactSizes: [Int] { options.quick ? [10_000] : [10_000, 100_000] }
  var nearSizes: [Int] { options.quick ? [1_000] : [1_000, 5_000] }

  mutating func add(_ result: Result) {
    Printer.row(result)
    results.append(result)
  }

  /// `count` copies of the article, ids `f000000`…, one a minute apart.
  func copies(_ count: Int, edited: Bool) -> [Article] {
    let words = article.body.split(separator: " ").map(String.init)
    var generator = SplitMix64(seed: 15)
    return (0..<count).map { k in
      var copy = article
      copy.id = String(format: "f%06d", k)
      copy.date = String(
        format: "2024-03-%02dT%02d:%02d:00Z", 1 + k / 1440 % 28, k / 60 % 24, k % 60)
      if edited, !words.isEmpty {
        var edit = words
        edit[Int(generator.next() % UInt64(words.count))] = "w\(k)"
        copy.body = edit.joined(separator: " ")
      }
      return copy
    }
  }

  mutating func runAll() {
    var engine = EngineConfiguration()
    engine.threads = 0
    guard let run = try? Engine(configuration: engine) else { return }
    for (variant, sizes, edited) in [
      ("exact-copies", exactSizes, false), ("near-duplicates", nearSizes, true),
    ] {
      for size in sizes {
        let name = "flood/\(variant)/seed-\(size)"
        guard options.matches(name) else { continue }
        let articles = copies(size, edited: edited)
        let texts = articles.map(\.text)
        let megabytes = Double(texts.reduce(0) { $0 + $1.utf8.count }) / 1e6
        let reference = measure(
          "flood/tfidf-reference/seed-\(size)-\(variant)", size: size, repeats: options.repeats,
          units: [("docs", Double(size))]
        ) {
          guard
            let (model, matrix) = try? TFIDFVectorizer(configuration: engine.vectorizer)
              .fitTransform(texts: texts)
          else { return "error" }
          return "\(model.vocabulary.count) terms/\(matrix.nonZeroCount) nnz"
        }
        var r = measure(
          name, size: size, repeats: options.repeats,
          units: [("docs", Double(size)), ("MB", megabytes)]
        ) {
          guard let report = try? run.run(articles: articles) else { return "error" }
          let exact = report.pairs.filter { $0.kind == .exact }.count
          return
            "\(report.clusters.count) clusters/\(report.pairs.count) pairs/\(exact) exact"
        }
        r.notes.append(
          "\(Printer.fixed(r.p50 / reference.p50, 2))× the TF-IDF fit of the same texts "
            + "(\(Printer.fixed(reference.p50 * 1000, 1)) ms, measured in this run)")
        // What still grows with n: the kernel's pairs (and the story graph's edges), counted
        // once outside the timer.
        let analysed = run.analyse(Corpus(articles: articles))
        if let vectors = try? run.vectorize(analysed) {
          let duplicates = run.duplicateGroups(vectors)
          let kernel = run.similarity(
            duplicates.collapse(vectors), corpus: duplicates.collapse(analysed))
          r.notes.append(
            "\(duplicates.count) distinct texts; the kernel kept \(kernel.pairs.count) pairs "
              + "and \(kernel.edges?.count ?? 0) story-graph edges (16 bytes each)")
        }
        add(reference)
        add(r)
      }
    }
  }
}
