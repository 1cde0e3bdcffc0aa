import Testing

@testable import StoryCluster

/// The term table against a `Dictionary` reference, and its hash against the byte-by-byte
/// definition that fingerprints were first computed with.
struct TermTableTests {
  /// The original definition: whole words, then the tail bytes one at a time.
  static func referenceHash(_ key: [UInt8]) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
    var i = 0
    while i + 8 <= key.count {
      var w: UInt64 = 0
      for b in 0..<8 { w |= UInt64(key[i + b]) << UInt64(8 * b) }
      h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
      h ^= h >> 31
      i += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < key.count {
      tail |= UInt64(key[i]) << shift
      shift += 8
      i += 1
    }
    h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
    h ^= h >> 29
    h = h &* 0xBF58_476D_1CE4_E5B9
    h ^= h >> 32
    return h
  }

  /// Keys of every length from 1 to 40 over a small alphabet (so prefixes collide often).
  static func keys(count: Int) -> [[UInt8]] {
    var rng = SplitMix64(seed: 42)
    return (0..<count).map { _ in
      let length = Int.random(in: 1...40, using: &rng)
      return (0..<length).map { _ in UInt8.random(in: 0x61...0x63, using: &rng) }
    }
  }

  @Test func hashMatchesTheByteByByteDefinition() {
    for key in Self.keys(count: 2000) {
      let h = key.withUnsafeBufferPointer { TermTable.hash($0) }
      #expect(h == Self.referenceHash(key), "key \(key)")
    }
  }

  @Test func idsFollowFirstInsertionAndFindAgrees() {
    var table = TermTable(capacity: 4)  // forces several grows
    var reference: [[UInt8]: Int32] = [:]
    for key in Self.keys(count: 5000) {
      let id = key.withUnsafeBufferPointer { table.insert($0) }
      let expected = reference[key] ?? Int32(reference.count)
      reference[key] = expected
      #expect(id == expected)
    }
    #expect(table.count == reference.count)
    for (key, id) in reference {
      #expect(key.withUnsafeBufferPointer { table.find($0) } == id)
      #expect(table.withTerm(Int(id)) { Array($0) } == key)
    }
    let absent: [UInt8] = Array("abcabcabcabcabcabcabcabcabcabcabcabcabcabcd".utf8)
    #expect(absent.withUnsafeBufferPointer { table.find($0) } == -1)
  }

  @Test func keysDifferingOnlyInTrailingZeroBytesStayDistinct() {
    // The slot hash pads short keys with zeros, so these share a hash and a prefix; the length
    // and the bytes keep them apart.
    var table = TermTable(capacity: 4)
    let keys: [[UInt8]] = (0..<20).map { [0x61] + Array(repeating: 0, count: $0) }
    for (i, key) in keys.enumerated() {
      #expect(key.withUnsafeBufferPointer { table.insert($0) } == Int32(i))
    }
    for (i, key) in keys.enumerated() {
      #expect(key.withUnsafeBufferPointer { table.find($0) } == Int32(i))
    }
  }
}
