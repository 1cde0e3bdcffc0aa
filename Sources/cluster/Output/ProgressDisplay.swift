import Dispatch
import StoryCluster
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A command's progress on standard error, one line redrawn in place (`\r`, the line, then
/// `ESC [ K` to clear the rest), while the engine runs.
///
/// The line shows the run's time so far, the stage, the work done of the total, and the time
/// left at the rate of the last three seconds (stages such as average linkage speed up as they
/// go):
///
/// ```
/// [0:07] similarity  412/946 blocks  44%  0:05 left
/// ```
///
/// Nothing is drawn until the run has taken ``start(delay:)``'s delay (a second by default), so
/// short runs print nothing. Then the line is drawn at each stage's start and redrawn every
/// 100 ms by a ticker thread; the engine's reports only store numbers under a lock. ``finish()``
/// clears the line (also at exit, and before each diagnostic), so results and messages start on
/// a clean line. The command starts it only when standard error is a terminal and `--quiet` is
/// not given.
final class ProgressDisplay: Sendable {
  /// The display of this process.
  static let shared = ProgressDisplay()

  private struct State {
    var isActive = false
    var delay: UInt64 = 1_000_000_000
    var runStarted: UInt64 = 0
    var stage: StageProgress.Stage?
    var stageStarted: UInt64 = 0
    var completed = 0
    var total = 0
    var unit = StageProgress.Unit.steps
    var isDrawn = false
    /// (time, completed) at recent draws of this stage, oldest first, for the rate.
    var samples: [(time: UInt64, completed: Int)] = []
  }

  private let state = Mutex(State())

  private init() {}

  /// Starts the display and its ticker; returns the hook to hand to the reader and the engine.
  ///
  /// - Parameter delay: Seconds the run must last before anything is drawn.
  /// - Returns: The progress hook.
  func start(delay: Double) -> ProgressHandler {
    state.withLock {
      $0 = State()
      $0.isActive = true
      $0.delay = UInt64(max(0, delay) * 1e9)
      $0.runStarted = Self.now()
    }
    atexit { ProgressDisplay.shared.finish() }
    DispatchQueue.global().async {
      while ProgressDisplay.shared.tick() { usleep(100_000) }
    }
    return { ProgressDisplay.shared.update($0) }
  }

  /// Stores a report; draws at once when it starts a stage (once past the delay).
  func update(_ report: StageProgress) {
    state.withLock { s in
      guard s.isActive else { return }
      if s.stage != report.stage {
        let now = Self.now()
        s.stage = report.stage
        s.stageStarted = now
        s.completed = report.completed
        s.total = report.total
        s.unit = report.unit
        s.samples = []
        if now - s.runStarted >= s.delay { Self.draw(&s, now: now) }
      } else {
        s.completed = max(s.completed, report.completed)
        s.total = report.total
      }
    }
  }

  /// Clears the line if it is drawn; the next tick draws it again.
  func clear() {
    state.withLock { s in
      if s.isDrawn { Self.write("\r\u{1B}[K") }
      s.isDrawn = false
    }
  }

  /// Clears the line and stops the display for good.
  func finish() {
    state.withLock { s in
      if s.isDrawn { Self.write("\r\u{1B}[K") }
      s.isDrawn = false
      s.isActive = false
    }
  }

  // MARK: - Internals

  /// Redraws the line once past the delay; returns false once the display has stopped.
  private func tick() -> Bool {
    state.withLock { s in
      guard s.isActive else { return false }
      let now = Self.now()
      if s.stage != nil, now - s.runStarted >= s.delay { Self.draw(&s, now: now) }
      return true
    }
  }

  private static func draw(_ s: inout State, now: UInt64) {
    guard let stage = s.stage else { return }
    let run = Double(now - s.runStarted) / 1e9
    var line = "[\(clock(run))] \(stage.rawValue)"
    let unit = s.unit
    s.samples.append((now, s.completed))
    while let first = s.samples.first, now - first.time > 3_000_000_000 {
      s.samples.removeFirst()
    }
    if s.completed > 0 && s.completed < s.total {
      line += "  \(amount(s.completed, unit, withUnit: false))/\(amount(s.total, unit))"
      line += "  \(s.completed * 100 / s.total)%"
      if let first = s.samples.first, now - first.time >= 1_000_000_000,
        s.completed > first.completed
      {
        let seconds = Double(now - first.time) / 1e9
        let left = seconds * Double(s.total - s.completed) / Double(s.completed - first.completed)
        line += "  \(clock(left)) left"
      }
    } else if s.total == 0 && s.completed > 0 {
      line += "  \(amount(s.completed, unit))"
    } else {
      if unit != .steps && s.total > 0 { line += "  \(amount(s.total, unit))" }
      line += "…"
    }
    write("\r" + Terminal.cut(line, to: Terminal.width(of: 2) - 1) + "\u{1B}[K")
    s.isDrawn = true
  }

  /// `n` of `unit`, bytes in MB, other counts with thousands separated.
  private static func amount(_ n: Int, _ unit: StageProgress.Unit, withUnit: Bool = true)
    -> String
  {
    if unit == .bytes {
      let tenths = (n + 50_000) / 100_000
      return "\(tenths / 10).\(tenths % 10)" + (withUnit ? " MB" : "")
    }
    var digits = String(n)
    var grouped = ""
    while digits.count > 3 {
      grouped = "," + digits.suffix(3) + grouped
      digits.removeLast(3)
    }
    return digits + grouped + (withUnit ? " " + name(of: unit, count: n) : "")
  }

  /// What `count` of `unit` are called.
  private static func name(of unit: StageProgress.Unit, count: Int) -> String {
    let plural = unit == .blocks ? "block pairs" : unit.rawValue
    guard count == 1 else { return plural }
    return unit == .stories ? "story" : String(plural.dropLast())
  }

  /// `seconds` as m:ss.
  private static func clock(_ seconds: Double) -> String {
    let s = Int(seconds.rounded(.down))
    return "\(s / 60):" + (s % 60 < 10 ? "0" : "") + "\(s % 60)"
  }

  private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

  private static func write(_ text: String) {
    try? ByteWriter.writeAll(Array(text.utf8), to: 2)
  }
}
