import Foundation

/// A value shared by threads behind an `NSLock`, for tests whose hooks are called from the
/// engine's workers.
///
/// Not `Synchronization.Mutex`: on Linux it locks with a futex of its own, which the thread
/// sanitizer does not see, so two workers' reports under it were flagged as a Swift access
/// race; `NSLock` is a pthread mutex, which the sanitizer follows.
public final class Locked<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  /// Holds `value`.
  public init(_ value: Value) { self.value = value }

  /// Runs `body` on the value with the lock held.
  public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    try lock.withLock { try body(&value) }
  }
}
