import StoryCluster

/// The JSON objects of the ranked pairs, built byte by byte.
///
/// A report can rank millions of pairs, and formatting them is most of writing it. Every id's
/// JSON literal is escaped once, up front; each pair without shared terms is then copied into
/// one small scratch line (separator, ids, score, kind) and appended whole. The bytes are exactly
/// those of the general writer (``JSONBytes``): the same escapes and the same six-decimal
/// rounding.
struct PairLines {
  /// Every id's JSON string literal, back to back.
  private let quoted: [UInt8]
  /// Row → start of its literal in `quoted` (one more entry marks the end).
  private let starts: [Int]
  /// The longest literal.
  private let longest: Int

  /// Escapes every id once.
  init(ids: [String], threads: Int) {
    let literals = parallelMap(ids.count, threads: threads) { row -> [UInt8] in
      var bytes: [UInt8] = []
      JSONBytes.appendString(ids[row], to: &bytes)
      return bytes
    }
    var starts = [0]
    starts.reserveCapacity(ids.count + 1)
    var quoted: [UInt8] = []
    quoted.reserveCapacity(literals.reduce(0) { $0 + $1.count })
    for literal in literals {
      quoted.append(contentsOf: literal)
      starts.append(quoted.count)
    }
    self.quoted = quoted
    self.starts = starts
    self.longest = literals.map(\.count).max() ?? 0
  }

  /// The fixed text around each pair's values, back to back, and where each piece ends.
  private static let (text, ends): ([UInt8], [Int]) = {
    let pieces = [
      ",\n    {\"a\": ", ", \"b\": ", ", \"score\": ", ", \"kind\": \"exact\", \"shared_terms\": [",
      ", \"kind\": \"near-duplicate\", \"shared_terms\": [",
      ", \"kind\": \"related\", \"shared_terms\": [",
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
    let maximum = 2 * longest + 160
    let ends = Self.ends
    Self.text.withUnsafeBufferPointer { text in
      quoted.withUnsafeBufferPointer { quoted in
        starts.withUnsafeBufferPointer { starts in
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
                out.append(maximum: maximum) { line in
                  var n = 0
                  func put(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) {
                    let bytes = UnsafeBufferPointer(rebasing: bytes)
                    guard let base = bytes.baseAddress else { return }
                    (line + n).update(from: base, count: bytes.count)
                    n += bytes.count
                  }
                  put(text[(k == 0 ? 1 : 0)..<ends[0]])
                  put(quoted[starts[pair.a]..<starts[pair.a + 1]])
                  put(text[ends[0]..<ends[1]])
                  put(quoted[starts[pair.b]..<starts[pair.b + 1]])
                  put(text[ends[1]..<ends[2]])
                  n += JSONBytes.writeFixed(pair.score, decimals: 6, to: line + n)
                  put(text[ends[kind - 1]..<ends[kind]])
                  return n
                }
                for (t, term) in pairs.sharedTerms(at: k).enumerated() {
                  out.raw(t == 0 ? "{\"term\": " : ", {\"term\": ")
                  out.jsonString(term.term)
                  out.raw(", \"weight\": ")
                  out.score(term.weight)
                  out.byte(UInt8(ascii: "}"))
                }
                out.raw("]}")
              }
            }
          }
        }
      }
    }
  }
}
