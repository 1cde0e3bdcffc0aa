import Foundation

/// Command-line options of the benchmark harness.
struct Options {
  var quick = false
  var filter: NSRegularExpression?
  var jsonPath: String?
  var corpora: [String] = []
  var sizes: [Int?] = []  // nil = all
  var peers = false
  var repeats = 5
  var budget = 600.0

  static let usage = """
    usage: Benchmarks [--quick] [--filter REGEX] [--json FILE] [--corpus PATH]... \
    [--sizes 1000,5000,all] [--repeats N] [--budget SECONDS] [--peers]
      --quick    CI-sized: the first shared corpus (else the committed sample), small sizes,
                 3 repeats
      --filter   run only benchmarks whose name (stage/variant/size) matches REGEX
      --json     also write every result to FILE
      --corpus   a JSON Lines corpus (repeatable); default: ../shared/data corpora, else the sample
      --sizes    article counts to sweep (all = the whole corpus)
      --repeats  timed repeats per benchmark (default 5, quick 3)
      --budget   seconds a size may take (default 600). The default `cluster run` path skips a
                 size whose time, predicted from the smaller sizes' exponents, exceeds it, or
                 whose predicted peak RSS exceeds half of MemAvailable (from 10,000 up, the
                 smallest size is predicted from pilots at 1/10 and 3/10 of it), and stops a run
                 past twice the budget or 80 % of MemAvailable; the in-process stage suite skips
                 a size whose default run took over budget / (3 × (repeats + 1))
      --peers    also run Benchmarks/peers/run_peers.py (scikit-learn, sparse_dot_topn, SciPy) and print
                 our/peer ratios; needs Benchmarks/peers/requirements.txt installed, on
                 Benchmarks/peers/.venv/bin/python3 when it exists, else on python3
    """

  static func parse(_ arguments: [String]) -> Options {
    var o = Options()
    var i = 0
    func value() -> String {
      i += 1
      guard i < arguments.count else { fail("missing value for \(arguments[i - 1])") }
      return arguments[i]
    }
    while i < arguments.count {
      switch arguments[i] {
      case "--quick": o.quick = true
      case "--peers": o.peers = true
      case "--filter":
        let pattern = value()
        guard let regex = try? NSRegularExpression(pattern: pattern) else {
          fail("--filter: invalid regular expression '\(pattern)'")
        }
        o.filter = regex
      case "--json": o.jsonPath = value()
      case "--corpus": o.corpora.append(value())
      case "--repeats":
        guard let n = Int(value()), n >= 1 else { fail("--repeats must be 1 or more") }
        o.repeats = n
      case "--budget":
        guard let s = Double(value()), s > 0, s.isFinite else {
          fail("--budget must be a number of seconds above 0")
        }
        o.budget = s
      case "--sizes":
        o.sizes = value().split(separator: ",").map { part in
          if part == "all" { return nil }
          guard let n = Int(part), n > 0 else { fail("--sizes: '\(part)' is not a count or 'all'") }
          return n
        }
      case "-h", "--help":
        print(usage)
        exit(0)
      default: fail("unknown option '\(arguments[i])'\n\(usage)")
      }
      i += 1
    }
    if o.quick && o.repeats == 5 { o.repeats = 3 }
    return o
  }

  func matches(_ name: String) -> Bool {
    guard let filter else { return true }
    return filter.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
  }
}

/// Prints `message` to standard error and exits with status 64.
func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("Benchmarks: error: \(message)\n".utf8))
  exit(64)
}
