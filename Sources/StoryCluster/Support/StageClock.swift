import Dispatch

/// Measures wall-clock time per stage.
struct StageClock {
  private var last = DispatchTime.now().uptimeNanoseconds
  private(set) var laps: [(stage: String, seconds: Double)] = []

  /// Records the time since the previous lap under `stage`.
  mutating func lap(_ stage: String) {
    let now = DispatchTime.now().uptimeNanoseconds
    laps.append((stage, Double(now - last) / 1e9))
    last = now
  }
}
