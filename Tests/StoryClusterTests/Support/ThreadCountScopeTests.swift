import Foundation
import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// Overlapping scopes over a stand-in count (the real one, OpenBLAS's, is shared by every suite
/// running kernels in this process): 1 inside any scope, the first scope's saved value after the
/// last.
struct ThreadCountScopeTests {
  /// An integer behind a lock (`NSLock`, a `pthread` mutex the thread sanitizer sees).
  final class Locked: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int
    init(_ value: Int) { self.value = value }
    func withLock<R>(_ body: (inout Int) -> R) -> R {
      lock.lock()
      defer { lock.unlock() }
      return body(&value)
    }
  }

  final class Count: Sendable {
    let value = Locked(4)
    var current: Int { value.withLock { $0 } }
    func scope() -> ThreadCountScope {
      ThreadCountScope(
        get: { self.value.withLock { $0 } }, set: { n in self.value.withLock { $0 = n } })
    }
  }

  @Test func overlappingScopesRestoreTheCountFromBeforeTheFirst() {
    let count = Count()
    let scope = count.scope()
    scope.enter()  // saves 4, sets 1
    #expect(count.current == 1)
    scope.enter()  // already 1: nothing saved (a lone save here would have kept 1)
    scope.leave()  // one still inside: stays 1
    #expect(count.current == 1)
    scope.leave()  // the last: back to 4
    #expect(count.current == 4)
    count.value.withLock { $0 = 3 }  // changed between scopes: the next one saves 3
    scope.enter()
    scope.leave()
    #expect(count.current == 3)
  }

  /// 2,000 scopes on 8 threads, entered and left in every interleaving the scheduler makes: the
  /// count is 1 inside each and 4 after all.
  @Test func concurrentScopesNeverLoseTheCount() {
    let count = Count()
    let scope = count.scope()
    let wrongInside = Locked(0)
    DispatchQueue.concurrentPerform(iterations: 8) { worker in
      var generator = SeededGenerator(seed: UInt64(worker))
      for _ in 0..<250 {
        scope.enter()
        var spin = 0
        for _ in 0..<Int.random(in: 0..<200, using: &generator) { spin &+= 1 }
        if count.current != 1 { wrongInside.withLock { $0 += 1 } }
        scope.leave()
        _ = spin
      }
    }
    #expect(wrongInside.withLock { $0 } == 0)
    #expect(count.current == 4)
  }
}
