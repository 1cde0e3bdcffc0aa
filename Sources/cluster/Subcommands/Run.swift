import ArgumentParser
import Dispatch
import StoryCluster

extension ClusterCommand {
  /// `cluster run`: clusters the input and prints stories and ranked pairs.
  struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Cluster articles into stories and rank near-duplicate pairs.")

    @OptionGroup var input: InputOptions
    @OptionGroup var similarity: SimilarityOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var destination: DestinationOptions
    @OptionGroup var progress: ProgressOptions

    @Flag(help: "Print the time each stage took and the peak memory to standard error.")
    var verbose = false

    func run() throws {
      try execute(kernelOutcome: nil, frequencies: nil, rows: nil)
    }

    /// Reads, clusters and writes; with `kernelOutcome`, the similarity kernel's row blocks
    /// were scored by a distributed job's tasks (`cluster spark finish`), and the report is the
    /// same; `frequencies` are the term counts the job added up, which the TF-IDF model is made
    /// from (the same model `cluster run` fits), and `rows` the rows its tasks weighed with it.
    func execute(
      kernelOutcome: consuming KernelOutcome?, frequencies: TermFrequencies?, rows: WeighedRows?
    ) throws {
      var target = try destination.open()
      let started = DispatchTime.now().uptimeNanoseconds
      let hook = progress.start()
      let corpus = try input.readCorpus(progress: hook)
      let read = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
      let readPeak = peakResidentBytes()
      // The table shows titles and dates, which the engine does not keep.
      let captions = output.format == .table ? ArticleCaptions(corpus.articles) : nil
      let engine = try similarity.engine(threads: input.threads, progress: hook)
      let report: Report
      // Only the HTML page reads the run's details (texts, rows, graph); keeping them costs
      // memory the other formats need not spend.
      var details: RunDetails?
      do {
        if let given = kernelOutcome.take() {
          report = try engine.run(
            consume corpus, kernelOutcome: consume given, frequencies: frequencies, rows: rows)
        } else if output.format == .html {
          (report, details) = try engine.runKeepingDetails(consume corpus)
        } else {
          report = try engine.run(consume corpus)
        }
      } catch {
        Diagnostics.print(error.description)
        throw ExitCode(64)
      }
      ProgressDisplay.shared.finish()
      let writing = DispatchTime.now().uptimeNanoseconds
      var out = ByteWriter(descriptor: target.descriptor)
      let threads = effectiveThreadCount(report.configuration.threads)
      if let details {
        HTMLReport(report: report, details: details, threads: threads).write(to: &out)
      } else {
        ReportFormatter(
          format: output.format, maxPairs: output.maxPairs, threads: threads, captions: captions,
          width: Terminal.width(of: target.descriptor)
        ).write(report, to: &out)
      }
      try target.complete(&out)
      let written = Double(DispatchTime.now().uptimeNanoseconds - writing) / 1e9
      if verbose {
        let k = report.kernelStatistics
        Diagnostics.print(
          "kernel: \(k.headColumns) head columns, \(JSONText.fixed(k.denseFlops / 1e9, decimals: 1)) GFLOP, "
            + "\(k.sparseUpdates) sparse updates, \(k.rescored) rescored")
        let laps =
          [StageTime(stage: "read", seconds: read, peakResidentBytes: readPeak)]
          + report.stageSeconds
          + [StageTime(stage: "write", seconds: written, peakResidentBytes: peakResidentBytes())]
        for lap in laps {
          let peak = Double(lap.peakResidentBytes) / 1_048_576
          Diagnostics.print(
            "time: \(lap.stage) \(JSONText.fixed(lap.seconds, decimals: 3)) s "
              + "(peak so far \(JSONText.fixed(peak, decimals: 1)) MiB)")
        }
        let peak = Double(peakResidentBytes()) / 1_048_576
        Diagnostics.print(
          "memory: peak resident \(JSONText.fixed(peak, decimals: 1)) MiB; "
            + "GLIBC_TUNABLES=\(environmentValue("GLIBC_TUNABLES")); "
            + "OPENBLAS_NUM_THREADS=\(environmentValue("OPENBLAS_NUM_THREADS"))")
      }
    }
  }
}
