#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A thin seam over `ProcessInfo`, so the rest of the engine names one place for it.
enum ProcessInfoCompat {
  /// The cores available to this process.
  static var activeProcessorCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}
