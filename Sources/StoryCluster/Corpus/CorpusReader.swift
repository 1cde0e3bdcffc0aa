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
    var owned = articles
    self.init(taking: &owned)
  }

  /// Creates a corpus by moving `articles` (in read order) into id order; `articles` is left
  /// holding empty placeholders. Of articles with equal ids the first read is kept and each later
  /// one becomes a ``CorpusError/duplicateID(_:first:second:)`` problem.
  ///
  /// Sorting works on indices keyed by each id's first eight bytes (big-endian, zero-padded), so
  /// most comparisons are one integer comparison and no article is moved until its place is known.
  /// Equal keys fall back to the ids' full byte order, then to read order, which is the order a
  /// stable sort by id gives. An article is a duplicate when its id is `==` to the last kept one.
  ///
  /// - Complexity: O(n log n) comparisons; O(n) memory for the keys and the order.
  init(taking articles: inout [Article]) {
    let keys = articles.map { Self.idPrefixKey($0.id) }
    var order = Array(articles.indices)
    articles.withUnsafeBufferPointer { all in
      order.sort { a, b in
        if keys[a] != keys[b] { return keys[a] < keys[b] }
        let x = all[a].id
        let y = all[b].id
        if idPrecedes(x, y) { return true }
        if idPrecedes(y, x) { return false }
        return a < b
      }
    }
    var keptIndices: [Int] = []
    var problems: [CorpusError] = []
    keptIndices.reserveCapacity(order.count)
    for k in order {
      // `==` on String, not bytes, as before: canonically equivalent ids that sort next to each
      // other are duplicates.
      if let last = keptIndices.last, articles[last].id == articles[k].id {
        problems.append(
          .duplicateID(
            articles[k].id, first: articles[last].location, second: articles[k].location))
      } else {
        keptIndices.append(k)
      }
    }
    var kept: [Article] = []
    kept.reserveCapacity(keptIndices.count)
    for k in keptIndices {
      var article = Self.placeholder
      swap(&article, &articles[k])
      kept.append(article)
    }
    self.articles = kept
    self.problems = problems
    self.ignoredFiles = []
  }

  // MARK: - Internals

  /// An article without heap storage, left behind where one was moved out.
  private static let placeholder = Article(
    id: "", title: "", body: "", location: SourceLocation(path: ""))

  /// The first eight UTF-8 bytes of `id` as a big-endian integer, zero-padded: a key whose
  /// integer order agrees with the byte order of ids wherever two keys differ.
  private static func idPrefixKey(_ id: String) -> UInt64 {
    var key: UInt64 = 0
    var taken = 0
    for byte in id.utf8 {
      key = key << 8 | UInt64(byte)
      taken += 1
      if taken == 8 { break }
    }
    return taken == 0 ? 0 : key << (8 * UInt64(8 - taken))
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
  /// A field (JSON Lines key or CSV column) whose value each article keeps as its
  /// ``Article/label``, e.g. a gold label for evaluation; `nil` keeps none.
  public var labelField: String?
  /// Called as bytes are read (``StageProgress/Stage/reading``, in bytes of the files' sizes;
  /// total 0 when standard input is read): after each file and each 4 MiB of JSON Lines.
  public var progress: ProgressHandler?

  /// Creates a reader.
  ///
  /// - Parameters:
  ///   - threads: Parser threads, 0 for all cores.
  ///   - labelField: A field to keep as each article's ``Article/label``, if any.
  ///   - progress: A hook to report the bytes read to; it changes nothing read.
  public init(threads: Int = 0, labelField: String? = nil, progress: ProgressHandler? = nil) {
    self.threads = threads
    self.labelField = labelField
    self.progress = progress
  }

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
    let sizes = progress == nil ? [] : files.map { FileBytes.size(of: $0.path) }
    let counter = progress.map { hook in
      ProgressCounter(total: readStdin ? 0 : sizes.reduce(0, +)) { done, total in
        hook(StageProgress(stage: .reading, completed: done, total: total, unit: .bytes))
      }
    }
    var articles: [Article] = []
    for (k, file) in files.enumerated() {
      var read = 0
      var blocks = readFile(file.path, textID: file.id) {
        read += $0
        counter?.advance(by: $0)
      }
      if let counter, sizes[k] > read { counter.advance(by: sizes[k] - read) }
      Self.take(&blocks, articles: &articles, problems: &problems)
    }
    if readStdin {
      do throws(CorpusError) {
        var blocks = try JSONLinesReader.read(
          file: nil, path: "<stdin>", threads: effectiveThreadCount(threads),
          labelField: labelField, consumed: { counter?.advance(by: $0) })
        Self.take(&blocks, articles: &articles, problems: &problems)
      } catch {
        problems.append(error)
      }
    }
    var corpus = Corpus(taking: &articles)
    corpus.problems = (problems + corpus.problems).sorted(by: Self.problemPrecedes)
    corpus.ignoredFiles = ignored
    return corpus
  }

  // MARK: - Internals

  /// Moves the articles and problems out of `blocks` of results, in order, leaving blanks behind,
  /// so no article is copied.
  private static func take(
    _ blocks: inout [[JSONLinesReader.LineResult]], articles: inout [Article],
    problems: inout [CorpusError]
  ) {
    for b in blocks.indices {
      for k in blocks[b].indices {
        var result = JSONLinesReader.LineResult.blank
        swap(&result, &blocks[b][k])
        switch consume result {
        case .article(let article): articles.append(article)
        case .problem(let problem): problems.append(problem)
        case .blank: break
        }
      }
    }
  }

  private static func problemPrecedes(_ a: CorpusError, _ b: CorpusError) -> Bool {
    switch (a.location, b.location) {
    case (nil, nil): return a.description < b.description
    case (nil, _): return true
    case (_, nil): return false
    case (let x?, let y?): return x < y || (x == y && a.description < b.description)
    }
  }

  /// The results of reading one file, in blocks of lines (one block unless it is JSON Lines);
  /// `consumed` gets the bytes of each JSON Lines block as it is parsed.
  private func readFile(
    _ path: String, textID: String?, consumed: (Int) -> Void
  ) -> [[JSONLinesReader.LineResult]] {
    let ext = fileExtension(path)
    guard ["txt", "jsonl", "ndjson", "csv"].contains(ext) else {
      return [[.problem(.unsupportedFile(SourceLocation(path: path)))]]
    }
    if ext == "jsonl" || ext == "ndjson" {
      do throws(CorpusError) {
        return try JSONLinesReader.read(
          file: path, path: path, threads: effectiveThreadCount(threads), labelField: labelField,
          consumed: consumed)
      } catch {
        return [[.problem(error)]]
      }
    }
    let bytes: [UInt8]
    do throws(CorpusError) {
      bytes = try FileBytes.read(path: path)
    } catch {
      return [[.problem(error)]]
    }
    if ext == "txt" {
      let id = textID ?? String(path.split(separator: "/").last ?? Substring(path))
      return [[TextFolderReader.parse(bytes, id: id, path: path)]]
    }
    return [CSVReader.parse(bytes, path: path, labelField: labelField)]
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
