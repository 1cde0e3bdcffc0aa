import Foundation
import StoryCluster

/// The first `n` valid articles of a JSON Lines corpus, as a file of their original lines.
///
/// Streams the corpus (a million-article file is never read whole for a smaller size), lets the
/// engine's own ``CorpusReader`` decide which of the first lines are valid, and writes those
/// lines unchanged (dates, sources and all), so the default path sees what `cluster run` on the
/// whole file would see of them. The articles are the ones ``Workload`` and the peers take: the
/// first `n` valid records in file order.
enum CorpusPrefix {
  /// Writes the prefix and returns its path and article count (less than `count` when the corpus
  /// holds fewer valid articles); `nil` when the corpus cannot be read.
  ///
  /// - Complexity: O(bytes of the first `count` + slack lines), in memory and time.
  static func write(corpus path: String, count: Int) -> (path: String, articles: Int)? {
    var slack = max(16, count / 64)
    while true {
      guard let (lines, isWhole) = leadingLines(of: path, count: count + slack) else { return nil }
      let probe = temporaryPath("probe")
      guard write(lines, to: probe) else { return nil }
      // Line k of the probe file is lines[k - 1]: blank lines were not copied.
      let valid = CorpusReader().read([probe]).articles.compactMap(\.location.line).sorted()
      try? FileManager.default.removeItem(atPath: probe)
      if valid.count >= count || isWhole {
        let chosen = valid.prefix(count).map { lines[$0 - 1] }
        let out = temporaryPath("\(count)")
        guard write(chosen, to: out) else { return nil }
        return (out, chosen.count)
      }
      slack *= 4
    }
  }

  /// The number of valid articles of a whole corpus.
  ///
  /// - Complexity: Reads the whole corpus.
  static func articleCount(of path: String) -> Int {
    CorpusReader().read([path]).articles.count
  }

  // MARK: - Internals

  private static func temporaryPath(_ tag: String) -> String {
    NSTemporaryDirectory()
      + "storycluster-prefix-\(ProcessInfo.processInfo.processIdentifier)-\(tag).jsonl"
  }

  /// The first `count` non-blank lines, and whether they are all the file has.
  private static func leadingLines(of path: String, count: Int) -> (lines: [Data], isWhole: Bool)? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    var lines: [Data] = []
    var pending = Data()
    func take(_ line: Data) {
      if line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) { lines.append(line) }
    }
    while lines.count < count {
      let chunk = handle.readData(ofLength: 4 << 20)
      if chunk.isEmpty {
        if !pending.isEmpty { take(pending) }
        return (Array(lines.prefix(count)), lines.count <= count)
      }
      pending.append(chunk)
      var start = pending.startIndex
      while lines.count < count, let newline = pending[start...].firstIndex(of: 0x0A) {
        take(Data(pending[start..<newline]))
        start = pending.index(after: newline)
      }
      pending = Data(pending[start...])
    }
    return (lines, false)
  }

  private static func write(_ lines: [Data], to path: String) -> Bool {
    var out = Data()
    out.reserveCapacity(lines.reduce(0) { $0 + $1.count + 1 })
    for line in lines {
      out.append(line)
      out.append(0x0A)
    }
    return FileManager.default.createFile(atPath: path, contents: out)
  }
}
