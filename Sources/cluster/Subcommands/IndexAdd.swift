import ArgumentParser
import StoryCluster
import StoryClusterIndex

extension ClusterCommand {
  /// `cluster index add DB PATH...`: places articles in stories and stores them.
  struct IndexAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Place articles in stories (existing or new) and store them, in one transaction.",
      discussion: """
        Reads PATH... as `cluster run` does. Each article is printed with its story id, \
        `new` or `joined`, its closest candidate and their cosine. Without --skip-invalid a \
        bad record or an id already in the index adds nothing (exit 65); with it, the good \
        articles go in and the others are listed as warnings.
        """)

    @OptionGroup var location: IndexLocation
    @OptionGroup var input: InputOptions
    @OptionGroup var output: IndexPlacementOutput
    @OptionGroup var destination: DestinationOptions

    func run() throws {
      try output.place(location: location, input: input, destination: destination) {
        index, corpus in
        let result: AddResult
        do throws(IndexError) {
          result = try index.add(corpus.articles, skippingDuplicates: input.skipInvalid)
        } catch {
          if case .duplicateIDs(let duplicates) = error {
            Diagnostics.print(error.description)
            Diagnostics.print(
              "error: \(duplicates.count) article(s) already in the index; nothing was added "
                + "(pass --skip-invalid to add the others)")
            throw ExitCode(65)
          }
          throw fail(error)
        }
        for duplicate in result.duplicates {
          Diagnostics.print(duplicate.description.replacingFirst("error:", with: "warning:"))
        }
        return result
      }
    }
  }

  /// `cluster index query DB PATH...`: where articles would go, without writing.
  struct IndexQuery: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "query",
      abstract: "Show where articles would go, as `add` would place them, without writing.")

    @OptionGroup var location: IndexLocation
    @OptionGroup var input: InputOptions
    @OptionGroup var output: IndexPlacementOutput
    @OptionGroup var destination: DestinationOptions

    func run() throws {
      try output.place(location: location, input: input, destination: destination) {
        index, corpus in
        do throws(IndexError) { return try index.query(corpus.articles) } catch {
          throw fail(error)
        }
      }
    }
  }
}

/// How `add` and `query` print placements.
struct IndexPlacementOutput: ParsableArguments {
  @Option(help: "Output format: table, json or csv.")
  var format: IndexOutputFormat = .table

  /// Opens the index and the destination, reads the input, places it with `place` and writes
  /// the placements: what `add` and `query` share.
  func place(
    location: IndexLocation, input: InputOptions, destination: DestinationOptions,
    _ place: (StoryIndex, Corpus) throws -> AddResult
  ) throws {
    var target = try destination.open()
    let index = try location.open()
    let corpus = try input.readCorpus()
    let result = try place(index, corpus)
    var out = ByteWriter(descriptor: target.descriptor)
    write(result, to: &out)
    try target.complete(&out)
  }

  /// Writes one line (row, object) per placement.
  func write(_ result: AddResult, to out: inout ByteWriter) {
    let placements = result.placements
    switch format {
    case .table:
      out.line(
        "id".padded(to: 28) + " " + "story".padded(to: 7) + " " + "status".padded(to: 7) + " "
          + "best match".padded(to: 28) + " score")
      for p in placements {
        out.line(
          p.id.padded(to: 28) + " " + "\(p.story)".padded(to: 7) + " "
            + p.status.rawValue.padded(to: 7) + " " + (p.bestMatch ?? "-").padded(to: 28) + " "
            + JSONText.score(p.score))
      }
      let created = placements.filter { $0.status == .new }.count
      var summary =
        "\(placements.count) article(s): \(created) new, \(placements.count - created) joined"
      if !result.merges.isEmpty {
        summary +=
          "; merged "
          + result.merges.map { "\($0.absorbed) into \($0.into)" }.joined(separator: ", ")
      }
      if !result.moves.isEmpty {
        // One line per stored article moved, after the placements.
        out.line("moved".padded(to: 28) + " from    to")
        for move in result.moves {
          out.line(move.id.padded(to: 28) + " " + "\(move.from)".padded(to: 7) + " \(move.to)")
        }
        summary += "; \(result.moves.count) stored article(s) moved"
      }
      out.line(summary + "; threshold " + JSONText.score(result.threshold))
    case .json:
      out.raw("{\"articles\": \(placements.count), \"threshold\": ")
      out.raw(JSONText.score(result.threshold) + ", \"merges\": [")
      out.raw(
        result.merges.map { "{\"absorbed\": \($0.absorbed), \"into\": \($0.into)}" }
          .joined(separator: ", "))
      out.raw("], \"moves\": [")
      out.raw(
        result.moves.map {
          "{\"id\": \(JSONText.string($0.id)), \"from\": \($0.from), \"to\": \($0.to)}"
        }.joined(separator: ", "))
      out.raw("],\n \"placements\": [")
      for (k, p) in placements.enumerated() {
        out.raw(k == 0 ? "\n  " : ",\n  ")
        out.raw(
          "{\"id\": \(JSONText.string(p.id)), \"story\": \(p.story), "
            + "\"status\": \"\(p.status.rawValue)\", "
            + "\"best_match\": \(p.bestMatch.map(JSONText.string) ?? "null"), "
            + "\"score\": \(JSONText.score(p.score)), "
            + "\"story_score\": \(JSONText.score(p.storyScore))}")
      }
      out.line("]}")
    case .csv:
      out.line("id,story,status,best_match,score,story_score")
      for p in placements {
        out.csvField(p.id)
        out.raw(",\(p.story),\(p.status.rawValue),")
        out.csvField(p.bestMatch ?? "")
        out.line(",\(JSONText.score(p.score)),\(JSONText.score(p.storyScore))")
      }
    }
  }
}
