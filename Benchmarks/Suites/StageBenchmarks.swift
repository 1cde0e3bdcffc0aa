import CBLAS
import Foundation
import StoryCluster

/// Every stage of the engine, on one workload.
struct StageBenchmarks {
  let workload: Workload
  let options: Options
  var results: [Result] = []

  init(workload: Workload, options: Options) {
    self.workload = workload
    self.options = options
  }

  mutating func add(_ result: Result) {
    Printer.row(result)
    results.append(result)
  }

  static func sklearnConfiguration() -> EngineConfiguration {
    var c = EngineConfiguration.sklearn
    c.linkage = .single
    c.threshold = 0.25
    c.pairFloor = 0.25
    return c
  }

  mutating func runAll() {
    let w = workload
    let reps = options.repeats

    // Tokenize: one thread, the byte-level tokenizer alone.
    let tokenizeName = w.name("tokenize", "1-thread")
    if options.matches(tokenizeName) {
      add(
        measure(tokenizeName, size: w.size, repeats: reps, units: [("MB", w.megabytes)]) {
          var tokenizer = Tokenizer()
          var count = 0
          var bytes = 0
          for text in w.texts {
            var t = text
            t.withUTF8 { buffer in
              tokenizer.forEachToken(in: buffer) { token in
                count += 1
                bytes += token.count
              }
            }
          }
          return "\(count) tokens/\(bytes) B"
        })
    }

    // TF-IDF fit+transform, scikit-learn defaults and news defaults.
    var sklearnMatrix: SparseMatrix?
    for (variant, configuration) in [
      ("sklearn", EngineConfiguration.sklearn.vectorizer),
      ("news", EngineConfiguration().vectorizer),
    ] {
      let name = w.name("tfidf", variant)
      guard options.matches(name) || (variant == "sklearn") else { continue }
      var last: SparseMatrix?
      let r = measure(
        name, size: w.size, repeats: reps, units: [("docs", Double(w.size)), ("MB", w.megabytes)]
      ) {
        guard
          let (model, matrix) = try? TFIDFVectorizer(configuration: configuration).fitTransform(
            texts: w.texts)
        else { return "error" }
        last = matrix
        let sum = matrix.values.reduce(0.0) { $0 + Double($1) }
        return
          "\(model.vocabulary.count) terms/\(matrix.nonZeroCount) nnz/Σ\(Printer.fixed(sum, 3))"
      }
      if variant == "sklearn" { sklearnMatrix = last }
      if options.matches(name) { add(r) }
    }
    // The names and years the story graph reads (EventMarks: one names vectorisation and a
    // years scan), beside the word TF-IDF fit above.
    let marksName = w.name("marks", "names+years")
    if options.matches(marksName) {
      add(
        measure(
          marksName, size: w.size, repeats: reps,
          units: [("docs", Double(w.size)), ("MB", w.megabytes)]
        ) {
          let marks = EventMarks(texts: w.texts)
          return
            "\(marks.names.columnCount) names/\(marks.names.nonZeroCount) nnz/\(marks.years.count) years"
        })
    }
    guard let matrix = sklearnMatrix else { return }

    // Similarity kernel: exact top-10 + all pairs ≥ 0.5, against the raw sgemm peak.
    let kernelName = w.name("kernel", "top10+pairs0.5")
    if options.matches(kernelName) {
      var stats: SimilarityResult.Statistics?
      var r = measure(kernelName, size: w.size, repeats: reps, units: [("docs", Double(w.size))]) {
        let result = SimilarityKernel(configuration: .init(neighborCount: 10, threshold: 0.5))
          .run(matrix)
        stats = result.statistics
        let top = result.neighbors.reduce(0.0) { $0 + $1.reduce(0.0) { $0 + $1.score } }
        return "\(result.pairs.count) pairs/Σtop \(Printer.fixed(top, 2))"
      }
      if let s = stats {
        let kernelRate = s.denseSeconds > 0 ? s.denseFlops / s.denseSeconds * Double(s.workers) : 0
        let peak = RawSGEMM.peak(
          block: s.blockSize, depth: s.headColumns, workers: s.workers,
          seconds: options.quick ? 0.2 : 1)
        r.units.append(("GFLOP", s.denseFlops / 1e9))
        r.notes.append(
          "dense head \(s.headColumns) columns: kernel sgemm+pack \(Printer.fixed(kernelRate / 1e9, 1)) GFLOP/s"
            + " vs raw cblas_sgemm \(Printer.fixed(peak / 1e9, 1)) GFLOP/s on \(s.blockSize)×\(s.blockSize)×\(s.headColumns)"
            + " (\(s.workers) threads) = \(Printer.fixed(peak > 0 ? kernelRate / peak * 100 : 0, 1)) %"
        )
        r.notes.append(
          "sparse tail \(s.sparseUpdates) multiply-adds; whole kernel p50 \(Printer.fixed(r.p50, 3)) s,"
            + " dense share \(Printer.fixed(s.denseSeconds / Double(max(1, s.workers)) / r.p50 * 100, 1)) %"
        )
      }
      add(r)
    }

    // The engine's own stages (the functions `Engine.run` composes), each timed alone on the
    // previous stage's value, computed once outside the timers.
    guard let engine = try? Engine(configuration: EngineConfiguration()) else { return }
    let analysed = engine.analyse(Corpus(articles: w.articles))
    guard let vectors = try? engine.vectorize(analysed) else { return }
    let similarity = engine.similarity(vectors, corpus: analysed)
    let pairs = similarity.pairs
    let graphName = w.name("storygraph", "news")
    if options.matches(graphName) {
      add(
        measure(graphName, size: w.size, repeats: reps, units: [("pairs", Double(pairs.count))]) {
          let graph = engine.storyGraph(similarity, vectors: vectors, corpus: analysed)
          return "\(graph.pairs.count) edges/background \(Printer.fixed(graph.background, 5))"
        })
    }
    let graph = engine.storyGraph(similarity, vectors: vectors, corpus: analysed)
    for linkage in Linkage.allCases {
      let name = w.name("cluster", linkage.rawValue)
      guard options.matches(name) else { continue }
      var c = EngineConfiguration()
      c.linkage = linkage
      guard let clusterer = try? Engine(configuration: c) else { continue }
      add(
        measure(name, size: w.size, repeats: reps, units: [("edges", Double(graph.pairs.count))]) {
          let stories = clusterer.stories(graph, count: analysed.count)
          return "\(stories.groups.count) clusters/\(stories.groups.first?.count ?? 0) largest"
        })
    }
    averageLinkageRows(graph: graph, engine: engine, count: analysed.count)
    let rankName = w.name("rank", "pairs0.2")
    if options.matches(rankName) {
      let ranked = pairs.filter { $0.score >= 0.2 }
      add(
        measure(rankName, size: w.size, repeats: reps, units: [("pairs", Double(ranked.count))]) {
          guard let out = try? engine.rankPairs(ranked, vectors: vectors, corpus: analysed) else {
            return "error"
          }
          return "\(out.count) pairs/\(out.filter { $0.kind != .related }.count) dup"
        })
    }

    // End to end in the library, 1 thread vs 2 threads.
    var e2e: [Int: Result] = [:]
    for threads in [1, 2] {
      let name = w.name("engine", "news-\(threads)thread")
      guard options.matches(name) else { continue }
      var c = EngineConfiguration()
      c.threads = threads
      guard let engine = try? Engine(configuration: c) else { continue }
      let r = measure(
        name, size: w.size, repeats: reps, units: [("docs", Double(w.size)), ("MB", w.megabytes)]
      ) {
        guard let report = try? engine.run(articles: w.articles) else { return "error" }
        return "\(report.clusters.count) clusters/\(report.pairs.count) pairs"
      }
      e2e[threads] = r
      add(r)
    }
    if let one = e2e[1], let two = e2e[2] {
      print("    ↳ engine 2 threads vs 1 thread: \(Printer.fixed(one.p50 / two.p50, 2))× faster")
    }
  }
}

extension StageBenchmarks {
  /// Average linkage on the news story graph: the serial merge queue against reciprocal
  /// nearest-neighbour rounds, each on 1 and 2 threads. Every row's checksum is a digest of its
  /// clusters, and the rows must agree (exactness check: printed as "equal").
  mutating func averageLinkageRows(graph: StoryGraph, engine: Engine, count: Int) {
    let threshold = engine.stories(graph, count: count).threshold
    var seconds: [String: Double] = [:]
    var digests: [String] = []
    for algorithm in [AverageLinkageAlgorithm.queue, .reciprocal] {
      for threads in [1, 2] {
        let variant = "average-\(algorithm)-\(threads)thread"
        let name = workload.name("cluster", variant)
        guard options.matches(name) else { continue }
        let clusterer = Clusterer(
          linkage: .average, threshold: threshold, threads: threads, averageAlgorithm: algorithm)
        let cpuBefore = processCPUSeconds()
        var r = measure(
          name, size: workload.size, repeats: options.repeats,
          units: [("edges", Double(graph.pairs.count))]
        ) {
          let clusters = clusterer.cluster(count: count, pairs: graph.pairs)
          // An order-sensitive digest of every cluster's members.
          var digest: UInt64 = 14_695_981_039_346_656_037
          for cluster in clusters {
            for row in cluster { digest = (digest ^ UInt64(row)) &* 1_099_511_628_211 }
            digest = (digest ^ UInt64.max) &* 1_099_511_628_211
          }
          return "\(clusters.count) clusters/\(clusters.first?.count ?? 0) largest/#\(digest)"
        }
        // CPU time per run (the warm-up included), all threads: the work done, which a loaded
        // machine disturbs far less than the wall time.
        let cpu = (processCPUSeconds() - cpuBefore) / Double(r.seconds.count + 1)
        r.notes.append("CPU \(Printer.fixed(cpu, 2)) s/run over all threads")
        seconds[variant] = r.p50
        digests.append(r.checksum)
        add(r)
      }
    }
    if let queue = seconds["average-queue-1thread"] {
      for threads in [1, 2] {
        guard let rounds = seconds["average-reciprocal-\(threads)thread"] else { continue }
        print(
          "    ↳ average linkage: reciprocal \(threads) thread(s) vs queue 1 thread:"
            + " \(Printer.fixed(queue / rounds, 2))× faster")
      }
    }
    if let one = seconds["average-reciprocal-1thread"],
      let two = seconds["average-reciprocal-2thread"]
    {
      print(
        "    ↳ average linkage: reciprocal 2 threads vs 1: \(Printer.fixed(one / two, 2))× faster")
    }
    if digests.count > 1 {
      print("    ↳ average linkage clusters: \(Set(digests).count == 1 ? "equal" : "DIFFERENT")")
    }
  }
}

/// User plus system CPU seconds of this process so far, all threads.
func processCPUSeconds() -> Double {
  var usage = rusage()
  #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
  #else
    getrusage(RUSAGE_SELF, &usage)
  #endif
  let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
  let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
  return user + system
}

/// The raw `cblas_sgemm` rate on the kernel's block shape, `workers` threads each multiplying
/// its own blocks through `BLAS.multiplyTransposed`, as the kernel does (so BLAS is
/// single-threaded inside each call, as in the kernel).
enum RawSGEMM {
  static func peak(block: Int, depth: Int, workers: Int, seconds: Double) -> Double {
    guard depth > 0, block > 0 else { return 0 }
    let a = (0..<(block * depth)).map { Float($0 % 7) * 0.01 }
    let b = (0..<(block * depth)).map { Float($0 % 5) * 0.02 }
    nonisolated(unsafe) var rates = [Double](repeating: 0, count: workers)
    DispatchQueue.concurrentPerform(iterations: workers) { wkr in
      var c = [Float](repeating: 0, count: block * block)
      var calls = 0
      let start = now()
      var elapsed = 0.0
      repeat {
        a.withUnsafeBufferPointer { ap in
          b.withUnsafeBufferPointer { bp in
            c.withUnsafeMutableBufferPointer { cp in
              if let ab = ap.baseAddress, let bb = bp.baseAddress, let cb = cp.baseAddress {
                BLAS.multiplyTransposed(m: block, n: block, k: depth, a: ab, b: bb, c: cb)
              }
            }
          }
        }
        calls += 1
        elapsed = now() - start
      } while elapsed < seconds
      blackHole(c)
      rates[wkr] = 2 * Double(block * block * depth) * Double(calls) / elapsed
    }
    return rates.reduce(0, +)
  }
}
