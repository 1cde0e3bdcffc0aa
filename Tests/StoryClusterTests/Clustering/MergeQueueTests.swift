import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// The 4-ary merge heap pops by score descending, then smaller `a`, then smaller `b`.
struct MergeQueueTests {
  static func candidate(_ score: Double, _ a: Int32, _ b: Int32) -> MergeCandidate {
    MergeCandidate(score: score, a: a, b: b)
  }

  static func drain(_ queue: inout MergeQueue) -> [String] {
    var out: [String] = []
    while let c = queue.pop() { out.append("\(c.score) \(c.a) \(c.b)") }
    return out
  }

  @Test func emptyPeeksAndPopsNothing() {
    var queue = MergeQueue([])
    #expect(queue.peek() == nil)
    #expect(queue.pop() == nil)
  }

  @Test func popsByScoreThenKeys() {
    var queue = MergeQueue([
      Self.candidate(0.5, 3, 4), Self.candidate(0.9, 7, 8), Self.candidate(0.5, 1, 9),
      Self.candidate(0.5, 1, 2), Self.candidate(0.2, 0, 1),
    ])
    #expect(queue.peek()?.score == 0.9)
    queue.push(Self.candidate(0.95, 5, 6))
    queue.push(Self.candidate(0.5, 1, 2))  // a duplicate pops twice
    #expect(
      Self.drain(&queue) == [
        "0.95 5 6", "0.9 7 8", "0.5 1 2", "0.5 1 2", "0.5 1 9", "0.5 3 4", "0.2 0 1",
      ])
    #expect(queue.peek() == nil)
  }

  @Test func precedesIsAStrictTotalOrder() {
    let x = Self.candidate(0.5, 1, 2)
    #expect(!x.precedes(x))
    #expect(Self.candidate(0.6, 9, 9).precedes(x))
    #expect(Self.candidate(0.5, 0, 9).precedes(x))
    #expect(Self.candidate(0.5, 1, 1).precedes(x))
    #expect(!x.precedes(Self.candidate(0.5, 1, 1)))
  }

  /// Built from 0…40 seeded candidates (every shape of the last level of a 4-ary heap), with
  /// pushes and pops interleaved, against a sorted array; scores from five values, so keys break
  /// most ties.
  @Test func interleavedPushesAndPopsEqualASortedArray() {
    var generator = SeededGenerator(seed: 5)
    func random() -> MergeCandidate {
      Self.candidate(
        Double(Int.random(in: 0..<5, using: &generator)) / 4,
        Int32.random(in: 0..<6, using: &generator), Int32.random(in: 0..<6, using: &generator))
    }
    func order(_ x: MergeCandidate, _ y: MergeCandidate) -> Bool { x.precedes(y) }
    for size in 0...40 {
      let initial = (0..<size).map { _ in random() }
      var queue = MergeQueue(initial)
      var reference = initial.sorted(by: order)
      for _ in 0..<60 {
        if Bool.random(using: &generator) {
          let c = random()
          queue.push(c)
          reference.append(c)
          reference.sort(by: order)
        } else {
          let popped = queue.pop()
          let expected = reference.isEmpty ? nil : reference.removeFirst()
          #expect(popped?.score == expected?.score && popped?.a == expected?.a)
          #expect(popped?.b == expected?.b)
        }
        #expect(queue.peek()?.score == reference.first?.score)
      }
      var rest: [String] = []
      while let c = queue.pop() { rest.append("\(c.score) \(c.a) \(c.b)") }
      #expect(rest == reference.map { "\($0.score) \($0.a) \($0.b)" }, "size \(size)")
    }
  }
}
