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
  func write(_ range: Range<Int>, of pairs: RankedPairs, to out: inout ByteWriter) {
    let ends = Self.ends
    let fixed = 2 * ids.longest + 160
    let perTerm = terms.longest + 48
    Self.text.withUnsafeBufferPointer { text in
      ids.bytes.withUnsafeBufferPointer { idBytes in
        terms.bytes.withUnsafeBufferPointer { termBytes in
          pairs.rows.withUnsafeBufferPointer { rows in
            pairs.kinds.withUnsafeBufferPointer { kinds in
              for k in range {
                let pair = rows[k]
                let kind: Int
                switch kinds[k] {
                case .exact: kind = 3
                case .nearDuplicate: kind = 4
                case .related: kind = 5
                }
                let shared = pairs.terms.isEmpty ? [] : pairs.terms[k]
                out.append(maximum: fixed + shared.count * perTerm) { line in
                  var n = 0
                  func put(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) {
                    let bytes = UnsafeBufferPointer(rebasing: bytes)
                    guard let base = bytes.baseAddress else { return }
                    (line + n).update(from: base, count: bytes.count)
                    n += bytes.count
                  }
                  func piece(_ p: Int, from skip: Int = 0) {
                    put(text[((p == 0 ? 0 : ends[p - 1]) + skip)..<ends[p]])
                  }
                  piece(0, from: k == 0 ? 1 : 0)
                  put(idBytes[ids.starts[pair.a]..<ids.starts[pair.a + 1]])
                  piece(1)
                  put(idBytes[ids.starts[pair.b]..<ids.starts[pair.b + 1]])
                  piece(2)
                  n += JSONBytes.writeFixed(pair.score, decimals: 6, to: line + n)
                  piece(kind)
                  for (t, term) in shared.enumerated() {
                    piece(6, from: t == 0 ? 2 : 0)
                    put(termBytes[terms.starts[term.column]..<terms.starts[term.column + 1]])
                    piece(7)
                    n += JSONBytes.writeFixed(term.weight, decimals: 6, to: line + n)
                    piece(8)
                  }
                  piece(9)
                  return n
                }
              }
            }
          }
        }
      }
    }
  }
}
