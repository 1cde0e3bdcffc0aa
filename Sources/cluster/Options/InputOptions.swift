import ArgumentParser
import StoryCluster

/// Where the articles come from and what to do with bad records.
struct InputOptions: ParsableArguments {
  @Argument(
    help: ArgumentHelp(
      "Files or folders to read (.txt, .jsonl, .ndjson, .csv), or - for JSON Lines on stdin.",
      valueName: "path"))
  var paths: [String]

  @Flag(
    help:
      "Warn about invalid records and leave them out (counted in the output) instead of failing.")
  var skipInvalid = false

  @Option(
    help: ArgumentHelp(
      "Threads for parsing, vectorising and scoring; 0 uses every core.",
      valueName: "n"))
  var threads = 0

  func validate() throws {
    if paths.isEmpty { throw ValidationError("Give at least one <path> (a file, a folder, or -).") }
    if threads < 0 {
      throw ValidationError("--threads must be 0 (all cores) or more, got \(threads).")
    }
  }

  /// Reads the input, printing diagnostics; exits with 65 on bad data unless `--skip-invalid`.
  ///
  /// - Parameters:
  ///   - labelField: A field each article keeps as its label (`cluster eval --gold`).
  ///   - progress: The progress hook, if progress is shown.
  func readCorpus(labelField: String? = nil, progress: ProgressHandler? = nil) throws -> Corpus {
    let corpus = CorpusReader(threads: threads, labelField: labelField, progress: progress)
      .read(paths)
    for file in corpus.ignoredFiles {
      Diagnostics.print("\(file): note: ignored (not .txt, .jsonl, .ndjson or .csv, or hidden)")
    }
    if !corpus.problems.isEmpty {
      if skipInvalid {
        for problem in corpus.problems {
          Diagnostics.print(problem.description.replacingFirst("error:", with: "warning:"))
        }
        Diagnostics.print(
          "warning: skipped \(corpus.problems.count) invalid record(s) of \(corpus.articlesIn)")
      } else {
        for problem in corpus.problems { Diagnostics.print(problem.description) }
        Diagnostics.print(
          "error: \(corpus.problems.count) invalid record(s); fix them or pass --skip-invalid")
        throw ExitCode(65)
      }
    }
    if corpus.articles.isEmpty {
      Diagnostics.print(CorpusError.noArticles(paths).description)
      throw ExitCode(65)
    }
    return corpus
  }
}

extension String {
  /// The string with the first occurrence of `target` replaced.
  func replacingFirst(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty else { return self }
    var start = startIndex
    while start < endIndex {
      if self[start...].hasPrefix(target) {
        let end = index(start, offsetBy: target.count)
        return String(self[..<start]) + replacement + String(self[end...])
      }
      start = index(after: start)
    }
    return self
  }

  /// The string cut or padded with spaces to `width` characters.
  func padded(to width: Int) -> String {
    count >= width ? String(prefix(width)) : self + String(repeating: " ", count: width - count)
  }
}
