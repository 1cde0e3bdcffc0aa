import StoryCluster

/// Prints a ``Report`` as a terminal table, JSON or CSV.
struct ReportFormatter {
  var format: OutputFormat
  var maxPairs: Int

  func render(_ report: Report) -> String {
    switch format {
    case .table: return table(report)
    case .json: return json(report)
    case .csv: return csv(report)
    }
  }

  // MARK: - JSON

  func json(_ r: Report) -> String {
    var out = "{\n"
    out += "  \"articles\": \(r.articlesOut),\n"
    out += "  \"articles_in\": \(r.articlesIn),\n"
    out += "  \"articles_out\": \(r.articlesOut),\n"
    out += "  \"skipped\": ["
    out += r.skipped.map {
      "\n    {\"location\": \(JSONText.string($0.location)), \"reason\": \(JSONText.string($0.reason))}"
    }.joined(separator: ",")
    out += r.skipped.isEmpty ? "],\n" : "\n  ],\n"
    out += "  \"clusters\": ["
    out += r.clusters.map { c in
      "\n    {\"id\": \(c.id), \"size\": \(c.size), \"label\": \(JSONText.strings(c.label)), "
        + "\"representative\": \(JSONText.string(c.representative)), "
        + "\"members\": \(JSONText.strings(c.members))}"
    }.joined(separator: ",")
    out += r.clusters.isEmpty ? "],\n" : "\n  ],\n"
    out += "  \"pairs\": ["
    out += r.pairs.map { p in
      let terms = p.sharedTerms.map {
        "{\"term\": \(JSONText.string($0.term)), \"weight\": \(JSONText.score($0.weight))}"
      }.joined(separator: ", ")
      return "\n    {\"a\": \(JSONText.string(p.a)), \"b\": \(JSONText.string(p.b)), "
        + "\"score\": \(JSONText.score(p.score)), \"kind\": \(JSONText.string(p.kind.rawValue)), "
        + "\"shared_terms\": [\(terms)]}"
    }.joined(separator: ",")
    out += r.pairs.isEmpty ? "],\n" : "\n  ],\n"
    out += "  \"config\": \(configJSON(r))\n"
    out += "}\n"
    return out
  }

  func configJSON(_ r: Report) -> String {
    let c = r.configuration
    let v = c.vectorizer
    func bound(_ b: FrequencyBound) -> String {
      switch b {
      case .count(let n): return "\(n)"
      case .fraction(let f): return JSONText.fixed(f, decimals: 4)
      }
    }
    let fields: [(String, String)] = [
      ("linkage", JSONText.string(c.linkage.rawValue)),
      ("threshold", JSONText.fixed(c.threshold, decimals: 4)),
      ("graph_floor", JSONText.fixed(c.graphFloor, decimals: 4)),
      ("pair_floor", JSONText.fixed(c.pairFloor, decimals: 4)),
      ("near_duplicate", JSONText.fixed(c.nearDuplicateThreshold, decimals: 4)),
      ("neighbors", "\(c.neighborCount)"),
      ("stop_words", JSONText.string(v.analyzer.stopWords.rawValue)),
      ("stemming", v.analyzer.isStemming ? "true" : "false"),
      ("ngram_max", "\(v.analyzer.ngramRange.upperBound)"),
      ("sublinear_tf", v.isSublinearTF ? "true" : "false"),
      ("min_df", bound(v.minDocumentFrequency)),
      ("max_df", bound(v.maxDocumentFrequency)),
      ("max_features", v.maxFeatures.map { "\($0)" } ?? "null"),
      ("norm", JSONText.string(v.norm.rawValue)),
      ("vocabulary", "\(r.vocabularySize)"),
    ]
    return "{" + fields.map { "\(JSONText.string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
  }

  // MARK: - CSV

  func csv(_ r: Report) -> String {
    func field(_ s: String) -> String {
      if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
      }
      return s
    }
    var out = "record,cluster,id,other_id,score,kind,terms\n"
    for c in r.clusters {
      for member in c.members {
        out +=
          "member,\(c.id),\(field(member)),\(field(c.representative)),,,"
          + field(c.label.joined(separator: " ")) + "\n"
      }
    }
    for p in r.pairs {
      let terms = p.sharedTerms.map { "\($0.term):\(JSONText.score($0.weight))" }
        .joined(separator: " ")
      out +=
        "pair,,\(field(p.a)),\(field(p.b)),\(JSONText.score(p.score)),\(p.kind.rawValue),"
        + field(terms) + "\n"
    }
    for s in r.skipped {
      out += "skipped,,\(field(s.location)),,,," + field(s.reason) + "\n"
    }
    return out
  }

  // MARK: - Table

  func table(_ r: Report) -> String {
    let singletons = r.clusters.filter { $0.size == 1 }.count
    var out =
      "\(r.articlesIn) articles in, \(r.articlesOut) clustered, \(r.skipped.count) skipped: "
    out += "\(r.clusters.count) clusters (\(singletons) singletons), \(r.pairs.count) pairs"
    out += " ≥ \(JSONText.fixed(r.configuration.pairFloor, decimals: 2))\n\n"
    out += "CLUSTERS (\(r.configuration.linkage.rawValue) linkage, threshold "
    out += "\(JSONText.fixed(r.configuration.threshold, decimals: 2)))\n"
    for c in r.clusters {
      out += "#\(c.id)  size \(c.size)  [\(c.label.joined(separator: ", "))]\n"
      for member in c.members {
        out += (member == c.representative ? "  * " : "    ") + member + "\n"
      }
    }
    out += "\nPAIRS (score, kind, a, b, top shared terms)\n"
    let shown = maxPairs == 0 ? r.pairs[...] : r.pairs.prefix(maxPairs)
    for p in shown {
      let terms = p.sharedTerms.map { "\($0.term) \(JSONText.fixed($0.weight, decimals: 3))" }
        .joined(separator: ", ")
      let kind = p.kind.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)
      out += "\(JSONText.fixed(p.score, decimals: 3))  \(kind)  \(p.a)  \(p.b)\n"
      out += "       shared: \(terms)\n"
    }
    if shown.count < r.pairs.count {
      out += "… \(r.pairs.count - shown.count) more pairs (use --max-pairs 0 or --format json)\n"
    }
    if !r.skipped.isEmpty {
      out += "\nSKIPPED\n"
      for s in r.skipped { out += "  \(s.location): \(s.reason)\n" }
    }
    return out
  }
}
