import Dispatch

/// Measures wall-clock time per stage.
struct StageClock {
  private var last = DispatchTime.now().uptimeNanoseconds
  private(set) var laps: [StageTime] = []

  /// Records the time since the previous lap under `stage`, and the process's peak resident
  /// set so far (the peak never falls, so the stage that raised it is the one to look at).
  mutating func lap(_ stage: String) {
    let now = DispatchTime.now().uptimeNanoseconds
    laps.append(
      StageTime(
        stage: stage, seconds: Double(now - last) / 1e9, peakResidentBytes: peakResidentBytes()))
    last = now
  }
}
