import Synchronization

/// Units of work done by many threads, counted atomically and passed to a callback as the count
/// grows (`report(done, total)`), so a stage's loops can report without sharing anything else.
///
/// ```swift
/// let counter = ProgressCounter(total: blocks) { done, total in print(done, "/", total) }
/// parallelForEach(blocks, threads: 2) { _ in work(); counter.advance() }
/// ```
///
/// - Complexity: One relaxed atomic add and one callback per ``advance(by:)``.
final class ProgressCounter: Sendable {
  /// All the work.
  let total: Int
  private let done = Atomic<Int>(0)
  private let report: @Sendable (Int, Int) -> Void

  /// A counter at 0 of `total`; reports `(0, total)` at once.
  init(total: Int, report: @escaping @Sendable (Int, Int) -> Void) {
    self.total = total
    self.report = report
    report(0, total)
  }

  /// Adds `units` to the work done and reports the new count.
  func advance(by units: Int = 1) {
    let now = done.wrappingAdd(units, ordering: .relaxed).newValue
    report(now, total)
  }
}
