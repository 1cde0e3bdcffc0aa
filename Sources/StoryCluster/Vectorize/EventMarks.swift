/// What tells two events of one kind apart, read from each article's text: the names it
/// mentions and the years it mentions.
///
/// Two robberies of one Paris jeweller, two stars entering rehab, two earthquakes in one province
/// share most of their words; they differ in who, where and when. The story graph
/// (``StoryGraph``) blends a second cosine over the names into the story similarity and lowers it
/// when two articles mention different years:
/// - **Names**: TF-IDF rows over the runs of capitalised words (``Analyzer/Kind/names``, English
///   stop words; sublinear tf, smooth idf, L2-normalised, as the word rows), so that their dot
///   product is the *names cosine*.
/// - **Years**: the four-digit numbers from 1900 to 2099 the text mentions, each once (a number
///   as ``NumberMentions/numbers(in:)`` reads it: `1,999` is 1999, `20,110` is no year).
///
/// ```swift
/// let marks = EventMarks(texts: ["Lindsay Lohan checks into Betty Ford in 2010.", "…"])
/// print(marks.namesCosine(0, 1), marks.yearAgreement(0, 1) as Any)
/// ```
///
/// - Complexity: O(total text length) to build; the names rows hold O(names) entries.
package struct EventMarks: Sendable {
  /// Per article, its names row (L2-normalised TF-IDF over the names' terms).
  package let names: SparseMatrix
  /// Article `r`'s years, ascending, at `years[yearStarts[r]..<yearStarts[r + 1]]`.
  package let yearStarts: [Int32]
  /// All articles' years, concatenated.
  package let years: [Int16]

  /// The names vectorizer: ``Analyzer/Kind/names`` with English stop words, sublinear tf.
  package static var namesVectorizer: TFIDFVectorizer.Configuration {
    TFIDFVectorizer.Configuration(
      analyzer: Analyzer(stopWords: .english, kind: .names), isSublinearTF: true)
  }

  /// Reads the marks of each text.
  ///
  /// - Parameters:
  ///   - texts: One text per row of the story graph (title and body; for a group of exact
  ///     copies, its representative's, so the names' document frequencies count the group once,
  ///     as the graph does).
  ///   - threads: Worker threads (0 = all cores); the result does not depend on it.
  package init(texts: [String], threads: Int = 0) {
    let n = texts.count
    let vectorizer = TFIDFVectorizer(configuration: Self.namesVectorizer)
    // A corpus that names nothing (the only error this configuration can meet: no term) has
    // empty names rows, and every names cosine is 0.
    let names =
      (try? vectorizer.fitTransform(texts: texts, threads: threads).1)
      ?? SparseMatrix(
        columnCount: 0, rowStarts: [Int](repeating: 0, count: n + 1), columns: [], values: [])
    self.init(
      names: names,
      years: parallelMap(n, threads: effectiveThreadCount(threads)) { Self.years(in: texts[$0]) })
  }

  /// Marks made elsewhere (the story index weighs its stored names under its own document
  /// frequencies): `names` one row per article, `years` each article's years, ascending.
  package init(names: SparseMatrix, years: [[Int16]]) {
    precondition(names.rowCount == years.count, "one list of years per names row")
    self.names = names
    var starts: [Int32] = [0]
    starts.reserveCapacity(years.count + 1)
    for list in years { starts.append(starts[starts.count - 1] + Int32(list.count)) }
    yearStarts = starts
    self.years = years.flatMap { $0 }
  }

  /// The cosine of two articles' names rows (0 when either names nothing).
  ///
  /// - Complexity: O(names in both rows).
  package func namesCosine(_ a: Int, _ b: Int) -> Double { min(1, names.dot(a, b)) }

  /// The Jaccard overlap of the years two articles mention, or `nil` when either mentions none.
  ///
  /// - Complexity: O(years in both).
  package func yearAgreement(_ a: Int, _ b: Int) -> Double? {
    let x = years[Int(yearStarts[a])..<Int(yearStarts[a + 1])]
    let y = years[Int(yearStarts[b])..<Int(yearStarts[b + 1])]
    return x.isEmpty || y.isEmpty ? nil : sortedJaccard(x, y)
  }

  /// The distinct years from 1900 to 2099 that `text` mentions, ascending: each number
  /// ``NumberMentions/numbers(in:)`` reads in digits that is four digits long and in range.
  ///
  /// ```swift
  /// EventMarks.years(in: "In 2008, and again in 2011 (not 1,999 or 20,110)")  // [1999, 2008, 2011]
  /// ```
  ///
  /// One pass over the UTF-8 bytes, looking only at digits (number words are never years).
  package static func years(in text: String) -> [Int16] {
    var found: [Int16] = []
    var text = text
    text.withUTF8 { bytes in
      let n = bytes.count
      @inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
      var i = 0
      while i < n {
        guard isDigit(bytes[i]) else {
          i += 1
          continue
        }
        // A number: digits, joined across a single `,` or `.` between digits (as
        // NumberMentions reads it); a year has four digits after its leading zeros and no `.`.
        var value = 0
        var digits = 0
        var hasPoint = false
        while i < n {
          let d = bytes[i]
          if isDigit(d) {
            if digits > 0 || d != 0x30 { digits += 1 }
            if digits <= 4 { value = value * 10 + Int(d &- 0x30) }
          } else if d == 0x2C || d == 0x2E, i + 1 < n, isDigit(bytes[i + 1]) {
            if d == 0x2E { hasPoint = true }
          } else {
            break
          }
          i += 1
        }
        if !hasPoint, digits == 4, (1900...2099).contains(value) { found.append(Int16(value)) }
      }
    }
    found.sort()
    var unique: [Int16] = []
    for year in found where unique.last != year { unique.append(year) }
    return unique
  }
}
