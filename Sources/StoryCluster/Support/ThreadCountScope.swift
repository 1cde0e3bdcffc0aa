#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Overlapping scopes that hold a process-wide thread count (OpenBLAS's) at 1.
///
/// The first scope to enter saves the count and sets 1; the last to leave restores the saved
/// count. Scopes that each saved and restored the count alone would lose it when they overlap:
/// a scope entered while another holds the count at 1 saves 1, and if it leaves last it
/// restores 1, so the process keeps a single BLAS thread after both.
///
/// The state is guarded by a `pthread` mutex rather than `Synchronization.Mutex`, whose Linux
/// futexes the thread sanitizer does not see (it reports the guarded accesses as races).
///
/// ```swift
/// let scope = ThreadCountScope(get: { BLAS.threadCount }, set: { BLAS.setThreadCount($0) })
/// scope.enter()
/// defer { scope.leave() }
/// ```
///
/// - Complexity: O(1) per call, under one lock.
package final class ThreadCountScope: @unchecked Sendable {
  // @unchecked: `active` and `saved` are only read and written with `lock` held.
  private let lock: UnsafeMutablePointer<pthread_mutex_t>
  private var active = 0
  private var saved = 1
  private let get: @Sendable () -> Int
  private let set: @Sendable (Int) -> Void

  /// Creates a scope over the count read by `get` and written by `set`.
  package init(get: @escaping @Sendable () -> Int, set: @escaping @Sendable (Int) -> Void) {
    self.get = get
    self.set = set
    lock = .allocate(capacity: 1)
    lock.initialize(to: pthread_mutex_t())
    pthread_mutex_init(lock, nil)
  }

  deinit {
    pthread_mutex_destroy(lock)
    lock.deallocate()
  }

  /// Enters a scope: the count is 1 until the matching ``leave()`` (and every other scope's).
  package func enter() {
    pthread_mutex_lock(lock)
    defer { pthread_mutex_unlock(lock) }
    if active == 0 {
      saved = get()
      set(1)
    }
    active += 1
  }

  /// Leaves a scope; the last one out restores the count saved by the first one in.
  package func leave() {
    pthread_mutex_lock(lock)
    defer { pthread_mutex_unlock(lock) }
    precondition(active > 0, "leave() without enter()")
    active -= 1
    if active == 0 { set(saved) }
  }
}
