import Foundation
import StoryCluster
import StoryClusterIndex

#if canImport(Glibc)
  import Glibc
#endif

// `IndexBenchmarks generate`: the synthetic archive comes from scripts/make_synthetic_archive.py
// (one generator, in Python); this only runs it with the options given.
//
// `IndexBenchmarks speed ARCHIVE`: ingest, query, disk and RSS rows of the story index on a
// prefix of a synthetic archive, beside datasketch's MinHashLSH (Benchmarks/peers/minhash_peer.py)
// on the same articles in the same run; every figure is also printed as a ratio against the peer.

/// The package root (this file is Benchmarks/Index/IndexSpeed.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

func generate(_ arguments: Arguments) throws {
  let script = packageRoot.appendingPathComponent("scripts/make_synthetic_archive.py").path
  var forwarded: [String] = [script]
  for (name, value) in arguments.values.sorted(by: { $0.key < $1.key }) {
    forwarded += ["--\(name)", value]
  }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3"] + forwarded + arguments.rest
  try process.run()
  process.waitUntilExit()
  if process.terminationStatus != 0 { exit(process.terminationStatus) }
}

/// The peak resident set of this process so far (getrusage), in bytes.
func peakRSS() -> Int {
  var usage = rusage()
  getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
  return usage.ru_maxrss * 1024
}

/// The resident set now (/proc/self/statm), in bytes.
func currentRSS() -> Int {
  guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else {
    return 0
  }
  let fields = text.split(separator: " ")
  guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
  return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Indices spread evenly over `n` (minhash_peer.py's `query_picks`).
func queryPicks(_ n: Int, _ count: Int) -> [Int] {
  guard n > 0, count > 0 else { return [] }
  let k = min(count, n)
  return (0..<k).map { (2 * $0 + 1) * n / (2 * k) }
}

/// The q-quantile of sorted values (nearest rank below, as the quality rows).
func quantile(_ sorted: [Double], _ q: Double) -> Double {
  sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(q * Double(sorted.count)))]
}

func megabytes(_ bytes: Int) -> String { String(format: "%.0f MiB", Double(bytes) / 1_048_576) }

/// The peer's figures (minhash_peer.py's JSON, its snake-case keys converted).
struct PeerFigures: Decodable {
  var peer: String
  var articles: Int
  var ingestSeconds: Double
  var ingestRate: Double
  var batchSeconds: [Double]
  var queries: Int
  var queryP50Ms: Double
  var queryP99Ms: Double
  var querySelfRecall: Double
  var queryMeanCandidates: Double
  var peakRssBytes: Int
}

func speed(_ arguments: Arguments) throws {
  guard let archive = arguments.rest.first else {
    fail("speed needs an archive: IndexBenchmarks speed ARCHIVE [--size N] (see usage)")
  }
  let isQuick = arguments.values["quick"] == "yes"
  let size = arguments.int("size") ?? (isQuick ? 5_000 : 100_000)
  let batch = arguments.int("batch") ?? 1_000
  let queryCount = arguments.int("queries") ?? (isQuick ? 50 : 200)
  let usesPeer = arguments.values["peer"] != "no"
  guard size > 0, batch > 0 else { fail("--size and --batch must be 1 or more") }
  let indexSettings = settings(from: arguments)
  let threads = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "unset"
  print(
    "IndexBenchmarks speed: release build, \(ProcessInfo.processInfo.activeProcessorCount) cores, "
      + "engine threads \(indexSettings.engine.threads) (0 = all), OPENBLAS_NUM_THREADS \(threads)")
  print(
    "archive \(archive), first \(size) articles in date order, batches of \(batch), "
      + "window \(indexSettings.windowDays) days, lift \(indexSettings.engine.lift ?? 0), "
      + "background "
      + (indexSettings.engine.seedThreshold.map { "between stories (seed \($0))" } ?? "all pairs"))

  // The peer runs first, alone, so the two never share the cores.
  var peer: PeerFigures?
  if usesPeer {
    let python = packageRoot.appendingPathComponent("Benchmarks/peers/.venv/bin/python").path
    guard FileManager.default.isExecutableFile(atPath: python) else {
      fail(
        "no peer venv at \(python): python3 -m venv Benchmarks/peers/.venv && "
          + "Benchmarks/peers/.venv/bin/pip install -r Benchmarks/peers/requirements.txt "
          + "(or --peer no)")
    }
    let pipe = Pipe()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [
      packageRoot.appendingPathComponent("Benchmarks/peers/minhash_peer.py").path,
      "--archive", archive, "--size", "\(size)", "--batch", "\(batch)", "--queries",
      "\(queryCount)",
    ]
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { fail("minhash_peer.py failed") }
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    peer = try decoder.decode(PeerFigures.self, from: data)
  }

  let read = CorpusReader().read([archive])
  let articles = Array(dateOrder(read.articles).prefix(size))
  if let peer, peer.articles != articles.count {
    fail("the peer read \(peer.articles) articles, the index \(articles.count)")
  }
  let db = temporaryPath()
  defer { removeIndex(db) }
  let index = try StoryIndex.create(at: db, settings: indexSettings)
  let rssBefore = currentRSS()
  var sampledPeak = rssBefore
  var seconds: [Double] = []
  var candidates: [Int] = []
  var checksum: UInt64 = 0
  var start = 0
  while start < articles.count {
    let slice = Array(articles[start..<min(articles.count, start + batch)])
    let began = Date()
    let result = try index.add(slice)
    seconds.append(Date().timeIntervalSince(began))
    candidates.append(result.candidateCount)
    for placement in result.placements {
      checksum = checksum &* 31 &+ UInt64(placement.story)
    }
    sampledPeak = max(sampledPeak, currentRSS())
    start += batch
  }
  let statistics = try index.statistics()
  // Rows.
  let phase = max(1, seconds.count / 10)
  func rate(_ range: Range<Int>) -> Double {
    let n = range.reduce(0) { $0 + min(batch, articles.count - $1 * batch) }
    let s = seconds[range].reduce(0, +)
    return s > 0 ? Double(n) / s : 0
  }
  func peerRate(_ range: Range<Int>) -> Double? {
    guard let peer, peer.batchSeconds.count == seconds.count else { return nil }
    let n = range.reduce(0) { $0 + min(batch, articles.count - $1 * batch) }
    let s = peer.batchSeconds[range].reduce(0, +)
    return s > 0 ? Double(n) / s : 0
  }
  func row(_ name: String, _ ours: Double, _ theirs: Double?, _ unit: String, higherIsBetter: Bool)
  {
    var line = "\(name): " + String(format: "%.1f", ours) + " \(unit)"
    if let theirs {
      line += String(format: " | MinHashLSH %.1f %@", theirs, unit)
      if theirs > 0, ours > 0 {
        // A rate ratio (index / peer, above 1 the index is faster) or a time ratio (index /
        // peer, above 1 the index is slower).
        line += String(
          format: " | index / peer %.3g (%@)", ours / theirs,
          (ours >= theirs) == higherIsBetter ? "index better" : "index worse")
      }
    }
    print(line)
  }
  let all = 0..<seconds.count
  let early = 0..<phase
  let late = (seconds.count - phase)..<seconds.count
  print(
    "\(articles.count) articles in \(seconds.count) batches: "
      + String(format: "%.1f s", seconds.reduce(0, +)) + ", \(statistics.liveStories) stories, "
      + "candidates per batch early \(candidates[early].reduce(0, +) / early.count), "
      + "late \(candidates[late].reduce(0, +) / late.count), placement checksum \(checksum)")
  row(
    "ingest early (first \(phase) batches)", rate(early), peerRate(early), "articles/s",
    higherIsBetter: true)
  row(
    "ingest late (last \(phase) batches)", rate(late), peerRate(late), "articles/s",
    higherIsBetter: true)
  row("ingest sustained (all)", rate(all), peer?.ingestRate, "articles/s", higherIsBetter: true)
  let sortedSeconds = seconds.sorted().map { $0 * 1000 }
  print(
    "  batch ms: p50 " + String(format: "%.0f", quantile(sortedSeconds, 0.5)) + ", p99 "
      + String(format: "%.0f", quantile(sortedSeconds, 0.99)) + ", max "
      + String(format: "%.0f", sortedSeconds.last ?? 0))
  fflush(nil)  // the ingest rows now, before the queries

  // One-article queries: spread evenly over the whole archive (as the peer's), then over the
  // last window's articles (what a newsroom asks about: the cache holds that window).
  func measure(_ picks: [Int]) throws -> (milliseconds: [Double], found: Int) {
    var milliseconds: [Double] = []
    var found = 0
    for k in picks {
      let began = Date()
      let result = try index.query([articles[k]])
      milliseconds.append(Date().timeIntervalSince(began) * 1000)
      if (result.placements.first?.score ?? 0) >= 0.999 { found += 1 }
      blackHole(result)
    }
    return (milliseconds.sorted(), found)
  }
  let picks = queryPicks(articles.count, queryCount)
  let (milliseconds, found) = try measure(picks)
  let lastDate = articles.last?.timestamp ?? 0
  let recentStart =
    articles.firstIndex {
      ($0.timestamp ?? lastDate) >= lastDate - indexSettings.windowDays * 86_400
    }
    ?? 0
  let recentPicks = queryPicks(articles.count - recentStart, queryCount).map { $0 + recentStart }
  let (recentMilliseconds, recentFound) = try measure(recentPicks)
  sampledPeak = max(sampledPeak, currentRSS())

  row(
    "query p50 (\(picks.count) one-article queries)", quantile(milliseconds, 0.5),
    peer?.queryP50Ms, "ms", higherIsBetter: false)
  row("query p99", quantile(milliseconds, 0.99), peer?.queryP99Ms, "ms", higherIsBetter: false)
  row(
    "query p50, last window (\(recentPicks.count) queries)", quantile(recentMilliseconds, 0.5),
    peer?.queryP50Ms, "ms", higherIsBetter: false)
  row(
    "query p99, last window", quantile(recentMilliseconds, 0.99), peer?.queryP99Ms, "ms",
    higherIsBetter: false)
  print(
    "  query ms, all: p90 " + String(format: "%.1f", quantile(milliseconds, 0.9)) + ", max "
      + String(format: "%.1f", milliseconds.last ?? 0) + "; last window: p90 "
      + String(format: "%.1f", quantile(recentMilliseconds, 0.9)) + ", max "
      + String(format: "%.1f", recentMilliseconds.last ?? 0)
      + "; last-window queries finding their stored copy \(recentFound)/\(recentPicks.count)")
  print(
    "  queries finding their stored copy (best cosine ≥ 0.999): index \(found)/\(picks.count)"
      + (peer.map {
        String(
          format: ", MinHashLSH %.0f%% (%.1f candidates each)", $0.querySelfRecall * 100,
          $0.queryMeanCandidates)
      } ?? ""))
  print(
    "bytes on disk per article: "
      + String(format: "%.0f", Double(statistics.bytes) / Double(max(1, statistics.articles)))
      + " (\(megabytes(statistics.bytes)) for \(statistics.articles) articles, "
      + "\(statistics.terms) terms)")
  print(
    "RSS: before ingest \(megabytes(rssBefore)) (the archive in memory), sampled peak "
      + "\(megabytes(sampledPeak)) (growth \(megabytes(sampledPeak - rssBefore))), "
      + "getrusage peak \(megabytes(peakRSS()))"
      + (peer.map { ", MinHashLSH process peak \(megabytes($0.peakRssBytes))" } ?? ""))
  if let peer { print("peer: \(peer.peer), same \(peer.articles) articles, same query picks") }
  if isQuick {
    let problems = try index.check()
    if !problems.isEmpty { fail("index check: \(problems)") }
    print("index check: clean")
  }
}
