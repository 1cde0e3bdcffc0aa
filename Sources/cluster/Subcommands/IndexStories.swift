import ArgumentParser
import StoryCluster
import StoryClusterIndex

extension ClusterCommand {
  /// `cluster index stories DB`: every live story with its members.
  struct IndexStories: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "stories",
      abstract: "List the live stories, largest first, each with its members.")

    @OptionGroup var location: IndexLocation
    @Option(
      help: ArgumentHelp(
        "Only stories with a member dated at or after this ISO 8601 date (default: all).",
        valueName: "date"))
    var since: String?
    @Option(help: "Output format: table, json or csv.")
    var format: IndexOutputFormat = .table
    @OptionGroup var destination: DestinationOptions

    func validate() throws {
      if let since { _ = try parseDate(since, flag: "--since") }
    }

    func run() throws {
      var target = try destination.open()
      let index = try location.open()
      let cutoff = try since.map { try parseDate($0, flag: "--since") }
      let stories: [StorySummary]
      do throws(IndexError) { stories = try index.stories(since: cutoff) } catch {
        throw fail(error)
      }
      var out = ByteWriter(descriptor: target.descriptor)
      func date(_ t: Double?) -> String { t.map(isoDate) ?? "-" }
      switch format {
      case .table:
        out.line(
          "story".padded(to: 7) + " " + "size".padded(to: 5) + " " + "first seen".padded(to: 20)
            + " " + "last seen".padded(to: 20) + " label")
        for s in stories {
          out.line(
            "\(s.id)".padded(to: 7) + " " + "\(s.size)".padded(to: 5) + " "
              + date(s.firstSeen).padded(to: 20) + " " + date(s.lastSeen).padded(to: 20) + " "
              + s.label.joined(separator: ", "))
          out.line("        * " + s.representative)
        }
        let articles = stories.reduce(0) { $0 + $1.size }
        out.line("\(stories.count) stories, \(articles) articles")
      case .json:
        out.raw("{\"stories\": [")
        for (k, s) in stories.enumerated() {
          out.raw(k == 0 ? "\n  " : ",\n  ")
          out.raw(
            "{\"id\": \(s.id), \"size\": \(s.size), \"label\": \(JSONText.strings(s.label)), "
              + "\"representative\": \(JSONText.string(s.representative)), "
              + "\"first_seen\": \(s.firstSeen.map { JSONText.string(isoDate($0)) } ?? "null"), "
              + "\"last_seen\": \(s.lastSeen.map { JSONText.string(isoDate($0)) } ?? "null"), "
              + "\"members\": \(JSONText.strings(s.members))}")
        }
        out.line("]}")
      case .csv:
        out.line("story,size,label,representative,first_seen,last_seen,member")
        for s in stories {
          for member in s.members {
            out.raw("\(s.id),\(s.size),")
            out.csvField(s.label.joined(separator: " "))
            out.raw(",")
            out.csvField(s.representative)
            out.raw(",\(s.firstSeen.map(isoDate) ?? ""),\(s.lastSeen.map(isoDate) ?? ""),")
            out.csvField(member)
            out.line("")
          }
        }
      }
      try target.complete(&out)
    }
  }

  /// `cluster index story DB ID`: one story's members and lineage.
  struct IndexStory: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "story",
      abstract: "Show a story's members and lineage; a merged id shows the story it lives on in.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @OptionGroup var location: IndexLocation
    @Argument(help: ArgumentHelp("The story id.", valueName: "id")) var id: Int
    @Option(help: "Output format: table or json.") var format: Format = .table
    @OptionGroup var destination: DestinationOptions

    func run() throws {
      var target = try destination.open()
      let index = try location.open()
      let story: StoryDetail
      do throws(IndexError) { story = try index.story(id) } catch { throw fail(error) }
      var out = ByteWriter(descriptor: target.descriptor)
      func describe(_ e: StoryDetail.Event) -> String {
        let other = e.other.map { "\($0)" } ?? "?"
        switch e.kind {
        case "created": return "created by \(e.article ?? "?")"
        case "grew": return "grew by \(e.count)"
        case "merged": return "merged into \(other)"
        case "absorbed": return "absorbed story \(other)"
        case "expired": return "\(e.count) article(s) expired"
        case "gave": return "gave \(e.count) article(s) to story \(other)"
        case "took": return "took \(e.count) article(s) from story \(other)"
        default: return e.kind
        }
      }
      switch format {
      case .table:
        if !story.mergedThrough.isEmpty {
          out.line(
            "story \(story.requested) was merged: "
              + (story.mergedThrough + [story.id]).map { "\($0)" }.joined(separator: " → "))
        }
        out.line("story \(story.id) (\(story.state)), \(story.members.count) article(s)")
        out.line("MEMBERS")
        for m in story.members {
          out.line(
            "  " + m.id.padded(to: 28) + " " + (m.date ?? "-").padded(to: 20) + " " + m.title)
        }
        out.line("LINEAGE")
        for e in story.lineage {
          out.line(
            "  batch \(e.batch)".padded(to: 12) + " story \(e.story)".padded(to: 12) + " "
              + describe(e))
        }
      case .json:
        out.raw("{\"requested\": \(story.requested), \"id\": \(story.id), ")
        out.raw(
          "\"merged_through\": [\(story.mergedThrough.map { "\($0)" }.joined(separator: ", "))], ")
        out.raw("\"state\": \"\(story.state)\",\n \"members\": [")
        out.raw(
          story.members.map {
            "{\"id\": \(JSONText.string($0.id)), \"date\": \($0.date.map(JSONText.string) ?? "null"), "
              + "\"title\": \(JSONText.string($0.title))}"
          }.joined(separator: ", "))
        out.raw("],\n \"lineage\": [")
        out.raw(
          story.lineage.map {
            "{\"batch\": \($0.batch), \"story\": \($0.story), \"event\": \(JSONText.string($0.kind)), "
              + "\"other\": \($0.other.map { "\($0)" } ?? "null"), "
              + "\"article\": \($0.article.map(JSONText.string) ?? "null"), \"count\": \($0.count)}"
          }.joined(separator: ", "))
        out.line("]}")
      }
      try target.complete(&out)
    }
  }

  /// `cluster index export DB`: every live article with its story, as JSON Lines.
  struct IndexExport: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "export",
      abstract: "Write every live article with its story id as JSON Lines, in the order added.")

    @OptionGroup var location: IndexLocation
    @OptionGroup var destination: DestinationOptions

    func run() throws {
      var target = try destination.open()
      let index = try location.open()
      var out = ByteWriter(descriptor: target.descriptor)
      do throws(IndexError) {
        try index.export { a in
          out.line(
            "{\"id\": \(JSONText.string(a.id)), \"story\": \(a.story), "
              + "\"date\": \(a.date.map(JSONText.string) ?? "null"), "
              + "\"title\": \(JSONText.string(a.title)), \"batch\": \(a.batch)}")
        }
      } catch {
        throw fail(error)
      }
      try target.complete(&out)
    }
  }

  /// `cluster index expire DB --before DATE`: old articles leave; their stories stay as history.
  struct IndexExpire: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "expire",
      abstract: "Remove articles dated before a date; their stories' ids and lineage stay.")

    @OptionGroup var location: IndexLocation
    @Option(
      help: ArgumentHelp("Articles dated before this ISO 8601 date leave.", valueName: "date"))
    var before: String

    func validate() throws { _ = try parseDate(before, flag: "--before") }

    func run() throws {
      let index = try location.open()
      let cutoff = try parseDate(before, flag: "--before")
      do throws(IndexError) {
        let (articles, stories) = try index.expire(before: cutoff)
        print("expired \(articles) article(s); \(stories) story(ies) now have no live article")
      } catch {
        throw fail(error)
      }
    }
  }

  /// `cluster index check DB`: exit 0 when the index is healthy, else each problem and 65.
  struct IndexCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract:
        "Check the index (SQLite integrity, every article in one live story, lineage, counts).")

    @OptionGroup var location: IndexLocation

    func run() throws {
      let index = try location.open()
      let problems: [String]
      let stats: IndexStatistics
      do throws(IndexError) {
        problems = try index.check()
        stats = try index.statistics()
      } catch {
        throw fail(error)
      }
      if problems.isEmpty {
        print("ok: \(stats.articles) articles in \(stats.liveStories) live stories")
        return
      }
      for problem in problems { Diagnostics.print("\(index.path): error: \(problem)") }
      Diagnostics.print("error: \(problems.count) problem(s) found")
      throw ExitCode(65)
    }
  }
}
