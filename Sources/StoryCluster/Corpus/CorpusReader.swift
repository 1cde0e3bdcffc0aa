/// The articles read from the input, with every problem found on the way.
///
/// Articles are in ascending byte order of id, whatever order the files were named or listed in,
/// so every later stage is independent of input order.
public struct Corpus: Sendable {
  /// The valid articles, sorted by id.
  public var articles: [Article]
  /// Every invalid record or unreadable path, sorted by location.
  public var problems: [CorpusError]
  /// Files below the folders given that were not read (unsupported extension or hidden).
  public var ignoredFiles: [String]

  /// Records seen: valid articles plus invalid records.
  public var articlesIn: Int { articles.count + problems.count }

  /// Creates a corpus from articles already in memory, sorting them by id.
  ///
  /// - Parameter articles: The articles; ids must be unique (duplicates become problems).
  public init(articles: [Article]) {
    var sorted = articles
    sorted.sort { idPrecedes($0.id, $1.id) }
    var kept: [Article] = []
    var problems: [CorpusError] = []
    kept.reserveCapacity(sorted.count)
    for article in sorted {
      if let last = kept.last, last.id == article.id {
        problems.append(
          .duplicateID(article.id, first: last.location, second: article.location))
      } else {
        kept.append(article)
      }
    }
    self.articles = kept
    self.problems = problems
    self.ignoredFiles = []
  }
}

/// Reads articles from files, folders and standard input.
///
/// A path may be a `.txt` file (one article; id = its file name), a `.jsonl`/`.ndjson` file (one
/// article per line), a `.csv` file with a header, a folder (read recursively, entries in byte
/// order; `.txt` ids are the path relative to that folder), or `-` for JSON Lines on standard
/// input. Symbolic links are followed; a link back to a folder being read is reported, not
/// followed.
///
/// ```swift
/// let corpus = CorpusReader().read(["seeds"])
/// print(corpus.articles.count, corpus.problems.count)
/// ```
///
/// - Complexity: O(total bytes) time; the articles' text in memory.
public struct CorpusReader: Sendable {
  /// Threads used to parse large JSON Lines files (0 = all cores).
  public var threads: Int

  /// Creates a reader.
  ///
  /// - Parameter threads: Parser threads, 0 for all cores.
  public init(threads: Int = 0) { self.threads = threads }

  /// Reads every path, collecting articles and problems; never throws.
  ///
  /// - Parameter paths: Files, folders, or `-` for standard input.
  /// - Returns: The corpus, with articles sorted by id and duplicate ids reported as problems.
  public func read(_ paths: [String]) -> Corpus {
    var files: [(path: String, id: String?)] = []
    var problems: [CorpusError] = []
    var ignored: [String] = []
    var readStdin = false
    for path in paths {
      if path == "-" {
        readStdin = true
        continue
      }
      switch FileBytes.kind(of: path) {
      case .missing: problems.append(.noSuchPath(path))
      case .directory:
        var stack: [String] = []
        collect(
          folder: path, relative: "", files: &files, problems: &problems, ignored: &ignored,
          stack: &stack)
      case .file, .other:
        files.append((path, nil))
      }
    }
    files.sort { idPrecedes($0.path, $1.path) }
    var articles: [Article] = []
    var results: [JSONLinesReader.LineResult] = []
    for file in files {
      results.append(contentsOf: readFile(file.path, textID: file.id))
    }
    if readStdin {
      do throws(CorpusError) {
        let bytes = try FileBytes.read(path: nil)
        results.append(
          contentsOf: JSONLinesReader.parse(
            bytes, path: "<stdin>", threads: effectiveThreadCount(threads)))
      } catch {
        problems.append(error)
      }
    }
    for result in results {
      switch result {
      case .article(let article): articles.append(article)
      case .problem(let problem): problems.append(problem)
      case .blank: break
      }
    }
    var corpus = Corpus(articles: articles)
    corpus.problems = (problems + corpus.problems).sorted(by: Self.problemPrecedes)
    corpus.ignoredFiles = ignored
    return corpus
  }

  // MARK: - Internals

  private static func problemPrecedes(_ a: CorpusError, _ b: CorpusError) -> Bool {
    switch (a.location, b.location) {
    case (nil, nil): return a.description < b.description
    case (nil, _): return true
    case (_, nil): return false
    case (let x?, let y?): return x < y || (x == y && a.description < b.description)
    }
  }

  private func readFile(_ path: String, textID: String?) -> [JSONLinesReader.LineResult] {
    let ext = fileExtension(path)
    guard ["txt", "jsonl", "ndjson", "csv"].contains(ext) else {
      return [.problem(.unsupportedFile(SourceLocation(path: path)))]
    }
    let bytes: [UInt8]
    do throws(CorpusError) {
      bytes = try FileBytes.read(path: path)
    } catch {
      return [.problem(error)]
    }
    switch ext {
    case "txt":
      let id = textID ?? String(path.split(separator: "/").last ?? Substring(path))
      return [TextFolderReader.parse(bytes, id: id, path: path)]
    case "csv":
      return CSVReader.parse(bytes, path: path)
    default:
      return JSONLinesReader.parse(bytes, path: path, threads: effectiveThreadCount(threads))
    }
  }

  private func collect(
    folder: String, relative: String, files: inout [(path: String, id: String?)],
    problems: inout [CorpusError], ignored: inout [String], stack: inout [String]
  ) {
    guard let canonical = FileBytes.canonical(folder) else {
      problems.append(.unreadable(SourceLocation(path: folder), reason: "cannot resolve path"))
      return
    }
    if stack.contains(canonical) {
      problems.append(.symlinkLoop(SourceLocation(path: folder)))
      return
    }
    stack.append(canonical)
    defer { stack.removeLast() }
    let names: [String]
    do throws(CorpusError) {
      names = try FileBytes.entries(of: folder)
    } catch {
      problems.append(error)
      return
    }
    let base = folder.hasSuffix("/") ? folder : folder + "/"
    for name in names {
      let path = base + name
      let rel = relative.isEmpty ? name : relative + "/" + name
      switch FileBytes.kind(of: path) {
      case .directory:
        if name.hasPrefix(".") {
          ignored.append(path)
        } else {
          collect(
            folder: path, relative: rel, files: &files, problems: &problems, ignored: &ignored,
            stack: &stack)
        }
      case .missing:
        problems.append(.unreadable(SourceLocation(path: path), reason: "broken symbolic link"))
      case .file, .other:
        if name.hasPrefix(".") || !["txt", "jsonl", "ndjson", "csv"].contains(fileExtension(name)) {
          ignored.append(path)
        } else {
          files.append((path, rel))
        }
      }
    }
  }

  private func fileExtension(_ path: String) -> String {
    guard let name = path.split(separator: "/").last, let dot = name.lastIndex(of: ".") else {
      return ""
    }
    return name[name.index(after: dot)...].lowercased()
  }
}
