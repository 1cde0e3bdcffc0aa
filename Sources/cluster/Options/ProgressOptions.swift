import ArgumentParser
import StoryCluster

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whether the command shows its progress (``ProgressDisplay``).
struct ProgressOptions: ParsableArguments {
  @Flag(
    help:
      "Show no progress on standard error (shown only there, when it is a terminal, for runs over a second)."
  )
  var quiet = false

  /// Starts the progress display when standard error is a terminal and `--quiet` is not given.
  ///
  /// `CLUSTER_PROGRESS_DELAY` (seconds, default 1) sets how long a run lasts before the display
  /// appears; tests set it to 0.
  ///
  /// - Returns: The hook to hand to the reader and the engine, or nil for no progress.
  func start() -> ProgressHandler? {
    guard !quiet, Terminal.isTerminal(2) else { return nil }
    let delay = getenv("CLUSTER_PROGRESS_DELAY").flatMap { Double(String(cString: $0)) } ?? 1
    return ProgressDisplay.shared.start(delay: delay)
  }
}
