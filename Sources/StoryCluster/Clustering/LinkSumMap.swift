/// An open-addressing map from cluster keys (`Int32 ≥ 0`) to exact fixed-point sums of edge
/// scores, for ``ReciprocalLinkage``. Multiplicative hashing, linear probing and backward-shift
/// deletion (no tombstones).
///
/// The values are integers, so the sum of any set of edges is the same whatever order they are
/// added in: no layout or iteration order of a map ever reaches the arithmetic.
///
/// The table is manually allocated so the hot loops pay no copy-on-write or bounds checks: a
/// map has one owner (``ReciprocalLinkage``'s buffer of maps), copies of the value alias the
/// same table, and the owner calls ``free()`` exactly once.
///
/// - Complexity: Expected O(1) per `add`, `set`, `remove` and `value`; `forEach` O(capacity);
///   memory O(capacity), 12 bytes a slot, at most four times the count after growth.
struct LinkSumMap {
  private var keys: UnsafeMutablePointer<Int32>
  private var values: UnsafeMutablePointer<Int64>
  private(set) var capacity: Int
  private(set) var count = 0

  private static let empty: Int32 = -1

  /// Creates a map with room for `capacity` keys before it grows.
  init(capacity: Int = 0) {
    var size = 4
    while size < capacity * 2 { size <<= 1 }
    self.capacity = size
    keys = .allocate(capacity: size)
    keys.initialize(repeating: Self.empty, count: size)
    values = .allocate(capacity: size)
    values.initialize(repeating: 0, count: size)
  }

  /// Releases the table; the map (and every copy of it) must not be used again.
  func free() {
    keys.deallocate()
    values.deallocate()
  }

  @inline(__always)
  private func slot(_ key: Int32, _ mask: Int) -> Int {
    Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: key)) &* 0x9E37_79B9_7F4A_7C15) >> 32)
      & mask
  }

  /// The value of `key`, if present.
  func value(_ key: Int32) -> Int64? {
    let mask = capacity - 1
    var s = slot(key, mask)
    while true {
      let k = keys[s]
      if k == key { return values[s] }
      if k == Self.empty { return nil }
      s = (s + 1) & mask
    }
  }

  /// Adds `delta` to `key`'s value (inserting 0 first when absent) and returns the new value.
  @discardableResult
  mutating func add(_ key: Int32, _ delta: Int64) -> Int64 {
    let s = findOrInsert(key)
    values[s] += delta
    return values[s]
  }

  /// Sets `key` to `value`.
  mutating func set(_ key: Int32, _ value: Int64) {
    let s = findOrInsert(key)  // first: it may move the table
    values[s] = value
  }

  @inline(__always)
  private mutating func findOrInsert(_ key: Int32) -> Int {
    if (count + 1) * 2 > capacity { rehash(capacity * 2) }
    let mask = capacity - 1
    var s = slot(key, mask)
    while true {
      let k = keys[s]
      if k == key { return s }
      if k == Self.empty { break }
      s = (s + 1) & mask
    }
    keys[s] = key
    values[s] = 0
    count += 1
    return s
  }

  /// Removes `key` and returns its value, if present. Later keys of the probe run shift back
  /// into the hole (Knuth's Algorithm R), so no tombstone is left.
  @discardableResult
  mutating func remove(_ key: Int32) -> Int64? {
    let mask = capacity - 1
    var s = slot(key, mask)
    while true {
      let k = keys[s]
      if k == key { break }
      if k == Self.empty { return nil }
      s = (s + 1) & mask
    }
    let removed = values[s]
    var hole = s
    var j = s
    while true {
      j = (j + 1) & mask
      let k = keys[j]
      if k == Self.empty { break }
      let home = slot(k, mask)
      // The key at j may fill the hole unless its home lies cyclically in (hole, j].
      let stays = j > hole ? (home > hole && home <= j) : (home > hole || home <= j)
      if !stays {
        keys[hole] = k
        values[hole] = values[j]
        hole = j
      }
    }
    keys[hole] = Self.empty
    values[hole] = 0
    count -= 1
    return removed
  }

  /// Calls `body` with every entry, in slot order.
  @inline(__always)
  func forEach(_ body: (Int32, Int64) -> Void) {
    for s in 0..<capacity where keys[s] >= 0 { body(keys[s], values[s]) }
  }

  /// Keeps only the keys for which `isKept` holds, in a table sized for them.
  mutating func filter(_ isKept: (Int32) -> Bool) {
    var kept = 0
    for s in 0..<capacity where keys[s] >= 0 && isKept(keys[s]) { kept += 1 }
    var size = 4
    while size < kept * 2 { size <<= 1 }
    rehash(size, keeping: isKept)
  }

  private mutating func rehash(_ size: Int, keeping isKept: (Int32) -> Bool = { _ in true }) {
    let (oldKeys, oldValues, oldCapacity) = (keys, values, capacity)
    keys = .allocate(capacity: size)
    keys.initialize(repeating: Self.empty, count: size)
    values = .allocate(capacity: size)
    values.initialize(repeating: 0, count: size)
    capacity = size
    count = 0
    let mask = size - 1
    for s in 0..<oldCapacity where oldKeys[s] >= 0 && isKept(oldKeys[s]) {
      var t = slot(oldKeys[s], mask)
      while keys[t] != Self.empty { t = (t + 1) & mask }
      keys[t] = oldKeys[s]
      values[t] = oldValues[s]
      count += 1
    }
    oldKeys.deallocate()
    oldValues.deallocate()
  }
}
