import Foundation

/// Formats results as a table and JSON.
enum Printer {
  static func fixed(_ x: Double, _ decimals: Int) -> String {
    String(format: "%.\(decimals)f", x)
  }

  static func header() {
    print(
      "name".padding(toLength: 44, withPad: " ", startingAt: 0)
        + "       p0      p25      p50      p75      p90      p99     p100   throughput (p50)         peak RSS  checksum"
    )
  }

  static func row(_ r: Result) {
    let ms = [0.0, 25, 50, 75, 90, 99, 100].map { fixed(r.percentile($0) * 1000, 1) + "ms" }
    let throughput = r.units.map { unit in
      let rate = unit.perRun / r.p50
      return unit.name == "GFLOP"
        ? "\(fixed(rate, 1)) GFLOP/s" : "\(fixed(rate, rate < 100 ? 2 : 0)) \(unit.name)/s"
    }.joined(separator: ", ")
    var line = r.name.padding(toLength: 44, withPad: " ", startingAt: 0)
    for m in ms { line += String(repeating: " ", count: max(1, 9 - m.count)) + m }
    line += "   " + throughput.padding(toLength: 24, withPad: " ", startingAt: 0)
    line += " " + fixed(Double(r.peakBytes) / 1_048_576, 1) + " MiB"
    line += "  " + r.checksum
    print(line)
    for note in r.notes { print("    ↳ " + note) }
  }

  static func json(_ results: [Result], header: [String: String]) -> String {
    func str(_ s: String) -> String {
      "\""
        + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
          of: "\"", with: "\\\"") + "\""
    }
    var out = "{\n  \"header\": {"
    out += header.sorted { $0.key < $1.key }.map { "\(str($0.key)): \(str($0.value))" }.joined(
      separator: ", ")
    out += "},\n  \"results\": [\n"
    out += results.map { r in
      let units = r.units.map { "\(str($0.name)): \(r.p50 > 0 ? $0.perRun / r.p50 : 0)" }.joined(
        separator: ", ")
      return
        "    {\"name\": \(str(r.name)), \"size\": \(r.size), \"seconds\": [\(r.seconds.map { "\($0)" }.joined(separator: ", "))], "
        + "\"p50\": \(r.p50), \"p90\": \(r.percentile(90)), \"per_second\": {\(units)}, "
        + "\"peak_bytes\": \(r.peakBytes), \"checksum\": \(str(r.checksum)), "
        + "\"notes\": [\(r.notes.map(str).joined(separator: ", "))]}"
    }.joined(separator: ",\n")
    out += "\n  ]\n}\n"
    return out
  }
}

/// Least-squares slope of log(time) against log(size): time ∝ size^b.
func scalingExponent(_ points: [(size: Int, seconds: Double)]) -> Double? {
  let valid = points.filter { $0.size > 0 && $0.seconds > 0 }
  guard Set(valid.map(\.size)).count >= 2 else { return nil }
  let xs = valid.map { log(Double($0.size)) }
  let ys = valid.map { log($0.seconds) }
  let mx = xs.reduce(0, +) / Double(xs.count)
  let my = ys.reduce(0, +) / Double(ys.count)
  var num = 0.0
  var den = 0.0
  for (x, y) in zip(xs, ys) {
    num += (x - mx) * (y - my)
    den += (x - mx) * (x - mx)
  }
  return den > 0 ? num / den : nil
}
