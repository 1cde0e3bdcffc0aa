import StoryCluster

/// The JSON objects of the ranked pairs, built byte by byte.
///
/// A report can rank millions of pairs, and formatting them is most of writing it. Every id's
/// and every term's JSON literal is escaped once, up front; each pair is then copied into one
/// scratch line (separator, ids, score, kind, shared terms) and appended whole. The bytes are
/// exactly those of the general writer (``JSONBytes``): the same escapes and the same
/// six-decimal rounding.
struct PairLines {
  /// JSON string literals of a list of strings, back to back.
  private struct Literals {
    /// The literals.
    let bytes: [UInt8]
    /// Index → start of its literal in `bytes` (one more entry marks the end).
    let starts: [Int]
    /// The longest literal.
    let longest: Int

    init(_ strings: [String], threads: Int) {
      let literals = parallelMap(strings.count, threads: threads) { k -> [UInt8] in
        var bytes: [UInt8] = []
        JSONBytes.appendString(strings[k], to: &bytes)
        return bytes
      }
      var starts = [0]
      starts.reserveCapacity(strings.count + 1)
      var bytes: [UInt8] = []
      bytes.reserveCapacity(literals.reduce(0) { $0 + $1.count })
      for literal in literals {
        bytes.append(contentsOf: literal)
        starts.append(bytes.count)
      }
      self.bytes = bytes
      self.starts = starts
      self.longest = literals.map(\.count).max() ?? 0
    }
  }

  private let ids: Literals
  /// The vocabulary's literals, when the pairs carry shared terms.
  private let terms: Literals

  /// Escapes every id, and every term when `pairs` carry shared terms, once.
  init(_ pairs: RankedPairs, threads: Int) {
    ids = Literals(pairs.ids, threads: threads)
    terms = Literals(pairs.terms.isEmpty ? [] : pairs.vocabulary, threads: threads)
  }

  /// The fixed text around each pair's values, back to back, and where each piece ends.
  private static let (text, ends): ([UInt8], [Int]) = {
    let pieces = [
      ",\n    {\"a\": ", ", \"b\": ", ", \"score\": ", ", \"kind\": \"exact\", \"shared_terms\": [",
      ", \"kind\": \"near-duplicate\", \"shared_terms\": [",
      ", \"kind\": \"related\", \"shared_terms\": [", ", {\"term\": ", ", \"weight\": ", "}",
      "]}",
    ]
    var text: [UInt8] = []
    var ends: [Int] = []
    for piece in pieces {
      text += Array(piece.utf8)
      ends.append(text.count)
    }
    return (text, ends)
  }()

  /// Writes the pairs at `range` of `pairs`, each as one JSON object on its own line after `,`
  /// (the first of all after `\n` alone), four spaces in.
  ///
  /// Every array is read through a buffer pointer taken once per call: two threads writing
  /// chunks side by side would otherwise retain and release the same shared arrays for every
  /// pair, and contended reference counts made two threads slower than one.
  func write(_ range: Range<Int>, of pairs: RankedPairs, to out: inout ByteWriter) {
    let fixed = 2 * ids.longest + 160
    let perTerm = terms.longest + 48
    Self.text.withUnsafeBufferPointer { text in
      Self.ends.withUnsafeBufferPointer { ends in
        ids.bytes.withUnsafeBufferPointer { idBytes in
          ids.starts.withUnsafeBufferPointer { idStarts in
            terms.bytes.withUnsafeBufferPointer { termBytes in
              terms.starts.withUnsafeBufferPointer { termStarts in
                pairs.rows.withUnsafeBufferPointer { rows in
                  pairs.kinds.withUnsafeBufferPointer { kinds in
                    pairs.terms.withUnsafeBufferPointer { shared in
                      let line = Line(
                        text: text, ends: ends, idBytes: idBytes, idStarts: idStarts,
                        termBytes: termBytes, termStarts: termStarts)
                      for k in range {
                        let terms = shared.isEmpty ? nil : shared[k]
                        out.append(maximum: fixed + (terms?.count ?? 0) * perTerm) { target in
                          line.write(
                            k, pair: rows[k], kind: kinds[k], terms: terms ?? [], to: target)
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// The buffers one pair line is built from.
  private struct Line {
    let text: UnsafeBufferPointer<UInt8>
    let ends: UnsafeBufferPointer<Int>
    let idBytes: UnsafeBufferPointer<UInt8>
    let idStarts: UnsafeBufferPointer<Int>
    let termBytes: UnsafeBufferPointer<UInt8>
    let termStarts: UnsafeBufferPointer<Int>

    /// Writes pair `k` to `target` and returns the byte count.
    func write(
      _ k: Int, pair: ScoredPair, kind: NearDuplicatePair.Kind,
      terms: [(column: Int, weight: Double)], to target: UnsafeMutablePointer<UInt8>
    ) -> Int {
      var n = 0
      func put(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) {
        let bytes = UnsafeBufferPointer(rebasing: bytes)
        guard let base = bytes.baseAddress else { return }
        (target + n).update(from: base, count: bytes.count)
        n += bytes.count
      }
      func piece(_ p: Int, from skip: Int = 0) {
        put(text[((p == 0 ? 0 : ends[p - 1]) + skip)..<ends[p]])
      }
      piece(0, from: k == 0 ? 1 : 0)
      put(idBytes[idStarts[pair.a]..<idStarts[pair.a + 1]])
      piece(1)
      put(idBytes[idStarts[pair.b]..<idStarts[pair.b + 1]])
      piece(2)
      n += JSONBytes.writeFixed(pair.score, decimals: 6, to: target + n)
      switch kind {
      case .exact: piece(3)
      case .nearDuplicate: piece(4)
      case .related: piece(5)
      }
      for (t, term) in terms.enumerated() {
        piece(6, from: t == 0 ? 2 : 0)
        put(termBytes[termStarts[term.column]..<termStarts[term.column + 1]])
        piece(7)
        n += JSONBytes.writeFixed(term.weight, decimals: 6, to: target + n)
        piece(8)
      }
      piece(9)
      return n
    }
  }
}
