import Foundation
import StoryCluster

/// Runs the Python peers (scikit-learn, sparse_dot_topn) on the same corpora and prints ratios.
enum Peers {
  static func run(corpora: [String], sizes: [Int?], ours: [Result], root: URL, repeats: Int) {
    let script = root.appendingPathComponent("Benchmarks/peers/run_peers.py").path
    guard FileManager.default.fileExists(atPath: script) else {
      print("peers: \(script) not found")
      return
    }
    for corpus in corpora {
      let out = NSTemporaryDirectory() + "storycluster-peers.json"
      let sizeList = sizes.map { $0.map(String.init) ?? "all" }.joined(separator: ",")
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = [
        "python3", script, "--corpus", corpus, "--sizes", sizeList, "--k", "10", "--threshold",
        "0.5",
        "--pipeline-threshold", "0.25", "--threads", "2", "--repeats", "\(repeats)", "--json", out,
      ]
      do {
        try process.run()
        process.waitUntilExit()
      } catch {
        print("peers: cannot run python3: \(error)")
        return
      }
      guard process.terminationStatus == 0,
        let data = FileManager.default.contents(atPath: out),
        let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let results = json["results"] as? [[String: Any]]
      else {
        print("peers: run_peers.py failed (status \(process.terminationStatus))")
        continue
      }
      let corpusName = URL(fileURLWithPath: corpus).deletingLastPathComponent().lastPathComponent
      print(
        "\nPEERS on \(corpusName) (\(json["peer"] as? String ?? "python")); ratio = peer p50 / our p50"
      )
      for peer in results {
        guard let stage = peer["stage"] as? String, let size = peer["size"] as? Int,
          let theirs = peer["p50_s"] as? Double
        else { continue }
        let ourName: String
        switch stage {
        case "vectorize": ourName = "tfidf/sklearn/\(corpusName)-\(size)"
        case "topk": ourName = "kernel/top10+pairs0.5/\(corpusName)-\(size)"
        case "pipeline": ourName = "cli/sklearn-components0.25-json/\(corpusName)-\(size)"
        default: continue
        }
        var mine = ours.first { $0.name == ourName }
        if mine == nil && stage == "pipeline" {
          mine = CLIRun.measure(
            corpus: corpus, size: size, corpusName: corpusName, repeats: repeats, root: root)
        }
        guard let mine else { continue }
        let checksum = (peer["checksum"]).map { "\($0)" } ?? "-"
        print(
          "  \(stage.padding(toLength: 10, withPad: " ", startingAt: 0)) n=\(size): peer \(Printer.fixed(theirs, 3)) s,"
            + " ours \(Printer.fixed(mine.p50, 3)) s → \(Printer.fixed(theirs / mine.p50, 2))×   (peer checksum \(checksum); ours \(mine.checksum))"
        )
      }
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
    var times: [Double] = []
    for _ in 0...repeats {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: binary)
      p.arguments = [
        "run", input, "--skip-invalid", "--preset", "sklearn", "--linkage", "single", "--threshold",
        "0.25",
        "--pair-floor", "0.25", "--format", "json",
      ]
      p.standardOutput = FileHandle.nullDevice
      p.standardError = FileHandle.nullDevice
      let start = now()
      guard (try? p.run()) != nil else { return nil }
      p.waitUntilExit()
      times.append(now() - start)
    }
    return Result(
      name: "cli/sklearn-components0.25-json/\(corpusName)-\(size)", size: size,
      seconds: Array(times.dropFirst()), units: [("docs", Double(size))], checksum: "-",
      peakBytes: 0)
  }
}
