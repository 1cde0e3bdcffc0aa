import Foundation
import StoryCluster

/// Runs the Python peers (scikit-learn, sparse_dot_topn, SciPy) on the same corpora and prints
/// ratios.
///
/// Besides the stage peers, two rows put the default `cluster run` (``DefaultPathBenchmarks``, the
/// same articles, the same harness run) beside what it is judged against: the SciPy
/// average-linkage pipeline with the same token rules (`scipy-average` in `run_peers.py`, cut at
/// cosine 0.15), and the `--preset sklearn --linkage single` job (``CLIRun``).
///
/// The peers run on `Benchmarks/peers/.venv/bin/python3` when that environment exists, else on
/// `python3` from the `PATH`. ``requireRequirements(root:)`` checks, before any benchmark runs,
/// that the interpreter has the packages of `Benchmarks/peers/requirements.txt`, and otherwise
/// exits with status 1 and the commands that set the environment up.
enum Peers {
  /// The modules `run_peers.py` imports, as Python names them.
  static let modules = ["numpy", "scipy", "sklearn", "sparse_dot_topn"]

  /// The harness's own environment, relative to the package root.
  static let environment = "Benchmarks/peers/.venv"

  /// The interpreter and leading arguments that run the peers.
  static func python(root: URL) -> (executable: URL, arguments: [String], name: String) {
    let own = root.appendingPathComponent(environment + "/bin/python3")
    if FileManager.default.isExecutableFile(atPath: own.path) {
      return (own, [], environment + "/bin/python3")
    }
    return (URL(fileURLWithPath: "/usr/bin/env"), ["python3"], "python3")
  }

  /// Exits with status 1 and the set-up commands unless the peers' interpreter can import every
  /// module of `requirements.txt`.
  static func requireRequirements(root: URL) {
    let python = python(root: root)
    let probe = Process()
    probe.executableURL = python.executable
    probe.arguments =
      python.arguments + [
        "-c",
        "import importlib.util, sys; "
          + "print(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))",
      ] + modules
    let pipe = Pipe()
    probe.standardOutput = pipe
    probe.standardError = FileHandle.nullDevice
    var missing = modules
    if (try? probe.run()) != nil {
      let data = pipe.fileHandleForReading.readDataToEndOfFile()
      probe.waitUntilExit()
      if probe.terminationStatus == 0 {
        missing = String(decoding: data, as: UTF8.self).split(separator: " ").map {
          $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }.filter { !$0.isEmpty }
      }
    }
    if missing.isEmpty { return }
    let message = """
      Benchmarks: error: --peers needs the Python packages pinned in \
      Benchmarks/peers/requirements.txt, and \(python.name) cannot import \
      \(missing.joined(separator: ", ")). Set up the harness's own environment once, from \
      \(root.path):

          python3 -m venv \(environment)
          \(environment)/bin/pip install -r Benchmarks/peers/requirements.txt

      (on Debian, `apt-get install -y python3-venv` first if `python3 -m venv` is missing); \
      --peers then runs on \(environment)/bin/python3.

      """
    FileHandle.standardError.write(Data(message.utf8))
    exit(1)
  }

  /// Runs the peers on every corpus and prints the ratios; returns false when a run failed.
  static func run(
    corpora: [String], sizes: [Int?], ours: [Result],
    defaults: [String: [DefaultPathBenchmarks.Run]], root: URL, repeats: Int
  ) -> Bool {
    let script = root.appendingPathComponent("Benchmarks/peers/run_peers.py").path
    guard FileManager.default.fileExists(atPath: script) else {
      print("peers: \(script) not found")
      return false
    }
    var succeeded = true
    for corpus in corpora {
      // Our end-to-end runs, each size once, before the peers.
      let corpusName = Workload.corpusName(of: corpus)
      var cliRuns: [Int: Result] = [:]
      let all = Workload.load(path: corpus, limit: nil).size
      for size in sizes.map({ min($0 ?? all, all) }).sorted() {
        if let r = CLIRun.measure(
          corpus: corpus, size: size, corpusName: corpusName, repeats: repeats, root: root)
        {
          cliRuns[size] = r
        }
      }
      let out = NSTemporaryDirectory() + "storycluster-peers.json"
      let sizeList = sizes.map { $0.map(String.init) ?? "all" }.joined(separator: ",")
      let python = python(root: root)
      let process = Process()
      process.executableURL = python.executable
      process.arguments =
        python.arguments + [
          script, "--corpus", corpus, "--sizes", sizeList, "--k", "10", "--threshold",
          "0.5",
          "--pipeline-threshold", "0.25", "--average-threshold", "0.15", "--threads", "2",
          "--repeats", "\(repeats)", "--json", out,
        ]
      do {
        try process.run()
        process.waitUntilExit()
      } catch {
        print("peers: cannot run \(python.name): \(error)")
        return false
      }
      guard process.terminationStatus == 0,
        let data = FileManager.default.contents(atPath: out),
        let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let results = json["results"] as? [[String: Any]]
      else {
        print("peers: run_peers.py failed (status \(process.terminationStatus))")
        succeeded = false
        continue
      }
      print(
        "\nPEERS on \(corpusName) (\(json["peer"] as? String ?? "python")); ratio = peer p50 / our p50"
      )
      for peer in results {
        guard let stage = peer["stage"] as? String, let size = peer["size"] as? Int else {
          continue
        }
        let ourDefault = defaults[corpus]?.first { $0.size == size }
        if stage == "scipy-average" {
          printAverageRow(peer, size: size, ours: ourDefault, job: cliRuns[size])
          continue
        }
        guard let theirs = peer["p50_s"] as? Double else { continue }
        let ourName: String
        switch stage {
        case "vectorize": ourName = "tfidf/sklearn/\(corpusName)-\(size)"
        case "topk": ourName = "kernel/top10+pairs0.5/\(corpusName)-\(size)"
        case "pipeline": ourName = "cli/sklearn-components0.25-json/\(corpusName)-\(size)"
        default: continue
        }
        var mine = ours.first { $0.name == ourName }
        if stage == "pipeline" { mine = cliRuns[size] }
        guard let mine else { continue }
        let checksum = (peer["checksum"]).map { "\($0)" } ?? "-"
        print(
          "  \(stage.padding(toLength: 10, withPad: " ", startingAt: 0)) n=\(size): peer \(Printer.fixed(theirs, 3)) s,"
            + " ours \(Printer.fixed(mine.p50, 3)) s → \(Printer.fixed(theirs / mine.p50, 2))×   (peer checksum \(checksum); ours \(mine.checksum))"
        )
        if stage == "pipeline", let theirPeak = peer["peak_bytes"] as? Int {
          print(
            "             peak RSS: peer \(Printer.fixed(Double(theirPeak) / 1_048_576, 1)) MiB,"
              + " ours \(Printer.fixed(Double(mine.peakBytes) / 1_048_576, 1)) MiB; "
              + mine.notes.joined(separator: "; "))
        }
      }
    }
    return succeeded
  }

  /// The default `cluster run` beside the SciPy average-linkage peer and the sklearn/single job.
  static func printAverageRow(
    _ peer: [String: Any], size: Int, ours: DefaultPathBenchmarks.Run?, job: Result?
  ) {
    let label = "default"
    guard let ours else {
      print(
        "  \(label.padding(toLength: 10, withPad: " ", startingAt: 0)) n=\(size): no default run"
          + " at this size (skipped by --budget or --filter, or the binary is not built)")
      return
    }
    let mine = ours.wallP50
    let mib = { (bytes: Int) in Printer.fixed(Double(bytes) / 1_048_576, 1) + " MiB" }
    if let reason = peer["skipped"] as? String {
      print(
        "  \(label.padding(toLength: 10, withPad: " ", startingAt: 0)) n=\(size): SciPy average"
          + " linkage \(reason); ours `cluster run` \(Printer.fixed(mine, 3)) s, peak \(mib(ours.peakBytes))"
      )
    } else if let theirs = peer["p50_s"] as? Double {
      let checksum = (peer["checksum"]).map { "\($0)" } ?? "-"
      print(
        "  \(label.padding(toLength: 10, withPad: " ", startingAt: 0)) n=\(size): SciPy average"
          + " linkage (TfidfVectorizer(stop_words=\"english\", sublinear_tf=True), 1 − X·Xᵀ condensed,"
          + " linkage average, fcluster at 1 − 0.15) \(Printer.fixed(theirs, 3)) s,"
          + " default `cluster run` \(Printer.fixed(mine, 3)) s → \(Printer.fixed(theirs / mine, 2))×"
          + "   (peer \(checksum); ours \(ours.checksum))")
      if let theirPeak = peer["peak_bytes"] as? Int {
        print(
          "             peak RSS: peer \(mib(theirPeak)), ours \(mib(ours.peakBytes))"
            + " → \(Printer.fixed(Double(theirPeak) / Double(max(1, ours.peakBytes)), 1))×")
      }
    }
    if let job {
      print(
        "             default `cluster run` \(Printer.fixed(mine, 3)) s vs the"
          + " `--preset sklearn --linkage single` job \(Printer.fixed(job.p50, 3)) s:"
          + " default takes \(Printer.fixed(mine / max(job.p50, 1e-9), 2))× as long (target ≤ 2×);"
          + " peak \(mib(ours.peakBytes)) vs \(mib(job.peakBytes))")
    }
  }
}

/// Times the `cluster` binary end to end (read, vectorise, pairs ≥ 0.25, components, JSON out).
enum CLIRun {
  static func measure(corpus: String, size: Int, corpusName: String, repeats: Int, root: URL)
    -> Result?
  {
    let binary = root.appendingPathComponent(".build/release/cluster").path
    guard FileManager.default.isExecutableFile(atPath: binary) else { return nil }
    var input = corpus
    let workload = Workload.load(path: corpus, limit: size)
    if workload.size < CorpusReader().read([corpus]).articles.count {
      input = workload.writeTemporaryJSONLines()
    }
    // Both thread counts, alternating, each run's first (warm-up) pass dropped.
    var times: [Int: [Double]] = [1: [], 2: []]
    for _ in 0...repeats {
      for threads in [2, 1] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments(input, threads: threads)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        let start = now()
        guard (try? p.run()) != nil else { return nil }
        p.waitUntilExit()
        times[threads, default: []].append(now() - start)
      }
    }
    let peak = peakBytes(of: [binary] + arguments(input))
    // The memory model of the performance issue: CSR matrix + N·k neighbour lists + block
    // buffers (per-thread score blocks and the packed dense head).
    let model = memoryModel(workload: workload)
    var result = Result(
      name: "cli/sklearn-components0.25-json/\(corpusName)-\(size)", size: size,
      seconds: Array((times[2] ?? []).dropFirst()), units: [("docs", Double(size))], checksum: "-",
      peakBytes: peak)
    var oneThread = result
    oneThread.seconds = Array((times[1] ?? []).dropFirst())
    result.notes.append(
      "--threads 1 p50 \(Printer.fixed(oneThread.p50, 3)) s, --threads 2 p50 \(Printer.fixed(result.p50, 3)) s:"
        + " 2 threads vs 1 \(Printer.fixed(oneThread.p50 / max(result.p50, 1e-9), 2))×")
    result.notes.append(
      "model (CSR + N·k lists + block buffers) \(Printer.fixed(Double(model.bytes) / 1_048_576, 1)) MiB"
        + " [\(model.detail)], measured/model \(Printer.fixed(Double(peak) / Double(max(1, model.bytes)), 2))×"
    )
    // What the process holds before it reads a byte (runtime, libraries, BLAS): the model does
    // not count it, so the peak can never go below floor + model.
    let floor = peakBytes(of: [binary, "--help"])
    result.notes.append(
      "process floor (`cluster --help`) \(Printer.fixed(Double(floor) / 1_048_576, 1)) MiB,"
        + " floor + model = \(Printer.fixed(Double(floor + model.bytes) / Double(max(1, model.bytes)), 2))× model,"
        + " measured − floor = \(Printer.fixed(Double(peak - floor) / Double(max(1, model.bytes)), 2))× model"
    )
    return result
  }

  /// The end-to-end job: `--preset sklearn`, components at 0.25, pairs ≥ 0.25, JSON out. The
  /// peer writes ids and score per pair, every pair at the floor, so shared terms are off
  /// (`--shared-terms 0`) and the per-article cap too (`--all-pairs`) to count the same work;
  /// we still write each pair's kind and each cluster's label and representative (and list a
  /// copy once, by its exact pair with its first copy).
  static func arguments(_ input: String, threads: Int = 2) -> [String] {
    [
      "run", input, "--skip-invalid", "--preset", "sklearn", "--linkage", "single", "--threshold",
      "0.25", "--pair-floor", "0.25", "--all-pairs", "--shared-terms", "0", "--format", "json",
      "--threads", "\(threads)",
    ]
  }

  /// The peak RSS of one run of `command`, read with `getrusage(RUSAGE_CHILDREN)` in a small
  /// Python parent (a child forked from this large process would inherit its resident size).
  static func peakBytes(of command: [String]) -> Int {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments =
      [
        "python3", "-c",
        "import resource, subprocess, sys; "
          + "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
          + "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
      ] + command
    let out = Pipe()
    p.standardOutput = out
    guard (try? p.run()) != nil else { return 0 }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return (Int(text) ?? 0) * 1024
  }

  /// CSR bytes, N·k neighbour lists and block buffers for the `--preset sklearn` matrix.
  static func memoryModel(workload: Workload) -> (bytes: Int, detail: String) {
    guard
      let (_, matrix) = try? TFIDFVectorizer(configuration: EngineConfiguration.sklearn.vectorizer)
        .fitTransform(texts: workload.texts)
    else { return (0, "-") }
    let n = matrix.rowCount
    let csr = matrix.nonZeroCount * 8 + (n + 1) * 8
    let neighbours = n * 10 * 8
    let threads = ProcessInfo.processInfo.activeProcessorCount
    let head = SimilarityKernel(configuration: .init(neighborCount: 10, threshold: 0.25)).run(
      matrix
    ).statistics.headColumns
    let blocks = threads * 512 * 512 * 4 + n * head * 4
    return (
      csr + neighbours + blocks,
      "CSR \(csr / 1_048_576) MiB, lists \(neighbours / 1_048_576) MiB, blocks \(blocks / 1_048_576) MiB"
    )
  }
}
