import Foundation
import StoryCluster
import StoryClusterIndex

// `swift run -c release IndexBenchmarks quality CORPUS...`: B-cubed F1 of the story index fed in
// date order in batches of 1, 50 and all, against the batch engine's default.
// `swift run -c release IndexBenchmarks generate ...` (runs scripts/make_synthetic_archive.py) and
// `... speed ARCHIVE ...` (ingest, query, disk and RSS beside MinHashLSH): see IndexSpeed.swift.

#if DEBUG
  FileHandle.standardError.write(Data("refusing to benchmark a debug build; use -c release\n".utf8))
  exit(1)
#endif

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("error: \(message)\n".utf8))
  exit(2)
}

/// `--name value` options after the subcommand, and the remaining arguments.
struct Arguments {
  var values: [String: String] = [:]
  var rest: [String] = []

  init(_ arguments: ArraySlice<String>) {
    var i = arguments.startIndex
    while i < arguments.endIndex {
      let a = arguments[i]
      if a.hasPrefix("--"), i + 1 < arguments.endIndex {
        values[String(a.dropFirst(2))] = arguments[i + 1]
        i += 2
      } else {
        rest.append(a)
        i += 1
      }
    }
  }

  func double(_ name: String) -> Double? { values[name].flatMap(Double.init) }
  func int(_ name: String) -> Int? { values[name].flatMap(Int.init) }
}

/// Articles in date order (undated after dated, ties by id), as a newsroom would feed them.
func dateOrder(_ articles: [Article]) -> [Article] {
  articles.sorted {
    switch ($0.timestamp, $1.timestamp) {
    case (let a?, let b?) where a != b: return a < b
    case (.some, nil): return true
    case (nil, .some): return false
    default: return $0.id.utf8.lexicographicallyPrecedes($1.id.utf8)
    }
  }
}

/// Keeps a result alive so the optimiser cannot drop the work behind it.
@inline(never) func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

func temporaryPath() -> String {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "index-bench-\(UUID().uuidString)")
  try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder.appendingPathComponent("index.db").path
}

func removeIndex(_ path: String) {
  try? FileManager.default.removeItem(
    atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
}

func settings(from arguments: Arguments) -> StoryIndexSettings {
  var s = StoryIndexSettings()
  if let lift = arguments.double("lift") { s.engine.lift = lift }
  // `--seed-threshold 0`: the all-pairs rule (the index's rule before 2026-11-30, evening).
  if let seed = arguments.double("seed-threshold") {
    s.engine.seedThreshold = seed == 0 ? nil : seed
  }
  if let window = arguments.double("window") { s.windowDays = window }
  if let undated = arguments.int("undated-candidates") { s.undatedCandidates = undated }
  if let names = arguments.double("names-weight") { s.engine.namesWeight = names }
  if let years = arguments.double("year-penalty") { s.engine.yearPenalty = years }
  return s
}

func quality(_ arguments: Arguments) throws {
  let batchSizes: [Int?] = (arguments.values["batches"] ?? "1,50,all").split(separator: ",").map {
    $0 == "all" ? nil : Int($0)
  }
  let indexSettings = settings(from: arguments)
  print(
    "lift \(indexSettings.engine.lift ?? 0), "
      + "window \(indexSettings.windowDays) days, undated candidates \(indexSettings.undatedCandidates)"
  )
  print(
    "corpus | articles | batch default (cluster eval) | index, batches of "
      + batchSizes.map { $0.map(String.init) ?? "all" }.joined(separator: " / ") + " | seconds")
  for path in arguments.rest {
    let corpus = CorpusReader().read([path])
    let articles = dateOrder(corpus.articles)
    let gold = ClusterScores.labels(gold: articles.map(\.story))
    let engine = try Engine()
    let report = try engine.run(Corpus(articles: articles))
    var batchLabel: [String: Int] = [:]
    for (k, cluster) in report.clusters.enumerated() {
      for member in cluster.members { batchLabel[member] = k }
    }
    let batchF1 = ClusterScores(gold: gold, predicted: articles.map { batchLabel[$0.id] ?? -1 })
      .bcubedF1
    var figures: [String] = []
    var seconds: [String] = []
    for size in batchSizes {
      let db = temporaryPath()
      defer { removeIndex(db) }
      let index = try StoryIndex.create(at: db, settings: indexSettings)
      let step = size ?? articles.count
      let started = Date()
      var start = 0
      while start < articles.count {
        _ = try index.add(Array(articles[start..<min(articles.count, start + step)]))
        start += step
      }
      seconds.append(String(format: "%.1f", Date().timeIntervalSince(started)))
      var story: [String: Int] = [:]
      for s in try index.stories() { for m in s.members { story[m] = s.id } }
      let scores = ClusterScores(gold: gold, predicted: articles.map { story[$0.id] ?? -1 })
      figures.append(String(format: "%.3f", scores.bcubedF1))
      if arguments.values["detail"] != nil {
        print(
          String(
            format: "  batches of %@: B-cubed precision %.3f, recall %.3f, %d stories",
            size.map(String.init) ?? "all", scores.bcubedPrecision, scores.bcubedRecall,
            scores.predictedClusterCount))
      }
      let problems = try index.check()
      if !problems.isEmpty { fail("index check: \(problems)") }
      if let queries = arguments.int("queries"), queries > 0 {
        // One-article queries of the last articles fed (each finds its stored copy too).
        var milliseconds: [Double] = []
        for article in articles.suffix(queries) {
          let queried = Date()
          blackHole(try index.query([article]))
          milliseconds.append(Date().timeIntervalSince(queried) * 1000)
        }
        milliseconds.sort()
        func at(_ q: Double) -> Double {
          milliseconds[min(milliseconds.count - 1, Int(q * Double(milliseconds.count)))]
        }
        print(
          String(
            format: "  batches of %@: %d one-article queries, p50 %.1f, p99 %.1f, max %.1f ms",
            size.map(String.init) ?? "all", milliseconds.count, at(0.5), at(0.99),
            milliseconds.last ?? 0))
      }
    }
    let name = URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
    print(
      "\(name) | \(articles.count) | \(String(format: "%.3f", batchF1)) | "
        + figures.joined(separator: " / ") + " | " + seconds.joined(separator: " / "))
  }
}

let command = CommandLine.arguments.dropFirst().first ?? ""
let arguments = Arguments(CommandLine.arguments.dropFirst(2))
do {
  switch command {
  case "quality": try quality(arguments)
  case "generate": try generate(arguments)
  case "speed": try speed(arguments)
  default:
    fail(
      "usage: IndexBenchmarks quality CORPUS... [--batches 1,50,all] [--lift X] [--seed-threshold X] [--window DAYS] [--detail yes] [--queries N]\n"
        + "       IndexBenchmarks generate --count N [--seed S] --output FILE  "
        + "(runs python3 scripts/make_synthetic_archive.py with these options)\n"
        + "       IndexBenchmarks speed ARCHIVE [--size 100000] [--batch 1000] [--queries 200] "
        + "[--window DAYS] [--quick yes] [--peer no]")
  }
} catch {
  fail("\(error)")
}
