import StoryCluster

/// Prints a ``Report`` as a terminal table, JSON or CSV (HTML: ``HTMLReport``).
struct ReportFormatter {
  var format: OutputFormat
  var maxPairs: Int
  /// Threads that format long sections (the bytes do not depend on it).
  var threads = 1
  /// The table's member titles and dates by id; without them, members are bare ids.
  var captions: ArticleCaptions? = nil
  /// The table's member lines are cut to this many columns (``Terminal/width(of:)``).
  var width = Terminal.defaultWidth

  /// Writes the report to `out` in the chosen format.
  func write(_ report: Report, to out: inout ByteWriter) {
    switch format {
    case .table: out.raw(table(report))
    case .json: json(report, to: &out)
    case .csv: csv(report, to: &out)
    case .html: preconditionFailure("the HTML report needs the run's details (HTMLReport)")
    }
  }

  // MARK: - JSON

  func json(_ r: Report, to out: inout ByteWriter) {
    out.raw("{\n  \"articles\": ")
    out.integer(r.articlesOut)
    out.raw(",\n  \"articles_in\": ")
    out.integer(r.articlesIn)
    out.raw(",\n  \"articles_out\": ")
    out.integer(r.articlesOut)
    out.raw(",\n")
    section("skipped", r.skipped, to: &out) { s, out in
      out.raw("{\"location\": ")
      out.jsonString(s.location)
      out.raw(", \"reason\": ")
      out.jsonString(s.reason)
      out.byte(UInt8(ascii: "}"))
    }
    section("clusters", r.clusters, to: &out) { c, out in
      out.raw("{\"id\": ")
      out.integer(c.id)
      out.raw(", \"size\": ")
      out.integer(c.size)
      out.raw(", \"label\": ")
      strings(c.label, to: &out)
      out.raw(", \"representative\": ")
      out.jsonString(c.representative)
      out.raw(", \"members\": ")
      strings(c.members, to: &out)
      out.byte(UInt8(ascii: "}"))
    }
    let lines = PairLines(r.pairs, threads: threads)
    out.raw("  \"pairs\": [")
    out.writeChunks(count: r.pairs.count, threads: threads) { range, out in
      lines.write(range, of: r.pairs, to: &out)
    }
    out.raw(r.pairs.isEmpty ? "],\n" : "\n  ],\n")
    out.raw("  \"config\": \(configJSON(r))\n}\n")
  }

  /// Writes `  "name": [` then one element per line (four spaces in), then the closing bracket.
  private func section<Items: RandomAccessCollection>(
    _ name: String, _ items: Items, to out: inout ByteWriter,
    _ element: (Items.Element, inout ByteWriter) -> Void
  ) where Items.Index == Int {
    out.raw("  \"\(name)\": [")
    out.writeEach(items, threads: threads) { k, item, out in
      out.raw(k == 0 ? "\n    " : ",\n    ")
      element(item, &out)
    }
    out.raw(items.isEmpty ? "],\n" : "\n  ],\n")
  }

  private func strings(_ values: [String], to out: inout ByteWriter) {
    out.byte(UInt8(ascii: "["))
    for (k, value) in values.enumerated() {
      if k > 0 { out.raw(", ") }
      out.jsonString(value)
    }
    out.byte(UInt8(ascii: "]"))
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
      ("lift", c.lift.map { JSONText.fixed($0, decimals: 4) } ?? "null"),
      ("neighborhood_weight", JSONText.fixed(c.neighborhoodWeight, decimals: 4)),
      ("neighborhood_size", "\(c.neighborhoodSize)"),
      ("time_scale_days", c.timeScaleDays.map { JSONText.fixed($0, decimals: 4) } ?? "null"),
      ("names_weight", JSONText.fixed(c.namesWeight, decimals: 4)),
      ("year_penalty", JSONText.fixed(c.yearPenalty, decimals: 4)),
      ("window_days", c.windowDays.map { JSONText.fixed($0, decimals: 4) } ?? "null"),
      ("background", JSONText.fixed(r.background, decimals: 6)),
      ("cluster_threshold", JSONText.fixed(r.clusterThreshold, decimals: 6)),
      ("graph_floor", JSONText.fixed(c.graphFloor, decimals: 4)),
      ("graph_edges", c.graphEdgeCount.map { "\($0)" } ?? "null"),
      ("pair_floor", JSONText.fixed(c.pairFloor, decimals: 4)),
      ("pairs_per_article", c.pairsPerArticle.map { "\($0)" } ?? "null"),
      ("near_duplicate", JSONText.fixed(c.nearDuplicateThreshold, decimals: 4)),
      ("pair_score", JSONText.string(c.pairScore.rawValue)),
      ("neighbors", "\(c.neighborCount)"),
      ("shared_terms", "\(c.sharedTermCount)"),
      ("label_terms", "\(c.labelTermCount)"),
      ("stop_words", JSONText.string(v.analyzer.stopWords.rawValue)),
      ("stemming", v.analyzer.isStemming ? "true" : "false"),
      ("strip_boilerplate", c.stripsBoilerplate ? "true" : "false"),
      ("title_weight", "\(c.titleWeight)"),
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

  func csv(_ r: Report, to out: inout ByteWriter) {
    out.raw("record,cluster,id,other_id,score,kind,terms\n")
    for c in r.clusters {
      let label = c.label.joined(separator: " ")
      for member in c.members {
        out.raw("member,")
        out.integer(c.id)
        out.byte(UInt8(ascii: ","))
        out.csvField(member)
        out.byte(UInt8(ascii: ","))
        out.csvField(c.representative)
        out.raw(",,,")
        out.csvField(label)
        out.byte(UInt8(ascii: "\n"))
      }
    }
    out.writeEach(r.pairs, threads: threads) { _, p, out in
      let terms = p.sharedTerms.map { "\($0.term):\(JSONText.score($0.weight))" }
        .joined(separator: " ")
      out.raw("pair,,")
      out.csvField(p.a)
      out.byte(UInt8(ascii: ","))
      out.csvField(p.b)
      out.byte(UInt8(ascii: ","))
      out.score(p.score)
      out.byte(UInt8(ascii: ","))
      out.raw(p.kind.rawValue)
      out.byte(UInt8(ascii: ","))
      out.csvField(terms)
      out.byte(UInt8(ascii: "\n"))
    }
    for s in r.skipped {
      out.raw("skipped,,")
      out.csvField(s.location)
      out.raw(",,,,")
      out.csvField(s.reason)
      out.byte(UInt8(ascii: "\n"))
    }
  }

  // MARK: - Table

  func table(_ r: Report) -> String {
    let singletons = r.clusters.filter { $0.size == 1 }.count
    var out =
      "\(r.articlesIn) articles in, \(r.articlesOut) clustered, \(r.skipped.count) skipped: "
    out += "\(r.clusters.count) clusters (\(singletons) singletons), \(r.pairs.count) pairs"
    out += " ≥ \(JSONText.fixed(r.configuration.pairFloor, decimals: 2))"
    if let perArticle = r.configuration.pairsPerArticle {
      out += " (each article's nearest \(perArticle) and its exact copies)"
    }
    out += "\n\n"
    out += "CLUSTERS (\(r.configuration.linkage.rawValue) linkage, threshold "
    out += JSONText.fixed(r.clusterThreshold, decimals: 4)
    if let lift = r.configuration.lift {
      out += " = lift \(JSONText.fixed(lift, decimals: 2)) × background "
      out += JSONText.fixed(r.background, decimals: 4)
    }
    out += ")\n"
    for c in r.clusters {
      out += "#\(c.id)  size \(c.size)  [\(c.label.joined(separator: ", "))]\n"
      memberLines(c, to: &out)
    }
    out += "\nPAIRS (score, kind, a, b, top shared terms)\n"
    let shown = maxPairs == 0 ? r.pairs[...] : r.pairs.prefix(maxPairs)
    for p in shown {
      let terms = p.sharedTerms.map { "\($0.term) \(JSONText.fixed($0.weight, decimals: 3))" }
        .joined(separator: ", ")
      let kind = p.kind.rawValue.padded(to: 14)
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

  /// One line per member: `*` for the representative, the id, then (with ``captions``) the
  /// date and the title, in columns aligned within the cluster and cut to ``width`` so that no
  /// line wraps. Ids are never cut; ids longer than ``idColumn`` push their line's title right.
  private func memberLines(_ c: Cluster, to out: inout String) {
    guard let captions else {
      for member in c.members {
        out += (member == c.representative ? "  * " : "    ") + member + "\n"
      }
      return
    }
    let found = c.members.map { captions[$0] }
    let idWidth = min(
      Self.idColumn, c.members.reduce(0) { max($0, Terminal.columns(of: $1)) })
    let hasDates = found.contains { $0?.date != nil }
    for (member, caption) in zip(c.members, found) {
      var line = (member == c.representative ? "  * " : "    ") + member
      let used = 4 + Terminal.columns(of: member)
      var text = ""
      if hasDates { text += (caption?.date ?? "").padded(to: 10) + "  " }
      text += caption?.title ?? ""
      while text.last == " " { text.removeLast() }
      let room = width - max(used, 4 + idWidth) - 2
      if room >= 4, !text.isEmpty {
        line += String(repeating: " ", count: max(0, 4 + idWidth - used) + 2)
        line += Terminal.cut(text, to: room)
      }
      out += line + "\n"
    }
  }

  /// The widest id column the member lines align their titles to.
  static let idColumn = 40
}
