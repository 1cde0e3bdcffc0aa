/// A small open-addressing map from cluster keys (`Int32 ≥ 0`) to summed edge weights, for the
/// average-linkage graph. Multiplicative hashing and linear probing with tombstones; it is far
/// cheaper than `Dictionary`'s seeded SipHash for millions of integer keys, and its iteration
/// order never reaches any arithmetic (each update is one addition).
///
/// - Complexity: Expected O(1) per operation; memory O(capacity).
struct NeighborMap {
  private var keys: [Int32]
  private var values: [Double]
  private(set) var count = 0
  private var used = 0  // live entries + tombstones

  private static let empty: Int32 = -1
  private static let tombstone: Int32 = -2

  /// Creates a map with room for `capacity` keys before it grows.
  init(capacity: Int = 0) {
    var size = 4
    while size < capacity * 2 { size <<= 1 }
    keys = [Int32](repeating: Self.empty, count: size)
    values = [Double](repeating: 0, count: size)
  }

  @inline(__always)
  private func slot(_ key: Int32) -> Int {
    Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: key)) &* 0x9E37_79B9_7F4A_7C15) >> 32)
      & (keys.count - 1)
  }

  /// The value of `key`, if present.
  func value(_ key: Int32) -> Double? {
    var s = slot(key)
    while true {
      let k = keys[s]
      if k == key { return values[s] }
      if k == Self.empty { return nil }
      s = (s + 1) & (keys.count - 1)
    }
  }

  /// Adds `delta` to `key`'s value (inserting 0 first when absent) and returns the new value.
  @discardableResult
  mutating func add(_ key: Int32, _ delta: Double) -> Double {
    if (used + 1) * 2 > keys.count { rehash(growing: (count + 1) * 4 > keys.count) }
    var s = slot(key)
    var firstFree = -1
    while true {
      let k = keys[s]
      if k == key {
        values[s] += delta
        return values[s]
      }
      if k == Self.empty { break }
      if k == Self.tombstone && firstFree < 0 { firstFree = s }
      s = (s + 1) & (keys.count - 1)
    }
    if firstFree >= 0 {
      s = firstFree
    } else {
      used += 1
    }
    keys[s] = key
    values[s] = delta
    count += 1
    return delta
  }

  /// Sets `key` to `value`.
  mutating func set(_ key: Int32, _ value: Double) {
    if let old = self.value(key) {
      add(key, value - old)
      // Replace exactly rather than through a subtraction.
      var s = slot(key)
      while keys[s] != key { s = (s + 1) & (keys.count - 1) }
      values[s] = value
    } else {
      add(key, value)
    }
  }

  /// Removes `key`.
  mutating func remove(_ key: Int32) {
    var s = slot(key)
    while true {
      let k = keys[s]
      if k == key {
        keys[s] = Self.tombstone
        count -= 1
        return
      }
      if k == Self.empty { return }
      s = (s + 1) & (keys.count - 1)
    }
  }

  /// Calls `body` with every entry.
  func forEach(_ body: (Int32, Double) -> Void) {
    for s in 0..<keys.count where keys[s] >= 0 { body(keys[s], values[s]) }
  }

  private mutating func rehash(growing: Bool) {
    let oldKeys = keys
    let oldValues = values
    let size = growing ? keys.count * 2 : keys.count
    keys = [Int32](repeating: Self.empty, count: size)
    values = [Double](repeating: 0, count: size)
    count = 0
    used = 0
    for s in 0..<oldKeys.count where oldKeys[s] >= 0 {
      var t = slot(oldKeys[s])
      while keys[t] != Self.empty { t = (t + 1) & (size - 1) }
      keys[t] = oldKeys[s]
      values[t] = oldValues[s]
      count += 1
      used += 1
    }
  }
}
