import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// ``NeighborMap`` against `Dictionary` under random adds and sets, from small tables that grow
/// through several rehashes and wrap their probe chains around.
struct NeighborMapTests {
  @Test(arguments: 0..<8)
  func behavesLikeADictionary(seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    var map = NeighborMap()
    var reference: [Int32: Double] = [:]
    let keySpace = Int32([8, 64, 1000][Int(seed % 3)])
    for _ in 0..<5000 {
      let key = Int32.random(in: 0..<keySpace, using: &rng)
      let value = Double(Int.random(in: 1...100, using: &rng))
      if Bool.random(using: &rng) {
        let sum = map.add(key, value)
        reference[key, default: 0] += value
        #expect(sum == reference[key])
      } else {
        map.set(key, value)
        reference[key] = value
      }
      #expect(map.count == reference.count)
      #expect(map.value(key) == reference[key])
    }
    var seen: [Int32: Double] = [:]
    map.forEach { seen[$0] = $1 }
    #expect(seen == reference)
    for key in 0..<keySpace { #expect(map.value(key) == reference[key]) }
  }
}
