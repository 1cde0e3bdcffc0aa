import ArgumentParser
import StoryCluster

extension ClusterCommand {
  /// `cluster calibrate`: suggests thresholds from pairs a user labelled.
  struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Suggest the near-duplicate and story thresholds from pairs you labelled.",
      discussion: """
        LABELS.jsonl holds one labelled pair per line, such as \
        {"a": "id1", "b": "id2", "label": "same-text"}, with the label same-text, same-story or \
        different. A few dozen pairs, some of each kind, near the decisions you care about, \
        are enough.

        The articles are clustered as cluster run does (same options) at each candidate \
        threshold; the suggestion is the best F1 on the labels, with a 95 % bootstrap \
        interval, and the options to pass.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Argument(help: ArgumentHelp("The labelled pairs (JSON Lines).", valueName: "labels"))
    var labels: String
    @OptionGroup var input: InputOptions
    @OptionGroup var similarity: SimilarityOptions
    @OptionGroup var destination: DestinationOptions
    @Option(help: "Output format: table or json.") var format: Format = .table
    @Option(
      help: ArgumentHelp(
        "Story thresholds to try FROM:TO:STEP: lifts (default 6:24:1), or story similarities with --threshold (default 0.02:0.30:0.02).",
        valueName: "range"))
    var candidates: String?

    func validate() throws {
      if let candidates, Eval.parseSweep(candidates) == nil {
        throw ValidationError(
          "--candidates must be FROM:TO:STEP with 0 ≤ FROM ≤ TO and STEP > 0, got '\(candidates)'.")
      }
    }

    func run() throws {
      var target = try destination.open()
      let engine = try similarity.engine(threads: input.threads)
      let labelled: LabelledPairs
      do throws(CorpusProblems) {
        labelled = try LabelledPairs.read(labels)
      } catch {
        for problem in error.problems { Diagnostics.print(problem.description) }
        throw ExitCode(65)
      }
      let corpus = try input.readCorpus()
      let isLift = engine.configuration.lift != nil
      let range = candidates ?? (isLift ? "6:24:1" : "0.02:0.30:0.02")
      let calibration: Calibration
      do throws(CalibrationError) {
        calibration = try engine.calibrate(
          labelled, corpus: corpus, thresholds: Eval.parseSweep(range) ?? [])
      } catch {
        Diagnostics.print(error.description)
        if case .configuration = error { throw ExitCode(64) }
        throw ExitCode(65)
      }
      var out = ByteWriter(descriptor: target.descriptor)
      let kinds = LabelledPairs.Label.allCases.map { label in
        "\(labelled.pairs.filter { $0.label == label }.count) \(label.rawValue)"
      }
      let storyFlag = isLift ? "--lift" : "--threshold"
      var flags: [String] = []
      if calibration.nearDuplicate.isDetermined {
        flags.append("--near-duplicate \(fixed(calibration.nearDuplicate.threshold))")
      }
      if calibration.story.isDetermined {
        flags.append("\(storyFlag) \(fixed(calibration.story.threshold))")
      }
      let options = flags.joined(separator: " ")
      switch format {
      case .table:
        out.line("\(labelled.pairs.count) labelled pairs (\(kinds.joined(separator: ", ")))")
        describe(
          "near-duplicate threshold (\(engine.configuration.pairScore.rawValue) pair score; "
            + "same-text vs the rest)", calibration.nearDuplicate, to: &out)
        describe(
          (isLift ? "story lift" : "story threshold")
            + " (same-text or same-story vs different, by shared cluster)", calibration.story,
          to: &out)
        out.line(
          options.isEmpty ? "options: none (label both kinds of pair)" : "options: \(options)")
      case .json:
        func suggestion(_ s: Calibration.Suggestion) -> String {
          func range(_ r: ClosedRange<Double>) -> String {
            "[\(JSONText.score(r.lowerBound)), \(JSONText.score(r.upperBound))]"
          }
          return "{\"threshold\": \(JSONText.score(s.threshold)), "
            + "\"precision\": \(JSONText.score(s.precision)), \"recall\": \(JSONText.score(s.recall)), "
            + "\"f1\": \(JSONText.score(s.f1)), \"positives\": \(s.positives), "
            + "\"negatives\": \(s.negatives), \"threshold_interval\": \(range(s.thresholdInterval)), "
            + "\"precision_interval\": \(range(s.precisionInterval)), "
            + "\"recall_interval\": \(range(s.recallInterval)), \"determined\": \(s.isDetermined), "
            + "\"current\": \(JSONText.score(s.current)), "
            + "\"current_precision\": \(JSONText.score(s.currentPrecision)), "
            + "\"current_recall\": \(JSONText.score(s.currentRecall))}"
        }
        out.raw(
          "{\n  \"pairs\": \(labelled.pairs.count),\n"
            + "  \"near_duplicate\": \(suggestion(calibration.nearDuplicate)),\n"
            + "  \"story\": \(suggestion(calibration.story)),\n"
            + "  \"story_is_lift\": \(isLift),\n  \"options\": \(JSONText.string(options))\n}\n")
      }
      try target.complete(&out)
    }

    private func fixed(_ x: Double) -> String { JSONText.fixed(x, decimals: 4) }

    private func describe(
      _ title: String, _ s: Calibration.Suggestion, to out: inout ByteWriter
    ) {
      func f(_ x: Double) -> String { JSONText.fixed(x, decimals: 3) }
      out.line(title)
      guard s.isDetermined else {
        out.line(
          "  keep \(fixed(s.current)): the labels hold \(s.positives) positive and \(s.negatives) "
            + "negative pairs; label some of each to calibrate it")
        return
      }
      out.line(
        "  suggest \(fixed(s.threshold)): precision \(f(s.precision)) recall \(f(s.recall)) "
          + "F1 \(f(s.f1)) on \(s.positives) positive and \(s.negatives) negative labels")
      out.line(
        "  95 % bootstrap: threshold \(fixed(s.thresholdInterval.lowerBound))–"
          + "\(fixed(s.thresholdInterval.upperBound)), precision "
          + "\(f(s.precisionInterval.lowerBound))–\(f(s.precisionInterval.upperBound)), recall "
          + "\(f(s.recallInterval.lowerBound))–\(f(s.recallInterval.upperBound))")
      out.line(
        "  now \(fixed(s.current)): precision \(f(s.currentPrecision)) recall \(f(s.currentRecall))"
      )
    }
  }
}
