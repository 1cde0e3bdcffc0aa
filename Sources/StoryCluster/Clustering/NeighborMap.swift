/// A small open-addressing map from cluster keys (`Int32 ≥ 0`) to summed edge weights, for the
/// average-linkage graph. Multiplicative hashing and linear probing; keys are never removed (the
/// clusterer skips keys of clusters merged away), so there are no tombstones; it is far
/// cheaper than `Dictionary`'s seeded SipHash for millions of integer keys, and its iteration
/// order never reaches any arithmetic (each update is one addition).
///
/// - Complexity: Expected O(1) per operation; memory O(capacity).
struct NeighborMap {
  private var keys: [Int32]
  private var values: [Double]
  private(set) var count = 0

  private static let empty: Int32 = -1

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
    if (count + 1) * 2 > keys.count { rehash() }
    let mask = keys.count - 1
    var s = slot(key)
    while true {
      let k = keys[s]
      if k == key {
        values[s] += delta
        return values[s]
      }
      if k == Self.empty { break }
      s = (s + 1) & mask
    }
    keys[s] = key
    values[s] = delta
    count += 1
    return delta
  }

  /// Sets `key` to `value`.
  mutating func set(_ key: Int32, _ value: Double) {
    if (count + 1) * 2 > keys.count { rehash() }
    let mask = keys.count - 1
    var s = slot(key)
    while true {
      let k = keys[s]
      if k == key {
        values[s] = value
        return
      }
      if k == Self.empty { break }
      s = (s + 1) & mask
    }
    keys[s] = key
    values[s] = value
    count += 1
  }

  /// Calls `body` with every entry.
  func forEach(_ body: (Int32, Double) -> Void) {
    for s in 0..<keys.count where keys[s] >= 0 { body(keys[s], values[s]) }
  }

  private mutating func rehash() {
    let oldKeys = keys
    let oldValues = values
    let size = keys.count * 2
    keys = [Int32](repeating: Self.empty, count: size)
    values = [Double](repeating: 0, count: size)
    for s in 0..<oldKeys.count where oldKeys[s] >= 0 {
      var t = slot(oldKeys[s])
      while keys[t] != Self.empty { t = (t + 1) & (size - 1) }
      keys[t] = oldKeys[s]
      values[t] = oldValues[s]
    }
  }
}
