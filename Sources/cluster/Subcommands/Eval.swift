import ArgumentParser
import StoryCluster

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension ClusterCommand {
  /// `cluster eval`: scores clusters against gold stories, or scores against graded pairs.
  struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Score the clustering against gold story labels, or similarity against graded pairs.",
      discussion: """
        cluster eval CORPUS.jsonl [--gold story] [--sweep 0.05:0.30:0.01] prints B-cubed, \
        pairwise, ARI and NMI against the gold field, and the hardest mistakes. Articles \
        without a gold label count as their own story.

        cluster eval CORPUS.jsonl --folds 5 [--fold-by topic] [--sweep 10:20:1] prints each \
        threshold's B-cubed F1 as mean ± sd over 5 folds of whole stories (or topics), each \
        clustered on its own, and the pick on mean − sd.

        cluster eval --pairs PAIRS.jsonl ARTICLES.jsonl prints the Spearman and Pearson \
        correlation of the pair score (--pair-score) with human scores (JSON Lines \
        {"a", "b", "score"}), and the precision and recall of near-duplicate against human \
        score ≥ 4. With --folds K it also prints the Spearman of K folds of the pairs (pairs \
        sharing an article stay in one fold) as mean ± sd.
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup var similarity: SimilarityOptions
    @OptionGroup var destination: DestinationOptions
    @OptionGroup var progress: ProgressOptions

    @Option(help: "The gold label field.") var gold = "story"

    @Option(
      help: ArgumentHelp(
        "Thresholds FROM:TO:STEP to score: lifts (e.g. 10:20:1), or cosines with --threshold (e.g. 0.05:0.3:0.01).",
        valueName: "range"))
    var sweep: String?

    @Option(help: ArgumentHelp("Graded pairs file (JSON Lines {a, b, score}).", valueName: "file"))
    var pairs: String?

    @Option(help: "Output format: table or json.") var format: EvalFormat = .table

    @Option(help: ArgumentHelp("Mistakes listed per kind.", valueName: "n"))
    var mistakes = 5

    @Option(
      help: ArgumentHelp(
        "Cross-validate: cluster each of K folds of whole stories on its own and report each threshold's B-cubed F1 as mean ± sd over the folds.",
        valueName: "K"))
    var folds: Int?

    @Option(
      help: ArgumentHelp(
        "With --folds: cut folds along this field instead of the gold stories (e.g. topic, so twin events stay together).",
        valueName: "field"))
    var foldBy: String?

    enum EvalFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

    func validate() throws {
      if let sweep, Self.parseSweep(sweep) == nil {
        throw ValidationError(
          "--sweep must be FROM:TO:STEP with 0 ≤ FROM ≤ TO and STEP > 0, got '\(sweep)'.")
      }
      if mistakes < 0 { throw ValidationError("--mistakes must be 0 or more, got \(mistakes).") }
      if let folds, folds < 2 { throw ValidationError("--folds must be 2 or more, got \(folds).") }
      if foldBy != nil, folds == nil { throw ValidationError("--fold-by needs --folds.") }
      if foldBy != nil, pairs != nil {
        throw ValidationError("--fold-by and --pairs cannot be combined: pairs fold by article.")
      }
    }

    static func parseSweep(_ text: String) -> [Double]? {
      let parts = text.split(separator: ":").compactMap { Double($0) }
      guard parts.count == 3, parts[0] >= 0, parts[0] <= parts[1], parts[2] > 0
      else {
        return nil
      }
      let count = Int(((parts[1] - parts[0]) / parts[2] + 1e-9).rounded(.down)) + 1
      return (0..<count).map { ((parts[0] + Double($0) * parts[2]) * 1e6).rounded() / 1e6 }
    }

    func run() throws {
      var target = try destination.open()
      // Mistakes list five shared terms unless --shared-terms says otherwise.
      let hook = progress.start()
      let engine = try similarity.engine(
        threads: input.threads, sharedTermsDefault: 5, progress: hook)
      var out = ByteWriter(descriptor: target.descriptor)
      if let pairs {
        try scorePairs(
          pairs, corpus: try input.readCorpus(progress: hook), engine: engine, to: &out)
      } else if let folds {
        try crossValidate(
          corpus: try input.readCorpus(labelField: gold, progress: hook), folds: folds,
          engine: engine, to: &out)
      } else {
        try scoreClusters(
          corpus: try input.readCorpus(labelField: gold, progress: hook), engine: engine,
          to: &out)
      }
      try target.complete(&out)
    }

    // MARK: - Clusters

    func scoreClusters(corpus: Corpus, engine: Engine, to out: inout ByteWriter) throws {
      let configuration = engine.configuration
      let thresholds =
        sweep.flatMap(Self.parseSweep) ?? [configuration.lift ?? configuration.threshold]
      if configuration.lift == nil, let high = thresholds.max(), high > 1 {
        Diagnostics.print("--sweep: cosine thresholds must be at most 1, got \(high).")
        throw ExitCode(64)
      }
      let run: EvaluationRun
      do {
        run = try engine.evaluate(corpus, thresholds: thresholds)
      } catch {
        Diagnostics.print(error.description)
        throw ExitCode(64)
      }
      ProgressDisplay.shared.finish()
      let gold = ClusterScores.labels(gold: corpus.articles.map(\.label))
      let scores = run.scores(against: gold)
      let best = run.bestIndex(scores)
      let titles = corpus.articles.map {
        String(
          ($0.title.isEmpty ? String($0.body.prefix(60)) : $0.title).map { $0.isNewline ? " " : $0 }
        )
      }
      let mistakes = run.hardestMistakes(gold: gold, at: best, count: self.mistakes)
      switch format {
      case .json:
        writeJSON(
          run: run, scores: scores, best: best, split: mistakes.split, merged: mistakes.merged,
          titles: titles, to: &out)
      case .table:
        writeTable(
          run: run, configuration: configuration, scores: scores, best: best,
          split: mistakes.split, merged: mistakes.merged, titles: titles, to: &out)
      }
    }

    func row(_ t: Double, _ s: ClusterScores) -> [String] {
      [
        JSONText.fixed(t, decimals: 3), JSONText.fixed(s.bcubedPrecision, decimals: 3),
        JSONText.fixed(s.bcubedRecall, decimals: 3), JSONText.fixed(s.bcubedF1, decimals: 3),
        JSONText.fixed(s.pairwisePrecision, decimals: 3),
        JSONText.fixed(s.pairwiseRecall, decimals: 3),
        JSONText.fixed(s.pairwiseF1, decimals: 3), JSONText.fixed(s.adjustedRandIndex, decimals: 3),
        JSONText.fixed(s.normalizedMutualInformation, decimals: 3), "\(s.predictedClusterCount)",
        "\(s.goldClusterCount)",
      ]
    }

    func writeTable(
      run: EvaluationRun, configuration c: EngineConfiguration, scores: [ClusterScores], best: Int,
      split: [ScoredPair], merged: [ScoredPair], titles: [String], to out: inout ByteWriter
    ) {
      out.line(
        "\(scores.first?.itemCount ?? 0) articles, \(c.linkage.rawValue) linkage, gold field \"\(gold)\""
      )
      if c.lift != nil {
        out.line(
          "background story similarity \(JSONText.fixed(run.background, decimals: 4)); threshold = lift × background"
        )
      }
      out.line(
        (c.lift != nil ? "lift       " : "threshold  ")
          + "B3-P   B3-R   B3-F1  pair-P pair-R pair-F1 ARI    NMI    clusters gold")
      for (t, s) in zip(run.thresholds, scores) {
        let cells = row(t, s)
        out.line(
          cells.map { $0.padded(to: 6) }.joined(separator: " "))
      }
      if scores.count > 1 {
        out.line(
          "best B-cubed F1 \(JSONText.fixed(scores[best].bcubedF1, decimals: 3)) at threshold \(JSONText.fixed(run.thresholds[best], decimals: 3))"
        )
      }
      func show(_ p: ScoredPair) {
        out.line("  \(JSONText.fixed(p.score, decimals: 3))  \(run.ids[p.a])  \(run.ids[p.b])")
        out.line("         \(titles[p.a].prefix(70))")
        out.line("         \(titles[p.b].prefix(70))")
        out.line(
          "         shared: \(run.sharedTerms(p.a, p.b).map(\.term).joined(separator: ", "))")
      }
      out.line("\nSPLIT: most similar pairs of one story placed in different clusters")
      for p in split { show(p) }
      out.line("\nMERGED: least similar pairs of different stories placed in one cluster")
      for p in merged { show(p) }
    }

    func writeJSON(
      run: EvaluationRun, scores: [ClusterScores], best: Int, split: [ScoredPair],
      merged: [ScoredPair],
      titles: [String], to out: inout ByteWriter
    ) {
      func pair(_ p: ScoredPair) -> String {
        let terms = run.sharedTerms(p.a, p.b).map { JSONText.string($0.term) }.joined(
          separator: ", ")
        return "{\"a\": \(JSONText.string(run.ids[p.a])), \"b\": \(JSONText.string(run.ids[p.b])), "
          + "\"score\": \(JSONText.score(p.score)), \"title_a\": \(JSONText.string(titles[p.a])), "
          + "\"title_b\": \(JSONText.string(titles[p.b])), \"shared_terms\": [\(terms)]}"
      }
      var text = "{\n  \"gold\": \(JSONText.string(gold)),\n"
      text +=
        "  \"background\": \(JSONText.fixed(run.background, decimals: 6)),\n  \"results\": [\n"
      text += zip(zip(run.thresholds, run.clusterThresholds), scores).map { pair, s in
        "    {\"threshold\": \(JSONText.fixed(pair.0, decimals: 4)), "
          + "\"cluster_threshold\": \(JSONText.fixed(pair.1, decimals: 6)), \"bcubed_precision\": \(JSONText.score(s.bcubedPrecision)), "
          + "\"bcubed_recall\": \(JSONText.score(s.bcubedRecall)), \"bcubed_f1\": \(JSONText.score(s.bcubedF1)), "
          + "\"pairwise_precision\": \(JSONText.score(s.pairwisePrecision)), \"pairwise_recall\": \(JSONText.score(s.pairwiseRecall)), "
          + "\"pairwise_f1\": \(JSONText.score(s.pairwiseF1)), \"ari\": \(JSONText.score(s.adjustedRandIndex)), "
          + "\"nmi\": \(JSONText.score(s.normalizedMutualInformation)), \"clusters\": \(s.predictedClusterCount), "
          + "\"gold_clusters\": \(s.goldClusterCount), \"articles\": \(s.itemCount)}"
      }.joined(separator: ",\n")
      text +=
        "\n  ],\n  \"best_threshold\": \(JSONText.fixed(run.thresholds[best], decimals: 4)),\n"
      text += "  \"split\": [\(split.map(pair).joined(separator: ", "))],\n"
      text += "  \"merged\": [\(merged.map(pair).joined(separator: ", "))]\n}\n"
      out.raw(text)
    }

    // MARK: - Folds

    func crossValidate(corpus: Corpus, folds: Int, engine: Engine, to out: inout ByteWriter)
      throws
    {
      let c = engine.configuration
      let thresholds = sweep.flatMap(Self.parseSweep) ?? [c.lift ?? c.threshold]
      let groups = try foldBy.map { field in
        try input.readCorpus(labelField: field).articles.map(\.label)
      }
      let cv: CrossValidation
      do {
        cv = try engine.crossValidate(
          corpus, gold: corpus.articles.map(\.label), groups: groups, folds: folds,
          thresholds: thresholds)
      } catch {
        Diagnostics.print(error.description)
        throw ExitCode(64)
      }
      let means = cv.meanF1
      let spreads = cv.spreadF1
      func f(_ x: Double) -> String { JSONText.fixed(x, decimals: 3) }
      switch format {
      case .table:
        out.line(
          "\(corpus.articles.count) articles in \(cv.scores.count) folds of whole stories "
            + "\(foldBy.map { "cut along \"\($0)\" " } ?? "")"
            + "(\(cv.foldSizes.map(String.init).joined(separator: ", ")) articles), "
            + "\(c.linkage.rawValue) linkage, gold field \"\(gold)\"")
        out.line(
          (c.lift != nil ? "lift       " : "threshold  ") + "B3-F1 mean ± sd   mean−sd  per fold")
        for t in cv.thresholds.indices {
          let perFold = cv.scores.map { f($0[t].bcubedF1) }.joined(separator: " ")
          out.line(
            "\(f(cv.thresholds[t]).padded(to: 10)) \(f(means[t])) ± \(f(spreads[t]))    "
              + "\(f(means[t] - spreads[t]))    \(perFold)")
        }
        out.line(
          "pick (highest mean − sd): threshold \(f(cv.thresholds[cv.bestIndex])), B-cubed F1 "
            + "\(f(means[cv.bestIndex])) ± \(f(spreads[cv.bestIndex]))")
      case .json:
        var text = "{\n  \"gold\": \(JSONText.string(gold)), \"folds\": \(cv.scores.count), "
        text += "\"fold_sizes\": [\(cv.foldSizes.map(String.init).joined(separator: ", "))],\n"
        text += "  \"results\": [\n"
        text += cv.thresholds.indices.map { t in
          "    {\"threshold\": \(JSONText.fixed(cv.thresholds[t], decimals: 4)), "
            + "\"bcubed_f1_mean\": \(JSONText.score(means[t])), "
            + "\"bcubed_f1_sd\": \(JSONText.score(spreads[t])), \"bcubed_f1_folds\": ["
            + cv.scores.map { JSONText.score($0[t].bcubedF1) }.joined(separator: ", ") + "]}"
        }.joined(separator: ",\n")
        text += "\n  ],\n  \"best_threshold\": "
        text += "\(JSONText.fixed(cv.thresholds[cv.bestIndex], decimals: 4))\n}\n"
        out.raw(text)
      }
    }

    // MARK: - Graded pairs

    func scorePairs(
      _ path: String, corpus: Corpus, engine: Engine, to out: inout ByteWriter
    ) throws {
      let graded: GradedPairs
      do throws(CorpusProblems) {
        graded = try GradedPairs.read(path)
      } catch {
        for problem in error.problems { Diagnostics.print(problem.description) }
        throw ExitCode(65)
      }
      let run: EvaluationRun
      do {
        run = try engine.evaluate(
          corpus, thresholds: [engine.configuration.lift ?? engine.configuration.threshold])
      } catch {
        Diagnostics.print(error.description)
        throw ExitCode(64)
      }
      ProgressDisplay.shared.finish()
      let agreement: PairAgreement
      let byFold: [PairAgreement]
      do throws(CorpusProblems) {
        agreement = try run.agreement(with: graded)
        if let folds {
          byFold = try run.agreementByFold(with: graded, folds: folds)
        } else {
          byFold = []
        }
      } catch {
        for problem in error.problems { Diagnostics.print(problem.description) }
        throw ExitCode(65)
      }
      let spearman = agreement.spearman
      let pearson = agreement.pearson
      let precision = agreement.nearDuplicatePrecision
      let recall = agreement.nearDuplicateRecall
      let nd = agreement.nearDuplicateThreshold
      let (foldMean, foldSpread) = CrossValidation.meanAndSpread(byFold.map(\.spearman))
      switch format {
      case .table:
        out.line("\(agreement.count) graded pairs")
        out.line(
          "Spearman \(JSONText.fixed(spearman, decimals: 4))  Pearson \(JSONText.fixed(pearson, decimals: 4))"
        )
        out.line(
          "near-duplicate (\(engine.configuration.pairScore.rawValue) ≥ \(JSONText.fixed(nd, decimals: 2))) vs human ≥ 4: precision "
            + "\(JSONText.fixed(precision, decimals: 3)) recall \(JSONText.fixed(recall, decimals: 3))"
        )
        if !byFold.isEmpty {
          out.line(
            "\(byFold.count) folds (\(byFold.map { String($0.count) }.joined(separator: ", ")) pairs): "
              + "Spearman \(JSONText.fixed(foldMean, decimals: 4)) ± "
              + "\(JSONText.fixed(foldSpread, decimals: 4)), "
              + "per fold "
              + byFold.map { JSONText.fixed($0.spearman, decimals: 4) }.joined(separator: " "))
        }
      case .json:
        out.line(
          "{\"pairs\": \(agreement.count), \"spearman\": \(JSONText.score(spearman)), \"pearson\": \(JSONText.score(pearson)), "
            + "\"near_duplicate_threshold\": \(JSONText.fixed(nd, decimals: 4)), \"near_duplicate_precision\": \(JSONText.score(precision)), "
            + "\"near_duplicate_recall\": \(JSONText.score(recall))"
            + (byFold.isEmpty
              ? ""
              : ", \"folds\": \(byFold.count), \"spearman_mean\": \(JSONText.score(foldMean)), "
                + "\"spearman_sd\": \(JSONText.score(foldSpread)), "
                + "\"spearman_folds\": [\(byFold.map { JSONText.score($0.spearman) }.joined(separator: ", "))]")
            + "}")
      }
    }
  }
}
