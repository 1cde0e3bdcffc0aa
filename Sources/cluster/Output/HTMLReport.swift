import StoryCluster

/// `--format html`: the report as one self-contained page that an editor opens in a browser.
///
/// The page holds inline CSS and JavaScript and the report's data as one JSON blob in a
/// `<script type="application/json">` element (every string escaped so that it cannot close the
/// element: see ``JSONBytes/appendScriptString(_:to:)``); the script renders the story list,
/// story details, heatmaps, pair views and the timeline lazily from it with `textContent`, never
/// `innerHTML`. No input text is written into the markup itself, and the page loads nothing
/// (its Content-Security-Policy forbids any fetch).
///
/// Big corpora stay usable because the blob is bounded (``Caps``): every article's metadata
/// and every story's members are in it, but only some pairs are listed and fewer still carry
/// their texts; the page states each cap. The bytes depend only on the report and the details
/// (no clock, no `Dictionary` order), so the same input gives the same page at any thread count.
struct HTMLReport {
  /// How much of a large report the page holds.
  struct Caps {
    /// Pairs listed from the top of the ranking (besides each story's own).
    var rankedPairs = 1_000
    /// Pairs listed per story (its best, both ends inside it).
    var storyPairs = 10
    /// Pairs with a side-by-side view and an explanation, in all.
    var details = 500
    /// Of those, the best pairs of each story (largest stories first), until ``storyDetails``.
    var detailsPerStory = 3
    /// Story pairs given a view before the best pairs overall fill ``details``.
    var storyDetails = 300
    /// Members shown in a story's heatmap.
    var heatmapMembers = 40
    /// UTF-8 bytes of each text shown in a pair view.
    var textBytes = 6_000
    /// Shared terms listed per pair outside its view.
    var pairTerms = 5
    /// Characters of a passage in a view's list of passages.
    var passageCharacters = 240
    /// Characters of a title (or of the start of a body standing for an empty title).
    var titleCharacters = 160
    /// Stories drawn on the timeline (the largest dated ones).
    var timelineStories = 200
  }

  let report: Report
  let details: RunDetails
  /// Threads that compute the explanations and heatmaps (the bytes do not depend on it).
  var threads = 1
  var caps = Caps()

  /// Writes the page to `out`.
  func write(to out: inout ByteWriter) {
    out.raw(HTMLPage.head)
    out.raw("<script type=\"application/json\" id=\"report-data\">")
    writeData(to: &out)
    out.raw("</script>\n")
    out.raw(HTMLPage.tail)
  }

  // MARK: - Internals

  /// The pairs the page lists and those it explains, as positions in the ranking.
  struct Selection {
    /// Listed positions, ascending.
    var listed: [Int]
    /// Explained positions, ascending (a subset of ``listed``).
    var explained: [Int]
    /// Per story, its listed pairs (positions, ascending).
    var storyListed: [[Int]]
    /// Per story, how many pairs lie inside it.
    var storyPairCounts: [Int]
  }

  func select() -> Selection {
    let inside = details.storyPairs(in: report.pairs)
    let storyListed = inside.map { Array($0.prefix(caps.storyPairs)) }
    var listed = Array(0..<min(report.pairs.count, caps.rankedPairs))
    for positions in storyListed { listed += positions }
    listed = sortedUnique(listed)
    var explained: [Int] = []
    for positions in storyListed where explained.count < caps.storyDetails {
      explained += positions.prefix(min(caps.detailsPerStory, caps.storyDetails - explained.count))
    }
    explained = sortedUnique(explained)
    var position = 0
    var chosen = explained
    while chosen.count < caps.details && position < listed.count {
      if !contains(explained, listed[position]) { chosen.append(listed[position]) }
      position += 1
    }
    return Selection(
      listed: listed, explained: sortedUnique(chosen), storyListed: storyListed,
      storyPairCounts: inside.map(\.count))
  }

  private func sortedUnique(_ values: [Int]) -> [Int] {
    var result: [Int] = []
    for value in values.sorted() where result.last != value { result.append(value) }
    return result
  }

  /// Whether the ascending `values` hold `value` (binary search).
  private func contains(_ values: [Int], _ value: Int) -> Bool {
    index(of: value, in: values) != nil
  }

  /// The index of `value` in the ascending `values`, if there.
  private func index(of value: Int, in values: [Int]) -> Int? {
    var low = 0
    var high = values.count
    while low < high {
      let mid = (low + high) / 2
      if values[mid] < value { low = mid + 1 } else { high = mid }
    }
    return low < values.count && values[low] == value ? low : nil
  }

  /// What an article shows as its title: the title, or the start of its body when the title is
  /// empty, on one line and cut to ``Caps/titleCharacters``.
  func displayTitle(_ article: Article) -> String {
    let text = article.title.isEmpty ? article.body : article.title
    var line = ""
    var count = 0
    var lastWasSpace = true
    for character in text {
      if count == caps.titleCharacters {
        line += "…"
        break
      }
      if character.isNewline || character.isWhitespace {
        if lastWasSpace { continue }
        line.append(" ")
        lastWasSpace = true
      } else {
        line.append(character)
        lastWasSpace = false
      }
      count += 1
    }
    while line.last == " " { line.removeLast() }
    return line
  }

  // MARK: - The data blob

  func writeData(to out: inout ByteWriter) {
    let selection = select()
    let pairs = report.pairs
    let explanations = parallelMap(selection.explained.count, threads: threads) { k in
      let rows = pairs.articleRows(at: selection.explained[k])
      return details.explain(rows: rows.a, rows.b)
    }
    let groups = details.stories.groups
    let heat = parallelMap(groups.count, threads: threads) { story in
      heatmap(groups[story])
    }
    out.raw("{\n\"summary\": ")
    writeSummary(selection, to: &out)
    out.raw(",\n\"caps\": ")
    writeCaps(to: &out)
    out.raw(",\n\"articles\": [")
    for (row, article) in details.articles.enumerated() {
      out.raw(row == 0 ? "\n[" : ",\n[")
      out.scriptString(article.id)
      out.byte(UInt8(ascii: ","))
      out.scriptString(displayTitle(article))
      out.byte(UInt8(ascii: ","))
      optionalString(article.source, to: &out)
      out.byte(UInt8(ascii: ","))
      optionalString(article.date, to: &out)
      out.byte(UInt8(ascii: ","))
      if let seconds = details.corpus.timestamps[row], seconds.isFinite {
        out.integer(Int(seconds.rounded(.down)))
      } else {
        out.raw("null")
      }
      out.byte(UInt8(ascii: ","))
      optionalString(article.url, to: &out)
      out.byte(UInt8(ascii: ","))
      out.integer(details.labels[row])
      out.byte(UInt8(ascii: "]"))
    }
    out.raw("],\n\"stories\": [")
    for (story, cluster) in report.clusters.enumerated() {
      out.raw(story == 0 ? "\n[" : ",\n[")
      out.integer(cluster.id)
      out.raw(",[")
      for (k, term) in cluster.label.enumerated() {
        if k > 0 { out.byte(UInt8(ascii: ",")) }
        out.scriptString(term)
      }
      out.raw("],")
      out.integer(details.row(of: cluster.representative) ?? groups[story][0])
      out.raw(",")
      integers(groups[story], to: &out)
      out.raw(",")
      integers(
        selection.storyListed[story].compactMap { index(of: $0, in: selection.listed) }, to: &out)
      out.raw(",")
      out.integer(selection.storyPairCounts[story])
      out.raw(",")
      integers(heat[story], to: &out)
      out.byte(UInt8(ascii: "]"))
    }
    out.raw("],\n\"pairs\": [")
    for (k, position) in selection.listed.enumerated() {
      let rows = pairs.articleRows(at: position)
      let pair = pairs[position]
      out.raw(k == 0 ? "\n[" : ",\n[")
      out.integer(rows.a)
      out.byte(UInt8(ascii: ","))
      out.integer(rows.b)
      out.byte(UInt8(ascii: ","))
      out.fixed(pair.score, decimals: 4)
      out.byte(UInt8(ascii: ","))
      out.integer(Self.kindIndex(pair.kind))
      out.byte(UInt8(ascii: ","))
      out.integer(position + 1)
      out.byte(UInt8(ascii: ","))
      out.integer(index(of: position, in: selection.explained) ?? -1)
      out.raw(",[")
      for (t, term) in pair.sharedTerms.prefix(caps.pairTerms).enumerated() {
        if t > 0 { out.byte(UInt8(ascii: ",")) }
        out.scriptString(term.term)
        out.byte(UInt8(ascii: ","))
        out.fixed(term.weight, decimals: 4)
      }
      out.raw("]]")
    }
    out.raw("],\n\"views\": [")
    for (k, why) in explanations.enumerated() {
      out.raw(k == 0 ? "\n" : ",\n")
      writeView(why, to: &out)
    }
    out.raw("]\n}")
  }

  static let kinds: [NearDuplicatePair.Kind] = [.exact, .nearDuplicate, .related]

  static func kindIndex(_ kind: NearDuplicatePair.Kind) -> Int {
    kinds.firstIndex(of: kind) ?? kinds.count - 1
  }

  func writeSummary(_ selection: Selection, to out: inout ByteWriter) {
    let c = report.configuration
    out.raw("{\"articles\": ")
    out.integer(report.articlesOut)
    out.raw(", \"articles_in\": ")
    out.integer(report.articlesIn)
    out.raw(", \"skipped\": ")
    out.integer(report.skipped.count)
    out.raw(", \"stories\": ")
    out.integer(report.clusters.count)
    out.raw(", \"pairs\": ")
    out.integer(report.pairs.count)
    out.raw(", \"listed_pairs\": ")
    out.integer(selection.listed.count)
    out.raw(", \"pair_views\": ")
    out.integer(selection.explained.count)
    out.raw(", \"threshold\": ")
    out.fixed(report.clusterThreshold, decimals: 4)
    out.raw(", \"background\": ")
    out.fixed(report.background, decimals: 4)
    out.raw(", \"lift\": ")
    if let lift = c.lift { out.fixed(lift, decimals: 2) } else { out.raw("null") }
    out.raw(", \"linkage\": ")
    out.scriptString(c.linkage.rawValue)
    out.raw(", \"pair_floor\": ")
    out.fixed(c.pairFloor, decimals: 2)
    out.raw(", \"graph_floor\": ")
    out.fixed(c.graphFloor, decimals: 2)
    out.raw(", \"near_duplicate\": ")
    out.fixed(c.nearDuplicateThreshold, decimals: 2)
    out.raw(", \"pair_score\": ")
    out.scriptString(c.pairScore.rawValue)
    out.raw(", \"kinds\": [")
    for (k, kind) in Self.kinds.enumerated() {
      if k > 0 { out.byte(UInt8(ascii: ",")) }
      out.scriptString(kind.rawValue)
    }
    out.raw("]}")
  }

  func writeCaps(to out: inout ByteWriter) {
    let fields: [(String, Int)] = [
      ("ranked_pairs", caps.rankedPairs), ("story_pairs", caps.storyPairs),
      ("views", caps.details), ("views_per_story", caps.detailsPerStory),
      ("story_views", caps.storyDetails), ("heatmap_members", caps.heatmapMembers),
      ("text_bytes", caps.textBytes), ("pair_terms", caps.pairTerms),
      ("timeline_stories", caps.timelineStories), ("title_characters", caps.titleCharacters),
    ]
    out.byte(UInt8(ascii: "{"))
    for (k, field) in fields.enumerated() {
      if k > 0 { out.raw(", ") }
      out.scriptString(field.0)
      out.raw(": ")
      out.integer(field.1)
    }
    out.byte(UInt8(ascii: "}"))
  }

  /// The upper triangle (row by row, `i < j`) of the cosines of the story's first
  /// ``Caps/heatmapMembers`` members, in thousandths; empty for a single article.
  func heatmap(_ members: [Int]) -> [Int] {
    let shown = Array(members.prefix(caps.heatmapMembers))
    guard shown.count > 1 else { return [] }
    var values: [Int] = []
    values.reserveCapacity(shown.count * (shown.count - 1) / 2)
    for i in 0..<shown.count {
      for j in (i + 1)..<shown.count {
        let cosine = details.cosine(shown[i], shown[j])
        values.append(Int((max(0, min(1, cosine)) * 1000).rounded(.toNearestOrAwayFromZero)))
      }
    }
    return values
  }

  /// One pair view: both texts as segments (plain strings and `[passage, text]` highlights),
  /// whether each was cut, the shared terms, the passages and the explanation.
  func writeView(_ why: Explanation, to out: inout ByteWriter) {
    let rowA = details.row(of: why.a) ?? 0
    let rowB = details.row(of: why.b) ?? 0
    let passages = why.sharedPassages
    out.raw("{\"a\": ")
    let cutA = segments(
      details.articles[rowA].text, passages.enumerated().map { ($0.offset, $0.element.rangeInA) },
      to: &out)
    out.raw(", \"b\": ")
    let cutB = segments(
      details.articles[rowB].text, passages.enumerated().map { ($0.offset, $0.element.rangeInB) },
      to: &out)
    out.raw(", \"cut\": [\(cutA), \(cutB)], \"terms\": [")
    for (k, term) in why.sharedTerms.enumerated() {
      out.raw(k == 0 ? "[" : ",[")
      out.scriptString(term.term)
      out.byte(UInt8(ascii: ","))
      out.fixed(term.weight, decimals: 4)
      out.byte(UInt8(ascii: "]"))
    }
    out.raw("], \"passages\": [")
    for (k, passage) in passages.enumerated() {
      out.raw(k == 0 ? "[" : ",[")
      out.integer(passage.wordCount)
      out.byte(UInt8(ascii: ","))
      let text = String(passage.text.map { $0.isNewline ? " " : $0 })
      out.scriptString(
        text.count > caps.passageCharacters
          ? String(text.prefix(caps.passageCharacters)) + "…" : text)
      out.byte(UInt8(ascii: "]"))
    }
    out.raw("], \"why\": ")
    writeExplanation(why, to: &out)
    out.byte(UInt8(ascii: "}"))
  }

  /// Writes `text`, cut to ``Caps/textBytes`` UTF-8 bytes, as a JSON array of segments: plain
  /// strings, and `[k, "text"]` for the bytes of passage `k` (`ranges` do not overlap; they
  /// start and end on word boundaries). Returns whether the text was cut.
  func segments(_ text: String, _ ranges: [(Int, Range<Int>)], to out: inout ByteWriter) -> Bool {
    let bytes = Array(text.utf8)
    var end = min(bytes.count, caps.textBytes)
    // Never cut inside a UTF-8 sequence.
    while end < bytes.count && end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
    func piece(_ range: Range<Int>) -> String {
      String(decoding: bytes[range], as: UTF8.self)
    }
    out.byte(UInt8(ascii: "["))
    var first = true
    func comma(_ out: inout ByteWriter) {
      if !first { out.byte(UInt8(ascii: ",")) }
      first = false
    }
    var offset = 0
    for (k, range) in ranges.sorted(by: { $0.1.lowerBound < $1.1.lowerBound }) {
      let lower = max(offset, min(range.lowerBound, end))
      let upper = min(range.upperBound, end)
      guard lower < upper else { continue }
      if offset < lower {
        comma(&out)
        out.scriptString(piece(offset..<lower))
      }
      comma(&out)
      out.byte(UInt8(ascii: "["))
      out.integer(k)
      out.byte(UInt8(ascii: ","))
      out.scriptString(piece(lower..<upper))
      out.byte(UInt8(ascii: "]"))
      offset = upper
    }
    if offset < end {
      comma(&out)
      out.scriptString(piece(offset..<end))
    }
    out.byte(UInt8(ascii: "]"))
    return end < bytes.count
  }

  func writeExplanation(_ e: Explanation, to out: inout ByteWriter) {
    func number(_ x: Double) -> String { JSONText.fixed(x, decimals: 4) }
    func link(_ l: Explanation.Link, _ out: inout ByteWriter) {
      out.byte(UInt8(ascii: "["))
      out.scriptString(l.a)
      out.byte(UInt8(ascii: ","))
      out.scriptString(l.b)
      out.raw(",\(number(l.score))]")
    }
    let s = e.storySimilarity
    out.raw("{\"cosine\": \(number(s.cosine)), \"pair_score\": \(number(e.pairScore)), ")
    // The blended score's parts: [alignment or null, words or null, characters, numbers].
    out.raw(
      "\"parts\": "
        + (e.pairScoreParts.map { p in
          "[\(p.alignment.map(number) ?? "null"), \(p.words.map(number) ?? "null"), "
            + "\(number(p.characters)), \(number(p.numbers))], "
        } ?? "null, "))
    out.raw("\"kind\": \(e.kind.map { "\(Self.kindIndex($0))" } ?? "null"), ")
    out.raw("\"score\": \(number(s.score)), \"is_link\": \(s.isEdge), ")
    out.raw("\"decay\": \(number(s.decay)), ")
    out.raw("\"days\": \(s.daysApart.map { JSONText.fixed($0, decimals: 2) } ?? "null"), ")
    out.raw("\"names_weight\": \(number(s.namesWeight)), ")
    out.raw("\"names\": \(s.namesCosine.map(number) ?? "null"), ")
    out.raw("\"year_penalty\": \(number(s.yearPenalty)), ")
    out.raw("\"years\": \(s.yearAgreement.map(number) ?? "null"), ")
    out.raw("\"weight\": \(number(s.neighborhoodWeight)), ")
    out.raw("\"neighborhood\": \(number(s.neighborhood)), ")
    out.raw("\"threshold\": \(number(e.threshold)), \"background\": \(number(e.background)), ")
    out.raw("\"same\": \(e.isSameStory), \"stories\": [\(e.clusterA), \(e.clusterB)], ")
    out.raw("\"chain\": [")
    for (k, l) in e.chain.enumerated() {
      if k > 0 { out.byte(UInt8(ascii: ",")) }
      link(l, &out)
    }
    out.raw("], \"linkage\": \(e.storyLinkage.map(number) ?? "null"), \"closest\": ")
    if let closest = e.closestLink { link(closest, &out) } else { out.raw("null") }
    out.byte(UInt8(ascii: "}"))
  }

  private func optionalString(_ value: String?, to out: inout ByteWriter) {
    if let value, !value.isEmpty { out.scriptString(value) } else { out.raw("null") }
  }

  private func integers(_ values: [Int], to out: inout ByteWriter) {
    out.byte(UInt8(ascii: "["))
    for (k, value) in values.enumerated() {
      if k > 0 { out.byte(UInt8(ascii: ",")) }
      out.integer(value)
    }
    out.byte(UInt8(ascii: "]"))
  }
}
