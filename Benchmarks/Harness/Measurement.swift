import Foundation

/// Keeps a value alive so the optimiser cannot drop the work that made it.
@inline(never)
func blackHole<T>(_ value: T) {
  withExtendedLifetime(value) {}
}

/// Monotonic seconds.
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// The process's resident-set high-water mark in bytes (VmHWM), and a way to reset it.
enum Memory {
  static func peakBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
      return 0
    }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
      let digits = line.filter(\.isNumber)
      return (Int(digits) ?? 0) * 1024
    }
    return 0
  }

  static func currentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
      return 0
    }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
      return (Int(line.filter(\.isNumber)) ?? 0) * 1024
    }
    return 0
  }

  /// The resident set of another process (VmRSS of `/proc/PID/status`), in bytes; 0 when gone.
  static func residentBytes(of pid: Int32) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
      return 0
    }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
      return (Int(line.filter(\.isNumber)) ?? 0) * 1024
    }
    return 0
  }

  /// The memory the kernel can still give without swapping (MemAvailable), in bytes; 0 when
  /// unknown.
  static func availableBytes() -> Int {
    guard let info = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else {
      return 0
    }
    for line in info.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
      return (Int(line.filter(\.isNumber)) ?? 0) * 1024
    }
    return 0
  }

  /// Resets the high-water mark to the current RSS (Linux `clear_refs` value 5).
  static func resetPeak() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
  }
}

/// One benchmark's timings and derived figures.
struct Result {
  var name: String
  var size: Int
  var seconds: [Double]
  var units: [(name: String, perRun: Double)]  // e.g. ("docs", 21578), ("MB", 22.6)
  var checksum: String
  var peakBytes: Int
  var notes: [String] = []

  func percentile(_ p: Double) -> Double {
    let s = seconds.sorted()
    if s.isEmpty { return 0 }
    let rank = p / 100 * Double(s.count - 1)
    let lo = Int(rank.rounded(.down))
    let hi = min(s.count - 1, lo + 1)
    return s[lo] + (s[hi] - s[lo]) * (rank - Double(lo))
  }

  var p50: Double { percentile(50) }
}

/// Short stages are timed beyond `repeats` until their runs add up to this many seconds (at most
/// ten times `repeats` runs), so a 50 ms stage's p50 is not the middle of three noisy samples.
/// The peer script (`Benchmarks/peers/run_peers.py`) applies the same rule.
let minimumTimedSeconds = 0.5

/// Runs `body` once to warm up, then at least `repeats` times under the clock (see
/// ``minimumTimedSeconds``); every run must return the same checksum, or the harness stops.
func measure(
  _ name: String, size: Int, repeats: Int, units: [(String, Double)],
  _ body: () -> String
) -> Result {
  let warm = body()
  Memory.resetPeak()
  let base = Memory.currentBytes()
  var times: [Double] = []
  var total = 0.0
  while times.count < repeats || (total < minimumTimedSeconds && times.count < 10 * repeats) {
    let start = now()
    let checksum = body()
    times.append(now() - start)
    total += times[times.count - 1]
    precondition(
      checksum == warm, "\(name): checksum changed between runs (\(warm) vs \(checksum))")
  }
  let peak = max(0, Memory.peakBytes() - base)
  return Result(
    name: name, size: size, seconds: times, units: units.map { ($0.0, $0.1) }, checksum: warm,
    peakBytes: peak)
}
