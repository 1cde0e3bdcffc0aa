#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// TF-IDF rows weighed elsewhere: a distributed job's tasks (`cluster spark weigh`) each weigh
/// a share of the corpus with the model made from the added-up counts (``TermFrequencies``)
/// and write it to the work directory; the driver reads the shares back in order instead of
/// weighing the corpus itself. The rows and each text's exact-copy fingerprint are what
/// ``Engine/vectorize(_:using:)`` gives for those articles, bit for bit.
///
/// On disk: `rows-NNNNNN.bin` per share (its place in the corpus, its CSR rows, its
/// fingerprints), written to a temporary name and renamed, so a retried or duplicated task
/// leaves one whole file.
///
/// - Complexity: O(nnz + N) to write and read.
package struct WeighedRows: Sendable {
  /// The rows, columns indexing the model's vocabulary.
  package var matrix: SparseMatrix
  /// Per row, its text's exact-copy fingerprint.
  package var fingerprints: [Normalizer.Fingerprint]

  package init(matrix: SparseMatrix, fingerprints: [Normalizer.Fingerprint]) {
    precondition(matrix.rowCount == fingerprints.count)
    self.matrix = matrix
    self.fingerprints = fingerprints
  }

  /// The articles of share `part` of `parts` among `count` (prepare's order): `part·count /
  /// parts` up to `(part + 1)·count / parts`.
  package static func share(_ part: Int, of parts: Int, count: Int) -> Range<Int> {
    (part * count / parts)..<((part + 1) * count / parts)
  }

  static func path(_ directory: String, _ part: Int) -> String {
    let digits = String(part)
    return directory + "/rows-" + String(repeating: "0", count: max(0, 6 - digits.count))
      + digits + ".bin"
  }

  /// Writes these rows as share `part` of `parts` of a corpus of `count` articles.
  ///
  /// - Throws: ``KernelTaskError`` naming the file that could not be written.
  package func write(
    to directory: String, part: Int, of parts: Int, count: Int
  ) throws(KernelTaskError) {
    let range = Self.share(part, of: parts, count: count)
    precondition(range.count == matrix.rowCount, "the rows are the share's")
    var out = ByteSink()
    out.bytes.append(contentsOf: KernelTasks.magic)
    for value in [part, parts, count, matrix.columnCount] { out.append(Int64(value)) }
    out.append(array: matrix.rowStarts.map { Int64($0) })
    out.append(array: matrix.columns)
    out.append(array: matrix.values)
    out.append(array: fingerprints.flatMap { [$0.high, $0.low] })
    let final = Self.path(directory, part)
    let temporary = final + ".\(getpid()).partial"
    try out.write(to: temporary)
    guard rename(temporary, final) == 0 else {
      let reason = FileBytes.errnoText()
      unlink(temporary)
      throw KernelTaskError("\(final): cannot write: \(reason)")
    }
  }

  /// The rows of a corpus of `count` articles, read back from the `parts` shares in
  /// `directory`, in order.
  ///
  /// - Throws: ``KernelTaskError`` naming a share's file that is missing, damaged, or of
  ///   another plan (another number of shares or articles, another vocabulary than the first
  ///   share's).
  package init(reading directory: String, parts: Int, count: Int) throws(KernelTaskError) {
    var columnCount = -1
    var starts = [0]
    starts.reserveCapacity(count + 1)
    var columns: [Int32] = []
    var values: [Float] = []
    var fingerprints: [Normalizer.Fingerprint] = []
    fingerprints.reserveCapacity(count)
    for part in 0..<parts {
      let path = Self.path(directory, part)
      var source = try ByteSource(path: path)
      let header = try (0..<4).map { _ throws(KernelTaskError) in try source.int64() }
      if part == 0 { columnCount = header[3] }
      guard header == [part, parts, count, columnCount] else {
        throw KernelTaskError(
          "\(path): share \(header[0]) of \(header[1]) of \(header[2]) articles in "
            + "\(header[3]) columns, not share \(part) of \(parts) of \(count) in "
            + "\(columnCount): written for another corpus or counts")
      }
      let rows = Self.share(part, of: parts, count: count).count
      let shareStarts: [Int64] = try source.array(count: rows + 1)
      let entries = Int(shareStarts.last ?? 0)
      let shareColumns: [Int32] = try source.array(count: entries)
      let shareValues: [Float] = try source.array(count: entries)
      let marks: [UInt64] = try source.array(count: 2 * rows)
      try source.end()
      guard shareStarts.first == 0, zip(shareStarts, shareStarts.dropFirst()).allSatisfy(<=),
        shareColumns.allSatisfy({ $0 >= 0 && Int($0) < columnCount })
      else { throw KernelTaskError("\(path): its rows are damaged") }
      let base = columns.count
      for end in shareStarts.dropFirst() { starts.append(base + Int(end)) }
      columns.append(contentsOf: shareColumns)
      values.append(contentsOf: shareValues)
      for r in 0..<rows {
        fingerprints.append(Normalizer.Fingerprint(high: marks[2 * r], low: marks[2 * r + 1]))
      }
    }
    self.init(
      matrix: SparseMatrix(
        columnCount: max(0, columnCount), rowStarts: starts, columns: columns, values: values),
      fingerprints: fingerprints)
  }
}
