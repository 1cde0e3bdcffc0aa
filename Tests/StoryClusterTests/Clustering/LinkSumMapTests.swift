import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// ``LinkSumMap`` against `Dictionary` under random adds, sets and removals, from small tables
/// that grow through several rehashes, wrap their probe runs around and shift keys back on
/// removal, then a filter.
struct LinkSumMapTests {
  @Test(arguments: 0..<8)
  func behavesLikeADictionary(seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    var map = LinkSumMap()
    defer { map.free() }
    var reference: [Int32: Int64] = [:]
    let keySpace = Int32([8, 64, 1000][Int(seed % 3)])
    for step in 0..<6000 {
      let key = Int32.random(in: 0..<keySpace, using: &rng)
      // Adds outnumber removals early (the table grows), removals win late (runs shift back).
      let value = Int64.random(in: -100...100, using: &rng)
      let draw = Int.random(in: 0..<100, using: &rng)
      if draw < (step < 3000 ? 60 : 25) {
        reference[key, default: 0] += value
        #expect(map.add(key, value) == reference[key])
      } else if draw < (step < 3000 ? 70 : 35) {
        map.set(key, value)
        reference[key] = value
      } else {
        #expect(map.remove(key) == reference.removeValue(forKey: key))
      }
      #expect(map.count == reference.count)
      #expect(map.value(key) == reference[key])
      // At most 3/4 full, so probe runs end and memory stays near the count.
      #expect(map.count * 4 <= map.capacity * 3)
    }
    var seen: [Int32: Int64] = [:]
    map.forEach { key, value in
      #expect(seen[key] == nil, "key \(key) listed twice")
      seen[key] = value
    }
    #expect(seen == reference)
    for key in 0..<keySpace { #expect(map.value(key) == reference[key]) }
    map.filter { $0 % 3 == 0 }
    reference = reference.filter { $0.key % 3 == 0 }
    #expect(map.count == reference.count)
    // Sized for what is kept: 7/10 full (at least 4 slots, one always empty).
    let kept = reference.count
    #expect(map.capacity == max(4, kept + (kept * 3 + 6) / 7 + 1))
    #expect(kept * 10 <= map.capacity * 7 && map.capacity <= max(4, kept * 10 / 7 + 2))
    for key in 0..<keySpace { #expect(map.value(key) == reference[key]) }
  }
}
