import Synchronization

/// Overlapping scopes that hold a process-wide thread count (OpenBLAS's) at 1.
///
/// The first scope to enter saves the count and sets 1; the last to leave restores the saved
/// count. Scopes that each saved and restored the count alone would lose it when they overlap:
/// a scope entered while another holds the count at 1 saves 1, and if it leaves last it
/// restores 1, so the process keeps a single BLAS thread after both.
///
/// ```swift
/// let scope = ThreadCountScope(get: { BLAS.threadCount }, set: { BLAS.setThreadCount($0) })
/// scope.enter()
/// defer { scope.leave() }
/// ```
///
/// - Complexity: O(1) per call, under one lock.
package final class ThreadCountScope: Sendable {
  private let state = Mutex<(active: Int, saved: Int)>((0, 1))
  private let get: @Sendable () -> Int
  private let set: @Sendable (Int) -> Void

  /// Creates a scope over the count read by `get` and written by `set`.
  package init(get: @escaping @Sendable () -> Int, set: @escaping @Sendable (Int) -> Void) {
    self.get = get
    self.set = set
  }

  /// Enters a scope: the count is 1 until the matching ``leave()`` (and every other scope's).
  package func enter() {
    state.withLock { state in
      if state.active == 0 {
        state.saved = get()
        set(1)
      }
      state.active += 1
    }
  }

  /// Leaves a scope; the last one out restores the count saved by the first one in.
  package func leave() {
    state.withLock { state in
      precondition(state.active > 0, "leave() without enter()")
      state.active -= 1
      if state.active == 0 { set(state.saved) }
    }
  }
}
