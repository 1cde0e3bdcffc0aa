/// An open-addressing map from cluster keys (`Int32 ≥ 0`) to exact fixed-point sums of edge
/// scores, for ``ReciprocalLinkage``. Multiplicative hashing mapped onto a table of any size
/// (multiply and shift, not a power-of-two mask), linear probing and backward-shift deletion
/// (no tombstones).
///
/// A million articles' graph holds a quarter of a billion entries, so the table is sized to
/// its keys: at most 3/4 full, 7/10 when made for a known count (a power-of-two table at most
/// half full held 2.8 slots per entry there, 8.6 GB).
///
/// The values are integers, so the sum of any set of edges is the same whatever order they are
/// added in: no layout or iteration order of a map ever reaches the arithmetic.
///
/// The table is manually allocated so the hot loops pay no copy-on-write or bounds checks: a
/// map has one owner (``ReciprocalLinkage``'s buffer of maps), copies of the value alias the
/// same table, and the owner calls ``free()`` exactly once.
///
/// - Complexity: Expected O(1) per `add`, `set`, `remove` and `value`; `forEach` O(capacity);
///   memory O(capacity), 12 bytes a slot: about 1.43 slots per key as made, at most 2.7 after
///   growth.
struct LinkSumMap {
  private var keys: UnsafeMutablePointer<Int32>
  private var values: UnsafeMutablePointer<Int64>
  private(set) var capacity: Int
  private(set) var count = 0

  private static let empty: Int32 = -1

  /// Creates a map with room for `capacity` keys before it grows.
  init(capacity: Int = 0) {
    let size = Self.size(for: capacity)
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

  /// The table size for `count` keys: 7/10 full.
  static func size(for count: Int) -> Int { max(4, count + (count * 3 + 6) / 7 + 1) }

  /// The key's home slot in a table of `size`: the high 32 bits of a multiplicative hash,
  /// scaled onto `0..<size`.
  @inline(__always)
  private func slot(_ key: Int32, _ size: Int) -> Int {
    let hash = (UInt64(UInt32(bitPattern: key)) &* 0x9E37_79B9_7F4A_7C15) >> 32
    return Int(truncatingIfNeeded: (hash &* UInt64(size)) >> 32)
  }

  /// The slot after `s`, cyclically.
  @inline(__always)
  private func following(_ s: Int, _ size: Int) -> Int { s + 1 == size ? 0 : s + 1 }

  /// The value of `key`, if present.
  func value(_ key: Int32) -> Int64? {
    let size = capacity
    var s = slot(key, size)
    while true {
      let k = keys[s]
      if k == key { return values[s] }
      if k == Self.empty { return nil }
      s = following(s, size)
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
    if (count + 1) * 4 > capacity * 3 { rehash(capacity * 2) }
    let size = capacity
    var s = slot(key, size)
    while true {
      let k = keys[s]
      if k == key { return s }
      if k == Self.empty { break }
      s = following(s, size)
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
    let size = capacity
    var s = slot(key, size)
    while true {
      let k = keys[s]
      if k == key { break }
      if k == Self.empty { return nil }
      s = following(s, size)
    }
    let removed = values[s]
    var hole = s
    var j = s
    while true {
      j = following(j, size)
      let k = keys[j]
      if k == Self.empty { break }
      let home = slot(k, size)
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
    rehash(Self.size(for: kept), keeping: isKept)
  }

  private mutating func rehash(_ size: Int, keeping isKept: (Int32) -> Bool = { _ in true }) {
    let (oldKeys, oldValues, oldCapacity) = (keys, values, capacity)
    keys = .allocate(capacity: size)
    keys.initialize(repeating: Self.empty, count: size)
    values = .allocate(capacity: size)
    values.initialize(repeating: 0, count: size)
    capacity = size
    count = 0
    for s in 0..<oldCapacity where oldKeys[s] >= 0 && isKept(oldKeys[s]) {
      var t = slot(oldKeys[s], size)
      while keys[t] != Self.empty { t = following(t, size) }
      keys[t] = oldKeys[s]
      values[t] = oldValues[s]
      count += 1
    }
    oldKeys.deallocate()
    oldValues.deallocate()
  }
}
