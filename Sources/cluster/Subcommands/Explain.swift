import ArgumentParser
import StoryCluster

extension ClusterCommand {
  /// `cluster explain`: why two articles are, or are not, in one story.
  struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Explain why two articles are, or are not, in one story.",
      discussion: """
        Clusters PATH... as `cluster run` does (same options), then prints for articles A and \
        B: their cosine and pair score, the story similarity with its parts (cosine, time \
        decay, neighbourhood overlap) against the threshold, the chain of links that holds \
        them in one story or how close their two stories came, and the shared terms and \
        passages.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Argument(help: ArgumentHelp("The first article's id.", valueName: "a")) var a: String
    @Argument(help: ArgumentHelp("The second article's id.", valueName: "b")) var b: String
    @OptionGroup var input: InputOptions
    @OptionGroup var similarity: SimilarityOptions
    @OptionGroup var destination: DestinationOptions
    @OptionGroup var progress: ProgressOptions
    @Option(help: "Output format: table or json.") var format: Format = .table

    func run() throws {
      var target = try destination.open()
      let hook = progress.start()
      let engine = try similarity.engine(threads: input.threads, progress: hook)
      let corpus = try input.readCorpus(progress: hook)
      let why: Explanation
      do throws(ExplainError) {
        why = try engine.explain(a, b, in: corpus)
      } catch {
        Diagnostics.print(error.description)
        if case .configuration = error { throw ExitCode(64) }
        throw ExitCode(65)
      }
      ProgressDisplay.shared.finish()
      var out = ByteWriter(descriptor: target.descriptor)
      switch format {
      case .table: table(why, engine.configuration, to: &out)
      case .json: json(why, to: &out)
      }
      try target.complete(&out)
    }

    func table(_ e: Explanation, _ c: EngineConfiguration, to out: inout ByteWriter) {
      func f(_ x: Double) -> String { JSONText.fixed(x, decimals: 4) }
      out.line("A  \(e.a)  \(e.titleA)")
      out.line("B  \(e.b)  \(e.titleB)")
      let kind = e.kind.map { $0.rawValue } ?? "not reported (cosine below the pair floor)"
      out.line(
        "cosine \(f(e.storySimilarity.cosine))   pair score \(f(e.pairScore)) "
          + "(\(c.pairScore.rawValue))   kind \(kind)")
      if let p = e.pairScoreParts {
        let first =
          p.alignment.map { "word alignment \(f($0))" } ?? "words \(f(p.words ?? 0))"
        out.line(
          "pair score \(f(e.pairScore)) = (\(first) + characters \(f(p.characters))) / 2 × "
            + "numbers \(f(p.numbers))")
      }
      let s = e.storySimilarity
      let w = s.neighborhoodWeight
      let dates =
        s.daysApart.map { "\(JSONText.fixed($0, decimals: 2)) days apart" } ?? "not both dated"
      if s.isEdge {
        // The cosine part: the words' cosine, with the names' cosine blended in when read.
        var cosinePart = "cosine \(f(s.cosine))"
        if let names = s.namesCosine, s.namesWeight > 0 {
          let e = s.namesWeight
          cosinePart =
            "(\(JSONText.fixed(1 - e, decimals: 2)) × cosine \(f(s.cosine)) + "
            + "\(JSONText.fixed(e, decimals: 2)) × names \(f(names)))"
        }
        var sum =
          "\(JSONText.fixed(1 - w, decimals: 2)) × \(cosinePart) × time decay \(f(s.decay)) "
          + "(\(dates)) + \(JSONText.fixed(w, decimals: 2)) × neighbourhood \(f(s.neighborhood))"
        // The year factor, when both texts mention years.
        if let years = s.yearAgreement, s.yearPenalty > 0 {
          sum =
            "[\(sum)] × (1 − \(JSONText.fixed(s.yearPenalty, decimals: 2)) × (1 − year overlap "
            + "\(f(years))))"
        }
        out.line("story similarity \(f(s.score)) = \(sum)")
      } else {
        out.line(
          "story similarity 0: not a link of the story graph (cosine below the graph floor "
            + "\(JSONText.fixed(c.graphFloor, decimals: 2)) and no shared neighbours)")
      }
      var threshold = "threshold \(f(e.threshold))"
      if let lift = c.lift {
        threshold +=
          " = lift \(JSONText.fixed(lift, decimals: 2)) × background \(f(e.background))"
      }
      out.line(
        threshold + " (\(e.linkage.rawValue) linkage): "
          + (s.score >= e.threshold ? "this link alone reaches it" : "this link alone does not"))
      if e.isSameStory {
        out.line(
          "SAME STORY #\(e.clusterA), held together by this chain of links (its weakest link counts):"
        )
        for link in e.chain {
          out.line("  \(f(link.score))  \(link.a) — \(link.b)")
        }
      } else {
        out.line("DIFFERENT STORIES #\(e.clusterA) and #\(e.clusterB)")
        if let linkage = e.storyLinkage {
          out.line(
            "  their average story similarity \(f(linkage)) vs threshold \(f(e.threshold))")
        }
        if let closest = e.closestLink {
          out.line("  closest link \(f(closest.score))  \(closest.a) — \(closest.b)")
        } else {
          out.line("  no link between them")
        }
      }
      out.line("SHARED TERMS")
      out.line(
        "  "
          + e.sharedTerms.map { "\($0.term) \(JSONText.fixed($0.weight, decimals: 3))" }
          .joined(separator: ", "))
      out.line("SHARED PASSAGES (\(e.sharedPassages.count), longest first)")
      for passage in e.sharedPassages {
        out.line(
          "  [\(passage.wordCount) words] \(String(passage.text.map { $0.isNewline ? " " : $0 }))")
      }
    }

    func json(_ e: Explanation, to out: inout ByteWriter) {
      func f(_ x: Double) -> String { JSONText.score(x) }
      func link(_ l: Explanation.Link) -> String {
        "{\"a\": \(JSONText.string(l.a)), \"b\": \(JSONText.string(l.b)), \"score\": \(f(l.score))}"
      }
      let s = e.storySimilarity
      var text = "{\n  \"a\": \(JSONText.string(e.a)), \"b\": \(JSONText.string(e.b)),\n"
      text +=
        "  \"title_a\": \(JSONText.string(e.titleA)), \"title_b\": \(JSONText.string(e.titleB)),\n"
      text += "  \"cosine\": \(f(s.cosine)), \"pair_score\": \(f(e.pairScore)), "
      text +=
        "\"pair_score_parts\": "
        + (e.pairScoreParts.map { p in
          "{\"alignment\": \(p.alignment.map(f) ?? "null"), \"words\": \(p.words.map(f) ?? "null"), "
            + "\"characters\": \(f(p.characters)), \"numbers\": \(f(p.numbers))}, "
        } ?? "null, ")
      text += "\"kind\": \(e.kind.map { JSONText.string($0.rawValue) } ?? "null"),\n"
      text += "  \"story_similarity\": {\"score\": \(f(s.score)), \"is_link\": \(s.isEdge), "
      text += "\"cosine\": \(f(s.cosine)), \"time_decay\": \(f(s.decay)), "
      text += "\"days_apart\": \(s.daysApart.map(f) ?? "null"), "
      text += "\"names_weight\": \(f(s.namesWeight)), "
      text += "\"names_cosine\": \(s.namesCosine.map(f) ?? "null"), "
      text += "\"year_penalty\": \(f(s.yearPenalty)), "
      text += "\"year_agreement\": \(s.yearAgreement.map(f) ?? "null"), "
      text += "\"neighborhood_weight\": \(f(s.neighborhoodWeight)), "
      text += "\"neighborhood\": \(f(s.neighborhood))},\n"
      text += "  \"threshold\": \(f(e.threshold)), \"background\": \(f(e.background)), "
      text += "\"linkage\": \(JSONText.string(e.linkage.rawValue)),\n"
      text += "  \"same_story\": \(e.isSameStory), \"cluster_a\": \(e.clusterA), "
      text += "\"cluster_b\": \(e.clusterB),\n"
      text += "  \"chain\": [\(e.chain.map(link).joined(separator: ", "))],\n"
      text += "  \"story_linkage\": \(e.storyLinkage.map(f) ?? "null"), "
      text += "\"closest_link\": \(e.closestLink.map(link) ?? "null"),\n"
      let terms = e.sharedTerms.map {
        "{\"term\": \(JSONText.string($0.term)), \"weight\": \(f($0.weight))}"
      }
      text += "  \"shared_terms\": [\(terms.joined(separator: ", "))],\n"
      let passages = e.sharedPassages.map {
        "{\"text\": \(JSONText.string($0.text)), \"words\": \($0.wordCount)}"
      }
      text += "  \"shared_passages\": [\(passages.joined(separator: ", "))]\n}\n"
      out.raw(text)
    }
  }
}
