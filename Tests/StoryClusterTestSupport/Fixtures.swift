import Foundation

/// Locations of the repository's files for tests.
public enum RepositoryPaths {
  /// The repository root (found from this file's path).
  public static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// `seeds/` in the repository.
  public static var seeds: String { root.appendingPathComponent("seeds").path }

  /// `../shared/data/<relative>` beside the checkout, or `nil` when it is not there (a fresh
  /// clone without the shared corpora) or the environment sets `STORYCLUSTER_SKIP_SHARED_DATA`
  /// (the sanitizer passes of `.ci/run`, whose plain pass runs the shared-corpus tests).
  public static func sharedData(_ relative: String) -> String? {
    if ProcessInfo.processInfo.environment["STORYCLUSTER_SKIP_SHARED_DATA"] != nil { return nil }
    let path = root.deletingLastPathComponent().appendingPathComponent("shared/data")
      .appendingPathComponent(relative).path
    return FileManager.default.fileExists(atPath: path) ? path : nil
  }

  /// Whether `../shared/data` is beside the checkout. Every test on the shared corpora is
  /// `.enabled(if: RepositoryPaths.isSharedDataPresent)`, so a run without them lists those tests
  /// as skipped rather than passing them.
  public static let isSharedDataPresent: Bool = sharedData("") != nil

  /// `Tests/StoryClusterTests/Fixtures/samples/<name>` in the repository.
  public static func sample(_ name: String) -> String {
    root.appendingPathComponent("Tests/StoryClusterTests/Fixtures/samples/\(name)").path
  }
}

/// A small, seeded pseudo-random generator (SplitMix64, G. Steele, D. Lea and C. Flood, "Fast
/// splittable pseudorandom number generators", OOPSLA 2014), so tests repeat exactly.
public struct SeededGenerator: RandomNumberGenerator {
  private var state: UInt64

  /// Creates a generator from a seed.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Whether `a` and `b` agree within `absolute` tolerance.
public func isClose(_ a: Double, _ b: Double, absolute: Double) -> Bool {
  abs(a - b) <= absolute
}
