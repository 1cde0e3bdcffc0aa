import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// ``NeighborMap`` against `Dictionary` under random adds, sets and removes: small tables with
/// wrap-around probe chains, so backward-shift deletion is exercised.
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
      switch Int.random(in: 0..<3, using: &rng) {
      case 0:
        let sum = map.add(key, value)
        reference[key, default: 0] += value
        #expect(sum == reference[key])
      case 1:
        map.set(key, value)
        reference[key] = value
      default:
        map.remove(key)
        reference[key] = nil
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
