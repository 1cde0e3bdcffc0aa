import ArgumentParser
import StoryCluster
import StoryClusterIndex

#if canImport(Glibc)
  import Glibc
#endif

extension ClusterCommand {
  /// `cluster index`: a story index that grows, in one SQLite file.
  struct Index: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Keep a growing story index: place each day's articles in stories with stable ids.",
      discussion: """
        The index is one SQLite file. `init` fixes the analysis options into it; `add` places \
        articles (one transaction per call: a crash leaves the index as before or after the \
        batch); `query` answers the same without writing; `expire` drops old articles but \
        keeps their stories' ids and lineage.

        Exit codes: 0 success, 64 usage or a setting an index cannot keep, 65 bad input or a \
        file that is not a (healthy) index, 73 init on an existing path, 74 a failed write \
        (the batch is rolled back), 75 another add held the index past --busy-timeout.
        """,
      subcommands: [
        IndexInit.self, IndexAdd.self, IndexQuery.self, IndexStories.self, IndexStory.self,
        IndexExpire.self, IndexExport.self, IndexCheck.self, IndexStats.self,
      ])
  }
}

/// The index file argument and how long to wait for another writer.
struct IndexLocation: ParsableArguments {
  @Argument(help: ArgumentHelp("The index file (SQLite).", valueName: "db"))
  var database: String

  @Option(
    help: ArgumentHelp(
      "Milliseconds to wait while another process writes the index.",
      valueName: "ms"))
  var busyTimeout = 60_000

  /// Opens the index, or prints why not and exits with the error's code.
  func open() throws -> StoryIndex {
    do throws(IndexError) {
      return try StoryIndex(opening: database, busyTimeout: busyTimeout)
    } catch {
      throw fail(error)
    }
  }
}

/// Prints `error` and returns the exit code to throw.
func fail(_ error: IndexError) -> ExitCode {
  Diagnostics.print(error.description)
  return ExitCode(error.exitCode)
}

/// Parses an ISO 8601 date (`2024-03-01` or a full timestamp) for a flag, or throws a usage
/// error naming the flag.
func parseDate(_ text: String, flag: String) throws -> Double {
  guard let seconds = Article(id: "-", title: "-", body: "", date: text).timestamp else {
    throw ValidationError(
      "\(flag) must be an ISO 8601 date (2024-03-01 or 2024-03-01T12:00:00Z), got '\(text)'.")
  }
  return seconds
}

/// `2024-03-01T12:00:00Z` for seconds since 1970.
func isoDate(_ seconds: Double) -> String {
  var time = time_t(seconds.rounded(.down))
  var parts = tm()
  gmtime_r(&time, &parts)
  func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
  return
    "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
    + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
}

extension ClusterCommand {
  /// `cluster index init DB`: a new, empty index with its analysis options fixed.
  struct IndexInit: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "init", abstract: "Create an empty index with its analysis options fixed.")

    @Argument(help: ArgumentHelp("The index file to create.", valueName: "db"))
    var database: String
    @OptionGroup var similarity: SimilarityOptions

    @Option(
      help: ArgumentHelp(
        "Undated articles are compared with this many most recent articles.",
        valueName: "n"))
    var undatedCandidates = 2000

    func run() throws {
      var settings = StoryIndexSettings()
      settings.engine = similarity.configuration(
        threads: 0, news: StoryIndexSettings.engineDefaults)
      // `--window` (of the similarity options) is the index's candidate window too.
      if let window = similarity.window {
        guard let days = window.value else {
          throw ValidationError(
            "an index compares within a window: give --window in days, not all.")
        }
        settings.windowDays = days
      }
      settings.undatedCandidates = undatedCandidates
      do throws(IndexError) {
        let index = try StoryIndex.create(at: database, settings: settings)
        print("created \(index.path): an empty story index (schema \(StoryIndex.schemaVersion))")
      } catch {
        throw fail(error)
      }
    }
  }

  /// `cluster index stats DB`: the settings fixed into the index and its counts.
  struct IndexStats: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "stats", abstract: "Show the index's fixed settings and its counts.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @OptionGroup var location: IndexLocation
    @Option(help: "Output format: table or json.") var format: Format = .table
    @OptionGroup var destination: DestinationOptions

    func run() throws {
      var target = try destination.open()
      let index = try location.open()
      let stats: IndexStatistics
      do throws(IndexError) { stats = try index.statistics() } catch { throw fail(error) }
      let s = index.settings
      let a = s.engine.vectorizer.analyzer
      let rows: [(String, String)] = [
        ("articles", "\(stats.articles)"),
        (
          "stories (live, merged, expired)",
          "\(stats.liveStories), \(stats.mergedStories), \(stats.expiredStories)"
        ),
        ("terms", "\(stats.terms)"), ("batches", "\(stats.batches)"),
        ("bytes on disk", "\(stats.bytes)"),
        ("background story similarity", JSONText.score(stats.background)),
        ("join threshold", JSONText.score(stats.threshold)),
        ("lift", s.engine.lift.map { JSONText.fixed($0, decimals: 2) } ?? "none"),
        (
          "background rule",
          s.engine.seedThreshold.map { "between stories of the part (seed \(JSONText.score($0)))" }
            ?? "all pairs of the window"
        ),
        ("window (days)", JSONText.fixed(s.windowDays, decimals: 2)),
        ("undated candidates", "\(s.undatedCandidates)"),
        ("neighbourhood weight", JSONText.fixed(s.engine.neighborhoodWeight, decimals: 2)),
        ("names weight", JSONText.fixed(s.engine.namesWeight, decimals: 2)),
        ("year penalty", JSONText.fixed(s.engine.yearPenalty, decimals: 2)),
        (
          "time scale (days)",
          s.engine.timeScaleDays.map { JSONText.fixed($0, decimals: 2) } ?? "none"
        ),
        ("stop words", a.stopWords.rawValue), ("stemming", a.isStemming ? "on" : "off"),
        ("ngrams", "\(a.ngramRange.lowerBound)...\(a.ngramRange.upperBound)"),
        ("analyzer", a.kind.rawValue), ("lowercase", a.isLowercasing ? "on" : "off"),
        ("sublinear tf", s.engine.vectorizer.isSublinearTF ? "on" : "off"),
        ("smooth idf", s.engine.vectorizer.isSmoothIDF ? "on" : "off"),
        ("norm", s.engine.vectorizer.norm.rawValue), ("title weight", "\(s.engine.titleWeight)"),
      ]
      var out = ByteWriter(descriptor: target.descriptor)
      switch format {
      case .table:
        for (key, value) in rows { out.line(key.padded(to: 32) + value) }
      case .json:
        let body = rows.map { "\(JSONText.string($0.0)): \(JSONText.string($0.1))" }
        out.line("{" + body.joined(separator: ", ") + "}")
      }
      try target.complete(&out)
    }
  }
}

/// The formats of the index's listings (`add`, `query`, `stories`).
enum IndexOutputFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json, csv
}
