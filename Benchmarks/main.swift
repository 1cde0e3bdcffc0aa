import Foundation
import StoryCluster

// `swift run -c release Benchmarks`: the throughput profile of every stage. See Options.usage.

// Huge pages as `cluster` has them, so the stages run as users meet them (the peers inherit
// them too). OpenBLAS's thread count is left as it is: the peers inherit it, and their BLAS
// must run as users run it (`cluster run`, started by the default-path rows, sets its own).
restartWithTunedEnvironment(isTellingBLAS: false)

#if DEBUG
  fail("refusing to benchmark a debug build; run `swift run -c release Benchmarks`")
#endif
if isInternalCheckingEnabled {
  fail(
    "refusing to benchmark with the engine's internal checks on; unset STORYCLUSTER_INTERNAL_CHECKS"
      + " and run `swift run -c release Benchmarks`")
}

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let shared = root.deletingLastPathComponent().appendingPathComponent("shared/data")
let sample = root.appendingPathComponent("Tests/StoryClusterTests/Fixtures/samples")
// Before minutes of benchmarks, not after them.
if options.peers { Peers.requireRequirements(root: root) }

func defaultCorpora() -> [String] {
  let names = [
    "reuters21578/all.jsonl", "agnews-test/all.jsonl", "bbc-fulltext/all.jsonl",
    "ecbplus/dev.jsonl",
  ]
  let found = names.map { shared.appendingPathComponent($0).path }
    .filter { FileManager.default.fileExists(atPath: $0) }
  if !options.quick && !found.isEmpty { return found }
  if options.quick, let first = found.first { return [first] }
  let samples = ["uci-dev-sample.jsonl", "ecbplus-dev-sample.jsonl"].map {
    sample.appendingPathComponent($0).path
  }.filter { FileManager.default.fileExists(atPath: $0) }
  if samples.isEmpty { fail("no corpus found; pass --corpus PATH") }
  return samples
}

let corpora = options.corpora.isEmpty ? defaultCorpora() : options.corpora
let sizes: [Int?] =
  options.sizes.isEmpty ? (options.quick ? [500, 2000] : [1000, 5000, nil]) : options.sizes
let environment = ProcessInfo.processInfo.environment
let header: [String: String] = [
  "blas": BLAS.libraryDescription,
  "blas_threads":
    "1 per sgemm call, set once by the engine (OpenBLAS started with \(BLAS.threadCount);"
    + " OPENBLAS_NUM_THREADS=\(environment["OPENBLAS_NUM_THREADS"] ?? "unset"))",
  "engine_threads": "\(ProcessInfo.processInfo.activeProcessorCount)",
  "cores": "\(ProcessInfo.processInfo.processorCount)",
  "build": "release",
  "mode": options.quick ? "quick" : "full",
  "repeats": "\(options.repeats)",
  "budget": "\(Printer.fixed(options.budget, 0)) s per size",
]
print("StoryCluster benchmarks")
for (key, value) in header.sorted(by: { $0.key < $1.key }) { print("  \(key): \(value)") }
print(
  "  every figure is p-values over ≥ \(options.repeats) timed runs (short stages: until 0.5 s of runs) after one warm-up; checksums must repeat"
)
print("")
Printer.header()

var all: [Result] = []
var defaultRuns: [String: [DefaultPathBenchmarks.Run]] = [:]
for path in corpora {
  // Read + parse the whole file, against reading its bytes alone.
  let fileBytes = Double(
    (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
  let corpusName = Workload.corpusName(of: path)
  let readName = "read/jsonl/\(corpusName)-all"
  // A whole-file read row holds the whole corpus; past 256 MB (a synthetic archive of
  // hundreds of thousands of articles) the default path's read rows stand for it.
  if fileBytes > 256e6 && options.matches(readName) {
    print("\(readName): skipped, the file is \(Printer.fixed(fileBytes / 1e6, 0)) MB (over 256 MB)")
  } else if options.matches(readName) {
    let raw = measure(
      "read/raw-bytes/\(corpusName)-all", size: 0, repeats: options.repeats,
      units: [("MB", fileBytes / 1e6)]
    ) {
      let data = FileManager.default.contents(atPath: path)
      return "\(data?.count ?? 0) B"
    }
    var parsed = measure(
      readName, size: 0, repeats: options.repeats, units: [("MB", fileBytes / 1e6)]
    ) {
      let corpus = CorpusReader().read([path])
      return "\(corpus.articles.count) articles/\(corpus.problems.count) problems"
    }
    parsed.notes.append(
      "\(Printer.fixed(raw.p50 / parsed.p50 * 100, 1)) % of the raw file-read rate measured in this run"
    )
    Printer.row(raw)
    Printer.row(parsed)
    all += [raw, parsed]
  }
  // The default `cluster run` path first: one process per run, every stage, the scaling
  // exponents, and the sizes past --budget skipped.
  var defaultPath = DefaultPathBenchmarks(
    corpus: path, corpusName: corpusName, options: options, root: root)
  defaultPath.runAll(sizes: sizes)
  all += defaultPath.results
  defaultRuns[path] = defaultPath.runs
  print("")

  var perStage: [String: [(size: Int, seconds: Double)]] = [:]
  for size in sizes {
    // The stage suite times the engine about 3 × (repeats + 1) times a default run.
    let limit = options.budget / Double(3 * (options.repeats + 1))
    if let run = defaultPath.runs.first(where: { $0.spec == size }), run.wallP50 > limit {
      print(
        "stages on \(corpusName)-\(run.size): skipped, the default run took"
          + " \(Printer.fixed(run.wallP50, 1)) s, over --budget / (3 × (repeats + 1)) ="
          + " \(Printer.fixed(limit, 1)) s")
      continue
    }
    if defaultPath.skippedSizes.contains(where: { $0 == size }) {
      print(
        "stages on \(corpusName) size \(size.map(String.init) ?? "all"): skipped, as its default run"
      )
      continue
    }
    // Under a --filter that no stage row can match, the suite's set-up is not paid either.
    let label = "\(corpusName)-\(size.map(String.init) ?? "all")"
    let stageRows =
      [
        "tokenize/1-thread", "tfidf/sklearn", "tfidf/news", "kernel/top10+pairs0.5",
        "storygraph/news", "rank/pairs0.2", "engine/news-1thread", "engine/news-2thread",
      ] + Linkage.allCases.map { "cluster/\($0.rawValue)" }
    if options.filter != nil && !stageRows.contains(where: { options.matches("\($0)/\(label)") }) {
      continue
    }
    let workload = Workload.load(path: path, limit: size)
    if let size, size > workload.size { continue }
    var suite = StageBenchmarks(workload: workload, options: options)
    suite.runAll()
    for r in suite.results {
      let stage = r.name.split(separator: "/").prefix(2).joined(separator: "/")
      perStage[stage, default: []].append((r.size, r.p50))
    }
    all += suite.results
  }
  for (stage, points) in perStage.sorted(by: { $0.key < $1.key }) {
    if let b = scalingExponent(points) {
      print(
        "    ↳ scaling \(stage) on \(corpusName): time ∝ n^\(Printer.fixed(b, 2)) over sizes \(points.map(\.size))"
      )
    }
  }
}

// Duplicate floods: one article copied, and re-edited, many times.
if let seed = CorpusReader().read([root.appendingPathComponent("seeds").path]).articles.first {
  var floods = FloodBenchmarks(article: seed, options: options)
  floods.runAll()
  all += floods.results
}

let peersSucceeded =
  !options.peers
  || Peers.run(
    corpora: corpora, sizes: sizes, ours: all, defaults: defaultRuns, root: root,
    repeats: options.repeats)

if let jsonPath = options.jsonPath {
  do {
    try Printer.json(all, header: header).write(toFile: jsonPath, atomically: true, encoding: .utf8)
    print("wrote \(jsonPath)")
  } catch {
    fail("cannot write \(jsonPath): \(error)")
  }
}

if !peersSucceeded {
  FileHandle.standardError.write(Data("Benchmarks: error: a peer run failed (see above)\n".utf8))
  exit(1)
}
